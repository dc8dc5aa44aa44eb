-- Proactive incident notices (issue 17): the notice job walks the customers of an incident's areas
-- in id order, one batch per transaction, and keeps its place on the incident (`notice_cursor`,
-- reset when the areas change; the primary key of incident_notices keeps a second pass harmless).
-- On resolution every notified customer is told the service is back once (`restored_at`, with the
-- outbox row of that message; null when the bulk resolution already told them on their ticket).
ALTER TABLE "incidents" ADD COLUMN "notice_cursor" uuid;
--> statement-breakpoint
ALTER TABLE "incident_notices" ADD COLUMN "restored_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "incident_notices" ADD COLUMN "restored_outbox_id" uuid;
--> statement-breakpoint
CREATE INDEX "incident_notices_unrestored_idx" ON "incident_notices" USING btree ("incident_id","customer_id") WHERE "restored_at" IS NULL;
--> statement-breakpoint
CREATE INDEX "customers_region_id_idx" ON "customers" USING btree ("region","id");
