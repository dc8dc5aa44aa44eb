import { and, asc, desc, eq, gt, isNull, lt, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { canInspect, canSuperviseQuality, type Actor } from '../../core/auth/policy.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import type { CoachingRecord, ReviewRecord, SampleRecord } from '../../core/quality/records.js';
import { ALWAYS_OPEN, type BusinessCalendar } from '../../core/sla/business-calendar.js';
import { BusinessCalendarSchema } from '../../contracts/sla.js';
import type { DbOrTx } from '../../db/client.js';
import { businessCalendars, qaCoaching, qaReviews, qaSamples, qaScorecards, staff, tickets } from '../../db/schema.js';
import { decodeCursor, encodeCursor } from '../cursor.js';

// Loading QA records (samples, reviews, coaching) with the names and ticket facts they show.

const agentT = alias(staff, 'qa_agent');
const inspectorT = alias(staff, 'qa_inspector');
const deciderT = alias(staff, 'qa_decider');
const coachT = alias(staff, 'qa_coach');

const ref = (id: string | null, name: string | null) => (id ? { id, displayName: name ?? '' } : null);
const ticketCols = { id: tickets.id, number: tickets.number, subject: tickets.subject, channel: tickets.channel };

/** The business calendar of the QA clocks (24×7 when the id is unknown). */
export async function qaCalendar(db: DbOrTx, id: string): Promise<BusinessCalendar> {
  const [row] = await db.select().from(businessCalendars).where(eq(businessCalendars.id, id));
  const parsed = BusinessCalendarSchema.safeParse(row?.definition);
  return parsed.success ? parsed.data : ALWAYS_OPEN;
}

export async function loadSamples(db: DbOrTx, where: SQL | undefined, limit: number): Promise<SampleRecord[]> {
  const rows = await db
    .select({
      s: qaSamples,
      ticket: ticketCols,
      agentName: agentT.displayName,
      reviewId: qaReviews.id,
    })
    .from(qaSamples)
    .innerJoin(tickets, eq(tickets.id, qaSamples.ticketId))
    .leftJoin(agentT, eq(agentT.id, qaSamples.agentId))
    .leftJoin(qaReviews, eq(qaReviews.sampleId, qaSamples.id))
    .where(where)
    .orderBy(asc(qaSamples.id))
    .limit(limit);
  return rows.map(({ s, ticket, agentName, reviewId }) => ({
    id: s.id,
    ticket,
    agent: ref(s.agentId, agentName),
    stratum: s.stratum,
    status: s.status,
    runDay: s.runDay,
    reviewId: reviewId ?? null,
  }));
}

const SampleCursor = z.object({ i: z.uuid() });

/** My samples (an inspector's), oldest first, by status. */
export async function pageSamples(
  db: DbOrTx,
  actor: Actor,
  q: { status: 'open' | 'reviewed'; limit: number; cursor?: string | undefined },
) {
  if (!canInspect(actor)) throw new AppError('auth.forbidden', 'Samples are for QA inspectors');
  const cursor = decodeCursor(q.cursor, SampleCursor);
  const rows = await loadSamples(
    db,
    and(
      eq(qaSamples.inspectorId, actor.id),
      eq(qaSamples.status, q.status),
      cursor ? gt(qaSamples.id, cursor.i) : undefined,
    ),
    q.limit + 1,
  );
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { items: page, nextCursor: rows.length > q.limit && last ? encodeCursor({ i: last.id }) : null };
}

export async function loadReviews(
  db: DbOrTx,
  where: SQL | undefined,
  opts: { limit?: number; order?: 'newest' | 'oldest' } = {},
): Promise<ReviewRecord[]> {
  const rows = await db
    .select({
      r: qaReviews,
      ticket: ticketCols,
      agentName: agentT.displayName,
      inspectorName: inspectorT.displayName,
      deciderName: deciderT.displayName,
      card: qaScorecards,
      coaching: { id: qaCoaching.id, status: qaCoaching.status, dueAt: qaCoaching.dueAt },
    })
    .from(qaReviews)
    .innerJoin(tickets, eq(tickets.id, qaReviews.ticketId))
    .innerJoin(qaScorecards, eq(qaScorecards.id, qaReviews.scorecardId))
    .leftJoin(agentT, eq(agentT.id, qaReviews.agentId))
    .leftJoin(inspectorT, eq(inspectorT.id, qaReviews.inspectorId))
    .leftJoin(deciderT, eq(deciderT.id, qaReviews.decidedBy))
    .leftJoin(qaCoaching, eq(qaCoaching.reviewId, qaReviews.id))
    .where(where)
    .orderBy(opts.order === 'oldest' ? asc(qaReviews.id) : desc(qaReviews.id))
    .limit(opts.limit ?? 200);
  return rows.map(({ r, ticket, agentName, inspectorName, deciderName, card, coaching }) => ({
    id: r.id,
    ticket,
    agentId: r.agentId,
    agent: ref(r.agentId, agentName),
    inspector: ref(r.inspectorId, inspectorName),
    calibrationId: r.calibrationId,
    scorecard: card,
    items: r.items,
    comment: r.comment,
    weighted: r.weighted,
    bonus: r.bonus,
    score: r.score,
    finalScore: r.finalScore,
    criticalFailed: r.criticalFailed,
    passed: r.passed,
    status: r.status,
    lapsed: r.lapsed,
    submittedAt: r.submittedAt,
    respondBy: r.respondBy,
    respondedAt: r.respondedAt,
    disputeComment: r.disputeComment,
    decideBy: r.decideBy,
    decidedAt: r.decidedAt,
    decidedBy: ref(r.decidedBy, deciderName),
    decision: r.decision,
    decisionComment: r.decisionComment,
    coaching: coaching?.id ? { id: coaching.id, status: coaching.status, dueAt: coaching.dueAt } : null,
  }));
}

/**
 * Who may read a review: the agent it is about, inspectors, supervisors. Anyone else is told it
 * does not exist.
 */
export function mayReadReview(actor: Actor, r: { agentId: string; calibrationId: string | null }): boolean {
  if (canInspect(actor) || canSuperviseQuality(actor)) return true;
  return r.calibrationId === null && r.agentId === actor.id;
}

export async function loadReview(db: DbOrTx, actor: Actor, id: string): Promise<ReviewRecord> {
  const [r] = await loadReviews(db, eq(qaReviews.id, id), { limit: 1 });
  if (!r || !mayReadReview(actor, r)) throw notFound('Review');
  return r;
}

const ReviewCursor = z.object({ i: z.uuid() });

/** My reviews (an agent's), newest first; calibration reviews are never anyone's. */
export async function pageMyReviews(db: DbOrTx, actor: Actor, q: { limit: number; cursor?: string | undefined }) {
  const cursor = decodeCursor(q.cursor, ReviewCursor);
  const rows = await loadReviews(
    db,
    and(
      eq(qaReviews.agentId, actor.id),
      isNull(qaReviews.calibrationId),
      cursor ? lt(qaReviews.id, cursor.i) : undefined,
    ),
    { limit: q.limit + 1 },
  );
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { items: page, nextCursor: rows.length > q.limit && last ? encodeCursor({ i: last.id }) : null };
}

export async function loadCoaching(db: DbOrTx, where: SQL | undefined, limit = 200): Promise<CoachingRecord[]> {
  const rows = await db
    .select({
      c: qaCoaching,
      ticket: ticketCols,
      agentName: agentT.displayName,
      coachName: coachT.displayName,
      score: qaReviews.finalScore,
    })
    .from(qaCoaching)
    .innerJoin(qaReviews, eq(qaReviews.id, qaCoaching.reviewId))
    .innerJoin(tickets, eq(tickets.id, qaReviews.ticketId))
    .leftJoin(agentT, eq(agentT.id, qaCoaching.agentId))
    .leftJoin(coachT, eq(coachT.id, qaCoaching.coachId))
    .where(where)
    .orderBy(asc(qaCoaching.dueAt), asc(qaCoaching.id))
    .limit(limit);
  return rows.map(({ c, ticket, agentName, coachName, score }) => ({
    id: c.id,
    reviewId: c.reviewId,
    ticket,
    agentId: c.agentId,
    agent: ref(c.agentId, agentName),
    coach: ref(c.coachId, coachName),
    status: c.status,
    dueAt: c.dueAt,
    score,
    note: c.note,
    coachedAt: c.coachedAt,
    acknowledgedAt: c.acknowledgedAt,
  }));
}

/** One of my samples (an inspector's; administrators see every one). */
export async function loadSample(db: DbOrTx, actor: Actor, id: string): Promise<SampleRecord> {
  if (!canInspect(actor)) throw new AppError('auth.forbidden', 'Samples are for QA inspectors');
  const [row] = await db.select({ inspectorId: qaSamples.inspectorId }).from(qaSamples).where(eq(qaSamples.id, id));
  if (!row || (row.inspectorId !== actor.id && actor.role !== 'admin')) throw notFound('Sample');
  const [sample] = await loadSamples(db, eq(qaSamples.id, id), 1);
  return sample!;
}

/** Coaching I may see: my own (as the agent), or any as a supervisor. */
export async function loadCoachingFor(db: DbOrTx, actor: Actor, id: string): Promise<CoachingRecord> {
  const [c] = await loadCoaching(db, eq(qaCoaching.id, id), 1);
  if (!c || (c.agentId !== actor.id && !canSuperviseQuality(actor))) throw notFound('Coaching');
  return c;
}

/** My coaching (an agent's), not yet closed first. */
export const loadMyCoaching = (db: DbOrTx, actor: Actor): Promise<CoachingRecord[]> =>
  loadCoaching(db, eq(qaCoaching.agentId, actor.id), 100);
