import type { DbOrTx } from '../../db/client.js';
import { ticketEvents } from '../../db/schema.js';

export type TimelineKind =
  | 'created'
  | 'updated'
  | 'status_changed'
  | 'assigned'
  | 'message_added'
  | 'attachment_added'
  | 'pii_revealed'
  | 'sla_started'
  | 'sla_warning'
  | 'sla_breached'
  | 'sla_escalated'
  | 'sla_met'
  | 'call_linked'
  | 'subtask_created'
  | 'subtask_completed'
  | 'subtask_cancelled'
  | 'escalated'
  | 'de_escalated'
  | 'merged'
  | 'linked'
  | 'repeat_detected'
  | 'routed';

export type TimelineEntry = {
  ticketId: string;
  actorId: string | null;
  kind: TimelineKind;
  data: Record<string, unknown>;
  at: Date;
};

/** Appends to the ticket's timeline (the table refuses updates and deletes). */
export async function recordEvent(db: DbOrTx, e: TimelineEntry): Promise<void> {
  await recordEvents(db, [e]);
}

/** Several entries in one statement. */
export async function recordEvents(db: DbOrTx, entries: TimelineEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insert(ticketEvents)
    .values(
      entries.map((e) => ({ ticketId: e.ticketId, actorId: e.actorId, kind: e.kind, data: e.data, createdAt: e.at })),
    );
}
