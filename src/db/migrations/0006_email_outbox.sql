CREATE TABLE "outbox" (
	"id" uuid PRIMARY KEY NOT NULL,
	"channel" "channel" NOT NULL,
	"recipient" text NOT NULL,
	"ticket_id" uuid,
	"payload" jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"state" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "quarantined_mail" (
	"id" uuid PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"envelope_from" text,
	"envelope_to" text[] DEFAULT '{}'::text[] NOT NULL,
	"size" integer NOT NULL,
	"storage_key" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retried_at" timestamp with time zone,
	"resolved_ticket_id" uuid
);
--> statement-breakpoint
ALTER TABLE "channel_messages" ADD COLUMN "direction" text DEFAULT 'in' NOT NULL;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quarantined_mail" ADD CONSTRAINT "quarantined_mail_resolved_ticket_id_tickets_id_fk" FOREIGN KEY ("resolved_ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "outbox" USING btree ("next_attempt_at") WHERE "outbox"."state" = 'pending';--> statement-breakpoint
CREATE INDEX "quarantined_mail_received_idx" ON "quarantined_mail" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "channel_messages_ticket_idx" ON "channel_messages" USING btree ("ticket_id");