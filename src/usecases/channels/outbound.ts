import { and, asc, desc, eq, inArray, lt, lte, notInArray, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { v7 as uuidv7 } from 'uuid';
import { canSupervise, type Actor } from '../../core/auth/policy.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import {
  nextAttemptDelayMs,
  replyRoute,
  type OutboundChannel,
  type OutboxState,
} from '../../core/channels/outbound.js';
import { QUIET_HOURS_KINDS, quietUntil } from '../../core/incidents/incidents.js';
import type { Channel } from '../../core/tickets/types.js';
import type { Db, Tx } from '../../db/client.js';
import { customerIdentities, customerNumbers, outbox, ticketMessages, tickets } from '../../db/schema.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { Deps } from '../deps.js';
import { signTicketLink } from '../portal/portal-auth.js';
import { noticeQuietHours } from '../incidents/incident-access.js';

// Outbound messages go through the outbox: the row is written in the same transaction as the reply,
// so a reply is never lost and never sent for a rolled-back change; delivery happens afterwards,
// with retries and a dead-letter list.

export type OutboxItem = typeof outbox.$inferSelect;
/**
 * Sends one message; throws to have it retried. Each item carries its id as an idempotency key.
 * A sender that only writes the message to the log (no gateway or relay configured) answers
 * 'logged', and the message is marked "logged only" rather than sent.
 */
export type OutboundSender = (item: OutboxItem) => Promise<void | 'logged'>;
export { OUTBOX_STATES, type OutboxState } from '../../core/channels/outbound.js';
export type Senders = Partial<Record<OutboundChannel, OutboundSender>>;

type Ticket = typeof tickets.$inferSelect;

/** Queues an agent's public reply for the customer; returns the channel chosen, or null (portal only). */
export async function enqueueReply(
  db: Db,
  tx: Tx,
  ticket: Ticket,
  message: { id: string; body: string },
  requested: Channel | undefined,
  now: Date,
): Promise<OutboundChannel | null> {
  const [numbers, identities, lastInbound] = [
    await tx
      .select({ msisdn: customerNumbers.msisdn })
      .from(customerNumbers)
      .where(eq(customerNumbers.customerId, ticket.customerId))
      .orderBy(asc(customerNumbers.position))
      .limit(1),
    await tx
      .select()
      .from(customerIdentities)
      .where(eq(customerIdentities.customerId, ticket.customerId))
      .orderBy(desc(customerIdentities.createdAt)),
    await tx
      .select({ channel: ticketMessages.channel })
      .from(ticketMessages)
      .where(and(eq(ticketMessages.ticketId, ticket.id), eq(ticketMessages.fromCustomer, true)))
      .orderBy(desc(ticketMessages.createdAt))
      .limit(1),
  ];
  const identity = (channel: Channel) => identities.find((i) => i.channel === channel)?.externalUserId ?? null;
  const route = replyRoute({
    requested,
    customerChannel: lastInbound[0]?.channel ?? ticket.channel,
    contacts: {
      msisdn: ticket.contactNumber ?? numbers[0]?.msisdn ?? null,
      wechat: identity('wechat'),
      app: identity('app'),
      email: identity('email'),
    },
  });
  if (route.channel === null) {
    if (requested) throw new AppError('message.no_contact', route.reason, { field: 'sendVia' });
    return null;
  }
  await tx.insert(outbox).values({
    id: uuidv7(),
    channel: route.channel,
    recipient: route.recipient,
    ticketId: ticket.id,
    payload: {
      kind: 'reply',
      messageId: message.id,
      ticketNumber: ticket.number,
      subject: ticket.subject,
      body: message.body,
      portalLink: await signTicketLink(db, tx, ticket.id, now),
    },
    nextAttemptAt: now,
    createdAt: now,
  });
  return route.channel;
}

/**
 * Delivers due outbox rows. Rows are leased, not locked during the send: a claim moves their next
 * attempt a lease ahead and commits, so a slow gateway holds no transaction open and a node that
 * dies mid-send leaves the row to be retried by any node once the lease runs out (at-least-once;
 * gateways dedupe on the Idempotency-Key).
 *
 * Inside the quiet hours the proactive incident notices that fall due (a retry after a failed send,
 * the tail of a backlog) are not sent: they are held until the quiet hours end, attempts unchanged.
 */
export async function deliverOutbox(
  deps: Deps,
  senders: Senders,
  opts: { batch?: number; leaseMs?: number } = {},
): Promise<{ sent: number; failed: number }> {
  const now = deps.clock.now();
  const leaseUntil = new Date(now.getTime() + (opts.leaseMs ?? 120_000));
  const quietEnd = quietUntil(now, noticeQuietHours(deps));
  const kind = sql<string>`${outbox.payload}->>'kind'`;
  if (quietEnd)
    await deps.db
      .update(outbox)
      .set({ nextAttemptAt: quietEnd })
      .where(and(eq(outbox.state, 'pending'), lte(outbox.nextAttemptAt, now), inArray(kind, [...QUIET_HOURS_KINDS])));
  const due = deps.db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(
        eq(outbox.state, 'pending'),
        lte(outbox.nextAttemptAt, now),
        quietEnd ? notInArray(kind, [...QUIET_HOURS_KINDS]) : undefined,
      ),
    )
    .orderBy(asc(outbox.nextAttemptAt))
    .limit(opts.batch ?? 50)
    .for('update', { skipLocked: true });
  const claimed = await deps.db
    .update(outbox)
    .set({ attempts: sql`${outbox.attempts} + 1`, nextAttemptAt: leaseUntil })
    .where(inArray(outbox.id, due))
    .returning();
  let sent = 0;
  let failed = 0;
  await Promise.all(
    claimed.map(async (item) => {
      const send = senders[item.channel as OutboundChannel];
      try {
        if (!send) throw new Error(`no sender is configured for ${item.channel}`);
        const outcome = await send(item);
        await deps.db
          .update(outbox)
          .set({ state: outcome === 'logged' ? 'logged' : 'sent', sentAt: deps.clock.now(), lastError: null })
          .where(eq(outbox.id, item.id));
        sent++;
      } catch (err) {
        failed++;
        const delay = nextAttemptDelayMs(item.attempts);
        const lastError = (err instanceof Error ? err.message : String(err)).slice(0, 1000);
        await deps.db
          .update(outbox)
          .set(
            delay === null
              ? { state: 'dead', lastError }
              : { nextAttemptAt: new Date(deps.clock.now().getTime() + delay), lastError },
          )
          .where(eq(outbox.id, item.id));
      }
    }),
  );
  return { sent, failed };
}

const ListCursor = z.object({ c: z.iso.datetime(), i: z.uuid() });

/** One page of outbound messages in a state, newest first (keyset on creation time and id). */
export async function listOutbox(deps: Deps, actor: Actor, state: OutboxState, limit: number, cursor?: string) {
  if (!canSupervise(actor))
    throw new AppError('auth.forbidden', 'Only supervisors and administrators see outbound deliveries');
  const after = decodeCursor(cursor, ListCursor);
  const rows = await deps.db
    .select()
    .from(outbox)
    .where(
      and(
        eq(outbox.state, state),
        after
          ? or(
              lt(outbox.createdAt, new Date(after.c)),
              and(eq(outbox.createdAt, new Date(after.c)), lt(outbox.id, after.i)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(outbox.createdAt), desc(outbox.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last ? encodeCursor({ c: last.createdAt.toISOString(), i: last.id }) : null,
  };
}

/** Gives a dead message a fresh set of attempts (e.g. after the gateway was fixed). */
export async function retryOutbox(deps: Deps, actor: Actor, id: string) {
  if (!canSupervise(actor))
    throw new AppError('auth.forbidden', 'Only supervisors and administrators retry deliveries');
  const [row] = await deps.db
    .update(outbox)
    .set({ state: 'pending', attempts: 0, nextAttemptAt: deps.clock.now() })
    .where(and(eq(outbox.id, id), eq(outbox.state, 'dead')))
    .returning({ id: outbox.id });
  if (!row) {
    const [exists] = await deps.db.select({ state: outbox.state }).from(outbox).where(eq(outbox.id, id));
    if (!exists) throw notFound('Outbound message');
    throw new AppError('outbox.not_dead', `The message is ${exists.state}; only dead messages are retried`);
  }
}
