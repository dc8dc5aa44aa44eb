import { eq } from 'drizzle-orm';
import { statusAfterCustomerMessage } from '../../core/tickets/state-machine.js';
import type { Channel } from '../../core/tickets/types.js';
import type { Tx } from '../../db/client.js';
import { tickets } from '../../db/schema.js';
import { updateSla } from '../sla/sla-lifecycle.js';
import type { TimelineEntry } from './record-event.js';

/**
 * A customer message was added to a locked, open ticket (any channel): the ticket wakes up if it
 * was waiting for the customer, and its clocks follow. Returns the timeline entry for the caller to write.
 */
export async function noteCustomerAnswer(
  tx: Tx,
  ticket: typeof tickets.$inferSelect,
  message: { id: string; channel: Channel },
  now: Date,
): Promise<TimelineEntry> {
  const status = statusAfterCustomerMessage(ticket.status);
  await tx
    .update(tickets)
    .set({ status, updatedAt: now, version: ticket.version + 1 })
    .where(eq(tickets.id, ticket.id));
  if (status !== ticket.status) await updateSla(tx, ticket, { status: { from: ticket.status, to: status } }, now);
  return {
    ticketId: ticket.id,
    actorId: null,
    kind: 'message_added',
    at: now,
    data: {
      messageId: message.id,
      visibility: 'public',
      fromCustomer: true,
      channel: message.channel,
      ...(status !== ticket.status ? { statusFrom: ticket.status, statusTo: status } : {}),
    },
  };
}
