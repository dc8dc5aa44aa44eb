-- Problems raised in satisfaction surveys (issue 13): a low rating that comes with a comment, or a
-- low service dimension, becomes one tracked item per survey, first handled within 24 hours and
-- resolved within 48 (handbook figures), its clocks kept as SLA node targets on the ticket.
CREATE TABLE "survey_problems" (
	"id" uuid PRIMARY KEY NOT NULL,
	"survey_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"topics" jsonb NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"handler_id" uuid,
	"handling_note" text,
	"resolution" text,
	"respond_due_at" timestamp with time zone,
	"resolve_due_at" timestamp with time zone,
	"first_handled_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "survey_problems_survey_unique" UNIQUE ("survey_id"),
	CONSTRAINT "survey_problems_status_check" CHECK ("status" IN ('open', 'handling', 'closed'))
);
--> statement-breakpoint
ALTER TABLE "survey_problems" ADD CONSTRAINT "survey_problems_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_problems" ADD CONSTRAINT "survey_problems_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_problems" ADD CONSTRAINT "survey_problems_handler_id_staff_id_fk" FOREIGN KEY ("handler_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "survey_problems_status_idx" ON "survey_problems" USING btree ("status", "created_at");
