-- Quality facts in the KPI roll-up (issue 16): per local day × team × agent × type × category ×
-- channel × region, the counted QA reviews (score sum in tenths, disputed, process item scored and
-- at full marks) and the script checks of public replies. Written only by the kpi-facts job, which
-- recomputes each day that had a review, a dispute, a decision or a checked reply since its last
-- run (cursor 'quality': updated_at is the watermark).
CREATE TABLE "kpi_daily_quality" (
	"day" date NOT NULL,
	"team_id" text DEFAULT '' NOT NULL,
	"agent_id" text DEFAULT '' NOT NULL,
	"type" text NOT NULL,
	"category_id" text DEFAULT '' NOT NULL,
	"channel" text NOT NULL,
	"region" text DEFAULT '' NOT NULL,
	"reviews" bigint DEFAULT 0 NOT NULL,
	"score_tenths" bigint DEFAULT 0 NOT NULL,
	"disputed" bigint DEFAULT 0 NOT NULL,
	"process_scored" bigint DEFAULT 0 NOT NULL,
	"process_ok" bigint DEFAULT 0 NOT NULL,
	"replies" bigint DEFAULT 0 NOT NULL,
	"compliant_replies" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "kpi_daily_quality_pk" PRIMARY KEY ("day", "team_id", "agent_id", "type", "category_id", "channel", "region")
);
--> statement-breakpoint
CREATE INDEX "kpi_daily_quality_agent_idx" ON "kpi_daily_quality" USING btree ("agent_id", "day");--> statement-breakpoint
CREATE INDEX "kpi_daily_quality_team_idx" ON "kpi_daily_quality" USING btree ("team_id", "day");--> statement-breakpoint
-- Finding the days that changed since the watermark without scanning every review.
CREATE INDEX "qa_reviews_submitted_idx" ON "qa_reviews" USING btree ("submitted_at");--> statement-breakpoint
CREATE INDEX "qa_reviews_responded_idx" ON "qa_reviews" USING btree ("responded_at") WHERE "responded_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "qa_reviews_decided_idx" ON "qa_reviews" USING btree ("decided_at") WHERE "decided_at" IS NOT NULL;--> statement-breakpoint
INSERT INTO "kpi_cursors" ("name", "last_event_id", "updated_at") VALUES ('quality', 0, '1970-01-01T00:00:00Z');
--> statement-breakpoint
-- Every download of a KPI export (who, when): exports hold ticket lists, so each one is logged.
CREATE TABLE "kpi_export_downloads" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY NOT NULL,
	"export_id" uuid NOT NULL,
	"staff_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "kpi_export_downloads" ADD CONSTRAINT "kpi_export_downloads_export_id_kpi_exports_id_fk" FOREIGN KEY ("export_id") REFERENCES "public"."kpi_exports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_export_downloads" ADD CONSTRAINT "kpi_export_downloads_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kpi_export_downloads_export_idx" ON "kpi_export_downloads" USING btree ("export_id", "created_at");
