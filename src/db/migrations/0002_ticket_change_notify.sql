-- Every ticket change writes a timeline row; this announces it to all app nodes (LISTEN
-- loopdesk_ticket_changes) at commit, with what a node needs to decide who may see it.
CREATE OR REPLACE FUNCTION notify_ticket_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  payload json;
BEGIN
  SELECT json_build_object(
    'ticketId', t.id,
    'kind', NEW.kind,
    'eventId', NEW.id,
    'teamId', t.team_id,
    'teamRestricted', coalesce(tm.restricted, false),
    'assigneeId', t.assignee_id,
    'firstContactOwnerId', t.first_contact_owner_id
  ) INTO payload
  FROM tickets t LEFT JOIN teams tm ON tm.id = t.team_id
  WHERE t.id = NEW.ticket_id;
  PERFORM pg_notify('loopdesk_ticket_changes', payload::text);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER ticket_events_notify AFTER INSERT ON ticket_events
  FOR EACH ROW EXECUTE FUNCTION notify_ticket_change();
