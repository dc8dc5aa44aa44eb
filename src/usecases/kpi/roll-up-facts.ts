import { and, asc, eq, gt, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { issueWords } from '../../core/kpi/hot-issues.js';
import {
  cellDelta,
  cellsOf,
  marginalsOf,
  ticketFacts,
  wordDelta,
  type FactCell,
  type FactEvent,
  type MarginalCell,
  type Measure,
} from '../../core/kpi/ticket-facts.js';
import {
  countSurvey,
  SURVEY_MEASURES,
  surveyCellDelta,
  surveyCellsOf,
  surveyMarginalsOf,
  type SurveyCell,
  type SurveyMarginalCell,
  type SurveyMeasures,
} from '../../core/kpi/survey-facts.js';
import type { Tx } from '../../db/client.js';
import {
  customers,
  kpiCursors,
  kpiDailyFacts,
  kpiDailyMarginals,
  kpiDailySurveyMarginals,
  kpiDailySurveys,
  kpiDailyWords,
  kpiSurveyFacts,
  kpiTicketFacts,
  slaTargets,
  surveys,
  ticketEvents,
  tickets,
} from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { kpiSettingsOf } from './kpi-settings.js';

const CURSOR = 'facts';
const DAY_MS = 86_400_000;

/** Roll-up columns by measure name. */
const COLUMN: Record<Measure, keyof typeof kpiDailyFacts.$inferInsert> = {
  contacts: 'contacts',
  repeats: 'repeats',
  complaints: 'complaints',
  appeals: 'appeals',
  resolved: 'resolved',
  fcr: 'fcr',
  reopened: 'reopened',
  transferred: 'transferred',
  handling_ms: 'handlingMs',
  handling_business_ms: 'handlingBusinessMs',
  handling_business_n: 'handlingBusinessN',
  within_target: 'withinTarget',
  first_responses: 'firstResponses',
  first_response_ms: 'firstResponseMs',
  with_limits: 'withLimits',
  breached: 'breached',
  sla_met: 'slaMet',
  sla_breached: 'slaBreached',
};

export type RollUpOptions = {
  /** Timeline entries read per run. */
  batch: number;
  /**
   * A gap in the entry ids younger than this may be a transaction still committing (ids are taken
   * before commit): the cursor stops before it until it fills or grows older (a rolled-back id).
   */
  settleMs: number;
};

/**
 * One run of the facts job: reads the timeline past the cursor, recomputes the facts of every
 * ticket it names (and of the same customer's earlier tickets on the category, whose first-contact
 * resolution a new contact can undo), and adds the differences to the roll-up, all in one
 * transaction with the cursor. The cursor row is claimed with SKIP LOCKED, so on several nodes one
 * runs and the others skip; recomputing a ticket is idempotent, so a rebuild from 0 is safe.
 */
export async function rollUpFacts(
  deps: Deps,
  opts: RollUpOptions,
): Promise<{ events: number; tickets: number; surveys: number }> {
  return deps.db.transaction(async (tx) => {
    const [cursor] = await tx
      .select()
      .from(kpiCursors)
      .where(eq(kpiCursors.name, CURSOR))
      .for('update', { skipLocked: true });
    if (!cursor) return { events: 0, tickets: 0, surveys: 0 };
    const now = deps.clock.now();
    const rows = await tx
      .select({ id: ticketEvents.id, ticketId: ticketEvents.ticketId, createdAt: ticketEvents.createdAt })
      .from(ticketEvents)
      .where(gt(ticketEvents.id, cursor.lastEventId))
      .orderBy(asc(ticketEvents.id))
      .limit(opts.batch);
    let last = cursor.lastEventId;
    const taken: typeof rows = [];
    for (const r of rows) {
      const gap = r.id !== last + 1 && last !== 0;
      if (gap && now.getTime() - r.createdAt.getTime() < opts.settleMs) break;
      taken.push(r);
      last = r.id;
    }

    let changed = 0;
    let ids: string[] = [];
    if (taken.length > 0) {
      const settings = await kpiSettingsOf(tx);
      const touched = [...new Set(taken.map((r) => r.ticketId))];
      ids = await withEarlierContacts(tx, touched, settings.fcrWindowDays);
      changed = await recomputeTickets(tx, ids, {
        fcrWindowDays: settings.fcrWindowDays,
        handlingTargetHours: settings.handlingTargetHours,
        timeZone: deps.timeZone,
        now,
      });
      await tx.update(kpiCursors).set({ lastEventId: last, updatedAt: now }).where(eq(kpiCursors.name, CURSOR));
    }
    // Surveys sent, answered or scored since (marked pending), and those of the tickets recomputed
    // (their type, category or channel may have changed): recounted in the same transaction.
    const surveysCounted = await recountSurveys(tx, ids, opts.batch, deps.timeZone, now);
    return { events: taken.length, tickets: changed, surveys: surveysCounted };
  });
}

/**
 * Recounts surveys in the survey roll-up: up to `batch` marked pending (claimed with SKIP LOCKED, so
 * one being answered right now waits for the next run) and every survey of `ticketIds`. Adds the
 * difference from how each was last counted, like the ticket roll-up. Returns the pending ones counted.
 */
async function recountSurveys(
  tx: Tx,
  ticketIds: string[],
  batch: number,
  timeZone: string,
  now: Date,
): Promise<number> {
  const pending = (
    await tx
      .select({ id: surveys.id })
      .from(surveys)
      .where(sql`${surveys.factsPending}`)
      .orderBy(asc(surveys.id))
      .limit(batch)
      .for('update', { skipLocked: true })
  ).map((r) => r.id);
  const ofTickets = ticketIds.length
    ? (await tx.select({ id: surveys.id }).from(surveys).where(inArray(surveys.ticketId, ticketIds))).map((r) => r.id)
    : [];
  const ids = [...new Set([...pending, ...ofTickets])];
  if (ids.length === 0) return 0;
  // One query at a time: they share the transaction's connection.
  const rows = await tx
    .select({
      id: surveys.id,
      teamId: surveys.teamId,
      agentId: surveys.agentId,
      sentAt: surveys.sentAt,
      answeredAt: surveys.answeredAt,
      csat: surveys.csat,
      nps: surveys.nps,
      type: tickets.type,
      categoryId: tickets.categoryId,
      channel: tickets.channel,
      region: customers.region,
    })
    .from(surveys)
    .innerJoin(tickets, eq(tickets.id, surveys.ticketId))
    .innerJoin(customers, eq(customers.id, surveys.customerId))
    .where(inArray(surveys.id, ids));
  const oldRows = await tx.select().from(kpiSurveyFacts).where(inArray(kpiSurveyFacts.surveyId, ids));
  const oldBy = new Map(oldRows.map((r) => [r.surveyId, r]));
  const before: SurveyCell[] = [];
  const after: SurveyCell[] = [];
  const counted: (typeof kpiSurveyFacts.$inferInsert)[] = [];
  for (const r of rows) {
    const c = countSurvey(
      {
        teamId: r.teamId ?? '',
        agentId: r.agentId ?? '',
        type: r.type,
        categoryId: r.categoryId ?? '',
        channel: r.channel,
        region: r.region ?? '',
        sentAt: r.sentAt,
        answeredAt: r.answeredAt,
        csat: r.csat,
        nps: r.nps,
      },
      timeZone,
    );
    const old = oldBy.get(r.id);
    const cells = surveyCellsOf(c);
    // A survey not sent nor answered counts nothing: no record until it does.
    if (!old && cells.length === 0) continue;
    if (old) before.push(...surveyCellsOf(old));
    after.push(...cells);
    counted.push({ surveyId: r.id, ...c, updatedAt: now });
  }
  const delta = surveyCellDelta(before, after);
  for (let i = 0; i < delta.length; i += 500) await addSurveyCells(tx, delta.slice(i, i + 500));
  const marginals = surveyMarginalsOf(delta);
  for (let i = 0; i < marginals.length; i += 500) await addSurveyMarginals(tx, marginals.slice(i, i + 500));
  for (let i = 0; i < counted.length; i += 500)
    await tx
      .insert(kpiSurveyFacts)
      .values(counted.slice(i, i + 500))
      .onConflictDoUpdate({
        target: kpiSurveyFacts.surveyId,
        set: Object.fromEntries(
          (
            [
              'teamId',
              'agentId',
              'type',
              'categoryId',
              'channel',
              'region',
              'sentDay',
              'answeredDay',
              'csat',
              'nps',
              'updatedAt',
            ] as const
          ).map((k) => [k, sql.raw(`excluded.${kpiSurveyFacts[k].name}`)]),
        ),
      });
  if (pending.length > 0) await tx.update(surveys).set({ factsPending: false }).where(inArray(surveys.id, pending));
  return pending.length;
}

/** The tickets plus the same customers' earlier tickets on the same category still within the FCR window. */
async function withEarlierContacts(tx: Tx, ids: string[], windowDays: number): Promise<string[]> {
  const later = alias(tickets, 'later');
  const earlier = await tx
    .select({ id: tickets.id })
    .from(later)
    .innerJoin(
      tickets,
      and(
        eq(tickets.customerId, later.customerId),
        eq(tickets.categoryId, later.categoryId),
        sql`${tickets.createdAt} < ${later.createdAt}`,
        or(
          isNull(tickets.resolvedAt),
          sql`${tickets.resolvedAt} >= ${later.createdAt} - make_interval(days => ${windowDays}::int)`,
        ),
      ),
    )
    .where(inArray(later.id, ids));
  return [...new Set([...ids, ...earlier.map((e) => e.id)])];
}

async function recomputeTickets(
  tx: Tx,
  ids: string[],
  s: {
    fcrWindowDays: number;
    handlingTargetHours: Parameters<typeof ticketFacts>[1]['handlingTargetHours'];
    timeZone: string;
    now: Date;
  },
): Promise<number> {
  if (ids.length === 0) return 0;
  const later = alias(tickets, 'later');
  // One query at a time: a transaction's queries share its connection.
  const rows = await tx
    .select({
      id: tickets.id,
      type: tickets.type,
      categoryId: tickets.categoryId,
      channel: tickets.channel,
      teamId: tickets.teamId,
      assigneeId: tickets.assigneeId,
      createdAt: tickets.createdAt,
      isRepeat: tickets.isRepeat,
      searchText: tickets.searchText,
      region: customers.region,
    })
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .where(inArray(tickets.id, ids));
  const events = await tx
    .select({
      ticketId: ticketEvents.ticketId,
      kind: ticketEvents.kind,
      data: ticketEvents.data,
      at: ticketEvents.createdAt,
    })
    .from(ticketEvents)
    .where(inArray(ticketEvents.ticketId, ids))
    .orderBy(asc(ticketEvents.ticketId), asc(ticketEvents.id));
  const targets = await tx
    .select({
      ticketId: slaTargets.ticketId,
      metric: slaTargets.metric,
      breachedAt: slaTargets.breachedAt,
      metAt: slaTargets.metAt,
      consumedMs: slaTargets.consumedMs,
    })
    .from(slaTargets)
    .where(inArray(slaTargets.ticketId, ids));
  const laterRows = await tx
    .select({ id: tickets.id, at: later.createdAt })
    .from(tickets)
    .innerJoin(
      later,
      and(
        eq(later.customerId, tickets.customerId),
        eq(later.categoryId, tickets.categoryId),
        sql`${later.createdAt} > ${tickets.createdAt}`,
        ne(later.id, tickets.id),
        or(isNull(later.mergedIntoId), ne(later.mergedIntoId, tickets.id)),
      ),
    )
    .where(
      and(
        inArray(tickets.id, ids),
        // Only contacts that can still fall in a window: not later than the window after now.
        sql`${later.createdAt} <= ${new Date(s.now.getTime() + s.fcrWindowDays * DAY_MS)}`,
      ),
    );
  const oldRows = await tx.select().from(kpiTicketFacts).where(inArray(kpiTicketFacts.ticketId, ids));

  const group = <T extends { ticketId: string }>(list: T[]) => {
    const m = new Map<string, T[]>();
    for (const x of list) m.set(x.ticketId, [...(m.get(x.ticketId) ?? []), x]);
    return m;
  };
  const eventsBy = group(events);
  const targetsBy = group(targets);
  const laterBy = group(laterRows.map((r) => ({ ticketId: r.id, at: r.at })));
  const oldBy = new Map(oldRows.map((r) => [r.ticketId, r]));

  const before: FactCell[] = [];
  const after: FactCell[] = [];
  const words: { day: string; word: string; delta: number }[] = [];
  const facts: (typeof kpiTicketFacts.$inferInsert)[] = [];
  for (const t of rows) {
    const f = ticketFacts(
      {
        ticket: { ...t, region: t.region },
        events: (eventsBy.get(t.id) ?? []).map((e): FactEvent => ({ kind: e.kind, at: e.at, data: e.data })),
        slaTargets: targetsBy.get(t.id) ?? [],
        laterContacts: (laterBy.get(t.id) ?? []).map((l) => l.at),
        words: issueWords(t.searchText),
      },
      s,
    );
    const old = oldBy.get(t.id);
    before.push(...(old?.cells ?? []));
    const cells = cellsOf(f);
    after.push(...cells);
    words.push(
      ...wordDelta(old ? { day: old.createdDay, words: old.words } : null, { day: f.createdDay, words: f.words }),
    );
    facts.push({
      ticketId: t.id,
      createdDay: f.createdDay,
      resolvedDay: f.resolvedDay,
      ...f.dims,
      fcr: f.fcr,
      repeat: f.repeat,
      breached: f.breached,
      hasLimits: f.hasLimits,
      withinTarget: f.withinTarget,
      reopened: f.reopened,
      cells,
      words: f.words,
      updatedAt: s.now,
    });
  }

  const delta = cellDelta(before, after);
  for (let i = 0; i < delta.length; i += 500) await addCells(tx, delta.slice(i, i + 500));
  const marginals = marginalsOf(delta);
  for (let i = 0; i < marginals.length; i += 500) await addMarginals(tx, marginals.slice(i, i + 500));
  const wordTotals = new Map<string, { day: string; word: string; delta: number }>();
  for (const w of words) {
    const key = `${w.day}|${w.word}`;
    const e = wordTotals.get(key) ?? { ...w, delta: 0 };
    e.delta += w.delta;
    wordTotals.set(key, e);
  }
  const wordRows = [...wordTotals.values()].filter((w) => w.delta !== 0);
  for (let i = 0; i < wordRows.length; i += 1000) {
    await tx
      .insert(kpiDailyWords)
      .values(wordRows.slice(i, i + 1000).map((w) => ({ day: w.day, word: w.word, contacts: w.delta })))
      .onConflictDoUpdate({
        target: [kpiDailyWords.day, kpiDailyWords.word],
        set: { contacts: sql`${kpiDailyWords.contacts} + excluded.contacts` },
      });
  }
  for (let i = 0; i < facts.length; i += 500) {
    await tx
      .insert(kpiTicketFacts)
      .values(facts.slice(i, i + 500))
      .onConflictDoUpdate({
        target: kpiTicketFacts.ticketId,
        set: Object.fromEntries(
          (
            [
              'createdDay',
              'resolvedDay',
              'teamId',
              'agentId',
              'type',
              'categoryId',
              'channel',
              'region',
              'fcr',
              'repeat',
              'breached',
              'hasLimits',
              'withinTarget',
              'reopened',
              'cells',
              'words',
              'updatedAt',
            ] as const
          ).map((k) => [k, sql.raw(`excluded.${String(kpiTicketFacts[k].name)}`)]),
        ),
      });
  }
  return rows.length;
}

/** Adds cells (differences) to the roll-up: one upsert that adds each measure. */
async function addCells(tx: Tx, cells: FactCell[]): Promise<void> {
  if (cells.length === 0) return;
  const measures = Object.keys(COLUMN) as Measure[];
  await tx
    .insert(kpiDailyFacts)
    .values(
      cells.map((c) => ({
        day: c.day,
        metric: c.metric,
        teamId: c.teamId,
        agentId: c.agentId,
        type: c.type,
        categoryId: c.categoryId,
        channel: c.channel,
        region: c.region,
        ...Object.fromEntries(measures.map((m) => [COLUMN[m], c.measures[m] ?? 0])),
      })),
    )
    .onConflictDoUpdate({
      target: [
        kpiDailyFacts.day,
        kpiDailyFacts.metric,
        kpiDailyFacts.teamId,
        kpiDailyFacts.agentId,
        kpiDailyFacts.type,
        kpiDailyFacts.categoryId,
        kpiDailyFacts.channel,
        kpiDailyFacts.region,
      ],
      set: Object.fromEntries(
        measures.map((m) => {
          const col = kpiDailyFacts[COLUMN[m] as 'contacts'];
          return [COLUMN[m], sql`${col} + excluded.${sql.raw(col.name)}`];
        }),
      ),
    });
}

/** Adds the same differences, summed by each dimension alone, to the per-dimension roll-up. */
async function addMarginals(tx: Tx, cells: MarginalCell[]): Promise<void> {
  if (cells.length === 0) return;
  const measures = Object.keys(COLUMN) as Measure[];
  await tx
    .insert(kpiDailyMarginals)
    .values(
      cells.map((c) => ({
        dim: c.dim,
        metric: c.metric,
        day: c.day,
        key: c.key,
        ...Object.fromEntries(measures.map((m) => [COLUMN[m], c.measures[m] ?? 0])),
      })),
    )
    .onConflictDoUpdate({
      target: [kpiDailyMarginals.dim, kpiDailyMarginals.metric, kpiDailyMarginals.day, kpiDailyMarginals.key],
      set: Object.fromEntries(
        measures.map((m) => {
          const col = kpiDailyMarginals[COLUMN[m] as 'contacts'];
          return [COLUMN[m], sql`${col} + excluded.${sql.raw(col.name)}`];
        }),
      ),
    });
}

const surveyMeasureValues = (m: Partial<SurveyMeasures>) =>
  Object.fromEntries(SURVEY_MEASURES.map((k) => [k, m[k] ?? 0])) as SurveyMeasures;

/** Adds survey cells (differences) to the survey roll-up. */
async function addSurveyCells(tx: Tx, cells: SurveyCell[]): Promise<void> {
  if (cells.length === 0) return;
  const t = kpiDailySurveys;
  await tx
    .insert(t)
    .values(
      cells.map((c) => ({
        day: c.day,
        teamId: c.teamId,
        agentId: c.agentId,
        type: c.type,
        categoryId: c.categoryId,
        channel: c.channel,
        region: c.region,
        ...surveyMeasureValues(c.measures),
      })),
    )
    .onConflictDoUpdate({
      target: [t.day, t.teamId, t.agentId, t.type, t.categoryId, t.channel, t.region],
      set: Object.fromEntries(SURVEY_MEASURES.map((m) => [m, sql`${t[m]} + excluded.${sql.raw(m)}`])),
    });
}

/** Adds the same differences, summed by each dimension alone, to the per-dimension survey roll-up. */
async function addSurveyMarginals(tx: Tx, cells: SurveyMarginalCell[]): Promise<void> {
  if (cells.length === 0) return;
  const t = kpiDailySurveyMarginals;
  await tx
    .insert(t)
    .values(cells.map((c) => ({ dim: c.dim, key: c.key, day: c.day, ...surveyMeasureValues(c.measures) })))
    .onConflictDoUpdate({
      target: [t.dim, t.key, t.day],
      set: Object.fromEntries(SURVEY_MEASURES.map((m) => [m, sql`${t[m]} + excluded.${sql.raw(m)}`])),
    });
}
