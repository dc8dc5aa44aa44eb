-- Complaints referred by the telecom regulator (issue 18): the source bodies (as data), one referral
-- case per (source, referral number) with its ticket on the regulator channel, its statutory clocks
-- (SLA node targets `regulator_contact:<id>` and `regulator_report:<id>`), the reply to the
-- regulator, and the evidence packs generated for it (ZIP files kept in the attachment storage).
CREATE TABLE "regulator_sources" (
	"code" text PRIMARY KEY NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
INSERT INTO "regulator_sources" ("code", "name_zh", "name_en", "position") VALUES
	('miit', '工信部电信用户申诉受理中心', 'MIIT telecom user appeal centre', 10),
	('ca-12300', '通信管理局申诉受理中心（12300）', 'Communications administration appeal centre (12300)', 20),
	('consumer-association', '消费者协会', 'Consumers'' association', 30),
	('samr-12315', '市场监管 12315', 'Market regulation hotline 12315', 40),
	('petition', '信访', 'Letters and visits (petition)', 50),
	('other', '其他', 'Other', 90)
ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE TABLE "regulator_referrals" (
	"id" uuid PRIMARY KEY NOT NULL,
	"source_code" text NOT NULL,
	"referral_number" text NOT NULL,
	"received_on" date NOT NULL,
	"appealed_on" date NOT NULL,
	"deadline" date NOT NULL,
	"matter_on" date,
	"customer_id" uuid NOT NULL,
	"respondent_unit" text NOT NULL,
	"category" text NOT NULL,
	"claim" text NOT NULL,
	"facts" text NOT NULL,
	"ticket_id" uuid NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"first_contact_at" timestamp with time zone,
	"report_due_at" timestamp with time zone NOT NULL,
	"reply_text" text,
	"replied_on" date,
	"reply_recorded_at" timestamp with time zone,
	"reply_recorded_by_id" uuid,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "regulator_referrals_number_unique" UNIQUE ("source_code", "referral_number"),
	CONSTRAINT "regulator_referrals_ticket_unique" UNIQUE ("ticket_id"),
	CONSTRAINT "regulator_referrals_category_check" CHECK ("category" IN ('user_service', 'fee_dispute', 'network_quality')),
	CONSTRAINT "regulator_referrals_status_check" CHECK ("status" IN ('open', 'replied'))
);
--> statement-breakpoint
ALTER TABLE "regulator_referrals" ADD CONSTRAINT "regulator_referrals_source_code_regulator_sources_code_fk" FOREIGN KEY ("source_code") REFERENCES "public"."regulator_sources"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "regulator_referrals" ADD CONSTRAINT "regulator_referrals_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "regulator_referrals" ADD CONSTRAINT "regulator_referrals_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "regulator_referrals" ADD CONSTRAINT "regulator_referrals_reply_recorded_by_id_staff_id_fk" FOREIGN KEY ("reply_recorded_by_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "regulator_referrals" ADD CONSTRAINT "regulator_referrals_created_by_id_staff_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "regulator_referrals_received_idx" ON "regulator_referrals" USING btree ("received_on", "category");--> statement-breakpoint
CREATE INDEX "regulator_referrals_created_idx" ON "regulator_referrals" USING btree ("created_at", "id");--> statement-breakpoint
CREATE TABLE "regulator_evidence_packs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"referral_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"masked" boolean NOT NULL,
	"manifest" jsonb NOT NULL,
	"generated_by_id" uuid NOT NULL,
	"generated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "regulator_evidence_packs" ADD CONSTRAINT "regulator_evidence_packs_referral_id_regulator_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."regulator_referrals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "regulator_evidence_packs" ADD CONSTRAINT "regulator_evidence_packs_generated_by_id_staff_id_fk" FOREIGN KEY ("generated_by_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "regulator_evidence_packs_referral_idx" ON "regulator_evidence_packs" USING btree ("referral_id", "generated_at");--> statement-breakpoint
-- The regulator's figures for the KPIs: appeals per month (of the day received) and category.
CREATE VIEW "regulator_appeals_monthly" AS
	SELECT to_char("received_on", 'YYYY-MM') AS "month", "category", count(*)::integer AS "appeals"
	FROM "regulator_referrals"
	GROUP BY 1, 2;
