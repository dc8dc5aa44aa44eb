-- KPI at scale (issue 16): an export's file is removed after LOOPDESK_KPI_EXPORT_KEEP_DAYS by the
-- kpi-export-cleanup job; the row stays as `expired` (its download answers 410 `export.expired`).
ALTER TABLE "kpi_exports" DROP CONSTRAINT "kpi_exports_status_check";--> statement-breakpoint
ALTER TABLE "kpi_exports" ADD CONSTRAINT "kpi_exports_status_check" CHECK ("status" IN ('queued', 'running', 'done', 'failed', 'expired'));--> statement-breakpoint
CREATE INDEX "kpi_exports_files_idx" ON "kpi_exports" USING btree ("finished_at") WHERE "storage_key" IS NOT NULL AND "status" IN ('done', 'expired');
--> statement-breakpoint
-- The roll-up summed by one dimension at a time: what the dashboard without filters reads (a few
-- hundred rows a day instead of about one per ticket). Filled once from the roll-up; from then on
-- the facts job adds the same differences to both.
CREATE TABLE "kpi_daily_marginals" (
	"dim" text NOT NULL,
	"metric" text DEFAULT '' NOT NULL,
	"day" date NOT NULL,
	"key" text NOT NULL,
	"contacts" bigint DEFAULT 0 NOT NULL,
	"repeats" bigint DEFAULT 0 NOT NULL,
	"complaints" bigint DEFAULT 0 NOT NULL,
	"appeals" bigint DEFAULT 0 NOT NULL,
	"resolved" bigint DEFAULT 0 NOT NULL,
	"fcr" bigint DEFAULT 0 NOT NULL,
	"reopened" bigint DEFAULT 0 NOT NULL,
	"transferred" bigint DEFAULT 0 NOT NULL,
	"handling_ms" bigint DEFAULT 0 NOT NULL,
	"handling_business_ms" bigint DEFAULT 0 NOT NULL,
	"handling_business_n" bigint DEFAULT 0 NOT NULL,
	"within_target" bigint DEFAULT 0 NOT NULL,
	"first_responses" bigint DEFAULT 0 NOT NULL,
	"first_response_ms" bigint DEFAULT 0 NOT NULL,
	"with_limits" bigint DEFAULT 0 NOT NULL,
	"breached" bigint DEFAULT 0 NOT NULL,
	"sla_met" bigint DEFAULT 0 NOT NULL,
	"sla_breached" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "kpi_daily_marginals_pk" PRIMARY KEY("dim","metric","day","key")
);--> statement-breakpoint
INSERT INTO "kpi_daily_marginals"
SELECT d.dim, f.metric, f.day, d.key, sum(contacts), sum(repeats), sum(complaints), sum(appeals), sum(resolved), sum(fcr),
       sum(reopened), sum(transferred), sum(handling_ms), sum(handling_business_ms), sum(handling_business_n),
       sum(within_target), sum(first_responses), sum(first_response_ms), sum(with_limits), sum(breached), sum(sla_met),
       sum(sla_breached)
FROM "kpi_daily_facts" f
CROSS JOIN LATERAL (VALUES ('', ''), ('team', f.team_id), ('agent', f.agent_id), ('type', f.type),
                           ('category', f.category_id), ('channel', f.channel), ('region', f.region)) AS d(dim, key)
GROUP BY d.dim, f.metric, f.day, d.key;
--> statement-breakpoint
-- The dashboard counts a period's surveys sent and answered and the callbacks opened in it.
CREATE INDEX "surveys_sent_idx" ON "surveys" USING btree ("sent_at");--> statement-breakpoint
CREATE INDEX "surveys_answered_idx" ON "surveys" USING btree ("answered_at");--> statement-breakpoint
CREATE INDEX "callbacks_created_idx" ON "callbacks" USING btree ("created_at");
