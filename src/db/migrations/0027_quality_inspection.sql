-- Quality inspection (issue 14): versioned scorecards (a published version is immutable, enforced
-- here), the daily sampling run (one per day) and its samples (one per ticket, so two nodes
-- sample a ticket once), reviews that keep their scorecard version, disputes on the review row,
-- calibration sessions, coaching tasks, and one reporting fact per counted review for the KPIs.
CREATE TABLE "qa_scorecards" (
	"id" uuid PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"name" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"definition" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	CONSTRAINT "qa_scorecards_version_unique" UNIQUE ("version"),
	CONSTRAINT "qa_scorecards_status_check" CHECK ("status" IN ('draft', 'published')),
	CONSTRAINT "qa_scorecards_published_check" CHECK (("status" = 'published') = ("published_at" IS NOT NULL))
);
--> statement-breakpoint
ALTER TABLE "qa_scorecards" ADD CONSTRAINT "qa_scorecards_created_by_staff_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "qa_scorecards_one_draft" ON "qa_scorecards" USING btree ("status") WHERE "status" = 'draft';--> statement-breakpoint
CREATE OR REPLACE FUNCTION qa_scorecard_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'published' THEN
    RAISE EXCEPTION 'published scorecard version % is immutable', OLD.version USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER qa_scorecards_immutable BEFORE UPDATE OR DELETE ON qa_scorecards
  FOR EACH ROW EXECUTE FUNCTION qa_scorecard_immutable();
--> statement-breakpoint
CREATE TABLE "qa_sampling_runs" (
	"day" date PRIMARY KEY NOT NULL,
	"counts" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "qa_samples" (
	"id" uuid PRIMARY KEY NOT NULL,
	"ticket_id" uuid NOT NULL,
	"run_day" date NOT NULL,
	"agent_id" uuid NOT NULL,
	"team_id" uuid,
	"channel" text NOT NULL,
	"stratum" text NOT NULL,
	"inspector_id" uuid,
	"status" text DEFAULT 'open' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "qa_samples_ticket_unique" UNIQUE ("ticket_id"),
	CONSTRAINT "qa_samples_status_check" CHECK ("status" IN ('open', 'reviewed')),
	CONSTRAINT "qa_samples_stratum_check" CHECK ("stratum" IN ('regulator', 'low_rating', 'high_risk', 'rate', 'minimum'))
);
--> statement-breakpoint
ALTER TABLE "qa_samples" ADD CONSTRAINT "qa_samples_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_samples" ADD CONSTRAINT "qa_samples_agent_id_staff_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_samples" ADD CONSTRAINT "qa_samples_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_samples" ADD CONSTRAINT "qa_samples_inspector_id_staff_id_fk" FOREIGN KEY ("inspector_id") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "qa_samples_inspector_idx" ON "qa_samples" USING btree ("inspector_id","status","id");--> statement-breakpoint
CREATE INDEX "qa_samples_agent_month_idx" ON "qa_samples" USING btree ("agent_id","run_day");--> statement-breakpoint
CREATE TABLE "qa_calibrations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"ticket_id" uuid NOT NULL,
	"scorecard_id" uuid NOT NULL,
	"title" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "qa_calibrations_status_check" CHECK ("status" IN ('open', 'closed'))
);
--> statement-breakpoint
ALTER TABLE "qa_calibrations" ADD CONSTRAINT "qa_calibrations_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_calibrations" ADD CONSTRAINT "qa_calibrations_scorecard_id_qa_scorecards_id_fk" FOREIGN KEY ("scorecard_id") REFERENCES "public"."qa_scorecards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_calibrations" ADD CONSTRAINT "qa_calibrations_created_by_staff_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE TABLE "qa_reviews" (
	"id" uuid PRIMARY KEY NOT NULL,
	"ticket_id" uuid NOT NULL,
	"sample_id" uuid,
	"calibration_id" uuid,
	"agent_id" uuid NOT NULL,
	"team_id" uuid,
	"inspector_id" uuid NOT NULL,
	"scorecard_id" uuid NOT NULL,
	"items" jsonb NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"weighted" double precision NOT NULL,
	"bonus" double precision NOT NULL,
	"score" double precision NOT NULL,
	"critical_failed" boolean NOT NULL,
	"passed" boolean NOT NULL,
	"final_score" double precision NOT NULL,
	"status" text DEFAULT 'submitted' NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"respond_by" timestamp with time zone,
	"responded_at" timestamp with time zone,
	"lapsed" boolean DEFAULT false NOT NULL,
	"dispute_comment" text,
	"decide_by" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"decided_by" uuid,
	"decision" text,
	"decision_comment" text,
	CONSTRAINT "qa_reviews_sample_unique" UNIQUE ("sample_id"),
	CONSTRAINT "qa_reviews_calibration_inspector_unique" UNIQUE ("calibration_id","inspector_id"),
	CONSTRAINT "qa_reviews_kind_check" CHECK ("sample_id" IS NULL OR "calibration_id" IS NULL),
	CONSTRAINT "qa_reviews_status_check" CHECK ("status" IN ('submitted', 'acknowledged', 'disputed', 'decided')),
	CONSTRAINT "qa_reviews_decision_check" CHECK ("decision" IS NULL OR "decision" IN ('accept', 'partly', 'reject'))
);
--> statement-breakpoint
ALTER TABLE "qa_reviews" ADD CONSTRAINT "qa_reviews_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_reviews" ADD CONSTRAINT "qa_reviews_sample_id_qa_samples_id_fk" FOREIGN KEY ("sample_id") REFERENCES "public"."qa_samples"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_reviews" ADD CONSTRAINT "qa_reviews_calibration_id_qa_calibrations_id_fk" FOREIGN KEY ("calibration_id") REFERENCES "public"."qa_calibrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_reviews" ADD CONSTRAINT "qa_reviews_agent_id_staff_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_reviews" ADD CONSTRAINT "qa_reviews_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_reviews" ADD CONSTRAINT "qa_reviews_inspector_id_staff_id_fk" FOREIGN KEY ("inspector_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_reviews" ADD CONSTRAINT "qa_reviews_scorecard_id_qa_scorecards_id_fk" FOREIGN KEY ("scorecard_id") REFERENCES "public"."qa_scorecards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_reviews" ADD CONSTRAINT "qa_reviews_decided_by_staff_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "qa_reviews_agent_idx" ON "qa_reviews" USING btree ("agent_id","submitted_at");--> statement-breakpoint
CREATE INDEX "qa_reviews_open_response_idx" ON "qa_reviews" USING btree ("respond_by") WHERE "status" = 'submitted' AND "calibration_id" IS NULL;--> statement-breakpoint
CREATE INDEX "qa_reviews_disputed_idx" ON "qa_reviews" USING btree ("decide_by") WHERE "status" = 'disputed';--> statement-breakpoint
CREATE TABLE "qa_coaching" (
	"id" uuid PRIMARY KEY NOT NULL,
	"review_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"team_id" uuid,
	"coach_id" uuid,
	"status" text DEFAULT 'open' NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"note" text,
	"coached_by" uuid,
	"coached_at" timestamp with time zone,
	"acknowledged_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "qa_coaching_review_unique" UNIQUE ("review_id"),
	CONSTRAINT "qa_coaching_status_check" CHECK ("status" IN ('open', 'coached', 'done'))
);
--> statement-breakpoint
ALTER TABLE "qa_coaching" ADD CONSTRAINT "qa_coaching_review_id_qa_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."qa_reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_coaching" ADD CONSTRAINT "qa_coaching_agent_id_staff_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_coaching" ADD CONSTRAINT "qa_coaching_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_coaching" ADD CONSTRAINT "qa_coaching_coach_id_staff_id_fk" FOREIGN KEY ("coach_id") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_coaching" ADD CONSTRAINT "qa_coaching_coached_by_staff_id_fk" FOREIGN KEY ("coached_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "qa_coaching_open_idx" ON "qa_coaching" USING btree ("due_at") WHERE "status" <> 'done';--> statement-breakpoint
CREATE TABLE "qa_review_facts" (
	"review_id" uuid PRIMARY KEY NOT NULL,
	"agent_id" uuid NOT NULL,
	"team_id" uuid,
	"scorecard_version" integer NOT NULL,
	"score" double precision NOT NULL,
	"final_score" double precision NOT NULL,
	"passed" boolean NOT NULL,
	"critical_failed" boolean NOT NULL,
	"disputed" boolean DEFAULT false NOT NULL,
	"dispute_outcome" text,
	"reviewed_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "qa_review_facts" ADD CONSTRAINT "qa_review_facts_review_id_qa_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."qa_reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "qa_review_facts_agent_idx" ON "qa_review_facts" USING btree ("agent_id","reviewed_at");--> statement-breakpoint
CREATE INDEX "qa_review_facts_team_idx" ON "qa_review_facts" USING btree ("team_id","reviewed_at");
