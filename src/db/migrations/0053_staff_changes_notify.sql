-- A person's account changed (name, role, team, deactivation, password): every app node forgets the
-- sessions of theirs it holds in memory (src/http/session-cache.ts), so the next request reads them
-- again. A deleted session is announced by sessions_notify_end (0015).
CREATE OR REPLACE FUNCTION notify_staff_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('loopdesk_staff_changed', json_build_object('staffId', OLD.id)::text);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER staff_notify_change AFTER UPDATE OR DELETE ON staff
  FOR EACH ROW EXECUTE FUNCTION notify_staff_change();
