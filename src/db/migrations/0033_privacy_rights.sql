-- Personal-data rights (PIPL Art. 45–47): a customer's requests for a copy, a correction, deletion
-- or the withdrawal of a consent, each with its statutory clock; the export a copy request produces;
-- consent records; the daily retention job's run record.
CREATE TABLE "privacy_requests" (
  "id" uuid PRIMARY KEY,
  "customer_id" uuid NOT NULL REFERENCES "customers"("id"),
  "kind" text NOT NULL,
  "status" text NOT NULL DEFAULT 'open',
  "source" text NOT NULL,
  "identity_check" text NOT NULL,
  "recorded_by_id" uuid REFERENCES "staff"("id"),
  "details" text,
  "consent_purpose" text,
  "received_at" timestamp with time zone NOT NULL,
  "due_at" timestamp with time zone NOT NULL,
  "preview" jsonb,
  "previewed_by_id" uuid REFERENCES "staff"("id"),
  "previewed_at" timestamp with time zone,
  "approved_by_id" uuid REFERENCES "staff"("id"),
  "approved_at" timestamp with time zone,
  "hold_reasons" text[],
  "hold_until" timestamp with time zone,
  "answer" text,
  "closed_by_id" uuid REFERENCES "staff"("id"),
  "completed_at" timestamp with time zone,
  "export_state" text,
  "export_progress" integer NOT NULL DEFAULT 0,
  "export_started_at" timestamp with time zone,
  "export_storage_key" text,
  "export_size" integer,
  "export_expires_at" timestamp with time zone,
  "export_error" text,
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  "updated_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "privacy_requests_kind_check" CHECK ("kind" IN ('access', 'correction', 'deletion', 'consent_withdrawal')),
  CONSTRAINT "privacy_requests_status_check" CHECK ("status" IN ('open', 'awaiting_approval', 'on_hold', 'completed', 'refused')),
  CONSTRAINT "privacy_requests_source_check" CHECK ("source" IN ('portal', 'agent')),
  CONSTRAINT "privacy_requests_export_state_check" CHECK ("export_state" IS NULL OR "export_state" IN ('queued', 'running', 'ready', 'failed', 'expired'))
);
--> statement-breakpoint
CREATE INDEX "privacy_requests_customer_idx" ON "privacy_requests" ("customer_id", "received_at");
--> statement-breakpoint
CREATE INDEX "privacy_requests_queue_idx" ON "privacy_requests" ("status", "due_at");
--> statement-breakpoint
CREATE INDEX "privacy_requests_export_idx" ON "privacy_requests" ("export_state") WHERE "export_state" IN ('queued', 'running');
--> statement-breakpoint
CREATE TABLE "consents" (
  "id" uuid PRIMARY KEY,
  "customer_id" uuid NOT NULL REFERENCES "customers"("id") ON DELETE CASCADE,
  "purpose" text NOT NULL,
  "granted" boolean NOT NULL,
  "channel" text NOT NULL,
  "recorded_by_id" uuid REFERENCES "staff"("id"),
  "request_id" uuid REFERENCES "privacy_requests"("id"),
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "consents_purpose_check" CHECK ("purpose" IN ('surveys', 'notices', 'marketing'))
);
--> statement-breakpoint
CREATE INDEX "consents_customer_idx" ON "consents" ("customer_id", "purpose", "created_at");
--> statement-breakpoint
CREATE TABLE "retention_runs" (
  "id" uuid PRIMARY KEY,
  "run_date" date NOT NULL,
  "started_at" timestamp with time zone NOT NULL,
  "finished_at" timestamp with time zone,
  "counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
  "settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
  "error" text
);
--> statement-breakpoint
CREATE UNIQUE INDEX "retention_runs_date_idx" ON "retention_runs" ("run_date");
--> statement-breakpoint
-- An erased attachment keeps its row (size, type, ticket) for statistics; its file is gone.
ALTER TABLE "attachments" ADD COLUMN "erased_at" timestamp with time zone;
--> statement-breakpoint
-- A customer's own download of their data is logged too: no staff member then.
ALTER TABLE "pii_access_log" ALTER COLUMN "staff_id" DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE "pii_access_log" ADD COLUMN "by_customer" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
-- Erasure (PIPL Art. 47) may overwrite the body of a message, and only with the erasure marker,
-- inside a transaction that declared itself an erasure (SET LOCAL loopdesk.erasure = 'on'). Every
-- other column stays append-only (as in 0015 and 0026).
CREATE OR REPLACE FUNCTION refuse_message_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND NEW.id = OLD.id
     AND NEW.ticket_id = OLD.ticket_id
     AND NEW.author_staff_id IS NOT DISTINCT FROM OLD.author_staff_id
     AND NEW.from_customer = OLD.from_customer
     AND NEW.visibility = OLD.visibility
     AND NEW.channel = OLD.channel
     AND NEW.body_format = OLD.body_format
     AND NEW.kind IS NOT DISTINCT FROM OLD.kind
     AND NEW.created_at = OLD.created_at
     AND (NEW.body = OLD.body
          OR (NEW.body = '[erased]' AND current_setting('loopdesk.erasure', true) = 'on')) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
-- The access log is kept at least as long as the retention setting says; only the retention job,
-- declaring itself (SET LOCAL loopdesk.retention = 'on'), removes rows older than that.
CREATE OR REPLACE FUNCTION refuse_access_log_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('loopdesk.retention', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
DROP TRIGGER "pii_access_log_append_only" ON "pii_access_log";
--> statement-breakpoint
CREATE TRIGGER "pii_access_log_append_only" BEFORE UPDATE OR DELETE ON "pii_access_log"
  FOR EACH ROW EXECUTE FUNCTION refuse_access_log_delete();
