import { eq } from 'drizzle-orm';
import type { Actor } from '../../core/auth/policy.js';
import { notFound } from '../../core/errors/app-error.js';
import { assertAgentMayRespond } from '../../core/quality/reviews.js';
import { DECISION_WORKING_DAYS, workingDaysDeadline } from '../../core/quality/deadlines.js';
import { DEFAULT_QA_SETTINGS } from '../../core/quality/settings.js';
import type { Tx } from '../../db/client.js';
import { qaReviewFacts, qaReviews, staff, tickets } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { notifyStaff } from '../tickets/notify.js';
import { qaCalendar } from './load-quality.js';
import { supervisorsOf } from './supervisors-of.js';

/** The agent's own counted review, locked; anyone else's is "not found". */
async function lockOwnReview(tx: Tx, actor: Actor, id: string) {
  const [review] = await tx.select().from(qaReviews).where(eq(qaReviews.id, id)).for('update');
  if (!review || review.agentId !== actor.id || review.calibrationId !== null) throw notFound('Review');
  return review;
}

/** The agent accepts the review as it is (within the window). */
export async function acknowledgeReview(deps: Deps, actor: Actor, id: string): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const review = await lockOwnReview(tx, actor, id);
    assertAgentMayRespond(review, now);
    await tx.update(qaReviews).set({ status: 'acknowledged', respondedAt: now }).where(eq(qaReviews.id, id));
  });
}

/**
 * The agent disputes the review with a comment (within 3 working days); the supervisors of the
 * agent's team have 3 working days to decide.
 */
export async function disputeReview(deps: Deps, actor: Actor, id: string, comment: string): Promise<void> {
  const settings = deps.qa ?? DEFAULT_QA_SETTINGS;
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const review = await lockOwnReview(tx, actor, id);
    assertAgentMayRespond(review, now);
    const decideBy = workingDaysDeadline(now, DECISION_WORKING_DAYS, await qaCalendar(tx, settings.calendarId));
    await tx
      .update(qaReviews)
      .set({ status: 'disputed', respondedAt: now, disputeComment: comment, decideBy })
      .where(eq(qaReviews.id, id));
    await tx.update(qaReviewFacts).set({ disputed: true }).where(eq(qaReviewFacts.reviewId, id));
    const [ticket] = await tx.select({ number: tickets.number }).from(tickets).where(eq(tickets.id, review.ticketId));
    const [agent] = await tx.select({ name: staff.displayName }).from(staff).where(eq(staff.id, actor.id));
    await notifyStaff(
      tx,
      (await supervisorsOf(tx, review.teamId)).map((s) => ({
        recipientId: s.id,
        ticketId: null,
        kind: 'qa.dispute_opened' as const,
        payload: {
          reviewId: id,
          number: ticket?.number ?? '',
          agent: agent?.name ?? '',
          dueAt: decideBy.toISOString(),
        },
      })),
      now,
    );
  });
}
