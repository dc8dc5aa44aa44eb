-- KPI facts (issue 16). The facts job reads ticket_events past a cursor, recomputes the facts of
-- each ticket it touched (core/kpi/ticket-facts.ts), keeps them per ticket (kpi_ticket_facts) and
-- adds the difference to the daily roll-up (kpi_daily_facts: local day × SLA metric × team × agent
-- × type × category × channel × region). The dashboard reads the roll-up, never raw tickets.
-- Dimensions are text with '' for "none" so that they can be part of the primary key.
CREATE TABLE "kpi_daily_facts" (
	"day" date NOT NULL,
	"metric" text DEFAULT '' NOT NULL,
	"team_id" text DEFAULT '' NOT NULL,
	"agent_id" text DEFAULT '' NOT NULL,
	"type" text NOT NULL,
	"category_id" text DEFAULT '' NOT NULL,
	"channel" text NOT NULL,
	"region" text DEFAULT '' NOT NULL,
	"contacts" bigint DEFAULT 0 NOT NULL,
	"repeats" bigint DEFAULT 0 NOT NULL,
	"complaints" bigint DEFAULT 0 NOT NULL,
	"appeals" bigint DEFAULT 0 NOT NULL,
	"resolved" bigint DEFAULT 0 NOT NULL,
	"fcr" bigint DEFAULT 0 NOT NULL,
	"reopened" bigint DEFAULT 0 NOT NULL,
	"transferred" bigint DEFAULT 0 NOT NULL,
	"handling_ms" bigint DEFAULT 0 NOT NULL,
	"handling_business_ms" bigint DEFAULT 0 NOT NULL,
	"handling_business_n" bigint DEFAULT 0 NOT NULL,
	"within_target" bigint DEFAULT 0 NOT NULL,
	"first_responses" bigint DEFAULT 0 NOT NULL,
	"first_response_ms" bigint DEFAULT 0 NOT NULL,
	"with_limits" bigint DEFAULT 0 NOT NULL,
	"breached" bigint DEFAULT 0 NOT NULL,
	"sla_met" bigint DEFAULT 0 NOT NULL,
	"sla_breached" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "kpi_daily_facts_pk" PRIMARY KEY ("day", "metric", "team_id", "agent_id", "type", "category_id", "channel", "region")
);
--> statement-breakpoint
CREATE INDEX "kpi_daily_facts_agent_idx" ON "kpi_daily_facts" USING btree ("agent_id", "day");--> statement-breakpoint
CREATE INDEX "kpi_daily_facts_team_idx" ON "kpi_daily_facts" USING btree ("team_id", "day");--> statement-breakpoint
CREATE TABLE "kpi_ticket_facts" (
	"ticket_id" uuid PRIMARY KEY NOT NULL,
	"created_day" date NOT NULL,
	"resolved_day" date,
	"team_id" text DEFAULT '' NOT NULL,
	"agent_id" text DEFAULT '' NOT NULL,
	"type" text NOT NULL,
	"category_id" text DEFAULT '' NOT NULL,
	"channel" text NOT NULL,
	"region" text DEFAULT '' NOT NULL,
	"fcr" boolean,
	"repeat" boolean NOT NULL,
	"breached" boolean NOT NULL,
	"has_limits" boolean NOT NULL,
	"within_target" boolean,
	"reopened" boolean NOT NULL,
	"cells" jsonb NOT NULL,
	"words" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "kpi_ticket_facts" ADD CONSTRAINT "kpi_ticket_facts_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kpi_ticket_facts_created_idx" ON "kpi_ticket_facts" USING btree ("created_day");--> statement-breakpoint
CREATE INDEX "kpi_ticket_facts_resolved_idx" ON "kpi_ticket_facts" USING btree ("resolved_day") WHERE "resolved_day" IS NOT NULL;--> statement-breakpoint
CREATE TABLE "kpi_daily_words" (
	"day" date NOT NULL,
	"word" text NOT NULL,
	"contacts" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "kpi_daily_words_pk" PRIMARY KEY ("day", "word")
);
--> statement-breakpoint
CREATE TABLE "kpi_cursors" (
	"name" text PRIMARY KEY NOT NULL,
	"last_event_id" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
INSERT INTO "kpi_cursors" ("name", "last_event_id") VALUES ('facts', 0);--> statement-breakpoint
-- Subscribers per region, entered by an administrator: the base of the complaint rate.
CREATE TABLE "kpi_subscriber_base" (
	"region" text PRIMARY KEY NOT NULL,
	"subscribers" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kpi_subscriber_base_positive" CHECK ("subscribers" > 0)
);
--> statement-breakpoint
-- Exports run as jobs: the caller sees progress and downloads the file when it is done.
CREATE TABLE "kpi_exports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"staff_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"format" text NOT NULL,
	"params" jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"total" integer,
	"done" integer DEFAULT 0 NOT NULL,
	"storage_key" text,
	"file_name" text,
	"error" text,
	"lease_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "kpi_exports_status_check" CHECK ("status" IN ('queued', 'running', 'done', 'failed')),
	CONSTRAINT "kpi_exports_format_check" CHECK ("format" IN ('csv', 'xlsx'))
);
--> statement-breakpoint
ALTER TABLE "kpi_exports" ADD CONSTRAINT "kpi_exports_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kpi_exports_queued_idx" ON "kpi_exports" USING btree ("created_at") WHERE "status" IN ('queued', 'running');--> statement-breakpoint
CREATE INDEX "kpi_exports_staff_idx" ON "kpi_exports" USING btree ("staff_id", "created_at");
