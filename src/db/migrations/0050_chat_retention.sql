-- Live chats in the retention run (PIPL Art. 19): a transcript is kept LOOPDESK_RETENTION_CHAT_DAYS
-- after the conversation ended (or was last active, for one never ended), then its words and the
-- visitor's account id go, as a closed ticket's messages do. A chat that became a ticket goes with
-- its ticket. anonymised_at marks one done (by the run or an erasure); the partial index holds the
-- ones still to do, in the order the run takes them.
ALTER TABLE "chat_conversations" ADD COLUMN IF NOT EXISTS "anonymised_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "chat_conversations_retention_idx" ON "chat_conversations" USING btree ((coalesce("ended_at", "updated_at"))) WHERE "anonymised_at" IS NULL AND "ticket_id" IS NULL;
