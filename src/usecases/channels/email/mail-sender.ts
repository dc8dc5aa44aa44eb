import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import { LOOP_WINDOW_MS } from '../../../core/channels/email-rules.js';
import type { Tx } from '../../../db/client.js';
import { channelMessages } from '../../../db/schema.js';
import { createCustomer, findCustomer } from '../../customers/find-or-create-customer.js';

// Who sent a mail: the customer their address belongs to (an email identity), and how many mails
// they sent us in the last hour, which the loop rules (core/channels/email-rules) judge.

const keysOf = (address: string) => ({ identity: { channel: 'email' as const, externalUserId: address } });

export const findMailCustomer = (tx: Tx, address: string) => findCustomer(tx, keysOf(address));

/** Someone we do not know yet: a new profile with their address and the name they gave. */
export const createMailCustomer = (tx: Tx, address: string, displayName: string | null, now: Date) =>
  createCustomer(tx, keysOf(address), displayName, now);

/** This customer's mails (all, and automatic ones) already taken in within the loop window. */
export async function recentMailFrom(tx: Tx, customerId: string, now: Date): Promise<{ auto: number; total: number }> {
  const [row] = await tx
    .select({
      total: sql<number>`count(*)::int`,
      auto: sql<number>`(count(*) filter (where ${channelMessages.direction} = 'auto'))::int`,
    })
    .from(channelMessages)
    .where(
      and(
        eq(channelMessages.channel, 'email'),
        eq(channelMessages.customerId, customerId),
        inArray(channelMessages.direction, ['in', 'auto']),
        gt(channelMessages.receivedAt, new Date(now.getTime() - LOOP_WINDOW_MS)),
      ),
    );
  return { auto: Number(row?.auto ?? 0), total: Number(row?.total ?? 0) };
}
