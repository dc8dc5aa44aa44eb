import { and, desc, eq, gt, inArray } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import { openCustomerTicket } from './open-customer-ticket.js';
import { OPEN_STATUSES } from '../../core/tickets/state-machine.js';
import type { InboundMessage, WebhookChannel } from '../../contracts/channels.js';
import type { Tx } from '../../db/client.js';
import {
  channelMessages,
  customerIdentities,
  customerNumbers,
  customers,
  ticketMessages,
  tickets,
} from '../../db/schema.js';
import { normaliseMsisdn } from '../customers/customers.js';
import type { Deps } from '../deps.js';
import { noteCustomerAnswer } from '../tickets/customer-answer.js';
import { recordEvent } from '../tickets/record-event.js';

/** A customer writing again within this window about an open ticket continues that ticket. */
export const THREAD_WINDOW_MS = 7 * 86_400_000;

type Result = { ticketId: string; ticketNumber: string; messageId: string; created: boolean; duplicate: boolean };

/**
 * Turns one inbound channel message into a public customer message on the customer's open ticket
 * from this channel, or into a new ticket. The sender's message id is claimed first, in the same
 * transaction: a concurrent redelivery waits for it and then finds it, so nothing is duplicated,
 * and nothing is acknowledged before it is committed.
 */
export async function receiveChannelMessage(
  deps: Deps,
  channel: WebhookChannel,
  input: z.output<typeof InboundMessage>,
): Promise<Result> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const claimId = uuidv7();
    const messageId = uuidv7();
    const claimed = await tx
      .insert(channelMessages)
      .values({ id: claimId, channel, externalId: input.messageId, receivedAt: now })
      .onConflictDoNothing()
      .returning({ id: channelMessages.id });
    if (claimed.length === 0) return replay(tx, channel, input.messageId);

    const customerId = await findOrCreateCustomer(tx, channel, input, now);
    const [open] = await tx
      .select()
      .from(tickets)
      .where(
        and(
          eq(tickets.customerId, customerId),
          eq(tickets.channel, channel),
          inArray(tickets.status, [...OPEN_STATUSES]),
          gt(tickets.updatedAt, new Date(now.getTime() - THREAD_WINDOW_MS)),
        ),
      )
      .orderBy(desc(tickets.updatedAt))
      .limit(1)
      .for('update');

    let ticket = open;
    if (!ticket) ticket = await openCustomerTicket(tx, deps, { channel, customerId, description: input.text }, now);
    await tx.insert(ticketMessages).values({
      id: messageId,
      ticketId: ticket.id,
      fromCustomer: true,
      visibility: 'public',
      channel,
      body: input.text,
      createdAt: now,
    });
    if (open) await recordEvent(tx, await noteCustomerAnswer(tx, open, { id: messageId, channel }, now));
    await tx
      .update(channelMessages)
      .set({ customerId, ticketId: ticket.id, messageId })
      .where(eq(channelMessages.id, claimId));
    return { ticketId: ticket.id, ticketNumber: ticket.number, messageId, created: !open, duplicate: false };
  });
}

async function replay(tx: Tx, channel: WebhookChannel, externalId: string): Promise<Result> {
  const [row] = await tx
    .select({ ticketId: channelMessages.ticketId, messageId: channelMessages.messageId, number: tickets.number })
    .from(channelMessages)
    .innerJoin(tickets, eq(tickets.id, channelMessages.ticketId))
    .where(and(eq(channelMessages.channel, channel), eq(channelMessages.externalId, externalId)));
  if (!row?.ticketId || !row.messageId) throw new Error('accepted channel message without its ticket'); // claim and ticket commit together
  return {
    ticketId: row.ticketId,
    ticketNumber: row.number,
    messageId: row.messageId,
    created: false,
    duplicate: true,
  };
}

async function findOrCreateCustomer(
  tx: Tx,
  channel: WebhookChannel,
  input: z.output<typeof InboundMessage>,
  now: Date,
): Promise<string> {
  const msisdn = input.from.msisdn ? normaliseMsisdn(input.from.msisdn) : undefined;
  if (msisdn) {
    const [known] = await tx
      .select({ id: customerNumbers.customerId })
      .from(customerNumbers)
      .where(eq(customerNumbers.msisdn, msisdn));
    if (known) return known.id;
  }
  if (input.from.openId) {
    const [known] = await tx
      .select({ id: customerIdentities.customerId })
      .from(customerIdentities)
      .where(and(eq(customerIdentities.channel, channel), eq(customerIdentities.externalUserId, input.from.openId)));
    if (known) return known.id;
  }
  // Someone we do not know yet: a new profile, to be completed by the agent (未登记客户).
  const id = uuidv7();
  await tx
    .insert(customers)
    .values({ id, name: input.from.name?.trim() || '未登记客户', createdAt: now, updatedAt: now });
  if (msisdn) await tx.insert(customerNumbers).values({ msisdn, customerId: id }).onConflictDoNothing();
  if (input.from.openId)
    await tx
      .insert(customerIdentities)
      .values({ channel, externalUserId: input.from.openId, customerId: id, createdAt: now })
      .onConflictDoNothing();
  return id;
}
