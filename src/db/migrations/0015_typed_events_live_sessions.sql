-- Ticket messages are append-only like the timeline: what a customer or agent wrote cannot be
-- changed or removed afterwards. Only columns added later for delivery bookkeeping may change;
-- every column that exists today is refused.
CREATE OR REPLACE FUNCTION refuse_message_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND NEW.id = OLD.id
     AND NEW.ticket_id = OLD.ticket_id
     AND NEW.author_staff_id IS NOT DISTINCT FROM OLD.author_staff_id
     AND NEW.from_customer = OLD.from_customer
     AND NEW.visibility = OLD.visibility
     AND NEW.channel = OLD.channel
     AND NEW.body = OLD.body
     AND NEW.body_format = OLD.body_format
     AND NEW.created_at = OLD.created_at THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER ticket_messages_append_only BEFORE UPDATE OR DELETE ON ticket_messages
  FOR EACH ROW EXECUTE FUNCTION refuse_message_change();
--> statement-breakpoint
CREATE TRIGGER ticket_messages_no_truncate BEFORE TRUNCATE ON ticket_messages
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
-- The live-update announcement (src/contracts/events.ts, TicketChange) also names the departments
-- with an open sub-task on the ticket, so department staff hear of work handed to them.
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
    'firstContactOwnerId', t.first_contact_owner_id,
    'subtaskTeamIds', coalesce(
      (SELECT json_agg(DISTINCT s.team_id) FROM subtasks s WHERE s.ticket_id = t.id AND s.status = 'open'),
      '[]'::json
    )
  ) INTO payload
  FROM tickets t LEFT JOIN teams tm ON tm.id = t.team_id
  WHERE t.id = NEW.ticket_id;
  PERFORM pg_notify('loopdesk_ticket_changes', payload::text);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- A signed-out (deleted) session is announced to every app node, which ends its open event streams.
CREATE OR REPLACE FUNCTION notify_session_end() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('loopdesk_sessions_ended', json_build_object('tokenHash', OLD.token_hash)::text);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER sessions_notify_end AFTER DELETE ON sessions
  FOR EACH ROW EXECUTE FUNCTION notify_session_end();
