-- Scheduled reports (issue 16): a supervisor's schedule of a KPI export mailed to a list, and one
-- run per schedule and period (unique), so a period is sent once however many nodes run the job.
CREATE TABLE "report_schedules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"owner_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"filters" jsonb NOT NULL,
	"format" text NOT NULL,
	"lang" text NOT NULL,
	"frequency" text NOT NULL,
	"send_time" text NOT NULL,
	"recipients" jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"next_run_at" timestamp with time zone,
	"last_run_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_schedules_kind_check" CHECK ("kind" IN ('dashboard', 'tickets')),
	CONSTRAINT "report_schedules_format_check" CHECK ("format" IN ('csv', 'xlsx')),
	CONSTRAINT "report_schedules_frequency_check" CHECK ("frequency" IN ('daily', 'weekly', 'monthly'))
);
--> statement-breakpoint
CREATE TABLE "report_runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"schedule_id" uuid NOT NULL,
	"period_key" text NOT NULL,
	"period_from" text NOT NULL,
	"period_to" text NOT NULL,
	"manual" boolean DEFAULT false NOT NULL,
	"export_id" uuid,
	"status" text DEFAULT 'exporting' NOT NULL,
	"emails" integer DEFAULT 0 NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "report_runs_status_check" CHECK ("status" IN ('exporting', 'sent', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "report_schedules" ADD CONSTRAINT "report_schedules_owner_id_staff_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."staff"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_runs" ADD CONSTRAINT "report_runs_schedule_id_report_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."report_schedules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_runs" ADD CONSTRAINT "report_runs_export_id_kpi_exports_id_fk" FOREIGN KEY ("export_id") REFERENCES "public"."kpi_exports"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "report_schedules_owner_idx" ON "report_schedules" USING btree ("owner_id", "created_at");--> statement-breakpoint
CREATE INDEX "report_schedules_due_idx" ON "report_schedules" USING btree ("next_run_at") WHERE "active";--> statement-breakpoint
CREATE UNIQUE INDEX "report_runs_period_idx" ON "report_runs" USING btree ("schedule_id", "period_key");--> statement-breakpoint
CREATE INDEX "report_runs_exporting_idx" ON "report_runs" USING btree ("created_at") WHERE "status" = 'exporting';
