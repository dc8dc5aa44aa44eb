-- Erasure (PIPL Art. 47) of what staff wrote on the append-only records: the reason given for
-- revealing a customer's data (timeline event `pii_revealed`, access log) and other free-text notes
-- of timeline events may be overwritten, and only with the erasure marker, inside a transaction
-- that declared itself an erasure (SET LOCAL loopdesk.erasure = 'on'). Every other column, and
-- every other value of an event's data, stays append-only; rows are never deleted here.
CREATE OR REPLACE FUNCTION refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND current_setting('loopdesk.erasure', true) = 'on'
     AND NEW.id = OLD.id
     AND NEW.ticket_id = OLD.ticket_id
     AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
     AND NEW.kind = OLD.kind
     AND NEW.created_at = OLD.created_at
     AND jsonb_typeof(OLD.data) = 'object'
     AND NEW.data = (
       SELECT coalesce(jsonb_object_agg(o.key,
                CASE WHEN NEW.data -> o.key = '"[erased]"'::jsonb THEN '"[erased]"'::jsonb ELSE o.value END), '{}'::jsonb)
       FROM jsonb_each(OLD.data) o) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
DROP TRIGGER "ticket_events_append_only" ON "ticket_events";
--> statement-breakpoint
CREATE TRIGGER "ticket_events_append_only" BEFORE UPDATE OR DELETE ON "ticket_events"
  FOR EACH ROW EXECUTE FUNCTION refuse_event_change();
--> statement-breakpoint
-- The access log: the retention job removes rows past the setting (0033); an erasure may blank the
-- reason text (it can quote the customer), never who, whose, which field or when.
CREATE OR REPLACE FUNCTION refuse_access_log_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('loopdesk.retention', true) = 'on' THEN
    RETURN OLD;
  END IF;
  IF TG_OP = 'UPDATE'
     AND current_setting('loopdesk.erasure', true) = 'on'
     AND NEW.id = OLD.id
     AND NEW.staff_id IS NOT DISTINCT FROM OLD.staff_id
     AND NEW.by_customer = OLD.by_customer
     AND NEW.customer_id = OLD.customer_id
     AND NEW.ticket_id IS NOT DISTINCT FROM OLD.ticket_id
     AND NEW.field = OLD.field
     AND NEW.created_at = OLD.created_at
     AND NEW.reason = '[erased]' THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
-- A customer erased: the request that did it, and when (the customer row stays for statistics).
ALTER TABLE "customers" ADD COLUMN "erased_at" timestamp with time zone;
--> statement-breakpoint
-- Retention (PIPL Art. 19): a closed ticket past its period is anonymised once.
ALTER TABLE "tickets" ADD COLUMN "anonymised_at" timestamp with time zone;
--> statement-breakpoint
CREATE INDEX "tickets_retention_idx" ON "tickets" ("closed_at") WHERE "status" = 'closed' AND "anonymised_at" IS NULL;
