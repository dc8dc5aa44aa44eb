-- Closing the loop (issue 13, rest): root causes as data, a callback that opens a linked complaint,
-- survey templates per channel and language, the optional NPS question by SMS, the reporting facts
-- of callbacks, and the kind of each public message (which kinds meet which clock is per SLA policy).

-- The root causes a callback is filed under: a list administrators keep (labels in Chinese and
-- English); a cause in use is deactivated, never deleted.
CREATE TABLE "root_causes" (
	"code" text PRIMARY KEY NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "root_causes_code_check" CHECK ("code" ~ '^[a-z][a-z0-9_]{1,39}$')
);
--> statement-breakpoint
-- The handbooks' defaults (complaint content: network, price/charging, service attitude, process,
-- product; plus the customer's misunderstanding and other).
INSERT INTO "root_causes" ("code", "name_zh", "name_en", "position") VALUES
	('network', '网络质量', 'Network', 10),
	('billing', '计费与资费', 'Billing and tariff', 20),
	('service_attitude', '服务态度', 'Service attitude', 30),
	('process', '业务流程', 'Process', 40),
	('product', '产品功能', 'Product', 50),
	('misunderstanding', '客户误解', 'Customer misunderstanding', 60),
	('other', '其他', 'Other', 70)
ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- Callbacks finished under the codes of the former fixed list move to the nearest default.
UPDATE "callbacks" SET "root_cause" = CASE "root_cause"
	WHEN 'slow_handling' THEN 'process'
	WHEN 'unresolved_fault' THEN 'network'
	WHEN 'billing_error' THEN 'billing'
	WHEN 'policy_explanation' THEN 'misunderstanding'
	ELSE "root_cause" END
WHERE "root_cause" IN ('slow_handling', 'unresolved_fault', 'billing_error', 'policy_explanation');
--> statement-breakpoint
UPDATE "callbacks" SET "root_cause" = 'other'
WHERE "root_cause" IS NOT NULL AND "root_cause" NOT IN (SELECT "code" FROM "root_causes");
--> statement-breakpoint
ALTER TABLE "callbacks" ADD CONSTRAINT "callbacks_root_cause_root_causes_code_fk" FOREIGN KEY ("root_cause") REFERENCES "public"."root_causes"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- A callback can end by opening a complaint for the same customer, linked to the original ticket.
ALTER TABLE "callbacks" DROP CONSTRAINT "callbacks_outcome_check";--> statement-breakpoint
ALTER TABLE "callbacks" ADD CONSTRAINT "callbacks_outcome_check" CHECK ("outcome" IS NULL OR "outcome" IN ('resolved', 'ticket_reopened', 'complaint_opened', 'unreachable'));--> statement-breakpoint
ALTER TABLE "callbacks" ADD COLUMN "complaint_ticket_id" uuid;--> statement-breakpoint
ALTER TABLE "callbacks" ADD CONSTRAINT "callbacks_complaint_ticket_id_tickets_id_fk" FOREIGN KEY ("complaint_ticket_id") REFERENCES "public"."tickets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- Reporting facts: when the customer was first reached (callbacks done within 24 h use created_at,
-- first_reached_at and completed_at).
ALTER TABLE "callbacks" ADD COLUMN "first_reached_at" timestamp with time zone;--> statement-breakpoint
UPDATE "callbacks" c SET "first_reached_at" = (
	SELECT min(a."at") FROM "callback_attempts" a WHERE a."callback_id" = c."id" AND a."reached"
);--> statement-breakpoint
-- The NPS question by SMS: asked after the CSAT digit; a reply 0–10 answers it.
ALTER TABLE "surveys" ADD COLUMN "nps_asked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "surveys" ADD COLUMN "nps_answered_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "surveys_nps_pending_idx" ON "surveys" USING btree ("recipient","nps_asked_at") WHERE "nps_asked_at" IS NOT NULL AND "nps" IS NULL;--> statement-breakpoint
-- Survey texts per kind (the channel it goes out on and how it is answered) and language, with
-- placeholders {ticketNumber} and {link}. An empty text leaves that language out of the message.
CREATE TABLE "survey_templates" (
	"kind" text NOT NULL,
	"language" text NOT NULL,
	"body" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "survey_templates_kind_language_pk" PRIMARY KEY("kind","language"),
	CONSTRAINT "survey_templates_kind_check" CHECK ("kind" IN ('sms_rating', 'sms_nps', 'sms_link', 'email_link', 'wechat_link', 'app_link')),
	CONSTRAINT "survey_templates_language_check" CHECK ("language" IN ('zh', 'en'))
);
--> statement-breakpoint
INSERT INTO "survey_templates" ("kind", "language", "body") VALUES
	('sms_rating', 'zh', '【满意度调查】您的工单 {ticketNumber} 已处理完毕。请回复数字 1–5 评价我们的服务（5 = 非常满意，1 = 非常不满意）。回复 TD 退订。'),
	('sms_rating', 'en', 'Your ticket {ticketNumber} is resolved. Reply with a digit 1-5 to rate our service (5 = very satisfied, 1 = very dissatisfied). Reply TD to opt out.'),
	('sms_nps', 'zh', '感谢评价！您有多大可能向亲友推荐我们？请回复 0–10（10 = 非常可能）。'),
	('sms_nps', 'en', 'Thank you! How likely are you to recommend us to a friend? Reply 0-10 (10 = very likely).'),
	('sms_link', 'zh', '【满意度调查】您的工单 {ticketNumber} 已处理完毕，请花一分钟评价我们的服务：{link}'),
	('sms_link', 'en', 'Your ticket {ticketNumber} is resolved. Please take a minute to rate our service: {link}'),
	('email_link', 'zh', '【满意度调查】您的工单 {ticketNumber} 已处理完毕，请花一分钟评价我们的服务：{link}'),
	('email_link', 'en', 'Your ticket {ticketNumber} is resolved. Please take a minute to rate our service: {link}'),
	('wechat_link', 'zh', '【满意度调查】您的工单 {ticketNumber} 已处理完毕，请花一分钟评价我们的服务：{link}'),
	('wechat_link', 'en', 'Your ticket {ticketNumber} is resolved. Please take a minute to rate our service: {link}'),
	('app_link', 'zh', '【满意度调查】您的工单 {ticketNumber} 已处理完毕，请花一分钟评价我们的服务：{link}'),
	('app_link', 'en', 'Your ticket {ticketNumber} is resolved. Please take a minute to rate our service: {link}')
ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- What a public staff message is (acknowledgement, handling plan, answer, …); null for customer
-- messages and internal notes. Set once at insert, like the rest of the row.
ALTER TABLE "ticket_messages" ADD COLUMN "kind" text;--> statement-breakpoint
ALTER TABLE "ticket_messages" ADD CONSTRAINT "ticket_messages_kind_check" CHECK ("kind" IS NULL OR "kind" IN ('acknowledgement', 'handling_plan', 'answer', 'other'));
--> statement-breakpoint
-- The kind is part of what was written: append-only like the body.
CREATE OR REPLACE FUNCTION refuse_message_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND NEW.id = OLD.id
     AND NEW.ticket_id = OLD.ticket_id
     AND NEW.author_staff_id IS NOT DISTINCT FROM OLD.author_staff_id
     AND NEW.from_customer = OLD.from_customer
     AND NEW.visibility = OLD.visibility
     AND NEW.channel = OLD.channel
     AND NEW.body = OLD.body
     AND NEW.body_format = OLD.body_format
     AND NEW.kind IS NOT DISTINCT FROM OLD.kind
     AND NEW.created_at = OLD.created_at THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;
