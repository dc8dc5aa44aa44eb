import { and, asc, count, desc, eq, gt, inArray } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { AppError, notFound } from '../../core/errors/app-error.js';
import type { TicketType } from '../../core/tickets/types.js';
import type { Tx } from '../../db/client.js';
import { customers, ticketEvents, ticketMessages, tickets } from '../../db/schema.js';
import { openCustomerTicket } from '../channels/open-customer-ticket.js';
import { normaliseMsisdn } from '../customers/customers.js';
import { storeAttachment, type AttachmentDeps } from '../attachments/attachments.js';
import type { Deps } from '../deps.js';
import { claimIdempotencyKey } from '../idempotency.js';
import { noteCustomerAnswer } from '../tickets/customer-answer.js';
import { screenCustomerMessage } from '../quality/phrase-checks.js';
import { recordEvent } from '../tickets/record-event.js';
import { checkCategory } from '../tickets/references.js';
import { applyCustomerAnswer } from '../tickets/transition-ticket.js';
import type { PortalSession } from './portal-auth.js';

// What a customer can do in the portal: submit, follow, answer, and confirm or reject a resolution.
// Every query is bound to the session's customer (and ticket, for a signed link): no id leads to
// another customer's ticket — it is simply "not found".

const SUBMISSIONS_PER_HOUR = 10;

export type PortalSubmission = {
  type: TicketType;
  categoryId?: string | undefined;
  description: string;
  contactNumber?: string | undefined;
};

async function ownTicket(tx: Tx | Deps['db'], session: PortalSession, id: string, opts: { forUpdate?: boolean } = {}) {
  if (session.scopeTicketId && session.scopeTicketId !== id) throw notFound('Ticket');
  const query = tx
    .select()
    .from(tickets)
    .where(and(eq(tickets.id, id), eq(tickets.customerId, session.customerId)));
  const [ticket] = opts.forUpdate ? await query.for('update') : await query;
  if (!ticket) throw notFound('Ticket');
  return ticket;
}

export async function listMyTickets(deps: Deps, session: PortalSession) {
  return deps.db
    .select({
      id: tickets.id,
      number: tickets.number,
      type: tickets.type,
      subject: tickets.subject,
      status: tickets.status,
      createdAt: tickets.createdAt,
      updatedAt: tickets.updatedAt,
    })
    .from(tickets)
    .where(
      and(
        eq(tickets.customerId, session.customerId),
        session.scopeTicketId ? eq(tickets.id, session.scopeTicketId) : undefined,
      ),
    )
    .orderBy(desc(tickets.createdAt))
    .limit(100);
}

/** A retried submission with the same Idempotency-Key returns the first ticket. */
export async function submitTicket(
  deps: Deps,
  session: PortalSession,
  input: PortalSubmission,
  idempotencyKey?: string,
): Promise<{ ticketId: string; number: string; replayed: boolean }> {
  if (session.scopeTicketId)
    throw new AppError('auth.forbidden', 'Sign in with your phone number to submit a new request');
  const now = deps.clock.now();
  const ticketId = uuidv7();
  return deps.db.transaction(async (tx) => {
    if (idempotencyKey) {
      const earlier = await claimIdempotencyKey(
        deps.db,
        tx,
        { scope: `portal.create:${session.customerId}`, key: idempotencyKey, request: input, resourceId: ticketId },
        now,
      );
      if (earlier) {
        const [t] = await tx.select({ number: tickets.number }).from(tickets).where(eq(tickets.id, earlier));
        return { ticketId: earlier, number: t!.number, replayed: true };
      }
    }
    // The customer's row is the lock: parallel submissions are counted one after the other.
    await tx.select({ id: customers.id }).from(customers).where(eq(customers.id, session.customerId)).for('update');
    const [recent] = await tx
      .select({ n: count() })
      .from(tickets)
      .where(
        and(
          eq(tickets.customerId, session.customerId),
          eq(tickets.channel, 'web'),
          gt(tickets.createdAt, new Date(now.getTime() - 3_600_000)),
        ),
      );
    if ((recent?.n ?? 0) >= SUBMISSIONS_PER_HOUR)
      throw new AppError(
        'auth.rate_limited',
        'You have submitted many requests in the last hour; please add to an existing one or call us',
        { retryAfterSeconds: 3600 },
      );
    if (input.categoryId) await checkCategory(tx, input.categoryId, input.type);
    const ticket = await openCustomerTicket(
      tx,
      deps,
      {
        id: ticketId,
        channel: 'web',
        customerId: session.customerId,
        type: input.type,
        categoryId: input.categoryId ?? null,
        description: input.description,
        contactNumber: input.contactNumber ? normaliseMsisdn(input.contactNumber) : session.msisdn,
      },
      now,
    );
    await tx.insert(ticketMessages).values({
      id: uuidv7(),
      ticketId: ticket.id,
      fromCustomer: true,
      visibility: 'public',
      channel: 'web',
      body: input.description,
      createdAt: now,
    });
    return { ticketId: ticket.id, number: ticket.number, replayed: false };
  });
}

const PUBLIC_EVENT_KINDS = ['created', 'status_changed'] as const;

/** The ticket as the customer sees it: status and the public conversation, never internal notes or staff names. */
export async function readMyTicket(deps: Deps, session: PortalSession, id: string) {
  const ticket = await ownTicket(deps.db, session, id);
  const messages = await deps.db
    .select({
      id: ticketMessages.id,
      fromCustomer: ticketMessages.fromCustomer,
      body: ticketMessages.body,
      bodyFormat: ticketMessages.bodyFormat,
      channel: ticketMessages.channel,
      createdAt: ticketMessages.createdAt,
    })
    .from(ticketMessages)
    .where(and(eq(ticketMessages.ticketId, id), eq(ticketMessages.visibility, 'public')))
    .orderBy(asc(ticketMessages.createdAt));
  const events = await deps.db
    .select({ kind: ticketEvents.kind, data: ticketEvents.data, createdAt: ticketEvents.createdAt })
    .from(ticketEvents)
    .where(and(eq(ticketEvents.ticketId, id), inArray(ticketEvents.kind, [...PUBLIC_EVENT_KINDS])))
    .orderBy(asc(ticketEvents.id));
  return { ticket, messages, events };
}

export async function replyAsCustomer(deps: Deps, session: PortalSession, id: string, body: string): Promise<string> {
  const now = deps.clock.now();
  const messageId = uuidv7();
  await deps.db.transaction(async (tx) => {
    const ticket = await ownTicket(tx, session, id, { forUpdate: true });
    if (ticket.status === 'closed')
      throw new AppError(
        'ticket.invalid_transition',
        'This request is closed; if the problem is back, say it is not solved',
      );
    await tx.insert(ticketMessages).values({
      id: messageId,
      ticketId: id,
      fromCustomer: true,
      visibility: 'public',
      channel: 'web',
      body,
      createdAt: now,
    });
    await recordEvent(tx, await noteCustomerAnswer(tx, ticket, { id: messageId, channel: 'web' }, now));
    await screenCustomerMessage(tx, deps, id, { id: messageId, channel: 'web', text: body }, now);
  });
  return messageId;
}

/** After a resolution: "solved" closes the ticket, "not solved" reopens it (closed-loop confirmation). */
export async function confirmResolution(
  deps: Deps,
  session: PortalSession,
  id: string,
  input: { solved: boolean; comment?: string | undefined },
) {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const ticket = await ownTicket(tx, session, id, { forUpdate: true });
    if (input.comment) {
      const commentId = uuidv7();
      await tx.insert(ticketMessages).values({
        id: commentId,
        ticketId: id,
        fromCustomer: true,
        visibility: 'public',
        channel: 'web',
        body: input.comment,
        createdAt: now,
      });
      await screenCustomerMessage(tx, deps, id, { id: commentId, channel: 'web', text: input.comment }, now);
    }
    // The comment is the customer's message above; the timeline keeps only the move.
    await applyCustomerAnswer(tx, ticket, input.solved ? 'solved' : 'not_solved', 'portal', null, now);
  });
}

/** A photo or document the customer adds to their request (same type and size rules as the desk). */
export async function attachAsCustomer(
  deps: AttachmentDeps,
  session: PortalSession,
  id: string,
  file: Parameters<typeof storeAttachment>[2],
) {
  const ticket = await ownTicket(deps.db, session, id);
  if (ticket.status === 'closed') {
    file.stream.resume();
    throw new AppError(
      'ticket.invalid_transition',
      'This request is closed; if the problem is back, say it is not solved',
    );
  }
  return storeAttachment(deps, id, file, null);
}
