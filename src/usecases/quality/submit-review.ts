import { eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { canAdminister, canInspect, type Actor } from '../../core/auth/policy.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import { coachingDeadline, RESPONSE_WORKING_DAYS, workingDaysDeadline } from '../../core/quality/deadlines.js';
import { needsCoaching } from '../../core/quality/reviews.js';
import { scoreReview, type ItemScoreInput } from '../../core/quality/scorecard.js';
import { DEFAULT_QA_SETTINGS } from '../../core/quality/settings.js';
import type { Tx } from '../../db/client.js';
import { qaCoaching, qaReviewFacts, qaReviews, qaSamples, staff, tickets } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { notifyStaff } from '../tickets/notify.js';
import { qaCalendar } from './load-quality.js';
import { assignRemedialCourse } from './remedial-training.js';
import { scorecardInUse } from './scorecards.js';
import { supervisorsOf } from './supervisors-of.js';

/**
 * An inspector scores a sample on the scorecard version in use. The review keeps that version;
 * the agent is notified and has 3 working days to acknowledge or dispute; a failed review opens
 * coaching for the agent's supervisor, due within 24 business hours. One reporting fact is stored.
 */
export async function submitReview(
  deps: Deps,
  actor: Actor,
  sampleId: string,
  input: { items: ItemScoreInput[]; comment: string },
): Promise<string> {
  if (!canInspect(actor)) throw new AppError('auth.forbidden', 'Reviews are scored by QA inspectors');
  const settings = deps.qa ?? DEFAULT_QA_SETTINGS;
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const [sample] = await tx.select().from(qaSamples).where(eq(qaSamples.id, sampleId)).for('update');
    if (!sample || (sample.inspectorId !== actor.id && !canAdminister(actor))) throw notFound('Sample');
    if (sample.status !== 'open') throw new AppError('qa.already_reviewed', 'This sample has been reviewed already');
    const card = await scorecardInUse(tx);
    const result = scoreReview(card.definition, input.items, settings.passMark);
    const cal = await qaCalendar(tx, settings.calendarId);
    const respondBy = workingDaysDeadline(now, RESPONSE_WORKING_DAYS, cal);
    const id = uuidv7();
    await tx.insert(qaReviews).values({
      id,
      ticketId: sample.ticketId,
      sampleId: sample.id,
      agentId: sample.agentId,
      teamId: sample.teamId,
      inspectorId: actor.id,
      scorecardId: card.id,
      items: result.items,
      comment: input.comment,
      weighted: result.weighted,
      bonus: result.bonus,
      score: result.score,
      criticalFailed: result.criticalFailed,
      passed: result.passed,
      finalScore: result.score,
      status: 'submitted',
      submittedAt: now,
      respondBy,
    });
    await tx.update(qaSamples).set({ status: 'reviewed' }).where(eq(qaSamples.id, sample.id));
    await tx.insert(qaReviewFacts).values({
      reviewId: id,
      agentId: sample.agentId,
      teamId: sample.teamId,
      scorecardVersion: card.version,
      score: result.score,
      finalScore: result.score,
      passed: result.passed,
      criticalFailed: result.criticalFailed,
      reviewedAt: now,
    });
    const [ticket] = await tx.select({ number: tickets.number }).from(tickets).where(eq(tickets.id, sample.ticketId));
    const number = ticket?.number ?? '';
    await notifyStaff(
      tx,
      [
        {
          recipientId: sample.agentId,
          ticketId: null,
          kind: 'qa.review_submitted',
          payload: { reviewId: id, number, score: result.score, passed: result.passed, dueAt: respondBy.toISOString() },
        },
      ],
      now,
    );
    if (needsCoaching(result)) {
      await openCoaching(tx, { reviewId: id, agentId: sample.agentId, teamId: sample.teamId, number }, now, {
        dueAt: coachingDeadline(now, cal),
      });
      // Repeated failures put the agent on the remedial course's next session (a setting).
      await assignRemedialCourse(tx, sample.agentId, now, settings.passMark);
    }
    return id;
  });
}

/** Opens the coaching task of a failed review (one per review) and tells the coach(es). */
async function openCoaching(
  tx: Tx,
  r: { reviewId: string; agentId: string; teamId: string | null; number: string },
  now: Date,
  opts: { dueAt: Date },
): Promise<void> {
  const supervisors = await supervisorsOf(tx, r.teamId);
  const own = supervisors.filter((s) => r.teamId !== null && s.teamId === r.teamId);
  const coachId = own[0]?.id ?? null;
  const id = uuidv7();
  const inserted = await tx
    .insert(qaCoaching)
    .values({
      id,
      reviewId: r.reviewId,
      agentId: r.agentId,
      teamId: r.teamId,
      coachId,
      dueAt: opts.dueAt,
      createdAt: now,
    })
    .onConflictDoNothing({ target: qaCoaching.reviewId })
    .returning({ id: qaCoaching.id });
  if (inserted.length === 0) return;
  const [agent] = await tx.select({ name: staff.displayName }).from(staff).where(eq(staff.id, r.agentId));
  await notifyStaff(
    tx,
    (coachId ? [{ id: coachId }] : supervisors).map((s) => ({
      recipientId: s.id,
      ticketId: null,
      kind: 'qa.coaching_due' as const,
      payload: {
        coachingId: id,
        reviewId: r.reviewId,
        number: r.number,
        agent: agent?.name ?? '',
        dueAt: opts.dueAt.toISOString(),
      },
    })),
    now,
  );
}
