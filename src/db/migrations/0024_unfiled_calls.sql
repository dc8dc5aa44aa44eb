-- An answered call that ended without becoming (or joining) a work order: the agent is reminded once.
ALTER TABLE "call_records" ADD COLUMN IF NOT EXISTS "unfiled_reminded_at" timestamp with time zone;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "call_records_unfiled_idx" ON "call_records" USING btree ("ended_at")
  WHERE "ticket_id" IS NULL AND "agent_id" IS NOT NULL AND "unfiled_reminded_at" IS NULL;
