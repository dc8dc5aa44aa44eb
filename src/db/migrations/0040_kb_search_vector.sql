-- Knowledge search at 100,000 articles (issue 15): ranking and the per-word coverage read a stored
-- vector instead of parsing every matching article's text again on each search.
ALTER TABLE "kb_articles" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('simple', "title_search"), 'A') || setweight(to_tsvector('simple', "search_text"), 'B')
) STORED;--> statement-breakpoint
DROP INDEX IF EXISTS "kb_articles_search_idx";--> statement-breakpoint
CREATE INDEX "kb_articles_search_idx" ON "kb_articles" USING gin ("search_vector");
