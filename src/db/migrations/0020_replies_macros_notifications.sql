-- Managed replies and macros (快捷回复 / 宏): personal, team and global texts with placeholders; a
-- macro also carries actions (status, tags, grade, internal note) applied through the ticket use cases.
CREATE TABLE "replies" (
	"id" uuid PRIMARY KEY NOT NULL,
	"scope" text NOT NULL,
	"owner_id" uuid,
	"team_id" uuid,
	"name" text NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"actions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"search_text" text DEFAULT '' NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "replies_scope_check" CHECK ("scope" IN ('personal', 'team', 'global')),
	CONSTRAINT "replies_holder_check" CHECK (
		("scope" = 'personal') = ("owner_id" IS NOT NULL) AND ("scope" = 'team') = ("team_id" IS NOT NULL)
	)
);
--> statement-breakpoint
ALTER TABLE "replies" ADD CONSTRAINT "replies_owner_id_staff_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."staff"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "replies" ADD CONSTRAINT "replies_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "replies" ADD CONSTRAINT "replies_created_by_id_staff_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "replies_owner_idx" ON "replies" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "replies_team_idx" ON "replies" USING btree ("team_id");--> statement-breakpoint
CREATE UNIQUE INDEX "replies_holder_name_idx" ON "replies" USING btree ("scope",coalesce("owner_id", "team_id", '00000000-0000-0000-0000-000000000000'::uuid),"name");--> statement-breakpoint
CREATE INDEX "replies_search_idx" ON "replies" USING gin (to_tsvector('simple', "search_text"));--> statement-breakpoint
-- The inbox counts unread notifications per person on every page.
CREATE INDEX "notifications_unread_idx" ON "notifications" USING btree ("recipient_id") WHERE "read_at" IS NULL;--> statement-breakpoint
-- A new notification is announced to its recipient's open desks (any app node) at commit, on the
-- channel screen pops use; the desk then reloads its inbox, which applies the read rules.
CREATE OR REPLACE FUNCTION notify_new_notification() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.recipient_id IS NOT NULL THEN
    PERFORM pg_notify(
      'loopdesk_agent_events',
      json_build_object('agentId', NEW.recipient_id, 'kind', 'notification', 'id', NEW.id)::text
    );
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER notifications_notify_recipient AFTER INSERT ON notifications
  FOR EACH ROW EXECUTE FUNCTION notify_new_notification();
