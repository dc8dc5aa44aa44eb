import { and, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Channel } from '../../core/tickets/types.js';
import type { Tx } from '../../db/client.js';
import { customerIdentities, customerNumbers, customers } from '../../db/schema.js';

// The customer behind a message from outside: a mail address, an SMS number, a WeChat open id, a
// portal sign-in. Someone we do not know yet gets a new profile (未登记客户) with what we know of
// them, to be completed by an agent. Used by the mail intake, the channel webhooks and the portal.

/** How a sender is recognised: a number (normalised, see normaliseMsisdn) and/or a channel identity. */
export type CustomerKeys = {
  msisdn?: string | undefined;
  identity?: { channel: Channel; externalUserId: string } | undefined;
};

const UNREGISTERED = '未登记客户';

/** The customer a number or, failing that, a channel identity belongs to. */
export async function findCustomer(tx: Tx, keys: CustomerKeys): Promise<string | null> {
  if (keys.msisdn) {
    const [known] = await tx
      .select({ id: customerNumbers.customerId })
      .from(customerNumbers)
      .where(eq(customerNumbers.msisdn, keys.msisdn));
    if (known) return known.id;
  }
  if (keys.identity) {
    const { channel, externalUserId } = keys.identity;
    const [known] = await tx
      .select({ id: customerIdentities.customerId })
      .from(customerIdentities)
      .where(and(eq(customerIdentities.channel, channel), eq(customerIdentities.externalUserId, externalUserId)));
    if (known) return known.id;
  }
  return null;
}

/**
 * A new profile holding the keys. When a concurrent first message from the same sender committed
 * its profile first (we waited on its key), that profile is used and ours is dropped, so one sender
 * is one customer.
 */
export async function createCustomer(
  tx: Tx,
  keys: CustomerKeys,
  displayName: string | null | undefined,
  now: Date,
): Promise<string> {
  if (!keys.msisdn && !keys.identity) throw new Error('a customer from outside needs a number or an identity');
  const id = uuidv7();
  await tx
    .insert(customers)
    .values({ id, name: displayName?.trim().slice(0, 100) || UNREGISTERED, createdAt: now, updatedAt: now });
  const addNumber = async (msisdn: string) =>
    (
      await tx
        .insert(customerNumbers)
        .values({ msisdn, customerId: id })
        .onConflictDoNothing()
        .returning({ id: customerNumbers.customerId })
    ).length > 0;
  const addIdentity = async (identity: NonNullable<CustomerKeys['identity']>) =>
    (
      await tx
        .insert(customerIdentities)
        .values({ ...identity, customerId: id, createdAt: now })
        .onConflictDoNothing()
        .returning({ id: customerIdentities.customerId })
    ).length > 0;
  // The first key (the number when there is one) says whether this sender is still new.
  const isNew = keys.msisdn ? await addNumber(keys.msisdn) : await addIdentity(keys.identity!);
  if (!isNew) {
    // Another first message from this sender committed first: use that profile.
    await tx.delete(customers).where(eq(customers.id, id));
    const existing = await findCustomer(tx, keys);
    if (!existing) throw new Error('a customer key conflicted but is not visible');
    return existing;
  }
  if (keys.msisdn && keys.identity) await addIdentity(keys.identity);
  return id;
}

export async function findOrCreateCustomer(
  tx: Tx,
  keys: CustomerKeys,
  displayName: string | null | undefined,
  now: Date,
): Promise<string> {
  return (await findCustomer(tx, keys)) ?? createCustomer(tx, keys, displayName, now);
}
