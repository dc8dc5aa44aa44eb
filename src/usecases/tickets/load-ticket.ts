import { and, eq, inArray, sql } from 'drizzle-orm';
import { alias, PgTransaction } from 'drizzle-orm/pg-core';
import { canReadTicket, type Actor, type TicketAccessFacts } from '../../core/auth/policy.js';
import { notFound } from '../../core/errors/app-error.js';
import type { Db, DbOrTx } from '../../db/client.js';
import { prepared, preparedOn } from '../../db/prepared.js';
import { agentCertifications, categories, customers, staff, subtasks, teams, tickets } from '../../db/schema.js';
import { missingCertifications } from '../../core/routing/assignment.js';

export type TicketRow = typeof tickets.$inferSelect;

/** The ticket's queue as access rules see it: restricted, and whether duty supervisors see it anyway. */
export type QueueAccess = { restricted: boolean | null; supervisorsSeeRestricted: boolean | null };

/** A ticket's queue's access columns, for a query that left-joins `teams` (no queue: unrestricted). */
export const queueAccessColumns = {
  restricted: teams.restricted,
  supervisorsSeeRestricted: teams.supervisorsSeeRestricted,
};

export const accessFacts = (t: TicketRow, queue: QueueAccess): TicketAccessFacts => ({
  teamId: t.teamId,
  teamRestricted: queue.restricted ?? false,
  supervisorsSeeRestricted: queue.supervisorsSeeRestricted ?? true,
  assigneeId: t.assigneeId,
  firstContactOwnerId: t.firstContactOwnerId,
});

/**
 * Loads a ticket the actor may read, or answers "not found" — the same answer as for an id that
 * does not exist, so ids of other teams' restricted tickets cannot be probed. `forUpdate` locks the
 * row for the rest of the transaction.
 */
export async function loadTicketFor(
  db: DbOrTx,
  actor: Actor,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<{ ticket: TicketRow; access: TicketAccessFacts }> {
  const query = (on: DbOrTx) =>
    on
      .select({ ticket: tickets, ...queueAccessColumns })
      .from(tickets)
      .leftJoin(teams, eq(teams.id, tickets.teamId))
      .where(eq(tickets.id, sql.placeholder('id')));
  const [row] = opts.forUpdate
    ? await query(db).for('update', { of: tickets }).execute({ id })
    : db instanceof PgTransaction
      ? await query(db).execute({ id })
      : await prepared(db, 'ticket_access', (d) => query(d).prepare('ticket_access')).execute({ id });
  if (!row) throw notFound('Ticket');
  return { ticket: row.ticket, access: await readableAccess(db, actor, row.ticket, row) };
}

/** The access facts of a loaded ticket, when `actor` may read it; "not found" otherwise. */
async function readableAccess(db: DbOrTx, actor: Actor, ticket: TicketRow, queue: QueueAccess) {
  const access = accessFacts(ticket, queue);
  if (actor.role === 'department') {
    const handed = await db
      .selectDistinct({ teamId: subtasks.teamId })
      .from(subtasks)
      .where(and(eq(subtasks.ticketId, ticket.id), eq(subtasks.status, 'open')));
    access.subtaskTeamIds = handed.map((s) => s.teamId);
  }
  if (!canReadTicket(actor, access)) throw notFound('Ticket');
  return access;
}

/**
 * Of the given tickets, those the actor may read, by the same rule as `loadTicketFor`: for
 * everything a response mentions about another ticket (links, timeline references, screen pops).
 */
export async function readableTicketIds(db: DbOrTx, actor: Actor, ids: readonly string[]): Promise<Set<string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Set();
  const rows = await db
    .select({
      id: tickets.id,
      teamId: tickets.teamId,
      assigneeId: tickets.assigneeId,
      firstContactOwnerId: tickets.firstContactOwnerId,
      ...queueAccessColumns,
    })
    .from(tickets)
    .leftJoin(teams, eq(teams.id, tickets.teamId))
    .where(inArray(tickets.id, unique));
  const handed =
    actor.role === 'department'
      ? await db
          .selectDistinct({ ticketId: subtasks.ticketId, teamId: subtasks.teamId })
          .from(subtasks)
          .where(and(inArray(subtasks.ticketId, unique), eq(subtasks.status, 'open')))
      : [];
  return new Set(
    rows
      .filter(({ id, restricted, supervisorsSeeRestricted, ...t }) =>
        canReadTicket(actor, {
          ...t,
          teamRestricted: restricted ?? false,
          supervisorsSeeRestricted: supervisorsSeeRestricted ?? true,
          subtaskTeamIds: handed.filter((s) => s.ticketId === id).map((s) => s.teamId),
        }),
      )
      .map((t) => t.id),
  );
}

const assignee = alias(staff, 'assignee');
const owner = alias(staff, 'owner');
const creator = alias(staff, 'creator');

/**
 * What a ticket page shows of the ticket in `tickets`, with the viewer's certifications at `now`
 * (placeholders `viewerId`, `now`). `tickets` is the table, or in insertNewTicket the ticket that
 * statement inserts: a data-modifying CTE of that name, so the new ticket's page costs no query of
 * its own. `qb`: the database, or the database with those CTEs.
 */
export const ticketDetailSelect = (qb: Pick<Db, 'select'>) =>
  qb
    .select({
      ticket: tickets,
      customer: { id: customers.id, name: customers.name, tier: customers.tier },
      category: { id: categories.id, code: categories.code, nameZh: categories.nameZh, nameEn: categories.nameEn },
      team: { id: teams.id, name: teams.name },
      queue: queueAccessColumns,
      assignee: { id: assignee.id, displayName: assignee.displayName },
      owner: { id: owner.id, displayName: owner.displayName },
      creator: { id: creator.id, displayName: creator.displayName },
      // The viewer's valid certifications, for the abilities the page offers them.
      viewerCertifications: sql<
        string[]
      >`(SELECT coalesce(array_agg(${agentCertifications.code}), '{}') FROM ${agentCertifications} WHERE ${agentCertifications.staffId} = ${sql.placeholder('viewerId')} AND (${agentCertifications.expiresAt} IS NULL OR ${agentCertifications.expiresAt} > ${sql.placeholder('now')}::timestamptz))`,
      openBlockingSubtasks:
        sql<number>`(SELECT count(*) FROM ${subtasks} WHERE ${subtasks.ticketId} = ${tickets.id} AND ${subtasks.blocking} AND ${subtasks.status} = 'open')`.mapWith(
          Number,
        ),
    })
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .leftJoin(categories, eq(categories.id, tickets.categoryId))
    .leftJoin(teams, eq(teams.id, tickets.teamId))
    .leftJoin(assignee, eq(assignee.id, tickets.assigneeId))
    .leftJoin(owner, eq(owner.id, tickets.firstContactOwnerId))
    .leftJoin(creator, eq(creator.id, tickets.createdById));

/**
 * Everything a ticket page shows, with the viewer's certifications at `now`, in one (prepared)
 * query on `on` (the database or a transaction).
 */
export async function loadTicketDetail(db: Db, on: DbOrTx, id: string, viewerId: string | null, now: Date) {
  const [row] = await preparedOn(db, on, 'ticket_detail', '', (d, name) =>
    ticketDetailSelect(d)
      .where(eq(tickets.id, sql.placeholder('id')))
      .prepare(name),
  ).execute({ id, viewerId, now: now.toISOString() });
  if (!row) throw notFound('Ticket');
  return row;
}
export type TicketDetail = Awaited<ReturnType<typeof loadTicketDetail>>;

/**
 * A ticket page for `actor` (not found if they may not read it): the detail, the access facts its
 * abilities follow from (with whether they hold the certifications it needs), and whether the
 * ticket it was merged into is one they may read.
 */
export async function readTicketFor(db: Db, actor: Actor, id: string, now: Date) {
  return ticketPageFor(db, actor, await loadTicketDetail(db, db, id, actor.id, now));
}

/** readTicketFor's page from a detail already loaded for `actor` (as a new ticket's, by its insert). */
export async function ticketPageFor(db: Db, actor: Actor, loaded: TicketDetail) {
  // The access rule is that of loadTicketFor, on the detail's queue columns.
  const { queue, viewerCertifications, ...detail } = loaded;
  const access = await readableAccess(
    db,
    actor,
    detail.ticket,
    queue ?? { restricted: null, supervisorsSeeRestricted: null },
  );
  const into = detail.ticket.mergedIntoId;
  const mergedIntoReadable = into === null || (await readableTicketIds(db, actor, [into])).has(into);
  const t = detail.ticket;
  const viewerCertified =
    missingCertifications(
      { type: t.type, grade: t.grade, channel: t.channel, customerTier: detail.customer.tier },
      new Set(viewerCertifications),
    ).length === 0;
  return { ...detail, access, mergedIntoReadable, viewerCertified };
}
