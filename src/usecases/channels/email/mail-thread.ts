import { and, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import { ticketNumberInSubject } from '../../../core/channels/email-rules.js';
import type { Tx } from '../../../db/client.js';
import { channelMessages, tickets } from '../../../db/schema.js';

export type TicketRow = typeof tickets.$inferSelect;

/**
 * The ticket a reply belongs to, locked: one whose inbound or outbound mail it answers
 * (In-Reply-To, References), else the ticket number in its subject — the latter only for the
 * ticket's own customer, since anyone can type a number. A merged ticket leads to the one it was
 * merged into.
 */
export async function threadedTicket(
  tx: Tx,
  customerId: string,
  ids: string[],
  subject: string,
): Promise<TicketRow | undefined> {
  let ticket = await ticketByMessageIds(tx, ids);
  if (!ticket) {
    const number = ticketNumberInSubject(subject);
    if (number) {
      [ticket] = await tx
        .select()
        .from(tickets)
        .where(and(eq(tickets.number, number), eq(tickets.customerId, customerId)));
    }
  }
  for (let hops = 0; ticket?.mergedIntoId && hops < 5; hops++) {
    [ticket] = await tx.select().from(tickets).where(eq(tickets.id, ticket.mergedIntoId));
  }
  if (!ticket) return undefined;
  const [locked] = await tx.select().from(tickets).where(eq(tickets.id, ticket.id)).for('update');
  return locked;
}

/** The ticket of the latest of these Message-IDs that we know (received or sent by us). */
export async function ticketByMessageIds(tx: Tx, ids: string[]): Promise<TicketRow | undefined> {
  if (ids.length === 0) return undefined;
  const [row] = await tx
    .select({ ticket: tickets })
    .from(channelMessages)
    .innerJoin(tickets, eq(tickets.id, channelMessages.ticketId))
    .where(
      and(
        eq(channelMessages.channel, 'email'),
        inArray(channelMessages.externalId, ids.slice(0, 100)),
        isNotNull(channelMessages.ticketId),
      ),
    )
    .orderBy(desc(channelMessages.receivedAt))
    .limit(1);
  return row?.ticket;
}
