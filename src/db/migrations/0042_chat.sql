-- Online service (issue 20): live chat conversations on the portal, the app and WeChat, the bot
-- first and a person after a hand-off. Messages are numbered per conversation (seq, unique), so a
-- reconnecting client asks for everything after the last seq it has: no loss, no repeat. A retry
-- with the same client message id finds the stored message (unique per conversation).
CREATE TABLE "chat_conversations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"customer_id" uuid,
	"customer_verified" boolean DEFAULT false NOT NULL,
	"external_user_id" text,
	"token_hash" text NOT NULL,
	"state" text DEFAULT 'bot' NOT NULL,
	"language" text DEFAULT 'zh' NOT NULL,
	"agent_id" uuid,
	"team_id" uuid,
	"last_seq" integer DEFAULT 0 NOT NULL,
	"bot_low_confidence_count" integer DEFAULT 0 NOT NULL,
	"handoff_reason" text,
	"queued_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"first_human_response_at" timestamp with time zone,
	"first_response_warned_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"ended_by" text,
	"outcome" text,
	"ticket_id" uuid,
	"transfers" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chat_conversations_channel_check" CHECK ("channel" IN ('portal', 'app', 'wechat')),
	CONSTRAINT "chat_conversations_state_check" CHECK ("state" IN ('bot', 'queued', 'assigned', 'ended')),
	CONSTRAINT "chat_conversations_language_check" CHECK ("language" IN ('zh', 'en')),
	CONSTRAINT "chat_conversations_outcome_check" CHECK ("outcome" IS NULL OR "outcome" IN ('settled', 'ticket', 'left_message', 'abandoned')),
	CONSTRAINT "chat_conversations_handoff_check" CHECK ("handoff_reason" IS NULL OR "handoff_reason" IN ('asked', 'low_confidence', 'risk')),
	CONSTRAINT "chat_conversations_ended_by_check" CHECK ("ended_by" IS NULL OR "ended_by" IN ('customer', 'agent', 'system')),
	CONSTRAINT "chat_conversations_assigned_check" CHECK ("state" <> 'assigned' OR "agent_id" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "chat_messages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"conversation_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"author" text NOT NULL,
	"agent_id" uuid,
	"client_message_id" text,
	"body" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chat_messages_author_check" CHECK ("author" IN ('customer', 'bot', 'agent', 'system'))
);
--> statement-breakpoint
ALTER TABLE "chat_conversations" ADD CONSTRAINT "chat_conversations_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_conversations" ADD CONSTRAINT "chat_conversations_agent_id_staff_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_conversations" ADD CONSTRAINT "chat_conversations_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_conversations" ADD CONSTRAINT "chat_conversations_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_messages" ADD CONSTRAINT "chat_messages_conversation_id_chat_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."chat_conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_messages" ADD CONSTRAINT "chat_messages_agent_id_staff_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "chat_conversations_token_idx" ON "chat_conversations" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "chat_conversations_queue_idx" ON "chat_conversations" USING btree ("team_id", "queued_at") WHERE "state" = 'queued';--> statement-breakpoint
CREATE INDEX "chat_conversations_agent_idx" ON "chat_conversations" USING btree ("agent_id") WHERE "state" = 'assigned';--> statement-breakpoint
CREATE INDEX "chat_conversations_customer_idx" ON "chat_conversations" USING btree ("customer_id", "created_at");--> statement-breakpoint
CREATE INDEX "chat_conversations_external_idx" ON "chat_conversations" USING btree ("channel", "external_user_id") WHERE "state" <> 'ended';--> statement-breakpoint
CREATE INDEX "chat_conversations_first_response_idx" ON "chat_conversations" USING btree ("queued_at") WHERE "first_human_response_at" IS NULL AND "first_response_warned_at" IS NULL AND "state" IN ('queued', 'assigned');--> statement-breakpoint
CREATE INDEX "chat_conversations_created_idx" ON "chat_conversations" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "chat_messages_seq_idx" ON "chat_messages" USING btree ("conversation_id", "seq");--> statement-breakpoint
CREATE UNIQUE INDEX "chat_messages_client_id_idx" ON "chat_messages" USING btree ("conversation_id", "client_message_id") WHERE "client_message_id" IS NOT NULL;--> statement-breakpoint
-- Every stored message is announced at commit (the customer's stream and the desk read it by seq).
CREATE FUNCTION loopdesk_chat_message_notify() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify(
    'loopdesk_chat_messages',
    json_build_object('conversationId', NEW.conversation_id, 'seq', NEW.seq, 'author', NEW.author)::text
  );
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
CREATE TRIGGER chat_messages_notify AFTER INSERT ON "chat_messages" FOR EACH ROW EXECUTE FUNCTION loopdesk_chat_message_notify();
