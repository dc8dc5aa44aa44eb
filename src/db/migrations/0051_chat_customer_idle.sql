-- Abandoned live chats end by themselves (a chat setting, customerIdleSeconds, 10 minutes): a queued
-- chat whose customer has written nothing and had no stream open for that long, or a served chat whose
-- customer has not answered the agent's last message for that long. The last customer and agent
-- messages are kept on the conversation (set where messages are stored), and customer_stream_at is the
-- last moment a node knew the customer's stream open (at open, every LOOPDESK_CHAT_PRESENCE_SECONDS
-- while open, and when it closes). Open chats are backfilled from their messages.
ALTER TABLE "chat_conversations" ADD COLUMN IF NOT EXISTS "customer_message_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "chat_conversations" ADD COLUMN IF NOT EXISTS "agent_message_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "chat_conversations" ADD COLUMN IF NOT EXISTS "customer_stream_at" timestamp with time zone;--> statement-breakpoint
UPDATE "chat_conversations" c
SET "customer_message_at" = m."customer_at", "agent_message_at" = m."agent_at"
FROM (
  SELECT "conversation_id",
         max("created_at") FILTER (WHERE "author" = 'customer') AS "customer_at",
         max("created_at") FILTER (WHERE "author" = 'agent') AS "agent_at"
  FROM "chat_messages"
  WHERE "conversation_id" IN (SELECT "id" FROM "chat_conversations" WHERE "state" IN ('queued', 'assigned'))
  GROUP BY "conversation_id"
) m
WHERE m."conversation_id" = c."id" AND c."state" IN ('queued', 'assigned');
