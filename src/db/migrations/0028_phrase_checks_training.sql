-- Automatic checks and training records (issue 14, second half).
-- Phrase lists as data: risk words for customer messages, required script phrases (greeting,
-- closing; per channel) and forbidden phrases for agents' replies, each with synonyms.
CREATE TABLE "phrase_entries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"list" text NOT NULL,
	"phrase" text NOT NULL,
	"synonyms" text[] DEFAULT '{}'::text[] NOT NULL,
	"slot" text,
	"channels" text[] DEFAULT '{}'::text[] NOT NULL,
	"raise_grade" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "phrase_entries_list_check" CHECK ("list" IN ('risk', 'forbidden', 'required')),
	CONSTRAINT "phrase_entries_slot_check" CHECK ((("list" = 'required') = ("slot" IS NOT NULL)) AND ("slot" IS NULL OR "slot" IN ('greeting', 'closing'))),
	CONSTRAINT "phrase_entries_grade_check" CHECK ("raise_grade" IS NULL OR "list" = 'risk')
);
--> statement-breakpoint
ALTER TABLE "phrase_entries" ADD CONSTRAINT "phrase_entries_raise_grade_grades_code_fk" FOREIGN KEY ("raise_grade") REFERENCES "public"."grades"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "phrase_entries_list_phrase_unique" ON "phrase_entries" USING btree ("list", "phrase");--> statement-breakpoint
-- One row per agent's public reply: the script check, the fact script compliance is counted from.
CREATE TABLE "reply_checks" (
	"message_id" uuid PRIMARY KEY NOT NULL,
	"ticket_id" uuid NOT NULL,
	"staff_id" uuid NOT NULL,
	"channel" "channel" NOT NULL,
	"compliant" boolean NOT NULL,
	"missing" text[] DEFAULT '{}'::text[] NOT NULL,
	"forbidden" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "reply_checks" ADD CONSTRAINT "reply_checks_message_id_ticket_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."ticket_messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reply_checks" ADD CONSTRAINT "reply_checks_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reply_checks" ADD CONSTRAINT "reply_checks_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reply_checks_staff_idx" ON "reply_checks" USING btree ("staff_id", "created_at");--> statement-breakpoint
CREATE INDEX "reply_checks_created_idx" ON "reply_checks" USING btree ("created_at");--> statement-breakpoint
-- Risk words found in a customer's message (or the ticket's description at creation: no message).
CREATE TABLE "risk_hits" (
	"id" uuid PRIMARY KEY NOT NULL,
	"ticket_id" uuid NOT NULL,
	"message_id" uuid,
	"channel" "channel" NOT NULL,
	"words" text[] NOT NULL,
	"grade_from" text NOT NULL,
	"grade_to" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "risk_hits" ADD CONSTRAINT "risk_hits_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_hits" ADD CONSTRAINT "risk_hits_message_id_ticket_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."ticket_messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "risk_hits_created_idx" ON "risk_hits" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "risk_hits_ticket_idx" ON "risk_hits" USING btree ("ticket_id");--> statement-breakpoint
-- Training: courses, sessions, attendance with exam scores; passing a course's exam grants its
-- certification (agent_certifications, which routing reads) with an issue and an expiry date.
CREATE TABLE "training_courses" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"certification_code" text,
	"pass_score" integer DEFAULT 80 NOT NULL,
	"validity_months" integer DEFAULT 12 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "training_courses_code_unique" UNIQUE ("code"),
	CONSTRAINT "training_courses_pass_score_check" CHECK ("pass_score" BETWEEN 0 AND 100),
	CONSTRAINT "training_courses_validity_check" CHECK ("validity_months" BETWEEN 1 AND 120)
);
--> statement-breakpoint
CREATE TABLE "training_sessions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"course_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"location" text DEFAULT '' NOT NULL,
	"trainer" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "training_sessions" ADD CONSTRAINT "training_sessions_course_id_training_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."training_courses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "training_sessions_course_idx" ON "training_sessions" USING btree ("course_id", "starts_at");--> statement-breakpoint
CREATE TABLE "training_records" (
	"session_id" uuid NOT NULL,
	"staff_id" uuid NOT NULL,
	"attended" boolean NOT NULL,
	"exam_score" integer,
	"passed" boolean,
	"recorded_by_id" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "training_records_session_id_staff_id_pk" PRIMARY KEY ("session_id", "staff_id"),
	CONSTRAINT "training_records_score_check" CHECK ("exam_score" IS NULL OR "exam_score" BETWEEN 0 AND 100)
);
--> statement-breakpoint
ALTER TABLE "training_records" ADD CONSTRAINT "training_records_session_id_training_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."training_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_records" ADD CONSTRAINT "training_records_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_records" ADD CONSTRAINT "training_records_recorded_by_id_staff_id_fk" FOREIGN KEY ("recorded_by_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "training_records_staff_idx" ON "training_records" USING btree ("staff_id");--> statement-breakpoint
ALTER TABLE "agent_certifications" ADD COLUMN "issued_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "agent_certifications" ADD COLUMN "session_id" uuid;--> statement-breakpoint
ALTER TABLE "agent_certifications" ADD COLUMN "reminded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "agent_certifications" ADD CONSTRAINT "agent_certifications_session_id_training_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."training_sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agent_certifications_expiry_idx" ON "agent_certifications" USING btree ("expires_at") WHERE "expires_at" IS NOT NULL AND "reminded_at" IS NULL;--> statement-breakpoint
ALTER TABLE "staff" ADD COLUMN "training_tier" text DEFAULT 'new' NOT NULL;--> statement-breakpoint
ALTER TABLE "staff" ADD CONSTRAINT "staff_training_tier_check" CHECK ("training_tier" IN ('new', 'growing', 'expert'));
