-- Rate-limit counters shared by every app node: one row per limited thing (a username at an
-- address, a phone number, ...), counted atomically with INSERT ... ON CONFLICT DO UPDATE.
CREATE TABLE "rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"hits" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "rate_limits_window_start_idx" ON "rate_limits" USING btree ("window_start");
