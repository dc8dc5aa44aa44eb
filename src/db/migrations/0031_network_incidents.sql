-- Network incidents (issue 17): one outage that many tickets are about. Levels are data; an
-- incident covers areas (the customers' registered regions) and ticket categories; tickets linked
-- to it carry `incident_id` (attributed to the network, not to the agent), as do surveys about them.
-- Candidates come from the detection job (one open candidate per category and area); proactive
-- notices are one row per customer and incident (unique), remedies one row per grant.
CREATE TABLE "incident_levels" (
	"code" text PRIMARY KEY NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"rank" integer NOT NULL,
	"priority" integer NOT NULL,
	CONSTRAINT "incident_levels_priority_check" CHECK ("priority" BETWEEN 1 AND 4)
);
--> statement-breakpoint
CREATE SEQUENCE "incident_number_seq" START WITH 1 CACHE 1;
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"title" text NOT NULL,
	"category" text NOT NULL,
	"level" text NOT NULL,
	"areas" text[] NOT NULL,
	"locations" text[] DEFAULT '{}'::text[] NOT NULL,
	"services" text[] DEFAULT '{}'::text[] NOT NULL,
	"ticket_categories" text[] NOT NULL,
	"match_words" text[] DEFAULT '{}'::text[] NOT NULL,
	"region_type" text DEFAULT 'city' NOT NULL,
	"status" text DEFAULT 'investigating' NOT NULL,
	"team_id" uuid,
	"public_message" text DEFAULT '' NOT NULL,
	"agent_script" text DEFAULT '' NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"detected_at" timestamp with time zone,
	"expected_repair_at" timestamp with time zone,
	"restored_at" timestamp with time zone,
	"resolution_note" text,
	"lessons" text,
	"reviewed_at" timestamp with time zone,
	"notify_customers" boolean DEFAULT false NOT NULL,
	"notice_slot_at" timestamp with time zone,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "incidents_number_unique" UNIQUE ("number"),
	CONSTRAINT "incidents_status_check" CHECK ("status" IN ('investigating', 'identified', 'repairing', 'monitoring', 'resolved', 'reviewed')),
	CONSTRAINT "incidents_category_check" CHECK ("category" IN ('network_performance', 'service', 'device', 'security')),
	CONSTRAINT "incidents_region_type_check" CHECK ("region_type" IN ('city', 'rural'))
);
--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_level_incident_levels_code_fk" FOREIGN KEY ("level") REFERENCES "public"."incident_levels"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_created_by_id_staff_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incidents_active_idx" ON "incidents" USING btree ("started_at") WHERE "status" IN ('investigating', 'identified', 'repairing', 'monitoring');--> statement-breakpoint
CREATE INDEX "incidents_created_idx" ON "incidents" USING btree ("created_at", "id");--> statement-breakpoint
CREATE TABLE "incident_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "incident_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"incident_id" uuid NOT NULL,
	"actor_id" uuid,
	"kind" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "incident_events" ADD CONSTRAINT "incident_events_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_events" ADD CONSTRAINT "incident_events_actor_id_staff_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incident_events_incident_idx" ON "incident_events" USING btree ("incident_id", "id");--> statement-breakpoint
CREATE TABLE "incident_candidates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"category_code" text NOT NULL,
	"region" text NOT NULL,
	"ticket_count" integer NOT NULL,
	"first_at" timestamp with time zone NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"incident_id" uuid,
	"decided_by_id" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "incident_candidates_status_check" CHECK ("status" IN ('open', 'confirmed', 'dismissed'))
);
--> statement-breakpoint
ALTER TABLE "incident_candidates" ADD CONSTRAINT "incident_candidates_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_candidates" ADD CONSTRAINT "incident_candidates_decided_by_id_staff_id_fk" FOREIGN KEY ("decided_by_id") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "incident_candidates_open_unique" ON "incident_candidates" USING btree ("category_code", "region") WHERE "status" = 'open';--> statement-breakpoint
CREATE INDEX "incident_candidates_decided_idx" ON "incident_candidates" USING btree ("category_code", "region", "decided_at");--> statement-breakpoint
CREATE TABLE "incident_updates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"incident_id" uuid NOT NULL,
	"body" text NOT NULL,
	"recipients" integer NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "incident_updates" ADD CONSTRAINT "incident_updates_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_updates" ADD CONSTRAINT "incident_updates_created_by_id_staff_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incident_updates_incident_idx" ON "incident_updates" USING btree ("incident_id", "created_at");--> statement-breakpoint
CREATE TABLE "incident_notices" (
	"incident_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"msisdn" text NOT NULL,
	"outbox_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "incident_notices_incident_id_customer_id_pk" PRIMARY KEY("incident_id","customer_id")
);
--> statement-breakpoint
ALTER TABLE "incident_notices" ADD CONSTRAINT "incident_notices_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_notices" ADD CONSTRAINT "incident_notices_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incident_notices_customer_idx" ON "incident_notices" USING btree ("customer_id");--> statement-breakpoint
CREATE TABLE "notice_opt_outs" (
	"msisdn" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_remedies" (
	"id" uuid PRIMARY KEY NOT NULL,
	"incident_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"ticket_id" uuid,
	"kind" text NOT NULL,
	"amount" integer NOT NULL,
	"unit" text NOT NULL,
	"status" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"granted_by_id" uuid NOT NULL,
	"decided_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	CONSTRAINT "incident_remedies_kind_check" CHECK ("kind" IN ('data_pack', 'fee_waiver')),
	CONSTRAINT "incident_remedies_status_check" CHECK ("status" IN ('approved', 'pending_approval', 'rejected')),
	CONSTRAINT "incident_remedies_amount_check" CHECK ("amount" > 0)
);
--> statement-breakpoint
ALTER TABLE "incident_remedies" ADD CONSTRAINT "incident_remedies_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_remedies" ADD CONSTRAINT "incident_remedies_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_remedies" ADD CONSTRAINT "incident_remedies_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_remedies" ADD CONSTRAINT "incident_remedies_granted_by_id_staff_id_fk" FOREIGN KEY ("granted_by_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_remedies" ADD CONSTRAINT "incident_remedies_decided_by_id_staff_id_fk" FOREIGN KEY ("decided_by_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incident_remedies_incident_idx" ON "incident_remedies" USING btree ("incident_id", "created_at");--> statement-breakpoint
CREATE INDEX "incident_remedies_customer_idx" ON "incident_remedies" USING btree ("customer_id");--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "incident_id" uuid;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tickets_incident_idx" ON "tickets" USING btree ("incident_id", "status") WHERE "incident_id" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "surveys" ADD COLUMN "incident_id" uuid;--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customers_region_idx" ON "customers" USING btree ("region");
