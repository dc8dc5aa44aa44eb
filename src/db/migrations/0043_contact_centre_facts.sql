-- Contact-centre figures (issue 20). The hotline webhook now also takes the ACD's offered / queued /
-- abandoned events (each kind sets its time once: a retry never counts twice), the queue and the
-- wait it reports. Every call and chat conversation keeps what it contributes (contact_facts) and
-- the difference is added to its local 15-minute interval (contact_interval_facts) in the same
-- transaction, so the figures are kept incrementally and a late event moves a contact between
-- intervals without double counting.
ALTER TABLE "call_records" ADD COLUMN IF NOT EXISTS "offered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "call_records" ADD COLUMN IF NOT EXISTS "queued_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "call_records" ADD COLUMN IF NOT EXISTS "abandoned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "call_records" ADD COLUMN IF NOT EXISTS "queue" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "call_records" ADD COLUMN IF NOT EXISTS "wait_ms" integer;--> statement-breakpoint
-- Calls waiting for an agent now (the wallboard): offered or queued, not yet answered, abandoned or ended.
CREATE INDEX IF NOT EXISTS "call_records_waiting_idx" ON "call_records" USING btree ("created_at")
  WHERE "answered_at" IS NULL AND "abandoned_at" IS NULL AND "ended_at" IS NULL
    AND ("offered_at" IS NOT NULL OR "queued_at" IS NOT NULL);--> statement-breakpoint
CREATE TABLE "contact_interval_facts" (
	"interval_start" timestamp with time zone NOT NULL,
	"media" text NOT NULL,
	"queue" text DEFAULT '' NOT NULL,
	"day" date NOT NULL,
	"minute" integer NOT NULL,
	"offered" bigint DEFAULT 0 NOT NULL,
	"answered" bigint DEFAULT 0 NOT NULL,
	"abandoned" bigint DEFAULT 0 NOT NULL,
	"short_abandoned" bigint DEFAULT 0 NOT NULL,
	"answered_in_sl" bigint DEFAULT 0 NOT NULL,
	"answer_wait_ms" bigint DEFAULT 0 NOT NULL,
	"abandon_wait_ms" bigint DEFAULT 0 NOT NULL,
	"conversations" bigint DEFAULT 0 NOT NULL,
	"ended" bigint DEFAULT 0 NOT NULL,
	"contained" bigint DEFAULT 0 NOT NULL,
	"first_responses" bigint DEFAULT 0 NOT NULL,
	"first_response_ms" bigint DEFAULT 0 NOT NULL,
	"first_response_in_target" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contact_interval_facts_pk" PRIMARY KEY ("interval_start", "media", "queue"),
	CONSTRAINT "contact_interval_facts_media_check" CHECK ("media" IN ('voice', 'chat'))
);
--> statement-breakpoint
CREATE INDEX "contact_interval_facts_day_idx" ON "contact_interval_facts" USING btree ("day", "media");--> statement-breakpoint
CREATE TABLE "contact_facts" (
	"contact_key" text PRIMARY KEY NOT NULL,
	"media" text NOT NULL,
	"queue" text DEFAULT '' NOT NULL,
	"interval_start" timestamp with time zone NOT NULL,
	"day" date NOT NULL,
	"minute" integer NOT NULL,
	"cells" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- How far the chat facts job has read chat_conversations.updated_at (one row, claimed with SKIP LOCKED).
CREATE TABLE "contact_fact_cursors" (
	"name" text PRIMARY KEY NOT NULL,
	"read_to" timestamp with time zone DEFAULT '1970-01-01T00:00:00Z' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
INSERT INTO "contact_fact_cursors" ("name") VALUES ('chat');
