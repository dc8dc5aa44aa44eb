ALTER TABLE "quarantined_mail" ADD COLUMN "content_hash" text;--> statement-breakpoint
CREATE UNIQUE INDEX "quarantined_mail_content_idx" ON "quarantined_mail" USING btree ("content_hash");