import { and, asc, desc, eq, gt, gte, inArray, isNotNull, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import type { Actor } from '../../core/auth/policy.js';
import { TICKET_NUMBER_PATTERN } from '../../core/tickets/ticket-number.js';
import type { TicketListQuery } from '../../contracts/tickets.js';
import { customers, staff, subtasks, teams, tickets } from '../../db/schema.js';
import { kpiDrillFilter } from '../kpi/drill.js';
import { viewerCertification } from '../routing/certifications.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { handedTo, visibleTo } from './visibility.js';
import { DUE_SOON_MS } from './queue-counts.js';
import type { Deps } from '../deps.js';

const Cursor = z.object({
  c: z.iso.datetime(),
  i: z.uuid(),
  p: z.number().int().optional(),
  d: z.iso.datetime().optional(),
});

const assignee = alias(staff, 'assignee');
const owner = alias(staff, 'owner');

/** The list's filters (visibility first): the same tickets for the list, its count and its exports. */
export function ticketListFilters(deps: Deps, actor: Actor, q: z.output<typeof TicketListQuery>): (SQL | undefined)[] {
  const filters: (SQL | undefined)[] = [visibleTo(actor)];
  if (q.status) filters.push(inArray(tickets.status, q.status));
  if (q.type) filters.push(inArray(tickets.type, q.type));
  if (q.grade) filters.push(inArray(tickets.grade, q.grade));
  if (q.assigneeId === 'none') filters.push(isNull(tickets.assigneeId));
  else if (q.assigneeId === 'me') filters.push(eq(tickets.assigneeId, actor.id));
  else if (q.assigneeId) filters.push(eq(tickets.assigneeId, q.assigneeId));
  if (q.teamId) filters.push(eq(tickets.teamId, q.teamId));
  if (q.customerId) filters.push(eq(tickets.customerId, q.customerId));
  if (q.customerTier) filters.push(inArray(tickets.customerTier, q.customerTier));
  if (q.createdFrom) filters.push(gte(tickets.createdAt, new Date(q.createdFrom)));
  if (q.createdTo) filters.push(lte(tickets.createdAt, new Date(q.createdTo)));
  if (q.categoryId) filters.push(eq(tickets.categoryId, q.categoryId));
  if (q.channel) filters.push(eq(tickets.channel, q.channel));
  if (q.region) filters.push(eq(customers.region, q.region));
  if (q.kpi) filters.push(kpiDrillFilter(q.kpi, q.factsFrom, q.factsTo));
  if (q.q) {
    const text = q.q.trim();
    if (TICKET_NUMBER_PATTERN.test(text.toUpperCase())) filters.push(eq(tickets.number, text.toUpperCase()));
    else {
      const terms = deps.indexText(text);
      // Every query word must occur; words come from the same segmenter that built the index.
      filters.push(sql`to_tsvector('simple', ${tickets.searchText}) @@ plainto_tsquery('simple', ${terms})`);
    }
  }

  const now = deps.clock.now();
  if (q.sla === 'breached') filters.push(lt(tickets.slaDueAt, now));
  if (q.sla === 'due_soon')
    filters.push(and(gte(tickets.slaDueAt, now), lt(tickets.slaDueAt, new Date(now.getTime() + DUE_SOON_MS))));
  if (q.sort === 'due') filters.push(isNotNull(tickets.slaDueAt));

  return filters;
}

/** How many tickets the list shows in all (every page), e.g. for an export's progress. */
export async function countTickets(deps: Deps, actor: Actor, q: z.output<typeof TicketListQuery>): Promise<number> {
  const [row] = await deps.db
    .select({ n: sql<number>`count(*)::float8`.mapWith(Number) })
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .leftJoin(teams, eq(teams.id, tickets.teamId))
    .where(and(...ticketListFilters(deps, actor, q)));
  return row?.n ?? 0;
}

export async function listTickets(deps: Deps, actor: Actor, q: z.output<typeof TicketListQuery>) {
  const filters = ticketListFilters(deps, actor, q);
  const cursor = decodeCursor(q.cursor, Cursor);
  if (cursor) filters.push(afterCursor(q.sort, cursor));
  const order =
    q.sort === 'created_asc'
      ? [asc(tickets.createdAt), asc(tickets.id)]
      : q.sort === 'priority'
        ? [asc(tickets.priority), desc(tickets.createdAt), desc(tickets.id)]
        : q.sort === 'due'
          ? [asc(tickets.slaDueAt), asc(tickets.id)]
          : [desc(tickets.createdAt), desc(tickets.id)];

  const rows = await deps.db
    .select({
      ticket: tickets,
      customer: { id: customers.id, name: customers.name, tier: customers.tier },
      assignee: { id: assignee.id, displayName: assignee.displayName },
      owner: { id: owner.id, displayName: owner.displayName },
      // What each row's abilities depend on beyond the row itself.
      teamRestricted: sql<boolean>`coalesce(${teams.restricted}, false)`.mapWith(Boolean),
      supervisorsSeeRestricted: sql<boolean>`coalesce(${teams.supervisorsSeeRestricted}, true)`.mapWith(Boolean),
      openBlockingSubtasks:
        sql<number>`(SELECT count(*) FROM ${subtasks} WHERE ${subtasks.ticketId} = ${tickets.id} AND ${subtasks.blocking} AND ${subtasks.status} = 'open')`.mapWith(
          Number,
        ),
      handedToMyTeam: handedTo(actor).mapWith(Boolean),
    })
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .leftJoin(teams, eq(teams.id, tickets.teamId))
    .leftJoin(assignee, eq(assignee.id, tickets.assigneeId))
    .leftJoin(owner, eq(owner.id, tickets.firstContactOwnerId))
    .where(and(...filters))
    .orderBy(...order)
    .limit(q.limit + 1);

  const certified = await viewerCertification(deps.db, actor, deps.clock.now());
  const page = rows.slice(0, q.limit).map(({ teamRestricted, supervisorsSeeRestricted, handedToMyTeam, ...row }) => ({
    ...row,
    viewerCertified: certified({
      type: row.ticket.type,
      grade: row.ticket.grade,
      channel: row.ticket.channel,
      customerTier: row.customer.tier,
    }),
    access: {
      teamId: row.ticket.teamId,
      teamRestricted,
      supervisorsSeeRestricted,
      assigneeId: row.ticket.assigneeId,
      firstContactOwnerId: row.ticket.firstContactOwnerId,
      subtaskTeamIds: handedToMyTeam && actor.teamId ? [actor.teamId] : [],
    },
  }));
  const last = page.at(-1)?.ticket;
  const nextCursor =
    rows.length > q.limit && last
      ? encodeCursor({
          c: last.createdAt.toISOString(),
          i: last.id,
          ...(q.sort === 'priority' ? { p: last.priority } : {}),
          ...(q.sort === 'due' && last.slaDueAt ? { d: last.slaDueAt.toISOString() } : {}),
        })
      : null;
  return { rows: page, nextCursor };
}

/** Row comparisons, so PostgreSQL continues an index scan at the cursor instead of filtering. */
function afterCursor(sort: z.output<typeof TicketListQuery>['sort'], c: z.output<typeof Cursor>): SQL {
  const at = c.c;
  switch (sort) {
    case 'created_asc':
      return sql`(${tickets.createdAt}, ${tickets.id}) > (${at}, ${c.i})`;
    case 'created_desc':
      return sql`(${tickets.createdAt}, ${tickets.id}) < (${at}, ${c.i})`;
    case 'priority': {
      const p = c.p ?? 4;
      return or(
        gt(tickets.priority, p),
        and(eq(tickets.priority, p), sql`(${tickets.createdAt}, ${tickets.id}) < (${at}, ${c.i})`),
      )!;
    }
    case 'due':
      return sql`(${tickets.slaDueAt}, ${tickets.id}) > (${c.d ?? c.c}, ${c.i})`;
    default:
      return sort satisfies never;
  }
}
