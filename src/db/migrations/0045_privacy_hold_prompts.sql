-- A held deletion comes back to the people who handled it when its hold ends (issue 18): the job
-- marks the request when it has told them, so several nodes tell them once. A new preview or
-- approval sets a new hold and clears the mark.
ALTER TABLE "privacy_requests" ADD COLUMN "hold_prompted_at" timestamp with time zone;
--> statement-breakpoint
CREATE INDEX "privacy_requests_hold_ended_idx" ON "privacy_requests" ("hold_until")
	WHERE "status" = 'on_hold' AND "hold_prompted_at" IS NULL;
