import { and, desc, eq, gte, lt, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { z } from 'zod';
import { canSupervise, type Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import { complianceShares, SCRIPT_COMPLIANCE_TARGET } from '../../core/quality/phrases.js';
import type { RiskAlertsQuery } from '../../contracts/quality.js';
import { replyChecks, riskHits, staff, teams, tickets } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { visibleTo } from '../tickets/visibility.js';

// What supervisors see of the automatic checks: script compliance per agent for a month, and the
// latest risk alerts (the board's live panel).

function requireSupervisor(actor: Actor) {
  if (!canSupervise(actor))
    throw new AppError('auth.forbidden', 'Quality figures are for supervisors and administrators');
}

/** The month `YYYY-MM` (default: the current one) as an interval in the service time zone. */
export function monthRange(month: string | undefined, now: Date, timeZone: string) {
  const start = month
    ? DateTime.fromISO(`${month}-01`, { zone: timeZone })
    : DateTime.fromJSDate(now, { zone: timeZone }).startOf('month');
  return { month: start.toFormat('yyyy-MM'), from: start.toJSDate(), to: start.plus({ months: 1 }).toJSDate() };
}

/**
 * Script compliance per agent for a month: public replies checked, those with the required
 * phrases and no forbidden one, and the share against the handbook's 98 % target.
 */
export async function readCompliance(deps: Deps, actor: Actor, monthParam: string | undefined) {
  requireSupervisor(actor);
  const { month, from, to } = monthRange(monthParam, deps.clock.now(), deps.timeZone);
  const n = (cond: ReturnType<typeof sql>) => sql<number>`count(*) filter (where ${cond})::int`;
  const rows = await deps.db
    .select({
      staffId: replyChecks.staffId,
      displayName: staff.displayName,
      replies: sql<number>`count(*)::int`,
      compliant: n(sql`${replyChecks.compliant}`),
      missingGreeting: n(sql`'greeting' = any(${replyChecks.missing})`),
      missingClosing: n(sql`'closing' = any(${replyChecks.missing})`),
      forbidden: n(sql`cardinality(${replyChecks.forbidden}) > 0`),
    })
    .from(replyChecks)
    .innerJoin(staff, eq(staff.id, replyChecks.staffId))
    .where(and(gte(replyChecks.createdAt, from), lt(replyChecks.createdAt, to)))
    .groupBy(replyChecks.staffId, staff.displayName)
    .orderBy(staff.displayName);
  const shares = complianceShares(rows);
  return {
    month,
    target: SCRIPT_COMPLIANCE_TARGET,
    agents: rows.map((r, i) => ({ ...r, share: shares[i]!.share, meetsTarget: shares[i]!.meetsTarget })),
  };
}

/** Risk words customers wrote recently, newest first, on tickets the viewer may read. */
export async function listRiskAlerts(deps: Deps, actor: Actor, query: z.output<typeof RiskAlertsQuery>) {
  requireSupervisor(actor);
  const since = new Date(deps.clock.now().getTime() - query.hours * 3_600_000);
  const rows = await deps.db
    .select({ hit: riskHits, number: tickets.number, subject: tickets.subject, status: tickets.status })
    .from(riskHits)
    .innerJoin(tickets, eq(tickets.id, riskHits.ticketId))
    .leftJoin(teams, eq(teams.id, tickets.teamId))
    .where(and(gte(riskHits.createdAt, since), visibleTo(actor)))
    .orderBy(desc(riskHits.createdAt), desc(riskHits.id))
    .limit(query.limit);
  return {
    items: rows.map(({ hit, number, subject, status }) => ({
      id: hit.id,
      ticketId: hit.ticketId,
      number,
      subject,
      status,
      channel: hit.channel,
      words: hit.words,
      gradeFrom: hit.gradeFrom,
      gradeTo: hit.gradeTo,
      createdAt: hit.createdAt.toISOString(),
    })),
  };
}
