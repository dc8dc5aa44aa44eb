import { and, asc, eq, gt, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Actor } from '../../core/auth/policy.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import { detectCandidates, groupNeedsCandidate, incidentCategoryFor } from '../../core/incidents/incidents.js';
import { applyActions } from '../../core/tickets/actions.js';
import { OPEN_STATUSES } from '../../core/tickets/state-machine.js';
import type { Priority } from '../../core/tickets/types.js';
import type { z } from 'zod';
import type { CandidateConfirmBody } from '../../contracts/incidents.js';
import type { Tx } from '../../db/client.js';
import { categories, customers, incidentCandidates, incidentLevels, tickets } from '../../db/schema.js';
import { categoryPathOf } from '../routing/route-ticket.js';
import { priorityWeightsOf } from '../admin/settings.js';
import type { Deps } from '../deps.js';
import { recordEvents } from '../tickets/record-event.js';
import { currentActiveIncidents } from './active-incidents.js';
import { createIncidentIn } from './create-incident.js';
import { announce, incidentSettings, recordIncidentEvent, requireIncidentManager } from './incident-access.js';

// Candidate incidents (issue 17): the detection job proposes one when N or more fault tickets or
// complaints of one category in one area arrive within the window; a person confirms it (it
// becomes an incident and the tickets that raised it are linked) or dismisses it.

const MAX_SIGNALS = 50_000;

/**
 * The detection job: reads the recent unlinked fault tickets and complaints, lets the core find
 * the groups over the threshold, and proposes (or refreshes) one open candidate per category and
 * area. Safe on several nodes: the open candidate is unique per category and area, so two nodes
 * detecting the same burst write one row.
 */
export async function detectIncidentCandidates(deps: Deps): Promise<{ proposed: number; refreshed: number }> {
  const now = deps.clock.now();
  const { detection } = incidentSettings(deps);
  const since = new Date(now.getTime() - detection.windowMinutes * 60_000);
  const rows = await deps.db
    .select({ categoryCode: categories.code, region: customers.region, at: tickets.createdAt })
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .innerJoin(categories, eq(categories.id, tickets.categoryId))
    .where(
      and(
        gt(tickets.createdAt, since),
        inArray(tickets.type, ['fault', 'complaint']),
        isNull(tickets.incidentId),
        isNotNull(customers.region),
      ),
    )
    .limit(MAX_SIGNALS);
  const groups = detectCandidates(
    rows.map((r) => ({ categoryCode: r.categoryCode, region: r.region!, at: r.at })),
    now,
    detection,
  );
  if (groups.length === 0) return { proposed: 0, refreshed: 0 };
  const decided = await deps.db
    .select({ code: incidentCandidates.categoryCode, region: incidentCandidates.region })
    .from(incidentCandidates)
    .where(gt(incidentCandidates.decidedAt, since));
  const decidedSince = new Set(decided.map((d) => `${d.code}|${d.region}`));
  const active = await currentActiveIncidents(deps.db);
  const paths = new Map<string, string[]>();
  let proposed = 0;
  let refreshed = 0;
  for (const g of groups) {
    if (!paths.has(g.categoryCode)) {
      const [p] = await deps.db
        .select({ path: categoryPathOf(categories.id) })
        .from(categories)
        .where(eq(categories.code, g.categoryCode));
      paths.set(g.categoryCode, p?.path ?? [g.categoryCode]);
    }
    if (!groupNeedsCandidate(g, paths.get(g.categoryCode)!, active, decidedSince)) continue;
    await deps.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(incidentCandidates)
        .values({
          id: uuidv7(),
          categoryCode: g.categoryCode,
          region: g.region,
          ticketCount: g.count,
          firstAt: g.firstAt,
          lastAt: g.lastAt,
          createdAt: now,
        })
        .onConflictDoUpdate({
          target: [incidentCandidates.categoryCode, incidentCandidates.region],
          targetWhere: sql`${incidentCandidates.status} = 'open'`,
          set: { ticketCount: g.count, lastAt: g.lastAt },
          setWhere: sql`${incidentCandidates.ticketCount} <> ${g.count}`,
        })
        .returning({ id: incidentCandidates.id, createdAt: incidentCandidates.createdAt });
      if (!row) return;
      if (row.createdAt.getTime() === now.getTime()) proposed++;
      else refreshed++;
      await announce(tx, { kind: 'candidate', id: row.id });
    });
  }
  return { proposed, refreshed };
}

/** The open candidates for the supervisor board, the largest first. */
export async function listCandidates(deps: Deps, actor: Actor) {
  await requireIncidentManager(deps.db, actor);
  const rows = await deps.db
    .select({
      c: incidentCandidates,
      nameZh: categories.nameZh,
      nameEn: categories.nameEn,
      path: categoryPathOf(categories.id),
    })
    .from(incidentCandidates)
    .leftJoin(categories, eq(categories.code, incidentCandidates.categoryCode))
    .where(eq(incidentCandidates.status, 'open'))
    .orderBy(sql`${incidentCandidates.ticketCount} desc`, asc(incidentCandidates.createdAt))
    .limit(100);
  return rows.map(({ c, nameZh, nameEn, path }) => ({
    id: c.id,
    categoryCode: c.categoryCode,
    categoryName: nameZh !== null && nameEn !== null ? { zh: nameZh, en: nameEn } : null,
    region: c.region,
    ticketCount: c.ticketCount,
    firstAt: c.firstAt.toISOString(),
    lastAt: c.lastAt.toISOString(),
    proposedCategory: incidentCategoryFor(path ?? [c.categoryCode]),
  }));
}

async function lockOpenCandidate(tx: Tx, id: string) {
  const [c] = await tx.select().from(incidentCandidates).where(eq(incidentCandidates.id, id)).for('update');
  if (!c) throw notFound('Candidate');
  if (c.status !== 'open')
    throw new AppError('incident.candidate_decided', `This candidate was already ${c.status}`, { status: c.status });
  return c;
}

/**
 * Confirms a candidate: it becomes an incident of its area and category (started when its first
 * ticket arrived), and the open unlinked tickets that raised it are linked and raised to its level.
 */
export async function confirmCandidate(
  deps: Deps,
  actor: Actor,
  id: string,
  input: z.output<typeof CandidateConfirmBody>,
): Promise<{ incidentId: string; linked: number }> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    await requireIncidentManager(tx, actor);
    const c = await lockOpenCandidate(tx, id);
    const [cat] = await tx
      .select({ nameZh: categories.nameZh, path: categoryPathOf(categories.id) })
      .from(categories)
      .where(eq(categories.code, c.categoryCode));
    const incident = await createIncidentIn(
      tx,
      deps,
      actor,
      {
        title: input.title ?? `${c.region}${cat?.nameZh ?? c.categoryCode}`,
        category: incidentCategoryFor(cat?.path ?? [c.categoryCode]),
        level: input.level,
        areas: [c.region],
        locations: [],
        services: [],
        ticketCategories: [c.categoryCode],
        matchWords: '',
        regionType: 'city',
        publicMessage: input.publicMessage,
        agentScript: input.agentScript,
        startedAt: c.firstAt.toISOString(),
        expectedRepairAt: input.expectedRepairAt ?? null,
        notifyCustomers: input.notifyCustomers,
      },
      { detectedAt: c.createdAt, candidateId: c.id },
    );
    const incidentId = incident.id;
    await tx
      .update(incidentCandidates)
      .set({ status: 'confirmed', incidentId, decidedById: actor.id, decidedAt: now })
      .where(eq(incidentCandidates.id, id));
    const linked = await linkCandidateTickets(tx, deps, c, incident, input.level, now);
    await recordIncidentEvent(tx, {
      incidentId,
      actorId: actor.id,
      kind: 'tickets_linked',
      data: { count: linked },
      at: now,
    });
    await announce(tx, { kind: 'candidate', id });
    return { incidentId, linked };
  });
}

async function linkCandidateTickets(
  tx: Tx,
  deps: Deps,
  c: typeof incidentCandidates.$inferSelect,
  incident: { id: string; number: string },
  level: string,
  now: Date,
): Promise<number> {
  const { id: incidentId, number } = incident;
  const [lvl] = await tx
    .select({ priority: incidentLevels.priority })
    .from(incidentLevels)
    .where(eq(incidentLevels.code, level));
  const weights = await priorityWeightsOf(tx, deps);
  const rows = await tx
    .select({ t: tickets, tier: customers.tier })
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .innerJoin(categories, eq(categories.id, tickets.categoryId))
    .where(
      and(
        eq(categories.code, c.categoryCode),
        eq(customers.region, c.region),
        isNull(tickets.incidentId),
        inArray(tickets.status, [...OPEN_STATUSES]),
        gt(tickets.createdAt, new Date(c.firstAt.getTime() - 1)),
      ),
    )
    .orderBy(asc(tickets.id))
    .limit(5000)
    .for('update', { of: tickets });
  for (const { t, tier } of rows) {
    const { ticket } = applyActions(
      { ...t, priority: t.priority as Priority },
      [{ kind: 'priority_floor', priority: lvl?.priority ?? 2 }],
      { tier, weights },
    );
    await tx
      .update(tickets)
      .set({
        incidentId,
        priority: ticket.priority,
        priorityFloor: ticket.priorityFloor,
        updatedAt: now,
        version: t.version + 1,
      })
      .where(eq(tickets.id, t.id));
  }
  await recordEvents(
    tx,
    rows.map(({ t }) => ({
      ticketId: t.id,
      actorId: null,
      kind: 'incident_linked' as const,
      at: now,
      data: { incidentId, incidentNumber: number, by: 'auto' as const },
    })),
  );
  return rows.length;
}

export async function dismissCandidate(deps: Deps, actor: Actor, id: string): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await requireIncidentManager(tx, actor);
    await lockOpenCandidate(tx, id);
    await tx
      .update(incidentCandidates)
      .set({ status: 'dismissed', decidedById: actor.id, decidedAt: now })
      .where(eq(incidentCandidates.id, id));
    await announce(tx, { kind: 'candidate', id });
  });
}
