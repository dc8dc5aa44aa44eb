import { and, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Channel } from '../../core/tickets/types.js';
import type { DbOrTx, Tx } from '../../db/client.js';
import { channelMessages, tickets } from '../../db/schema.js';

// The sender's own id of a message (a webhook's message id, a mail's Message-ID) is claimed in the
// transaction that takes the message in: unique on (channel, id), so a redelivery, or a copy
// delivered at the same moment, finds the claim — it waits for the first to commit, then answers
// with what the first did — and nothing is acknowledged before it is committed.

/**
 * in: from the customer; auto: an auto-reply or bounce; out: a mail we sent (see the email sender);
 * survey: an SMS that answered a satisfaction survey or opted out of them (no ticket message).
 */
export type ClaimDirection = 'in' | 'auto' | 'out' | 'survey';

/** What an earlier delivery of the same message did. */
export type EarlierClaim = {
  direction: string;
  ticketId: string | null;
  ticketNumber: string | null;
  messageId: string | null;
};

/** Claims the id for this delivery, or says what the delivery that claimed it first did. */
export async function claimSenderMessageId(
  tx: Tx,
  claim: { channel: Channel; externalId: string; direction: ClaimDirection },
  now: Date,
): Promise<{ claimId: string } | { earlier: EarlierClaim }> {
  const claimId = uuidv7();
  const claimed = await tx
    .insert(channelMessages)
    .values({ id: claimId, ...claim, receivedAt: now })
    .onConflictDoNothing()
    .returning({ id: channelMessages.id });
  if (claimed.length > 0) return { claimId };
  const earlier = await findClaim(tx, claim.channel, claim.externalId);
  if (!earlier) throw new Error(`${claim.channel} message claim conflicted but is not visible`);
  return { earlier };
}

export async function findClaim(db: DbOrTx, channel: Channel, externalId: string): Promise<EarlierClaim | undefined> {
  const [row] = await db
    .select({
      direction: channelMessages.direction,
      ticketId: channelMessages.ticketId,
      ticketNumber: tickets.number,
      messageId: channelMessages.messageId,
    })
    .from(channelMessages)
    .leftJoin(tickets, eq(tickets.id, channelMessages.ticketId))
    .where(and(eq(channelMessages.channel, channel), eq(channelMessages.externalId, externalId)));
  return row;
}

/** Records, on the claim, what the message became: its customer and, when it has one, its ticket message. */
export async function settleClaim(
  tx: Tx,
  claimId: string,
  outcome: {
    customerId: string | null;
    ticketId?: string | null;
    messageId?: string | null;
    direction?: ClaimDirection;
  },
): Promise<void> {
  await tx.update(channelMessages).set(outcome).where(eq(channelMessages.id, claimId));
}
