-- Resolved tickets waiting for the customer's answer, oldest first: what the auto-close job reads.
CREATE INDEX IF NOT EXISTS "tickets_resolved_waiting_idx" ON "tickets" USING btree ("resolved_at") WHERE "status" = 'resolved';
