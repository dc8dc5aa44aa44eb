-- Satisfaction surveys (closed loop, domain §5): one per ticket, created when the ticket is resolved,
-- sent after a delay by the survey-dispatch job, answered by an SMS digit or through a one-time link.
-- The agent and team are those of the resolution, kept here so a later reassignment does not move
-- the score. The customer's comment stays in this row (erasable), never on the timeline.
CREATE TABLE "surveys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"ticket_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"skip_reason" text,
	"channel" text,
	"recipient" text,
	"agent_id" uuid,
	"team_id" uuid,
	"send_after" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	"answered_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"token_hash" text,
	"csat" integer,
	"nps" integer,
	"speed" integer,
	"quality" integer,
	"attitude" integer,
	"convenience" integer,
	"comment" text,
	"answered_via" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "surveys_ticket_unique" UNIQUE ("ticket_id"),
	CONSTRAINT "surveys_status_check" CHECK ("status" IN ('scheduled', 'sent', 'answered', 'expired', 'skipped')),
	CONSTRAINT "surveys_csat_check" CHECK ("csat" BETWEEN 1 AND 5),
	CONSTRAINT "surveys_nps_check" CHECK ("nps" BETWEEN 0 AND 10),
	CONSTRAINT "surveys_dimensions_check" CHECK (
		("speed" BETWEEN 1 AND 5) IS NOT FALSE AND ("quality" BETWEEN 1 AND 5) IS NOT FALSE
		AND ("attitude" BETWEEN 1 AND 5) IS NOT FALSE AND ("convenience" BETWEEN 1 AND 5) IS NOT FALSE
	)
);
--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_agent_id_staff_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- What the dispatch job reads: scheduled surveys, oldest due first.
CREATE INDEX "surveys_due_idx" ON "surveys" USING btree ("send_after") WHERE "status" = 'scheduled';--> statement-breakpoint
-- The frequency cap: a customer's recent surveys.
CREATE INDEX "surveys_customer_idx" ON "surveys" USING btree ("customer_id","created_at");--> statement-breakpoint
-- An SMS digit answers the newest pending survey of the number.
CREATE INDEX "surveys_pending_recipient_idx" ON "surveys" USING btree ("recipient","sent_at") WHERE "status" = 'sent';--> statement-breakpoint
CREATE UNIQUE INDEX "surveys_token_hash_idx" ON "surveys" USING btree ("token_hash");--> statement-breakpoint
-- Numbers that answered "TD" / "退订": no more surveys to them.
CREATE TABLE "survey_opt_outs" (
	"msisdn" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
