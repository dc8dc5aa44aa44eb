import { and, asc, between, eq, gte, inArray, isNotNull, lt, ne, sql, type SQL } from 'drizzle-orm';
import { canSupervise, type Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import { allKpis, emptySurveyFacts, handlingByType, meanHandling, type SurveyFacts } from '../../core/kpi/formulas.js';
import { risingFastest, type HotIssue } from '../../core/kpi/hot-issues.js';
import { bucketOf, bucketsBetween, instantsOf, shiftDay, type Granularity } from '../../core/kpi/periods.js';
import { BREAKDOWN_DIMS, type BreakdownDim, type BreakdownRow, type DashboardData } from '../../core/kpi/dashboard.js';
import { emptyMeasures, MEASURES, type Measure, type Measures } from '../../core/kpi/ticket-facts.js';
import { emptyQuality, type QualityMeasures } from '../../core/kpi/quality.js';
import { SLA_METRICS } from '../../core/sla/sla-policy.js';
import { OPEN_STATUSES } from '../../core/tickets/state-machine.js';
import type { TicketType } from '../../core/tickets/types.js';
import type { DashboardQuery } from '../../contracts/kpi.js';
import type { DbOrTx } from '../../db/client.js';
import {
  callbacks,
  categories,
  customers,
  kpiCursors,
  kpiDailyFacts,
  kpiDailyQuality,
  kpiDailyWords,
  kpiSubscriberBase,
  staff,
  surveys,
  teams,
  tickets,
} from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { kpiSettingsOf } from './kpi-settings.js';

// The dashboard reads the daily roll-up (kpi_daily_facts) for everything about tickets, the
// surveys and callbacks of the period for satisfaction, and the open backlog (a partial index of
// open tickets) for ageing: never the ticket history.

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

export async function readDashboard(deps: Deps, actor: Actor, q: DashboardQuery): Promise<DashboardData> {
  requireSupervisor(actor);
  const db = deps.db;
  const settings = await kpiSettingsOf(db);
  const where = factFilter(q.from, q.to, q);
  const sums = measureSums();

  const [totalRows, typeRows, dayRows, slaRows, surveyFacts, subscribers, backlog, cursor, quality] = await Promise.all(
    [
      db.select(sums).from(kpiDailyFacts).where(where),
      db
        .select({ key: kpiDailyFacts.type, ...sums })
        .from(kpiDailyFacts)
        .where(where)
        .groupBy(kpiDailyFacts.type),
      db
        .select({ day: kpiDailyFacts.day, ...sums })
        .from(kpiDailyFacts)
        .where(where)
        .groupBy(kpiDailyFacts.day)
        .orderBy(asc(kpiDailyFacts.day)),
      db
        .select({
          metric: kpiDailyFacts.metric,
          met: sql<number>`coalesce(sum(${kpiDailyFacts.slaMet}), 0)::float8`.mapWith(Number),
          breached: sql<number>`coalesce(sum(${kpiDailyFacts.slaBreached}), 0)::float8`.mapWith(Number),
        })
        .from(kpiDailyFacts)
        .where(factFilter(q.from, q.to, q, 'sla'))
        .groupBy(kpiDailyFacts.metric),
      readSurveyFacts(db, q, deps.timeZone),
      subscriberBase(db, q.region),
      readBacklog(db, q, deps.clock.now()),
      db
        .select({ at: kpiCursors.updatedAt, last: kpiCursors.lastEventId })
        .from(kpiCursors)
        .where(eq(kpiCursors.name, 'facts')),
      readQuality(db, q.from, q.to, q),
    ],
  );
  const breakdown = Object.fromEntries(
    await Promise.all(
      BREAKDOWN_DIMS.map(async (dim) => {
        const col = DIM_COLUMN[dim];
        const rows = await db
          .select({ key: col, ...sums })
          .from(kpiDailyFacts)
          .where(where)
          .groupBy(col)
          .orderBy(sql`sum(${kpiDailyFacts.contacts}) DESC`, asc(col))
          .limit(50);
        return [dim, rows.map((r) => ({ key: String(r.key), measures: toMeasures(r) }))] as const;
      }),
    ),
  ) as Record<BreakdownDim, BreakdownRow[]>;

  const totals = toMeasures(totalRows[0] ?? {});
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
  const hotIssues = await readHotIssues(db, q);
  const labels = await readLabels(db, breakdown, hotIssues.categories);

  return {
    query: q,
    timeZone: deps.timeZone,
    factsAsOf: cursor[0] && cursor[0].last > 0 ? cursor[0].at : null,
    settings,
    kpis: allKpis(totals, surveyFacts, quality, subscribers, settings),
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

/** Surveys sent and answered and callbacks opened in the period, with the filters that apply to them. */
async function readSurveyFacts(db: DbOrTx, q: DashboardQuery, timeZone: string): Promise<SurveyFacts> {
  const { start, end } = instantsOf(q.from, q.to, timeZone);
  const ticketFilter = and(
    q.teamId ? eq(surveys.teamId, q.teamId) : undefined,
    q.agentId ? eq(surveys.agentId, q.agentId) : undefined,
    q.type ? eq(tickets.type, q.type) : undefined,
    q.categoryId ? eq(tickets.categoryId, q.categoryId) : undefined,
    q.channel ? eq(tickets.channel, q.channel) : undefined,
    q.region ? eq(customers.region, q.region) : undefined,
  );
  const base = () =>
    db
      .select({
        sent: sql<number>`count(*) FILTER (WHERE ${surveys.sentAt} >= ${start} AND ${surveys.sentAt} < ${end})::float8`.mapWith(
          Number,
        ),
        answered:
          sql<number>`count(*) FILTER (WHERE ${surveys.answeredAt} >= ${start} AND ${surveys.answeredAt} < ${end} AND ${surveys.sentAt} IS NOT NULL)::float8`.mapWith(
            Number,
          ),
      })
      .from(surveys)
      .innerJoin(tickets, eq(tickets.id, surveys.ticketId))
      .innerJoin(customers, eq(customers.id, surveys.customerId));
  const inPeriod = (col: typeof surveys.sentAt | typeof callbacks.createdAt) => and(gte(col, start), lt(col, end));
  const [counts, csatRows, npsRows, cbRows] = await Promise.all([
    base().where(and(ticketFilter, sql`(${inPeriod(surveys.sentAt)} OR ${inPeriod(surveys.answeredAt)})`)),
    db
      .select({ score: surveys.csat, n: sql<number>`count(*)::float8`.mapWith(Number) })
      .from(surveys)
      .innerJoin(tickets, eq(tickets.id, surveys.ticketId))
      .innerJoin(customers, eq(customers.id, surveys.customerId))
      .where(and(ticketFilter, inPeriod(surveys.answeredAt), isNotNull(surveys.csat)))
      .groupBy(surveys.csat),
    db
      .select({ score: surveys.nps, n: sql<number>`count(*)::float8`.mapWith(Number) })
      .from(surveys)
      .innerJoin(tickets, eq(tickets.id, surveys.ticketId))
      .innerJoin(customers, eq(customers.id, surveys.customerId))
      .where(and(ticketFilter, inPeriod(surveys.answeredAt), isNotNull(surveys.nps)))
      .groupBy(surveys.nps),
    db
      .select({
        opened: sql<number>`count(*)::float8`.mapWith(Number),
        within:
          sql<number>`count(*) FILTER (WHERE ${callbacks.completedAt} IS NOT NULL AND ${callbacks.completedAt} <= ${callbacks.createdAt} + interval '24 hours')::float8`.mapWith(
            Number,
          ),
      })
      .from(callbacks)
      .innerJoin(surveys, eq(surveys.id, callbacks.surveyId))
      .innerJoin(tickets, eq(tickets.id, callbacks.ticketId))
      .innerJoin(customers, eq(customers.id, tickets.customerId))
      .where(and(ticketFilter, inPeriod(callbacks.createdAt))),
  ]);
  const f = emptySurveyFacts();
  f.sent = counts[0]?.sent ?? 0;
  f.answered = counts[0]?.answered ?? 0;
  for (const r of csatRows) if (r.score !== null && r.score >= 1 && r.score <= 5) f.csat[r.score as 1] = r.n;
  for (const r of npsRows) if (r.score !== null && r.score >= 0 && r.score <= 10) f.nps[r.score] = r.n;
  f.callbacks = cbRows[0]?.opened ?? 0;
  f.callbacksWithin24h = cbRows[0]?.within ?? 0;
  return f;
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
  const [row] = await db
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
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .where(
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
async function readHotIssues(db: DbOrTx, q: DashboardQuery): Promise<DashboardData['hotIssues']> {
  const weekTo = q.to;
  const weekFrom = shiftDay(q.to, -6);
  const prevFrom = shiftDay(q.to, -13);
  const prevTo = shiftDay(q.to, -7);
  const byCategory = (from: string, to: string) =>
    db
      .select({ key: kpiDailyFacts.categoryId, n: sql<number>`sum(${kpiDailyFacts.contacts})::float8`.mapWith(Number) })
      .from(kpiDailyFacts)
      .where(and(factFilter(from, to, q), ne(kpiDailyFacts.categoryId, '')))
      .groupBy(kpiDailyFacts.categoryId);
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
    db
      .select({ n: sql<number>`coalesce(sum(${kpiDailyFacts.contacts}), 0)::float8`.mapWith(Number) })
      .from(kpiDailyFacts)
      .where(factFilter(weekFrom, weekTo, q)),
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
  const totalNow = total[0]?.n ?? 0;
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
