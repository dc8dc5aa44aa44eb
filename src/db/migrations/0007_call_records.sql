CREATE TABLE "call_records" (
	"id" uuid PRIMARY KEY NOT NULL,
	"call_id" text NOT NULL,
	"caller" text NOT NULL,
	"customer_id" uuid,
	"agent_id" uuid,
	"ticket_id" uuid,
	"ivr_path" text[] DEFAULT '{}'::text[] NOT NULL,
	"recording_url" text,
	"started_at" timestamp with time zone,
	"answered_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "call_records_call_id_unique" UNIQUE("call_id")
);
--> statement-breakpoint
ALTER TABLE "call_records" ADD CONSTRAINT "call_records_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_records" ADD CONSTRAINT "call_records_agent_id_staff_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_records" ADD CONSTRAINT "call_records_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "call_records_customer_idx" ON "call_records" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE INDEX "call_records_ticket_idx" ON "call_records" USING btree ("ticket_id");