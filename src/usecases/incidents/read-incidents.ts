import { and, asc, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import type { Actor } from '../../core/auth/policy.js';
import { notFound } from '../../core/errors/app-error.js';
import { ACTIVE_INCIDENT_STATUSES, incidentsForArea } from '../../core/incidents/incidents.js';
import { OPEN_STATUSES } from '../../core/tickets/state-machine.js';
import type { DbOrTx } from '../../db/client.js';
import {
  customers,
  incidentEvents,
  incidentLevels,
  incidentNotices,
  incidentRemedies,
  incidentUpdates,
  incidents,
  outbox,
  staff,
  teams,
  tickets,
} from '../../db/schema.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { Deps } from '../deps.js';
import { currentActiveIncidents } from './active-incidents.js';
import { incidentSettings, networkOpsTeamId } from './incident-access.js';
import { loadTicketFor } from '../tickets/load-ticket.js';

// Qualified by hand: in a query without joins drizzle leaves column names unqualified, and inside
// this subquery an unqualified "id" would be the ticket's own.
const linkedCount = (open: boolean) =>
  sql<number>`(select count(*)::int from ${tickets} lt where lt.incident_id = "incidents"."id"${
    open ? sql` and lt.status in ${[...OPEN_STATUSES]}` : sql``
  })`;

const summaryColumns = {
  id: incidents.id,
  number: incidents.number,
  title: incidents.title,
  category: incidents.category,
  level: incidents.level,
  areas: incidents.areas,
  status: incidents.status,
  startedAt: incidents.startedAt,
  expectedRepairAt: incidents.expectedRepairAt,
  createdAt: incidents.createdAt,
  linkedTickets: linkedCount(false),
  openTickets: linkedCount(true),
};

const Cursor = z.object({ at: z.string(), id: z.uuid() });

/** Incidents, newest first (every staff member reads them: agents need their status). */
export async function listIncidents(
  deps: Deps,
  _actor: Actor,
  q: { status: 'active' | 'closed' | 'all'; limit: number; cursor?: string | undefined },
) {
  const after = decodeCursor(q.cursor, Cursor);
  const rows = await deps.db
    .select(summaryColumns)
    .from(incidents)
    .where(
      and(
        q.status === 'active'
          ? inArray(incidents.status, [...ACTIVE_INCIDENT_STATUSES])
          : q.status === 'closed'
            ? inArray(incidents.status, ['resolved', 'reviewed'])
            : undefined,
        after
          ? or(
              lt(incidents.createdAt, new Date(after.at)),
              and(eq(incidents.createdAt, new Date(after.at)), lt(incidents.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(incidents.createdAt), desc(incidents.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map(({ createdAt: _c, ...r }) => ({
      ...r,
      startedAt: r.startedAt.toISOString(),
      expectedRepairAt: r.expectedRepairAt?.toISOString() ?? null,
    })),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ at: last.createdAt.toISOString(), id: last.id }) : null,
  };
}

const ref = (id: string | null, name: string | null) => (id && name !== null ? { id, displayName: name } : null);

/** An incident with its tickets, updates, remedies, timeline and notice figures, for the presenter. */
export async function readIncident(deps: Deps, id: string) {
  const db = deps.db;
  const creator = alias(staff, 'creator');
  const [row] = await db
    .select({ i: incidents, team: teams.name, creator: creator.displayName, ...summaryColumns })
    .from(incidents)
    .leftJoin(teams, eq(teams.id, incidents.teamId))
    .leftJoin(creator, eq(creator.id, incidents.createdById))
    .where(eq(incidents.id, id));
  if (!row) throw notFound('Incident');
  const i = row.i;
  const linked = await db
    .select({
      id: tickets.id,
      number: tickets.number,
      subject: tickets.subject,
      status: tickets.status,
      priority: tickets.priority,
      customerId: tickets.customerId,
      customerName: customers.name,
      createdAt: tickets.createdAt,
    })
    .from(tickets)
    .leftJoin(customers, eq(customers.id, tickets.customerId))
    .where(eq(tickets.incidentId, id))
    .orderBy(desc(tickets.createdAt))
    .limit(200);
  const updates = await db
    .select({ u: incidentUpdates, by: staff.displayName })
    .from(incidentUpdates)
    .leftJoin(staff, eq(staff.id, incidentUpdates.createdById))
    .where(eq(incidentUpdates.incidentId, id))
    .orderBy(desc(incidentUpdates.createdAt));
  const granter = alias(staff, 'granter');
  const decider = alias(staff, 'decider');
  const remedies = await db
    .select({
      r: incidentRemedies,
      customerName: customers.name,
      granter: granter.displayName,
      decider: decider.displayName,
    })
    .from(incidentRemedies)
    .leftJoin(customers, eq(customers.id, incidentRemedies.customerId))
    .leftJoin(granter, eq(granter.id, incidentRemedies.grantedById))
    .leftJoin(decider, eq(decider.id, incidentRemedies.decidedById))
    .where(eq(incidentRemedies.incidentId, id))
    .orderBy(desc(incidentRemedies.createdAt))
    .limit(500);
  const timeline = await db
    .select({ e: incidentEvents, by: staff.displayName })
    .from(incidentEvents)
    .leftJoin(staff, eq(staff.id, incidentEvents.actorId))
    .where(eq(incidentEvents.incidentId, id))
    .orderBy(asc(incidentEvents.id))
    .limit(500);
  const [notices] = await db
    .select({
      notified: sql<number>`count(*)::int`,
      delivered: sql<number>`count(*) filter (where ${outbox.state} in ('sent', 'logged'))::int`,
      contactedAfter: sql<number>`count(*) filter (where exists (select 1 from ${tickets} where ${tickets.customerId} = ${incidentNotices.customerId} and ${tickets.createdAt} > ${incidentNotices.createdAt}))::int`,
    })
    .from(incidentNotices)
    .leftJoin(outbox, eq(outbox.id, incidentNotices.outboxId))
    .where(eq(incidentNotices.incidentId, id));
  return {
    facts: {
      ...i,
      status: i.status,
      team: i.teamId && row.team ? { id: i.teamId, name: row.team } : null,
      createdBy: ref(i.createdById, row.creator),
      linkedTickets: row.linkedTickets,
      openTickets: row.openTickets,
      notices: notices ?? { notified: 0, delivered: 0, contactedAfter: 0 },
      tickets: linked,
      updates: updates.map(({ u, by }) => ({
        id: u.id,
        body: u.body,
        recipients: u.recipients,
        by: ref(u.createdById, by),
        createdAt: u.createdAt,
      })),
      remedies: remedies.map(({ r, customerName, granter: g, decider: d }) => ({
        id: r.id,
        customerId: r.customerId,
        customerName,
        ticketId: r.ticketId,
        kind: r.kind,
        amount: r.amount,
        unit: r.unit,
        status: r.status,
        note: r.note,
        grantedById: r.grantedById,
        grantedBy: ref(r.grantedById, g),
        decidedBy: ref(r.decidedById, d),
        createdAt: r.createdAt,
      })),
      timeline: timeline.map(({ e, by }) => ({
        id: e.id,
        kind: e.kind,
        data: e.data,
        by: ref(e.actorId, by),
        createdAt: e.createdAt,
      })),
    },
    ctx: {
      networkOpsTeamId: await networkOpsTeamId(db),
      now: deps.clock.now(),
      repairLimits: incidentSettings(deps).repairLimits,
      remedyThresholds: incidentSettings(deps).remedyThresholds,
    },
  };
}

export async function listIncidentLevels(db: DbOrTx) {
  return db.select().from(incidentLevels).orderBy(desc(incidentLevels.rank));
}

/**
 * The agents' banner: the active incidents of the customer's area (the new-ticket form for a
 * caller), or of the ticket's customer (the ticket page), saying which one the ticket is linked to.
 */
export async function incidentBanner(
  deps: Deps,
  actor: Actor,
  q: { customerId?: string | undefined; ticketId?: string | undefined },
) {
  let customerId = q.customerId ?? null;
  let linkedId: string | null = null;
  if (q.ticketId) {
    const { ticket } = await loadTicketFor(deps.db, actor, q.ticketId);
    customerId = ticket.customerId;
    linkedId = ticket.incidentId;
  }
  if (!customerId) return [];
  const [customer] = await deps.db
    .select({ region: customers.region })
    .from(customers)
    .where(eq(customers.id, customerId));
  const active = await currentActiveIncidents(deps.db);
  const shown = incidentsForArea(customer?.region ?? null, active);
  // A ticket linked by hand to an incident of another area still shows it.
  const linked = linkedId && !shown.some((i) => i.id === linkedId) ? active.filter((i) => i.id === linkedId) : [];
  return [...linked, ...shown].map((i) => ({
    id: i.id,
    number: i.number,
    title: i.title,
    status: i.status,
    level: i.level,
    areas: [...i.areas],
    expectedRepairAt: i.expectedRepairAt?.toISOString() ?? null,
    agentScript: i.agentScript,
    publicMessage: i.publicMessage,
    linked: i.id === linkedId,
  }));
}
