-- A dedicated account manager for a high-value customer (VIP, gold): routing offers the customer's
-- waiting tickets to them first while they are online and below capacity.
ALTER TABLE "customers" ADD COLUMN IF NOT EXISTS "account_manager_id" uuid REFERENCES "staff"("id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "customers_account_manager_idx" ON "customers" USING btree ("account_manager_id") WHERE "account_manager_id" IS NOT NULL;
