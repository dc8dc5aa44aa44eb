import { asc, eq } from 'drizzle-orm';
import type { Actor } from '../../core/auth/policy.js';
import type { OutboxState } from '../../core/channels/outbound.js';
import { outbox, staff, ticketEvents, ticketMessages } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { referencedTicketIds } from '../../core/tickets/ticket-references.js';
import { loadTicketFor, readableTicketIds } from './load-ticket.js';

/** The ticket's events, and which of the other tickets they name `actor` may read. */
export async function readTimeline(deps: Deps, actor: Actor, ticketId: string) {
  await loadTicketFor(deps.db, actor, ticketId);
  const rows = await deps.db
    .select({ event: ticketEvents, actor: { id: staff.id, displayName: staff.displayName } })
    .from(ticketEvents)
    .leftJoin(staff, eq(staff.id, ticketEvents.actorId))
    .where(eq(ticketEvents.ticketId, ticketId))
    .orderBy(asc(ticketEvents.id));
  const named = rows.flatMap(({ event }) => referencedTicketIds(event.kind, event.data));
  return { rows, readable: await readableTicketIds(deps.db, actor, named) };
}

export async function readMessages(deps: Deps, actor: Actor, ticketId: string) {
  await loadTicketFor(deps.db, actor, ticketId);
  const [rows, sent] = await Promise.all([
    deps.db
      .select({ message: ticketMessages, author: { id: staff.id, displayName: staff.displayName } })
      .from(ticketMessages)
      .leftJoin(staff, eq(staff.id, ticketMessages.authorStaffId))
      .where(eq(ticketMessages.ticketId, ticketId))
      .orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id)),
    // How far each reply to the customer got (the outbox row its reply wrote).
    deps.db
      .select({ payload: outbox.payload, channel: outbox.channel, state: outbox.state })
      .from(outbox)
      .where(eq(outbox.ticketId, ticketId))
      .orderBy(asc(outbox.createdAt)),
  ]);
  const delivery = new Map(
    sent.flatMap((o) =>
      o.payload.kind === 'reply' ? [[o.payload.messageId, { channel: o.channel, state: o.state as OutboxState }]] : [],
    ),
  );
  return rows.map((row) => ({ ...row, delivery: delivery.get(row.message.id) ?? null }));
}
