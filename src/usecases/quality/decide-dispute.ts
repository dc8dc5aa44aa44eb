import { eq } from 'drizzle-orm';
import { canSuperviseQuality, type Actor } from '../../core/auth/policy.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import { assertDecidable, decideDispute, type DisputeDecision } from '../../core/quality/reviews.js';
import { DEFAULT_QA_SETTINGS } from '../../core/quality/settings.js';
import { qaReviewFacts, qaReviews, tickets } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { notifyStaff } from '../tickets/notify.js';

/**
 * A supervisor decides a dispute: accept or partly (with an adjusted score) or reject. The final
 * score and the reporting fact follow; the agent is told. Nobody decides their own dispute.
 */
export async function decideReviewDispute(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { decision: DisputeDecision; adjustedScore: number | null; comment: string },
): Promise<void> {
  if (!canSuperviseQuality(actor)) throw new AppError('auth.forbidden', 'Supervisors decide disputes');
  const settings = deps.qa ?? DEFAULT_QA_SETTINGS;
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const [review] = await tx.select().from(qaReviews).where(eq(qaReviews.id, id)).for('update');
    if (!review || review.calibrationId !== null) throw notFound('Review');
    if (review.agentId === actor.id) throw new AppError('auth.forbidden', 'Nobody decides their own dispute');
    assertDecidable(review);
    const { finalScore, passed } = decideDispute(
      { score: review.score, passed: review.passed },
      input.decision,
      input.adjustedScore,
      settings.passMark,
    );
    await tx
      .update(qaReviews)
      .set({
        status: 'decided',
        decision: input.decision,
        decisionComment: input.comment,
        decidedAt: now,
        decidedBy: actor.id,
        finalScore,
        passed,
      })
      .where(eq(qaReviews.id, id));
    await tx
      .update(qaReviewFacts)
      .set({ finalScore, passed, disputeOutcome: input.decision, decidedAt: now })
      .where(eq(qaReviewFacts.reviewId, id));
    const [ticket] = await tx.select({ number: tickets.number }).from(tickets).where(eq(tickets.id, review.ticketId));
    await notifyStaff(
      tx,
      [
        {
          recipientId: review.agentId,
          ticketId: null,
          kind: 'qa.dispute_decided',
          payload: { reviewId: id, number: ticket?.number ?? '', decision: input.decision, finalScore },
        },
      ],
      now,
    );
  });
}
