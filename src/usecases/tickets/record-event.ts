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
  | 'sla_met';

/** Appends to the ticket's timeline (the table refuses updates and deletes). */
export async function recordEvent(
  db: DbOrTx,
  e: { ticketId: string; actorId: string | null; kind: TimelineKind; data: Record<string, unknown>; at: Date },
): Promise<void> {
  await db.insert(ticketEvents).values({
    ticketId: e.ticketId,
    actorId: e.actorId,
    kind: e.kind,
    data: e.data,
    createdAt: e.at,
  });
}
