ALTER TABLE "tickets" ADD COLUMN "priority_floor" integer;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_priority_floor_check" CHECK ("priority_floor" BETWEEN 1 AND 4);--> statement-breakpoint
-- Tickets a routing rule or an SLA escalation already raised keep that priority as their floor.
UPDATE "tickets" t SET "priority_floor" = t."priority"
WHERE EXISTS (
  SELECT 1 FROM "ticket_events" e
  WHERE e."ticket_id" = t."id"
    AND ((e."kind" = 'sla_escalated' AND e."data"->'actions' ? 'raise_priority')
      OR (e."kind" = 'routed' AND jsonb_path_exists(e."data", '$.matched[*].effects[*] ? (@.kind == "priority")')))
);
