import { and, asc, count, eq, gte, lt, sql } from 'drizzle-orm';
import type { Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import { dueAt, elapsed, remaining, stateOf } from '../../core/sla/target-clock.js';
import { slaTargets, tickets } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { loadTicketFor } from '../tickets/load-ticket.js';
import { loadCalendarMath } from './calendars.js';
import { clockOf } from './target-rows.js';

/**
 * Each target of a ticket with its state now: what the desk shows as countdowns. A running target
 * consumes time only while its calendar is open; `counting` and `countingChangesAt` let a client
 * tick the remaining business time down (or hold it) without knowing the calendar.
 */
export async function readTicketSla(deps: Deps, actor: Actor, ticketId: string) {
  await loadTicketFor(deps.db, actor, ticketId);
  const now = deps.clock.now();
  const rows = await deps.db
    .select()
    .from(slaTargets)
    .where(eq(slaTargets.ticketId, ticketId))
    .orderBy(asc(slaTargets.createdAt), asc(slaTargets.metric));
  const calendars = await loadCalendarMath(
    deps.db,
    rows.map((r) => r.calendarId),
  );
  const items = rows.map((row) => {
    const cal = calendars(row.calendarId);
    const clock = clockOf(row);
    const due = dueAt(clock, cal);
    const phase = clock.runningSince && !clock.metAt ? cal.phaseAt(now) : { open: false, until: null };
    return {
      metric: row.metric,
      policyId: row.policyId,
      calendarId: row.calendarId,
      limitMinutes: Math.round(row.limitMs / 60_000),
      state: stateOf(clock, now, cal),
      dueAt: due?.toISOString() ?? null,
      elapsedMs: elapsed(clock, now, cal),
      remainingMs: remaining(clock, now, cal),
      breachedAt: row.breachedAt?.toISOString() ?? null,
      metAt: row.metAt?.toISOString() ?? null,
      counting: phase.open,
      countingChangesAt: phase.until?.toISOString() ?? null,
    };
  });
  return { asOf: now.toISOString(), items };
}

/**
 * Compliance per policy, team and agent over targets created in [from, to): how many targets,
 * how many breached, and the share kept. Team and agent are those holding the ticket at breach
 * (for kept targets: the ticket's current team and assignee).
 */
export async function slaReport(deps: Deps, actor: Actor, range: { from: Date; to: Date }) {
  if (!['supervisor', 'admin', 'qa'].includes(actor.role))
    throw new AppError('auth.forbidden', 'Reports are for supervisors, QA and administrators');
  const inRange = and(gte(slaTargets.createdAt, range.from), lt(slaTargets.createdAt, range.to));
  const breached = sql<number>`count(*) filter (where ${slaTargets.breachedAt} is not null)`.mapWith(Number);
  const team = sql<string | null>`coalesce(${slaTargets.breachTeamId}, ${tickets.teamId})`;
  const agent = sql<string | null>`coalesce(${slaTargets.breachAssigneeId}, ${tickets.assigneeId})`;
  const group = async (key: typeof team | typeof slaTargets.policyId) =>
    (
      await deps.db
        .select({ key, targets: count(), breached })
        .from(slaTargets)
        .innerJoin(tickets, eq(tickets.id, slaTargets.ticketId))
        .where(inRange)
        .groupBy(key)
    ).map((r) => ({
      key: r.key,
      targets: r.targets,
      breached: r.breached,
      compliance: r.targets ? 1 - r.breached / r.targets : 1,
    }));
  const [byPolicy, byTeam, byAgent, tix] = await Promise.all([
    group(slaTargets.policyId),
    group(team),
    group(agent),
    deps.db
      .select({
        total: sql<number>`count(distinct ${slaTargets.ticketId})`.mapWith(Number),
        breached:
          sql<number>`count(distinct ${slaTargets.ticketId}) filter (where ${slaTargets.breachedAt} is not null)`.mapWith(
            Number,
          ),
      })
      .from(slaTargets)
      .where(inRange),
  ]);
  const t = tix[0] ?? { total: 0, breached: 0 };
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    tickets: t.total,
    ticketsBreached: t.breached,
    /** 工单超时率: share of tickets that breached any limit (handbook target ≤ 5 %). */
    timeoutRate: t.total ? t.breached / t.total : 0,
    byPolicy,
    byTeam,
    byAgent,
  };
}
