-- A person's account changed (name, role, team, deactivation, password): every app node forgets the
-- sessions of theirs it holds in memory (src/http/session-cache.ts), so the next request reads them
-- again. Announced on the channel of deleted sessions (sessions_notify_end, 0015) with the person's
-- id instead of a session's, so a node listens on one connection for both.
CREATE OR REPLACE FUNCTION notify_staff_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('loopdesk_sessions_ended', json_build_object('staffId', OLD.id)::text);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER staff_notify_change AFTER UPDATE OR DELETE ON staff
  FOR EACH ROW EXECUTE FUNCTION notify_staff_change();
