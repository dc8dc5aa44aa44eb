-- The customer's tier on each ticket, kept with the customer's (set at creation, changed with the
-- customer's by updateCustomer), so the VIP view reads the open VIP tickets from their own partial
-- index. Without it, a view nobody can see a VIP ticket in (a frontline agent: VIP tickets sit in the
-- restricted VIP desk) walked every open ticket to learn each customer's tier: 2 s at 10,000,000
-- tickets (223,000 open). Adding a column with a constant default rewrites nothing; only tickets of
-- customers who are not 'regular' are updated.
ALTER TABLE "tickets" ADD COLUMN IF NOT EXISTS "customer_tier" "customer_tier" DEFAULT 'regular' NOT NULL;--> statement-breakpoint
UPDATE "tickets" t SET "customer_tier" = c."tier"
FROM "customers" c
WHERE c."id" = t."customer_id" AND c."tier" <> 'regular' AND t."customer_tier" <> c."tier";--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "tickets_open_vip_idx" ON "tickets" USING btree ("created_at","id") WHERE customer_tier = 'vip' AND status IN ('new', 'assigned', 'in_progress', 'pending_customer', 'pending_department');
