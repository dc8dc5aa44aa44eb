-- Survey roll-up (issue 16): the dashboard's CSAT, NPS and response rate read surveys sent, answered
-- and per score by local day and by the dimensions it filters on, instead of counting a period's
-- raw surveys (half a million a year at 5 M tickets). The facts job keeps it (core/kpi/survey-facts.ts):
-- it recounts each survey marked `facts_pending` (set where a survey is sent, answered or scored) and
-- each survey of a ticket it recomputes, keeps how it counted it (kpi_survey_facts) and adds the
-- difference to both tables in the same transaction as the ticket roll-up.
ALTER TABLE "surveys" ADD COLUMN "facts_pending" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "surveys_facts_pending_idx" ON "surveys" USING btree ("id") WHERE "facts_pending";--> statement-breakpoint
CREATE TABLE "kpi_survey_facts" (
	"survey_id" uuid PRIMARY KEY NOT NULL,
	"team_id" text DEFAULT '' NOT NULL,
	"agent_id" text DEFAULT '' NOT NULL,
	"type" text NOT NULL,
	"category_id" text DEFAULT '' NOT NULL,
	"channel" text NOT NULL,
	"region" text DEFAULT '' NOT NULL,
	"sent_day" date,
	"answered_day" date,
	"csat" integer,
	"nps" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kpi_survey_facts_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE cascade
);--> statement-breakpoint
CREATE TABLE "kpi_daily_surveys" (
	"day" date NOT NULL,
	"team_id" text DEFAULT '' NOT NULL,
	"agent_id" text DEFAULT '' NOT NULL,
	"type" text NOT NULL,
	"category_id" text DEFAULT '' NOT NULL,
	"channel" text NOT NULL,
	"region" text DEFAULT '' NOT NULL,
	"sent" bigint DEFAULT 0 NOT NULL,
	"answered" bigint DEFAULT 0 NOT NULL,
	"csat_1" bigint DEFAULT 0 NOT NULL,
	"csat_2" bigint DEFAULT 0 NOT NULL,
	"csat_3" bigint DEFAULT 0 NOT NULL,
	"csat_4" bigint DEFAULT 0 NOT NULL,
	"csat_5" bigint DEFAULT 0 NOT NULL,
	"nps_0" bigint DEFAULT 0 NOT NULL,
	"nps_1" bigint DEFAULT 0 NOT NULL,
	"nps_2" bigint DEFAULT 0 NOT NULL,
	"nps_3" bigint DEFAULT 0 NOT NULL,
	"nps_4" bigint DEFAULT 0 NOT NULL,
	"nps_5" bigint DEFAULT 0 NOT NULL,
	"nps_6" bigint DEFAULT 0 NOT NULL,
	"nps_7" bigint DEFAULT 0 NOT NULL,
	"nps_8" bigint DEFAULT 0 NOT NULL,
	"nps_9" bigint DEFAULT 0 NOT NULL,
	"nps_10" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "kpi_daily_surveys_pk" PRIMARY KEY("day","team_id","agent_id","type","category_id","channel","region")
);--> statement-breakpoint
CREATE INDEX "kpi_daily_surveys_team_idx" ON "kpi_daily_surveys" USING btree ("team_id","day");--> statement-breakpoint
CREATE TABLE "kpi_daily_survey_marginals" (
	"dim" text NOT NULL,
	"key" text NOT NULL,
	"day" date NOT NULL,
	"sent" bigint DEFAULT 0 NOT NULL,
	"answered" bigint DEFAULT 0 NOT NULL,
	"csat_1" bigint DEFAULT 0 NOT NULL,
	"csat_2" bigint DEFAULT 0 NOT NULL,
	"csat_3" bigint DEFAULT 0 NOT NULL,
	"csat_4" bigint DEFAULT 0 NOT NULL,
	"csat_5" bigint DEFAULT 0 NOT NULL,
	"nps_0" bigint DEFAULT 0 NOT NULL,
	"nps_1" bigint DEFAULT 0 NOT NULL,
	"nps_2" bigint DEFAULT 0 NOT NULL,
	"nps_3" bigint DEFAULT 0 NOT NULL,
	"nps_4" bigint DEFAULT 0 NOT NULL,
	"nps_5" bigint DEFAULT 0 NOT NULL,
	"nps_6" bigint DEFAULT 0 NOT NULL,
	"nps_7" bigint DEFAULT 0 NOT NULL,
	"nps_8" bigint DEFAULT 0 NOT NULL,
	"nps_9" bigint DEFAULT 0 NOT NULL,
	"nps_10" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "kpi_daily_survey_marginals_pk" PRIMARY KEY("dim","key","day")
);--> statement-breakpoint
-- Filled from the surveys already sent or answered, by their local day in Asia/Shanghai (the
-- default LOOPDESK_TIME_ZONE; a migration does not see the configuration). A desk configured with
-- another zone recounts them once with `UPDATE surveys SET facts_pending = true WHERE sent_at IS NOT
-- NULL OR answered_at IS NOT NULL`: the job subtracts each as counted here and adds it on its own days.
INSERT INTO "kpi_survey_facts" ("survey_id", "team_id", "agent_id", "type", "category_id", "channel", "region", "sent_day", "answered_day", "csat", "nps")
SELECT s.id, coalesce(s.team_id::text, ''), coalesce(s.agent_id::text, ''), t.type::text, coalesce(t.category_id::text, ''),
       t.channel::text, coalesce(c.region, ''), (s.sent_at AT TIME ZONE 'Asia/Shanghai')::date,
       (s.answered_at AT TIME ZONE 'Asia/Shanghai')::date,
       CASE WHEN s.csat BETWEEN 1 AND 5 THEN s.csat END, CASE WHEN s.nps BETWEEN 0 AND 10 THEN s.nps END
FROM "surveys" s
JOIN "tickets" t ON t.id = s.ticket_id
JOIN "customers" c ON c.id = s.customer_id
WHERE s.sent_at IS NOT NULL OR s.answered_at IS NOT NULL;--> statement-breakpoint
INSERT INTO "kpi_daily_surveys"
SELECT day, team_id, agent_id, type, category_id, channel, region, sum(sent), sum(answered), sum(csat_1), sum(csat_2), sum(csat_3), sum(csat_4), sum(csat_5), sum(nps_0), sum(nps_1), sum(nps_2), sum(nps_3), sum(nps_4), sum(nps_5), sum(nps_6), sum(nps_7), sum(nps_8), sum(nps_9), sum(nps_10)
FROM (
  SELECT sent_day AS day, team_id, agent_id, type, category_id, channel, region, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
  FROM "kpi_survey_facts" WHERE sent_day IS NOT NULL
  UNION ALL
  SELECT answered_day, team_id, agent_id, type, category_id, channel, region, 0, (sent_day IS NOT NULL)::int, (csat IS NOT DISTINCT FROM 1)::int, (csat IS NOT DISTINCT FROM 2)::int, (csat IS NOT DISTINCT FROM 3)::int, (csat IS NOT DISTINCT FROM 4)::int, (csat IS NOT DISTINCT FROM 5)::int, (nps IS NOT DISTINCT FROM 0)::int, (nps IS NOT DISTINCT FROM 1)::int, (nps IS NOT DISTINCT FROM 2)::int, (nps IS NOT DISTINCT FROM 3)::int, (nps IS NOT DISTINCT FROM 4)::int, (nps IS NOT DISTINCT FROM 5)::int, (nps IS NOT DISTINCT FROM 6)::int, (nps IS NOT DISTINCT FROM 7)::int, (nps IS NOT DISTINCT FROM 8)::int, (nps IS NOT DISTINCT FROM 9)::int, (nps IS NOT DISTINCT FROM 10)::int
  FROM "kpi_survey_facts" WHERE answered_day IS NOT NULL
) AS cells ("day", "team_id", "agent_id", "type", "category_id", "channel", "region", "sent", "answered", "csat_1", "csat_2", "csat_3", "csat_4", "csat_5", "nps_0", "nps_1", "nps_2", "nps_3", "nps_4", "nps_5", "nps_6", "nps_7", "nps_8", "nps_9", "nps_10")
GROUP BY day, team_id, agent_id, type, category_id, channel, region
HAVING sum(sent) <> 0 OR sum(answered) <> 0 OR sum(csat_1) <> 0 OR sum(csat_2) <> 0 OR sum(csat_3) <> 0 OR sum(csat_4) <> 0 OR sum(csat_5) <> 0 OR sum(nps_0) <> 0 OR sum(nps_1) <> 0 OR sum(nps_2) <> 0 OR sum(nps_3) <> 0 OR sum(nps_4) <> 0 OR sum(nps_5) <> 0 OR sum(nps_6) <> 0 OR sum(nps_7) <> 0 OR sum(nps_8) <> 0 OR sum(nps_9) <> 0 OR sum(nps_10) <> 0;--> statement-breakpoint
INSERT INTO "kpi_daily_survey_marginals"
SELECT d.dim, d.key, f.day, sum(sent), sum(answered), sum(csat_1), sum(csat_2), sum(csat_3), sum(csat_4), sum(csat_5), sum(nps_0), sum(nps_1), sum(nps_2), sum(nps_3), sum(nps_4), sum(nps_5), sum(nps_6), sum(nps_7), sum(nps_8), sum(nps_9), sum(nps_10)
FROM "kpi_daily_surveys" f
CROSS JOIN LATERAL (VALUES ('', ''), ('team', f.team_id), ('agent', f.agent_id), ('type', f.type),
                           ('category', f.category_id), ('channel', f.channel), ('region', f.region)) AS d(dim, key)
GROUP BY d.dim, d.key, f.day;
