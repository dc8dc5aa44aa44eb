import { and, asc, between, eq, gte, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import { canSupervise, type Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import {
  agentBases,
  appraise,
  rank,
  scoresFromBases,
  type AgentFacts,
  type AppraisalsData,
} from '../../core/kpi/appraisal.js';
import { instantsOf, periodDays, type AppraisalPeriod } from '../../core/kpi/periods.js';
import type { DbOrTx } from '../../db/client.js';
import { callbacks, kpiDailyFacts, kpiDailyQuality, kpiDailySurveyMarginals, staff, surveys } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { kpiSettingsOf } from './kpi-settings.js';

// Agent appraisal (issue 16): per agent and month, quarter or year, a weighted score from the
// KPI roll-up (tickets held), the survey roll-up (CSAT of the surveys about the tickets they
// resolved), the callbacks that became complaints, and the quality roll-up. Supervisors see a team's table, ranked; an agent sees their own sheet.

type Query = { period: AppraisalPeriod; key: string; teamId?: string | undefined };

function daysOf(q: Query): { from: string; to: string } {
  const days = periodDays(q.period, q.key);
  if (!days)
    throw new AppError('kpi.invalid_period', `${q.key} is not a ${q.period} (2026-11, 2026-Q4 or 2026)`, {
      period: q.period,
      key: q.key,
    });
  return days;
}

/** The appraisal table of a team (or of every agent for an administrator without a team), ranked. */
export async function readAppraisals(deps: Deps, actor: Actor, q: Query): Promise<AppraisalsData> {
  if (!canSupervise(actor)) throw new AppError('auth.forbidden', 'Only supervisors and administrators see appraisals');
  const teamId = q.teamId ?? (actor.role === 'supervisor' ? (actor.teamId ?? undefined) : undefined);
  const agents = await deps.db
    .select({ id: staff.id, displayName: staff.displayName, teamId: staff.teamId })
    .from(staff)
    .where(and(eq(staff.role, 'agent'), eq(staff.active, true), teamId ? eq(staff.teamId, teamId) : undefined))
    .orderBy(asc(staff.displayName))
    .limit(500);
  return appraisalsOf(deps, q, agents);
}

/** The caller's own appraisal sheet (any member of staff). */
export async function readOwnAppraisal(deps: Deps, actor: Actor, q: Query): Promise<AppraisalsData> {
  const me = await deps.db
    .select({ id: staff.id, displayName: staff.displayName, teamId: staff.teamId })
    .from(staff)
    .where(eq(staff.id, actor.id));
  const data = await appraisalsOf(deps, q, me);
  // Alone, a rank would always be 1: it is only meaningful in the team's table.
  return { ...data, sheets: data.sheets.map((s) => ({ ...s, rank: null })) };
}

async function appraisalsOf(
  deps: Deps,
  q: Query,
  agents: { id: string; displayName: string; teamId: string | null }[],
): Promise<AppraisalsData> {
  const { from, to } = daysOf(q);
  const settings = await kpiSettingsOf(deps.db);
  const facts = await readAgentFacts(
    deps.db,
    agents.map((a) => a.id),
    from,
    to,
    deps.timeZone,
  );
  const sheets = agents.map((agent) => {
    const bases = agentBases(facts.get(agent.id) ?? emptyFacts());
    const appraisal = appraise(scoresFromBases(bases), settings.weights);
    return { ...appraisal, agent, bases, name: agent.displayName };
  });
  return {
    period: q.period,
    key: q.key,
    from,
    to,
    settings,
    sheets: rank(sheets).map(({ name: _name, ...s }) => s),
  };
}

const emptyFacts = (): AgentFacts => ({
  measures: { resolved: 0, fcr: 0, within_target: 0 },
  firstResponse: { met: 0, breached: 0 },
  csat: { sum: 0, answers: 0 },
  complaints: 0,
  quality: { reviews: 0, score_tenths: 0 },
});

const num = (col: unknown) => sql<number>`coalesce(sum(${col}), 0)::float8`.mapWith(Number);

async function readAgentFacts(
  db: DbOrTx,
  ids: string[],
  from: string,
  to: string,
  timeZone: string,
): Promise<Map<string, AgentFacts>> {
  const out = new Map<string, AgentFacts>();
  if (ids.length === 0) return out;
  const { start, end } = instantsOf(from, to, timeZone);
  const f = kpiDailyFacts;
  const sm = kpiDailySurveyMarginals;
  const [tickets, firstResponse, csat, complaints, quality] = await Promise.all([
    db
      .select({ agent: f.agentId, resolved: num(f.resolved), fcr: num(f.fcr), within: num(f.withinTarget) })
      .from(f)
      .where(and(between(f.day, from, to), eq(f.metric, ''), inArray(f.agentId, ids)))
      .groupBy(f.agentId),
    db
      .select({ agent: f.agentId, met: num(f.slaMet), breached: num(f.slaBreached) })
      .from(f)
      .where(and(between(f.day, from, to), eq(f.metric, 'first_response'), inArray(f.agentId, ids)))
      .groupBy(f.agentId),
    // CSAT from the survey roll-up's agent rows (by the day of the answer), never the surveys.
    db
      .select({
        agent: sm.key,
        sum: sql<number>`coalesce(sum(${sm.csat_1} + 2 * ${sm.csat_2} + 3 * ${sm.csat_3} + 4 * ${sm.csat_4} + 5 * ${sm.csat_5}), 0)::float8`.mapWith(
          Number,
        ),
        answers:
          sql<number>`coalesce(sum(${sm.csat_1} + ${sm.csat_2} + ${sm.csat_3} + ${sm.csat_4} + ${sm.csat_5}), 0)::float8`.mapWith(
            Number,
          ),
      })
      .from(sm)
      .where(and(eq(sm.dim, 'agent'), inArray(sm.key, ids), between(sm.day, from, to)))
      .groupBy(sm.key),
    db
      .select({ agent: surveys.agentId, n: sql<number>`count(*)::float8`.mapWith(Number) })
      .from(callbacks)
      .innerJoin(surveys, eq(surveys.id, callbacks.surveyId))
      .where(
        and(
          inArray(surveys.agentId, ids),
          isNotNull(callbacks.complaintTicketId),
          gte(callbacks.createdAt, start),
          lt(callbacks.createdAt, end),
        ),
      )
      .groupBy(surveys.agentId),
    db
      .select({
        agent: kpiDailyQuality.agentId,
        reviews: num(kpiDailyQuality.reviews),
        tenths: num(kpiDailyQuality.scoreTenths),
      })
      .from(kpiDailyQuality)
      .where(and(between(kpiDailyQuality.day, from, to), inArray(kpiDailyQuality.agentId, ids)))
      .groupBy(kpiDailyQuality.agentId),
  ]);
  const of = (id: string | null) => {
    const key = id ?? '';
    let x = out.get(key);
    if (!x) out.set(key, (x = emptyFacts()));
    return x;
  };
  for (const r of tickets) of(r.agent).measures = { resolved: r.resolved, fcr: r.fcr, within_target: r.within };
  for (const r of firstResponse) of(r.agent).firstResponse = { met: r.met, breached: r.breached };
  for (const r of csat) of(r.agent).csat = { sum: r.sum, answers: r.answers };
  for (const r of complaints) of(r.agent).complaints = r.n;
  for (const r of quality) of(r.agent).quality = { reviews: r.reviews, score_tenths: r.tenths };
  return out;
}
