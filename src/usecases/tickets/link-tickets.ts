import { and, desc, eq, gt, ne, or, sql, type Placeholder } from 'drizzle-orm';
import { canWorkTicket, type Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import { assertOpen } from '../../core/tickets/state-machine.js';
import type { DbOrTx, Tx } from '../../db/client.js';
import { slaTargets, ticketLinks, tickets } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { loadTicketFor, readableTicketIds } from './load-ticket.js';
import { recordEvent, type TimelineEntry } from './record-event.js';

export const DEFAULT_REPEAT_WINDOW_DAYS = 30;

/**
 * Merges a duplicate (same customer, same matter) into the ticket that carries on: the duplicate
 * is closed with a link to it, and its clocks stop. The customer is answered on the surviving ticket.
 */
export async function mergeTicket(deps: Deps, actor: Actor, sourceId: string, intoId: string) {
  if (sourceId === intoId) throw new AppError('ticket.merge_invalid', 'A ticket cannot be merged into itself');
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    // Lock in id order so two opposite merges cannot deadlock.
    const [first, second] = [sourceId, intoId].sort();
    const a = await loadTicketFor(tx, actor, first!, { forUpdate: true });
    const b = await loadTicketFor(tx, actor, second!, { forUpdate: true });
    const [source, into] = first === sourceId ? [a, b] : [b, a];
    if (!canWorkTicket(actor, source.access) || !canWorkTicket(actor, into.access))
      throw new AppError('auth.forbidden', 'You cannot change both tickets');
    if (source.ticket.customerId !== into.ticket.customerId)
      throw new AppError('ticket.merge_invalid', 'Only tickets of the same customer can be merged');
    assertOpen(source.ticket.status);
    if (into.ticket.mergedIntoId || into.ticket.status === 'closed')
      throw new AppError('ticket.merge_invalid', 'The target ticket is closed or itself merged');
    await tx
      .update(tickets)
      .set({
        status: 'closed',
        closedAt: now,
        mergedIntoId: intoId,
        slaDueAt: null,
        version: source.ticket.version + 1,
        updatedAt: now,
      })
      .where(eq(tickets.id, sourceId));
    await tx
      .update(slaTargets)
      .set({ runningSince: null, nextFireAt: null, dueAt: null, updatedAt: now })
      .where(eq(slaTargets.ticketId, sourceId));
    await tx
      .insert(ticketLinks)
      .values({ ticketId: sourceId, otherTicketId: intoId, kind: 'duplicate', createdAt: now })
      .onConflictDoNothing();
    await recordEvent(tx, {
      ticketId: sourceId,
      actorId: actor.id,
      kind: 'merged',
      at: now,
      data: { into: intoId, intoNumber: into.ticket.number, from: source.ticket.status },
    });
    await recordEvent(tx, {
      ticketId: intoId,
      actorId: actor.id,
      kind: 'merged',
      at: now,
      data: { from: sourceId, fromNumber: source.ticket.number },
    });
  });
}

export async function linkTickets(deps: Deps, actor: Actor, id: string, otherId: string) {
  if (id === otherId) throw new AppError('ticket.merge_invalid', 'A ticket cannot be linked to itself');
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const { ticket, access } = await loadTicketFor(tx, actor, id);
    const other = await loadTicketFor(tx, actor, otherId);
    if (!canWorkTicket(actor, access)) throw new AppError('auth.forbidden', 'You cannot change this ticket');
    const inserted = await tx
      .insert(ticketLinks)
      .values({ ticketId: id, otherTicketId: otherId, kind: 'related', createdAt: now })
      .onConflictDoNothing()
      .returning();
    if (inserted.length === 0) return;
    await recordEvent(tx, {
      ticketId: id,
      actorId: actor.id,
      kind: 'linked',
      at: now,
      data: { other: otherId, otherNumber: other.ticket.number },
    });
    await recordEvent(tx, {
      ticketId: otherId,
      actorId: actor.id,
      kind: 'linked',
      at: now,
      data: { other: id, otherNumber: ticket.number },
    });
  });
}

export async function listLinks(deps: Deps, actor: Actor, id: string) {
  await loadTicketFor(deps.db, actor, id);
  const rows = await deps.db
    .select({
      link: ticketLinks,
      number: tickets.number,
      status: tickets.status,
      subject: tickets.subject,
      otherId: tickets.id,
    })
    .from(ticketLinks)
    .innerJoin(
      tickets,
      or(
        and(eq(ticketLinks.ticketId, id), eq(tickets.id, ticketLinks.otherTicketId)),
        and(eq(ticketLinks.otherTicketId, id), eq(tickets.id, ticketLinks.ticketId)),
      ),
    )
    .where(or(eq(ticketLinks.ticketId, id), eq(ticketLinks.otherTicketId, id)));
  // A linked ticket the reader may not read is left out: not even its number or subject.
  const readable = await readableTicketIds(
    deps.db,
    actor,
    rows.map((r) => r.otherId),
  );
  return rows
    .filter((r) => readable.has(r.otherId))
    .map((r) => ({
      ticketId: r.otherId,
      number: r.number,
      status: r.status,
      subject: r.subject,
      kind: r.link.kind,
      direction: r.link.ticketId === id ? ('outgoing' as const) : ('incoming' as const),
      createdAt: r.link.createdAt.toISOString(),
    }));
}

type Param<T> = T | Placeholder;

/**
 * The customer's latest ticket of the category opened within the window before `now` (other than
 * `exceptId`): the one a new ticket of theirs in that category repeats. Its values may be
 * placeholders, for the new ticket's facts query (routeNewTicket), which reads it before the insert;
 * without a category (null) it reads nothing.
 */
export function latestOfCategory(
  db: DbOrTx,
  of: { customerId: Param<string>; categoryId: Param<string> | null; since: Param<Date>; exceptId?: string },
) {
  return db
    .select({ id: tickets.id, number: tickets.number })
    .from(tickets)
    .where(
      of.categoryId === null
        ? sql`false`
        : and(
            eq(tickets.customerId, of.customerId),
            eq(tickets.categoryId, of.categoryId),
            of.exceptId === undefined ? undefined : ne(tickets.id, of.exceptId),
            gt(tickets.createdAt, of.since),
          ),
    )
    .orderBy(desc(tickets.createdAt))
    .limit(1);
}

/** Where the repeat window of a contact at `now` starts. */
export const repeatWindowStart = (now: Date, windowDays = DEFAULT_REPEAT_WINDOW_DAYS) =>
  new Date(now.getTime() - windowDays * 86_400_000);

/**
 * Repeat contact: the customer had a ticket of the same category within the window. The new
 * ticket is flagged and linked to the latest such ticket (this feeds the repeat-contact KPI).
 * `known`: that ticket as the caller already read it (latestOfCategory; null: there is none).
 */
export async function detectRepeat(
  tx: Tx,
  ticket: { id: string; customerId: string; categoryId: string | null; isRepeat?: boolean },
  now: Date,
  windowDays = DEFAULT_REPEAT_WINDOW_DAYS,
  known?: { id: string; number: string } | null,
): Promise<boolean> {
  if (!ticket.categoryId || ticket.isRepeat) return false;
  const [earlier] =
    known === undefined
      ? await latestOfCategory(tx, {
          customerId: ticket.customerId,
          categoryId: ticket.categoryId,
          since: repeatWindowStart(now, windowDays),
          exceptId: ticket.id,
        })
      : [known];
  if (!earlier) return false;
  await recordEvent(tx, await markRepeat(tx, ticket.id, earlier, { windowDays }, now));
  return true;
}

/**
 * Flags a ticket as a repeat contact (重复来电) of an earlier one and links the two; returns the
 * timeline entry for the caller to record, with `data` saying how the repeat was found.
 */
export async function markRepeat(
  tx: Tx,
  ticketId: string,
  earlier: { id: string; number: string },
  data: Record<string, unknown>,
  now: Date,
): Promise<TimelineEntry> {
  await tx.update(tickets).set({ isRepeat: true }).where(eq(tickets.id, ticketId));
  await tx
    .insert(ticketLinks)
    .values({ ticketId, otherTicketId: earlier.id, kind: 'repeat', createdAt: now })
    .onConflictDoNothing();
  return {
    ticketId,
    actorId: null,
    kind: 'repeat_detected',
    at: now,
    data: { earlier: earlier.id, earlierNumber: earlier.number, ...data },
  };
}
