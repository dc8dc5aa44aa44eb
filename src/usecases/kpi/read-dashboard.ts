import type { z } from 'zod';
import { and, asc, between, eq, getTableColumns, gte, inArray, lt, ne, sql, type SQL } from 'drizzle-orm';
import { canSupervise, type Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import { allKpis, handlingByType, meanHandling, type SurveyFacts } from '../../core/kpi/formulas.js';
import { SURVEY_MEASURES, surveyFactsOf, type SurveyMeasure } from '../../core/kpi/survey-facts.js';
import { risingFastest, type HotIssue } from '../../core/kpi/hot-issues.js';
import { bucketOf, bucketsBetween, instantsOf, lastDays, shiftDay, type Granularity } from '../../core/kpi/periods.js';
import { BREAKDOWN_DIMS, type BreakdownDim, type BreakdownRow, type DashboardData } from '../../core/kpi/dashboard.js';
import { emptyMeasures, MEASURES, type Measure, type Measures } from '../../core/kpi/ticket-facts.js';
import { emptyQuality, type QualityMeasures } from '../../core/kpi/quality.js';
import { SLA_METRICS } from '../../core/sla/sla-policy.js';
import { OPEN_STATUSES } from '../../core/tickets/state-machine.js';
import type { TicketType } from '../../core/tickets/types.js';
import { DashboardQuery, type DashboardRequest } from '../../contracts/kpi.js';
import type { DbOrTx } from '../../db/client.js';
import {
  callbacks,
  categories,
  customers,
  kpiCursors,
  kpiDailyFacts,
  kpiDailyMarginals,
  kpiDailyQuality,
  kpiDailySurveyMarginals,
  kpiDailySurveys,
  kpiDailyWords,
  kpiSubscriberBase,
  staff,
  surveys,
  teams,
  tickets,
} from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { kpiSettingsOf } from './kpi-settings.js';
import { contactCentreFacts } from '../contact-centre/read-wallboard.js';
import { emptyCcMeasures } from '../../core/contact-centre/figures.js';

// The dashboard reads the daily roll-up (kpi_daily_facts) for everything about tickets, the survey
// roll-up (kpi_daily_surveys, 0049) and the callbacks of the period for satisfaction, and the open
// backlog (a partial index of open tickets) for ageing: never the ticket history nor raw surveys.
// Without filters, or with one, it reads the roll-ups summed by one dimension at a time
// (kpi_daily_marginals, kpi_daily_survey_marginals: a few hundred rows a day); with filters, the
// breakdowns come from the full grain (about one row per ticket) narrowed by them, in one pass.

const DIM_COLUMN = {
  team: kpiDailyFacts.teamId,
  agent: kpiDailyFacts.agentId,
  type: kpiDailyFacts.type,
  category: kpiDailyFacts.categoryId,
  channel: kpiDailyFacts.channel,
  region: kpiDailyFacts.region,
} as const;

const MEASURE_COLUMN: Record<Measure, (typeof kpiDailyFacts)['contacts']> = {
  contacts: kpiDailyFacts.contacts,
  repeats: kpiDailyFacts.repeats,
  complaints: kpiDailyFacts.complaints,
  appeals: kpiDailyFacts.appeals,
  resolved: kpiDailyFacts.resolved,
  fcr: kpiDailyFacts.fcr,
  reopened: kpiDailyFacts.reopened,
  transferred: kpiDailyFacts.transferred,
  handling_ms: kpiDailyFacts.handlingMs,
  handling_business_ms: kpiDailyFacts.handlingBusinessMs,
  handling_business_n: kpiDailyFacts.handlingBusinessN,
  within_target: kpiDailyFacts.withinTarget,
  first_responses: kpiDailyFacts.firstResponses,
  first_response_ms: kpiDailyFacts.firstResponseMs,
  with_limits: kpiDailyFacts.withLimits,
  breached: kpiDailyFacts.breached,
  sla_met: kpiDailyFacts.slaMet,
  sla_breached: kpiDailyFacts.slaBreached,
};

/** Sums of every measure, as numbers on both engines. */
export const measureSums = () =>
  Object.fromEntries(
    MEASURES.map((m) => [m, sql<number>`coalesce(sum(${MEASURE_COLUMN[m]}), 0)::float8`.mapWith(Number)]),
  ) as Record<Measure, SQL.Aliased<number> | SQL<number>>;

// Measures are named as their SQL columns.
const MARGINAL_COLUMN = Object.fromEntries(
  MEASURES.map((m) => [m, Object.values(getTableColumns(kpiDailyMarginals)).find((c) => c.name === m)!]),
) as Record<Measure, (typeof kpiDailyMarginals)['contacts']>;

/** Sums of every measure of the per-dimension roll-up. */
const marginalSums = () =>
  Object.fromEntries(
    MEASURES.map((m) => [m, sql<number>`coalesce(sum(${MARGINAL_COLUMN[m]}), 0)::float8`.mapWith(Number)]),
  ) as Record<Measure, SQL<number>>;

const noFilters = (f: Filters) => !f.teamId && !f.agentId && !f.type && !f.categoryId && !f.channel && !f.region;

/** Per-dimension roll-up rows of one dimension ('' = the centre), its value, and the days asked for. */
const marginalFilter = (
  dim: '' | BreakdownDim,
  key: string,
  from: string,
  to: string,
  metric: 'tickets' | 'sla' = 'tickets',
) =>
  and(
    eq(kpiDailyMarginals.dim, dim),
    metric === 'tickets' ? eq(kpiDailyMarginals.metric, '') : ne(kpiDailyMarginals.metric, ''),
    between(kpiDailyMarginals.day, from, to),
    eq(kpiDailyMarginals.key, key),
  )!;

type KeyedMeasures = { key: unknown } & Record<Measure, number>;

/**
 * The roll-up queries of the dashboard. Without filters, or with one, the totals, the trend and
 * the SLA outcomes come from the per-dimension roll-up (the centre's rows, or the rows of the one
 * team, agent, type, category, channel or region asked for); so do the breakdowns without filters.
 * Breakdowns with filters need the full grain narrowed by them: all six are read in one pass
 * (GROUPING SETS). Both give the same figures (the facts job keeps them from the same differences).
 */
function factReader(db: DbOrTx, f: Filters) {
  const one = noFilters(f) ? { dim: '' as const, key: '' } : singleFilter(f);
  const m = kpiDailyMarginals;
  const t = kpiDailyFacts;
  const mSums = marginalSums();
  const sums = measureSums();
  const fullByKey = (dim: BreakdownDim, from: string, to: string, limit?: number) => {
    const col = DIM_COLUMN[dim];
    const q = db
      .select({ key: col, ...sums })
      .from(t)
      .where(and(factFilter(from, to, f), dim === 'category' && limit === undefined ? ne(col, '') : undefined))
      .groupBy(col)
      .orderBy(sql`sum(${t.contacts}) DESC`, asc(col));
    return limit === undefined ? q : q.limit(limit);
  };
  const marginalByKey = (dim: BreakdownDim, key: string | null, from: string, to: string, limit?: number) => {
    const q = db
      .select({ key: m.key, ...mSums })
      .from(m)
      .where(
        and(
          eq(m.dim, dim),
          eq(m.metric, ''),
          between(m.day, from, to),
          key === null ? undefined : eq(m.key, key),
          dim === 'category' && limit === undefined ? ne(m.key, '') : undefined,
        ),
      )
      .groupBy(m.key)
      .orderBy(sql`sum(${m.contacts}) DESC`, asc(m.key));
    return limit === undefined ? q : q.limit(limit);
  };
  /** Contacts by each dimension (top `limit` of each) in one pass over the full grain. */
  const fullBreakdowns = async (from: string, to: string, limit: number) => {
    const cols = BREAKDOWN_DIMS.map((d) => DIM_COLUMN[d]);
    const dimOf = sql.join(
      [sql`CASE`, ...BREAKDOWN_DIMS.map((d) => sql`WHEN grouping(${DIM_COLUMN[d]}) = 0 THEN ${d}`), sql`END`],
      sql` `,
    );
    const keyOf = sql`coalesce(${sql.join(cols, sql`, `)})`;
    const rows = await db
      .select({ dim: sql<BreakdownDim>`${dimOf}`, key: sql<string>`${keyOf}`, ...sums })
      .from(t)
      .where(factFilter(from, to, f))
      .groupBy(
        sql`GROUPING SETS (${sql.join(
          cols.map((c) => sql`(${c})`),
          sql`, `,
        )})`,
      )
      .orderBy(sql`1`, sql`sum(${t.contacts}) DESC`, sql`2`);
    const out = Object.fromEntries(BREAKDOWN_DIMS.map((d) => [d, [] as KeyedMeasures[]])) as Record<
      BreakdownDim,
      KeyedMeasures[]
    >;
    for (const r of rows) if (out[r.dim].length < limit) out[r.dim].push(r);
    return out;
  };
  if (one) {
    const narrowed = (from: string, to: string, metric: 'tickets' | 'sla' = 'tickets') =>
      marginalFilter(one.dim, one.key, from, to, metric);
    return {
      total: (from: string, to: string) => db.select(mSums).from(m).where(narrowed(from, to)),
      byDay: (from: string, to: string) =>
        db
          .select({ day: m.day, ...mSums })
          .from(m)
          .where(narrowed(from, to))
          .groupBy(m.day)
          .orderBy(asc(m.day)),
      byKey: (dim: BreakdownDim, from: string, to: string, limit?: number) =>
        one.dim === '' || one.dim === dim
          ? marginalByKey(dim, one.dim === '' ? null : one.key, from, to, limit)
          : fullByKey(dim, from, to, limit),
      breakdowns: async (from: string, to: string, limit: number) =>
        one.dim === ''
          ? (Object.fromEntries(
              await Promise.all(
                BREAKDOWN_DIMS.map(async (d) => [d, await marginalByKey(d, null, from, to, limit)] as const),
              ),
            ) as Record<BreakdownDim, KeyedMeasures[]>)
          : fullBreakdowns(from, to, limit),
      sla: (from: string, to: string) =>
        db
          .select({
            metric: m.metric,
            met: sql<number>`coalesce(sum(${m.slaMet}), 0)::float8`.mapWith(Number),
            breached: sql<number>`coalesce(sum(${m.slaBreached}), 0)::float8`.mapWith(Number),
          })
          .from(m)
          .where(narrowed(from, to, 'sla'))
          .groupBy(m.metric),
    };
  }
  return {
    total: (from: string, to: string) =>
      db
        .select(sums)
        .from(t)
        .where(factFilter(from, to, f)),
    byDay: (from: string, to: string) =>
      db
        .select({ day: t.day, ...sums })
        .from(t)
        .where(factFilter(from, to, f))
        .groupBy(t.day)
        .orderBy(asc(t.day)),
    byKey: fullByKey,
    breakdowns: fullBreakdowns,
    sla: (from: string, to: string) =>
      db
        .select({
          metric: t.metric,
          met: sql<number>`coalesce(sum(${t.slaMet}), 0)::float8`.mapWith(Number),
          breached: sql<number>`coalesce(sum(${t.slaBreached}), 0)::float8`.mapWith(Number),
        })
        .from(t)
        .where(factFilter(from, to, f, 'sla'))
        .groupBy(t.metric),
  };
}

const toMeasures = (row: Partial<Record<Measure, number>>): Measures => {
  const m = emptyMeasures();
  for (const k of MEASURES) m[k] = Number(row[k] ?? 0);
  return m;
};

export type Filters = Pick<DashboardQuery, 'teamId' | 'agentId' | 'type' | 'categoryId' | 'channel' | 'region'>;

/** Roll-up rows of the days and dimensions asked for ('' metric: the ticket counts). */
export function factFilter(from: string, to: string, f: Filters, metric: 'tickets' | 'sla' = 'tickets'): SQL {
  return and(
    between(kpiDailyFacts.day, from, to),
    metric === 'tickets' ? eq(kpiDailyFacts.metric, '') : ne(kpiDailyFacts.metric, ''),
    f.teamId ? eq(kpiDailyFacts.teamId, f.teamId) : undefined,
    f.agentId ? eq(kpiDailyFacts.agentId, f.agentId) : undefined,
    f.type ? eq(kpiDailyFacts.type, f.type) : undefined,
    f.categoryId ? eq(kpiDailyFacts.categoryId, f.categoryId) : undefined,
    f.channel ? eq(kpiDailyFacts.channel, f.channel) : undefined,
    f.region ? eq(kpiDailyFacts.region, f.region) : undefined,
  )!;
}

export function requireSupervisor(actor: Actor): void {
  if (!canSupervise(actor)) throw new AppError('auth.forbidden', 'Only supervisors and administrators see KPIs');
}

/** The query a dashboard request asks: its period, or the last 30 local days by the server's clock. */
export function dashboardQueryOf(deps: Deps, request: z.output<typeof DashboardRequest>): DashboardQuery {
  const { from, to, ...rest } = request;
  const period = from && to ? { from, to } : lastDays(30, deps.clock.now(), deps.timeZone);
  const query = DashboardQuery.safeParse({ ...rest, ...period });
  if (!query.success) throw new AppError('request.invalid', query.error.issues.map((i) => i.message).join('; '));
  return query.data;
}

export async function readDashboard(deps: Deps, actor: Actor, q: DashboardQuery): Promise<DashboardData> {
  requireSupervisor(actor);
  const db = deps.db;
  const settings = await kpiSettingsOf(db);
  const facts = factReader(db, q);

  const [totalRows, breakdownRows, dayRows, slaRows, surveyFacts, subscribers, backlog, cursor, quality] =
    await Promise.all([
      facts.total(q.from, q.to),
      facts.breakdowns(q.from, q.to, 50),
      facts.byDay(q.from, q.to),
      facts.sla(q.from, q.to),
      readSurveyFacts(db, q, deps.timeZone),
      subscriberBase(db, q.region),
      readBacklog(db, q, deps.clock.now()),
      db
        .select({ at: kpiCursors.updatedAt, last: kpiCursors.lastEventId })
        .from(kpiCursors)
        .where(eq(kpiCursors.name, 'facts')),
      readQuality(db, q.from, q.to, q),
    ]);
  const breakdown = Object.fromEntries(
    BREAKDOWN_DIMS.map((dim) => [
      dim,
      breakdownRows[dim].map((r) => ({ key: String(r.key), measures: toMeasures(r) })),
    ]),
  ) as Record<BreakdownDim, BreakdownRow[]>;
  // Every type is among the top 50 of its breakdown (there are four).
  const typeRows = breakdownRows.type;

  // The ticket rows ('' metric) carry no limit outcomes: those are on each limit's rows (`sla`).
  const totals = toMeasures(totalRows[0] ?? {});
  totals.sla_met = slaRows.reduce((n, r) => n + r.met, 0);
  totals.sla_breached = slaRows.reduce((n, r) => n + r.breached, 0);
  const byType = Object.fromEntries(typeRows.map((r) => [r.key, toMeasures(r)])) as Partial<
    Record<TicketType, Measures>
  >;
  const trend = bucketTrend(
    dayRows.map((r) => ({ day: r.day, measures: toMeasures(r) })),
    q.from,
    q.to,
    q.granularity,
  );
  const sla = SLA_METRICS.map((metric) => {
    const r = slaRows.find((x) => x.metric === metric);
    return { metric, met: r?.met ?? 0, breached: r?.breached ?? 0 };
  }).filter((r) => r.met + r.breached > 0);
  const hotIssues = await readHotIssues(db, q, facts);
  // Calls and chats carry no ticket dimensions: their KPIs are the whole centre's, and show no
  // data (no contacts) when the dashboard is narrowed to a team, agent, type, category, channel or
  // region.
  const narrowed = Boolean(q.teamId || q.agentId || q.type || q.categoryId || q.channel || q.region);
  const contact = narrowed
    ? { voice: emptyCcMeasures(), voicePeak: emptyCcMeasures(), chat: emptyCcMeasures() }
    : await contactCentreFacts(db, q.from, q.to);
  const labels = await readLabels(db, breakdown, hotIssues.categories);

  return {
    query: q,
    timeZone: deps.timeZone,
    factsAsOf: cursor[0] && cursor[0].last > 0 ? cursor[0].at : null,
    settings,
    kpis: allKpis(totals, surveyFacts, quality, subscribers, settings, contact),
    meanHandling: meanHandling(totals),
    handlingByType: handlingByType(byType, settings),
    trend,
    breakdown,
    sla,
    backlog,
    hotIssues,
    labels,
  };
}

export function bucketTrend(
  days: { day: string; measures: Measures }[],
  from: string,
  to: string,
  g: Granularity,
): { bucket: string; measures: Measures }[] {
  const out = new Map(bucketsBetween(from, to, g).map((b) => [b, emptyMeasures()]));
  for (const d of days) {
    const m = out.get(bucketOf(d.day, g));
    if (!m) continue;
    for (const k of MEASURES) m[k] += d.measures[k];
  }
  return [...out.entries()].map(([bucket, measures]) => ({ bucket, measures }));
}

const QUALITY_COLUMN = {
  reviews: kpiDailyQuality.reviews,
  score_tenths: kpiDailyQuality.scoreTenths,
  disputed: kpiDailyQuality.disputed,
  process_scored: kpiDailyQuality.processScored,
  process_ok: kpiDailyQuality.processOk,
  replies: kpiDailyQuality.replies,
  compliant_replies: kpiDailyQuality.compliantReplies,
} as const;

/** Sums of the quality roll-up, as numbers on both engines. */
export const qualitySums = () =>
  Object.fromEntries(
    Object.entries(QUALITY_COLUMN).map(([m, col]) => [
      m,
      sql<number>`coalesce(sum(${col}), 0)::float8`.mapWith(Number),
    ]),
  ) as Record<keyof QualityMeasures, SQL<number>>;

/** Quality roll-up rows of the days and dimensions asked for. */
export function qualityFilter(from: string, to: string, f: Filters): SQL {
  const t = kpiDailyQuality;
  return and(
    between(t.day, from, to),
    f.teamId ? eq(t.teamId, f.teamId) : undefined,
    f.agentId ? eq(t.agentId, f.agentId) : undefined,
    f.type ? eq(t.type, f.type) : undefined,
    f.categoryId ? eq(t.categoryId, f.categoryId) : undefined,
    f.channel ? eq(t.channel, f.channel) : undefined,
    f.region ? eq(t.region, f.region) : undefined,
  )!;
}

/** QA reviews and reply checks of the period from the quality roll-up. */
async function readQuality(db: DbOrTx, from: string, to: string, f: Filters): Promise<QualityMeasures> {
  const [row] = await db
    .select(qualitySums())
    .from(kpiDailyQuality)
    .where(qualityFilter(from, to, f));
  return { ...emptyQuality(), ...row };
}

/** The one dimension filtered on and its value, when exactly one filter is set. */
function singleFilter(f: Filters): { dim: BreakdownDim; key: string } | null {
  const set = (
    [
      ['team', f.teamId],
      ['agent', f.agentId],
      ['type', f.type],
      ['category', f.categoryId],
      ['channel', f.channel],
      ['region', f.region],
    ] as const
  ).filter(([, v]) => v);
  return set.length === 1 ? { dim: set[0]![0], key: String(set[0]![1]) } : null;
}

/** Sums of the survey roll-up, as numbers on both engines. */
const surveySums = (t: typeof kpiDailySurveys | typeof kpiDailySurveyMarginals) =>
  Object.fromEntries(
    SURVEY_MEASURES.map((m) => [m, sql<number>`coalesce(sum(${t[m]}), 0)::float8`.mapWith(Number)]),
  ) as Record<SurveyMeasure, SQL<number>>;

/**
 * Surveys sent and answered (and per score) in the period from the survey roll-up: summed by one
 * dimension when at most one filter is set, else the full grain narrowed by the filters. Callbacks
 * opened in the period from the callbacks table.
 */
async function readSurveyFacts(db: DbOrTx, q: DashboardQuery, timeZone: string): Promise<SurveyFacts> {
  const one = singleFilter(q);
  const rollUp = async () => {
    if (noFilters(q) || one) {
      const m = kpiDailySurveyMarginals;
      const [row] = await db
        .select(surveySums(m))
        .from(m)
        .where(and(eq(m.dim, one?.dim ?? ''), eq(m.key, one?.key ?? ''), between(m.day, q.from, q.to)));
      return row;
    }
    const t = kpiDailySurveys;
    const [row] = await db
      .select(surveySums(t))
      .from(t)
      .where(
        and(
          between(t.day, q.from, q.to),
          q.teamId ? eq(t.teamId, q.teamId) : undefined,
          q.agentId ? eq(t.agentId, q.agentId) : undefined,
          q.type ? eq(t.type, q.type) : undefined,
          q.categoryId ? eq(t.categoryId, q.categoryId) : undefined,
          q.channel ? eq(t.channel, q.channel) : undefined,
          q.region ? eq(t.region, q.region) : undefined,
        ),
      );
    return row;
  };
  const [row, cb] = await Promise.all([rollUp(), readCallbackFacts(db, q, timeZone)]);
  const f = surveyFactsOf(row ? [row] : []);
  f.callbacks = cb.opened;
  f.callbacksWithin24h = cb.within;
  return f;
}

/** Callbacks opened in the period (and done within 24 hours), with the filters that apply to them. */
async function readCallbackFacts(
  db: DbOrTx,
  q: DashboardQuery,
  timeZone: string,
): Promise<{ opened: number; within: number }> {
  const { start, end } = instantsOf(q.from, q.to, timeZone);
  const ticketFilter = and(
    q.teamId ? eq(surveys.teamId, q.teamId) : undefined,
    q.agentId ? eq(surveys.agentId, q.agentId) : undefined,
    q.type ? eq(tickets.type, q.type) : undefined,
    q.categoryId ? eq(tickets.categoryId, q.categoryId) : undefined,
    q.channel ? eq(tickets.channel, q.channel) : undefined,
    q.region ? eq(customers.region, q.region) : undefined,
  );
  const needTicket = !!(q.type || q.categoryId || q.channel || q.region);
  let query = db
    .select({
      opened: sql<number>`count(*)::float8`.mapWith(Number),
      within:
        sql<number>`count(*) FILTER (WHERE ${callbacks.completedAt} IS NOT NULL AND ${callbacks.completedAt} <= ${callbacks.createdAt} + interval '24 hours')::float8`.mapWith(
          Number,
        ),
    })
    .from(callbacks)
    .$dynamic();
  // Every callback has its survey (a foreign key): joined only for the survey's team or agent.
  if (q.teamId || q.agentId) query = query.innerJoin(surveys, eq(surveys.id, callbacks.surveyId));
  if (needTicket) query = query.innerJoin(tickets, eq(tickets.id, callbacks.ticketId));
  if (q.region) query = query.innerJoin(customers, eq(customers.id, tickets.customerId));
  const [row] = await query.where(and(ticketFilter, gte(callbacks.createdAt, start), lt(callbacks.createdAt, end)));
  return { opened: row?.opened ?? 0, within: row?.within ?? 0 };
}

/** Subscribers of the region asked for, or of every region entered; null when none is entered. */
async function subscriberBase(db: DbOrTx, region: string | undefined): Promise<number | null> {
  const [row] = await db
    .select({
      n: sql<number | null>`sum(${kpiSubscriberBase.subscribers})::float8`.mapWith((v) =>
        v === null ? null : Number(v),
      ),
    })
    .from(kpiSubscriberBase)
    .where(region ? eq(kpiSubscriberBase.region, region) : undefined);
  return row?.n ?? null;
}

const HOUR = 3_600_000;
/** Open tickets now, by age (from the open-ticket index, not the history). */
async function readBacklog(db: DbOrTx, q: DashboardQuery, now: Date): Promise<DashboardData['backlog']> {
  const age = (h: number) => new Date(now.getTime() - h * HOUR);
  const query = db
    .select({
      open: sql<number>`count(*)::float8`.mapWith(Number),
      lt1d: sql<number>`count(*) FILTER (WHERE ${tickets.createdAt} > ${age(24)})::float8`.mapWith(Number),
      d1to3:
        sql<number>`count(*) FILTER (WHERE ${tickets.createdAt} <= ${age(24)} AND ${tickets.createdAt} > ${age(72)})::float8`.mapWith(
          Number,
        ),
      d3to7:
        sql<number>`count(*) FILTER (WHERE ${tickets.createdAt} <= ${age(72)} AND ${tickets.createdAt} > ${age(168)})::float8`.mapWith(
          Number,
        ),
    })
    .from(tickets)
    .$dynamic();
  // The customer only for a region: without it, the count is an index-only scan of the open
  // backlog's partial indexes (5,000,000 tickets, 74,000 open: 26 ms instead of 415 ms).
  const [row] = await (q.region ? query.innerJoin(customers, eq(customers.id, tickets.customerId)) : query).where(
    and(
      inArray(tickets.status, [...OPEN_STATUSES]),
      q.teamId ? eq(tickets.teamId, q.teamId) : undefined,
      q.agentId ? eq(tickets.assigneeId, q.agentId) : undefined,
      q.type ? eq(tickets.type, q.type) : undefined,
      q.categoryId ? eq(tickets.categoryId, q.categoryId) : undefined,
      q.channel ? eq(tickets.channel, q.channel) : undefined,
      q.region ? eq(customers.region, q.region) : undefined,
    ),
  );
  const open = row?.open ?? 0;
  const lt1d = row?.lt1d ?? 0;
  const d1to3 = row?.d1to3 ?? 0;
  const d3to7 = row?.d3to7 ?? 0;
  return {
    open,
    ageing: [
      { bucket: 'lt1d', count: lt1d },
      { bucket: '1to3d', count: d1to3 },
      { bucket: '3to7d', count: d3to7 },
      { bucket: 'gt7d', count: open - lt1d - d1to3 - d3to7 },
    ],
  };
}

/** Categories (with the filters) and words (centre-wide) of the last 7 days up to `to` against the 7 before. */
async function readHotIssues(
  db: DbOrTx,
  q: DashboardQuery,
  facts: ReturnType<typeof factReader>,
): Promise<DashboardData['hotIssues']> {
  const weekTo = q.to;
  const weekFrom = shiftDay(q.to, -6);
  const prevFrom = shiftDay(q.to, -13);
  const prevTo = shiftDay(q.to, -7);
  const byCategory = async (from: string, to: string) =>
    (await facts.byKey('category', from, to)).map((r) => ({ key: String(r.key), n: r.contacts }));
  const byWord = (from: string, to: string, limit: number) =>
    db
      .select({ key: kpiDailyWords.word, n: sql<number>`sum(${kpiDailyWords.contacts})::float8`.mapWith(Number) })
      .from(kpiDailyWords)
      .where(between(kpiDailyWords.day, from, to))
      .groupBy(kpiDailyWords.word)
      .orderBy(sql`sum(${kpiDailyWords.contacts}) DESC`)
      .limit(limit);
  const [catNow, catBefore, wordNow, total] = await Promise.all([
    byCategory(weekFrom, weekTo),
    byCategory(prevFrom, prevTo),
    byWord(weekFrom, weekTo, 200),
    facts.total(weekFrom, weekTo),
  ]);
  const wordBefore =
    wordNow.length === 0
      ? []
      : await db
          .select({ key: kpiDailyWords.word, n: sql<number>`sum(${kpiDailyWords.contacts})::float8`.mapWith(Number) })
          .from(kpiDailyWords)
          .where(
            and(
              between(kpiDailyWords.day, prevFrom, prevTo),
              inArray(
                kpiDailyWords.word,
                wordNow.map((w) => w.key),
              ),
            ),
          )
          .groupBy(kpiDailyWords.word);
  const map = (rows: { key: string; n: number }[]) => new Map(rows.map((r) => [r.key, r.n]));
  const totalNow = total[0]?.contacts ?? 0;
  return {
    weekFrom,
    weekTo,
    categories: risingFastest(map(catNow), map(catBefore), totalNow, { limit: 8, minCount: 2 }),
    words: risingFastest(map(wordNow), map(wordBefore), totalNow, { limit: 12, minCount: 2 }),
  };
}

async function readLabels(
  db: DbOrTx,
  breakdown: Record<BreakdownDim, BreakdownRow[]>,
  hot: HotIssue[],
): Promise<DashboardData['labels']> {
  const uuids = (keys: string[]) => keys.filter((k) => /^[0-9a-f-]{36}$/i.test(k));
  const teamIds = uuids(breakdown.team.map((r) => r.key));
  const agentIds = uuids(breakdown.agent.map((r) => r.key));
  const categoryIds = uuids([...breakdown.category.map((r) => r.key), ...hot.map((h) => h.key)]);
  const [t, a, c] = await Promise.all([
    teamIds.length ? db.select({ id: teams.id, name: teams.name }).from(teams).where(inArray(teams.id, teamIds)) : [],
    agentIds.length
      ? db.select({ id: staff.id, name: staff.displayName }).from(staff).where(inArray(staff.id, agentIds))
      : [],
    categoryIds.length
      ? db
          .select({ id: categories.id, zh: categories.nameZh, en: categories.nameEn })
          .from(categories)
          .where(inArray(categories.id, categoryIds))
      : [],
  ]);
  return {
    teams: new Map(t.map((x) => [x.id, x.name])),
    agents: new Map(a.map((x) => [x.id, x.name])),
    categories: new Map(c.map((x) => [x.id, { zh: x.zh, en: x.en }])),
  };
}
