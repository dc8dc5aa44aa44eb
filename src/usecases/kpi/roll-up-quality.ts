import { and, eq, gt, gte, lt, or, sql } from 'drizzle-orm';
import { instantsOf } from '../../core/kpi/periods.js';
import { addQuality, emptyQuality, reviewQuality, type QualityMeasures } from '../../core/kpi/quality.js';
import type { Tx } from '../../db/client.js';
import {
  customers,
  kpiCursors,
  kpiDailyQuality,
  qaReviewFacts,
  qaReviews,
  replyChecks,
  staff,
  tickets,
} from '../../db/schema.js';
import type { Deps } from '../deps.js';

const CURSOR = 'quality';

export type QualityRollUpOptions = {
  /**
   * Changes stamped up to this long before the watermark are looked at again, so a transaction
   * that committed late (its rows stamped before the last run) still reaches the roll-up.
   */
  marginMs: number;
};

type Dims = { teamId: string; agentId: string; type: string; categoryId: string; channel: string; region: string };
const keyOf = (d: Dims) => [d.teamId, d.agentId, d.type, d.categoryId, d.channel, d.region].join('|');

/**
 * One run of the quality part of the facts job: finds the local days that had a counted QA review
 * submitted, disputed or decided, or a public reply checked, since the watermark (cursor
 * 'quality', claimed with SKIP LOCKED: one node at a time), and recomputes those days of
 * kpi_daily_quality from the QA facts and reply checks. Recomputing a day is idempotent.
 */
export async function rollUpQuality(deps: Deps, opts: QualityRollUpOptions): Promise<{ days: number }> {
  return deps.db.transaction(async (tx) => {
    const [cursor] = await tx
      .select()
      .from(kpiCursors)
      .where(eq(kpiCursors.name, CURSOR))
      .for('update', { skipLocked: true });
    if (!cursor) return { days: 0 };
    const now = deps.clock.now();
    const since = new Date(cursor.updatedAt.getTime() - opts.marginMs);
    const tz = deps.timeZone;
    const dayOf = (col: typeof qaReviews.submittedAt | typeof replyChecks.createdAt) =>
      sql<string>`to_char(${col} AT TIME ZONE ${tz}, 'YYYY-MM-DD')`;
    const reviewDays = await tx
      .selectDistinct({ day: dayOf(qaReviews.submittedAt) })
      .from(qaReviews)
      .where(or(gt(qaReviews.submittedAt, since), gt(qaReviews.respondedAt, since), gt(qaReviews.decidedAt, since)));
    const replyDays = await tx
      .selectDistinct({ day: dayOf(replyChecks.createdAt) })
      .from(replyChecks)
      .where(gt(replyChecks.createdAt, since));
    const days = [...new Set([...reviewDays, ...replyDays].map((r) => r.day))].sort();
    for (const day of days) await recomputeDay(tx, day, tz);
    await tx.update(kpiCursors).set({ updatedAt: now }).where(eq(kpiCursors.name, CURSOR));
    return { days: days.length };
  });
}

async function recomputeDay(tx: Tx, day: string, timeZone: string): Promise<void> {
  const { start, end } = instantsOf(day, day, timeZone);
  const ticketDims = {
    type: tickets.type,
    categoryId: sql<string>`coalesce(${tickets.categoryId}::text, '')`,
    channel: tickets.channel,
    region: sql<string>`coalesce(${customers.region}, '')`,
  };
  const reviews = await tx
    .select({
      teamId: sql<string>`coalesce(${qaReviewFacts.teamId}::text, '')`,
      agentId: sql<string>`${qaReviewFacts.agentId}::text`,
      ...ticketDims,
      finalScore: qaReviewFacts.finalScore,
      disputed: qaReviewFacts.disputed,
      items: qaReviews.items,
    })
    .from(qaReviewFacts)
    .innerJoin(qaReviews, eq(qaReviews.id, qaReviewFacts.reviewId))
    .innerJoin(tickets, eq(tickets.id, qaReviews.ticketId))
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .where(and(gte(qaReviews.submittedAt, start), lt(qaReviews.submittedAt, end)));
  const replies = await tx
    .select({
      teamId: sql<string>`coalesce(${staff.teamId}::text, '')`,
      agentId: sql<string>`${replyChecks.staffId}::text`,
      ...ticketDims,
      replies: sql<number>`count(*)::float8`.mapWith(Number),
      compliant: sql<number>`count(*) FILTER (WHERE ${replyChecks.compliant})::float8`.mapWith(Number),
    })
    .from(replyChecks)
    .innerJoin(staff, eq(staff.id, replyChecks.staffId))
    .innerJoin(tickets, eq(tickets.id, replyChecks.ticketId))
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .where(and(gte(replyChecks.createdAt, start), lt(replyChecks.createdAt, end)))
    .groupBy(staff.teamId, replyChecks.staffId, tickets.type, tickets.categoryId, tickets.channel, customers.region);
  const cells = new Map<string, { dims: Dims; m: QualityMeasures }>();
  const cell = (d: Dims) => {
    const dims: Dims = {
      teamId: d.teamId,
      agentId: d.agentId,
      type: d.type,
      categoryId: d.categoryId,
      channel: d.channel,
      region: d.region,
    };
    const k = keyOf(dims);
    let c = cells.get(k);
    if (!c) cells.set(k, (c = { dims, m: emptyQuality() }));
    return c.m;
  };
  for (const r of reviews) addQuality(cell(r), reviewQuality(r));
  for (const r of replies) addQuality(cell(r), { replies: r.replies, compliant_replies: r.compliant });

  await tx.delete(kpiDailyQuality).where(eq(kpiDailyQuality.day, day));
  const rows = [...cells.values()];
  // In chunks, well below the 65,535 parameters of one statement.
  for (let i = 0; i < rows.length; i += 1000)
    await tx.insert(kpiDailyQuality).values(
      rows.slice(i, i + 1000).map(({ dims, m }) => ({
        day,
        ...dims,
        reviews: m.reviews,
        scoreTenths: m.score_tenths,
        disputed: m.disputed,
        processScored: m.process_scored,
        processOk: m.process_ok,
        replies: m.replies,
        compliantReplies: m.compliant_replies,
      })),
    );
}
