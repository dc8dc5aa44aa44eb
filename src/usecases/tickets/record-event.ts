import { TimelineEventBody, type TimelineEntry } from '../../contracts/events.js';
import type { DbOrTx } from '../../db/client.js';
import { ticketEvents } from '../../db/schema.js';

export type { TimelineEntry, TimelineKind } from '../../contracts/events.js';

/** Appends to the ticket's timeline (the table refuses updates and deletes). */
export async function recordEvent(db: DbOrTx, e: TimelineEntry): Promise<void> {
  await recordEvents(db, [e]);
}

/**
 * Several entries in one statement. Each is checked against its kind's schema first: the rows
 * can never be changed afterwards, so a field the schema does not list (personal data copied in
 * by mistake) is refused here rather than kept for ever.
 */
export async function recordEvents(db: DbOrTx, entries: TimelineEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.insert(ticketEvents).values(timelineRows(entries));
}

/** The rows of `entries`, each checked against its kind's schema (see recordEvents). */
export function timelineRows(entries: TimelineEntry[]): (typeof ticketEvents.$inferInsert)[] {
  return entries.map((e) => {
    const { kind, data } = TimelineEventBody.parse({ kind: e.kind, data: e.data });
    return { ticketId: e.ticketId, actorId: e.actorId, kind, data, createdAt: e.at };
  });
}
