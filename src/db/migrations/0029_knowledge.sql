-- Knowledge base and case library (issue 15). An article (or a case drafted from a resolved ticket)
-- is a row in kb_articles with its current content; every save is a numbered row in kb_versions
-- (kept for the history, the diff and restore). `status` is the workflow state of the working copy;
-- `published_version_id` is what agents and customers see while a newer draft is edited.
CREATE TABLE "kb_articles" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text DEFAULT 'article' NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"working_version_id" uuid,
	"published_version_id" uuid,
	"owner_id" uuid NOT NULL,
	"title" text NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"category" text DEFAULT '' NOT NULL,
	"tags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"audience" text DEFAULT 'internal' NOT NULL,
	"region" text,
	"effective_from" timestamp with time zone,
	"effective_until" timestamp with time zone,
	"symptom" text DEFAULT '' NOT NULL,
	"cause" text DEFAULT '' NOT NULL,
	"resolution" text DEFAULT '' NOT NULL,
	"source_ticket_id" uuid,
	"title_search" text DEFAULT '' NOT NULL,
	"search_text" text DEFAULT '' NOT NULL,
	"verified_at" timestamp with time zone DEFAULT now() NOT NULL,
	"stale_notified_at" timestamp with time zone,
	"unhelpful_notified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kb_articles_kind_check" CHECK ("kind" IN ('article', 'case')),
	CONSTRAINT "kb_articles_status_check" CHECK ("status" IN ('draft', 'in_review', 'approved', 'published', 'archived')),
	CONSTRAINT "kb_articles_audience_check" CHECK ("audience" IN ('internal', 'public'))
);
--> statement-breakpoint
ALTER TABLE "kb_articles" ADD CONSTRAINT "kb_articles_owner_id_staff_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_articles" ADD CONSTRAINT "kb_articles_source_ticket_id_tickets_id_fk" FOREIGN KEY ("source_ticket_id") REFERENCES "public"."tickets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "kb_articles_source_ticket_idx" ON "kb_articles" USING btree ("source_ticket_id");--> statement-breakpoint
CREATE INDEX "kb_articles_status_idx" ON "kb_articles" USING btree ("status", "updated_at");--> statement-breakpoint
CREATE INDEX "kb_articles_verified_idx" ON "kb_articles" USING btree ("verified_at") WHERE "published_version_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "kb_articles_search_idx" ON "kb_articles" USING gin ((setweight(to_tsvector('simple', "title_search"), 'A') || setweight(to_tsvector('simple', "search_text"), 'B')));--> statement-breakpoint
CREATE TABLE "kb_versions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"article_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"content" jsonb NOT NULL,
	"author_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"restored_from" integer,
	"reviewer_id" uuid,
	"approved_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"review_note" text,
	CONSTRAINT "kb_versions_article_number_unique" UNIQUE ("article_id", "number")
);
--> statement-breakpoint
ALTER TABLE "kb_versions" ADD CONSTRAINT "kb_versions_article_id_kb_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."kb_articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_versions" ADD CONSTRAINT "kb_versions_author_id_staff_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_versions" ADD CONSTRAINT "kb_versions_reviewer_id_staff_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE TABLE "kb_synonyms" (
	"id" uuid PRIMARY KEY NOT NULL,
	"terms" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kb_usages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"article_id" uuid NOT NULL,
	"version_id" uuid,
	"ticket_id" uuid NOT NULL,
	"staff_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "kb_usages" ADD CONSTRAINT "kb_usages_article_id_kb_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."kb_articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_usages" ADD CONSTRAINT "kb_usages_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_usages" ADD CONSTRAINT "kb_usages_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kb_usages_ticket_idx" ON "kb_usages" USING btree ("ticket_id", "at");--> statement-breakpoint
CREATE INDEX "kb_usages_article_idx" ON "kb_usages" USING btree ("article_id");--> statement-breakpoint
CREATE TABLE "kb_feedback" (
	"id" uuid PRIMARY KEY NOT NULL,
	"article_id" uuid NOT NULL,
	"helpful" boolean NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "kb_feedback" ADD CONSTRAINT "kb_feedback_article_id_kb_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."kb_articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kb_feedback_article_idx" ON "kb_feedback" USING btree ("article_id", "at");--> statement-breakpoint
CREATE TABLE "kb_deflections" (
	"id" uuid PRIMARY KEY NOT NULL,
	"article_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "kb_deflections" ADD CONSTRAINT "kb_deflections_article_id_kb_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."kb_articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kb_deflections_article_idx" ON "kb_deflections" USING btree ("article_id", "at");--> statement-breakpoint
INSERT INTO "kb_synonyms" ("id", "terms") VALUES
	('01960000-0000-7000-8000-000000000291', '["宽带", "网络"]'::jsonb),
	('01960000-0000-7000-8000-000000000292', '["流量", "数据"]'::jsonb),
	('01960000-0000-7000-8000-000000000293', '["携号转网", "转网"]'::jsonb);
