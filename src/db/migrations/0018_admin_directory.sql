-- The admin console's directory settings (issue 12).
-- Whether duty supervisors see a restricted queue (the VIP desk): a setting per team, on by default.
ALTER TABLE "teams" ADD COLUMN "supervisors_see_restricted" boolean DEFAULT true NOT NULL;
--> statement-breakpoint
-- Settings an administrator edits in the console (e.g. the priority weights); a missing key means
-- the environment's value (or the built-in default) applies.
CREATE TABLE "app_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- Per channel: the queue that takes in its tickets no routing rule places. No row: the
-- environment's LOOPDESK_INTAKE_QUEUES applies; a row with no team: such tickets wait on no queue.
CREATE TABLE "channel_settings" (
	"channel" "channel" PRIMARY KEY NOT NULL,
	"intake_team_id" uuid REFERENCES "teams"("id"),
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- A ticket's messages say how far each reply got (its outbox row): found by ticket.
CREATE INDEX IF NOT EXISTS "outbox_ticket_idx" ON "outbox" USING btree ("ticket_id");
--> statement-breakpoint
-- Staff accounts that were deactivated keep their history; the time says when.
ALTER TABLE "staff" ADD COLUMN "deactivated_at" timestamp with time zone;
--> statement-breakpoint
-- The live-update announcement also says whether the ticket's restricted queue is open to duty
-- supervisors, so nodes decide who may hear of it by the same rule as reads (canReadTicket).
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
    'supervisorsSeeRestricted', coalesce(tm.supervisors_see_restricted, true),
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
