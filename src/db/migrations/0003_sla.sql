CREATE TABLE "business_calendars" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"definition" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "notifications_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"ticket_id" uuid,
	"recipient_id" uuid,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sla_policies" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"position" integer NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"definition" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sla_targets" (
	"id" uuid PRIMARY KEY NOT NULL,
	"ticket_id" uuid NOT NULL,
	"metric" text NOT NULL,
	"policy_id" text NOT NULL,
	"calendar_id" text NOT NULL,
	"limit_ms" bigint NOT NULL,
	"consumed_ms" bigint DEFAULT 0 NOT NULL,
	"running_since" timestamp with time zone,
	"warn_at" jsonb NOT NULL,
	"warnings_fired" integer DEFAULT 0 NOT NULL,
	"escalation" jsonb NOT NULL,
	"escalations_fired" integer DEFAULT 0 NOT NULL,
	"due_at" timestamp with time zone,
	"next_fire_at" timestamp with time zone,
	"breached_at" timestamp with time zone,
	"met_at" timestamp with time zone,
	"breach_team_id" uuid,
	"breach_assignee_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_recipient_id_staff_id_fk" FOREIGN KEY ("recipient_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_targets" ADD CONSTRAINT "sla_targets_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notifications_recipient_idx" ON "notifications" USING btree ("recipient_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "sla_targets_ticket_metric_idx" ON "sla_targets" USING btree ("ticket_id","metric");--> statement-breakpoint
CREATE INDEX "sla_targets_next_fire_idx" ON "sla_targets" USING btree ("next_fire_at") WHERE "sla_targets"."next_fire_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "sla_targets_due_idx" ON "sla_targets" USING btree ("due_at") WHERE "sla_targets"."met_at" IS NULL;