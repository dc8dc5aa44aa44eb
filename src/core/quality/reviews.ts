import { AppError } from '../errors/app-error.js';

// The life of a QA review (issue 14): submitted by the inspector → the agent acknowledges it, or
// disputes it within 3 working days → a supervisor decides (accept / partly / reject). A review
// the agent left unanswered past the window counts as acknowledged ('lapsed').

export const REVIEW_STATUSES = ['submitted', 'acknowledged', 'disputed', 'decided'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export const DISPUTE_DECISIONS = ['accept', 'partly', 'reject'] as const;
export type DisputeDecision = (typeof DISPUTE_DECISIONS)[number];

export const REVIEW_ABILITIES = ['acknowledge', 'dispute', 'decide'] as const;
export type ReviewAbility = (typeof REVIEW_ABILITIES)[number];

type ReviewFacts = { status: ReviewStatus; respondBy: Date | null; decideBy: Date | null };

/** What the reviewed agent and a supervisor may do with a review now. */
export function reviewAbilities(
  review: ReviewFacts & { agentId: string },
  viewer: { id: string; supervises: boolean },
  now: Date,
): ReviewAbility[] {
  const open = review.status === 'submitted' && (review.respondBy === null || now <= review.respondBy);
  const own = viewer.id === review.agentId;
  return REVIEW_ABILITIES.filter((a) =>
    a === 'decide' ? viewer.supervises && !own && review.status === 'disputed' : own && open,
  );
}

export function assertAgentMayRespond(review: ReviewFacts, now: Date): void {
  if (review.status !== 'submitted')
    throw new AppError('qa.review_not_open', 'This review was already acknowledged or disputed');
  if (review.respondBy !== null && now > review.respondBy)
    throw new AppError('qa.dispute_window_closed', 'The 3 working days to dispute this review have passed', {
      respondBy: review.respondBy.toISOString(),
    });
}

export function assertDecidable(review: ReviewFacts): void {
  if (review.status !== 'disputed') throw new AppError('qa.review_not_disputed', 'This review has no open dispute');
}

/**
 * The score after a supervisor's decision: `reject` keeps it; `accept` and `partly` need an
 * adjusted score above the original (`accept` may not stay below the pass mark: then it is only
 * partly upheld). Passed is recomputed from the final score (a decided critical failure is lifted
 * only by an adjusted score).
 */
export function decideDispute(
  original: { score: number; passed: boolean },
  decision: DisputeDecision,
  adjustedScore: number | null,
  passMark: number,
): { finalScore: number; passed: boolean } {
  if (decision === 'reject') {
    if (adjustedScore !== null)
      throw new AppError('qa.adjusted_score_invalid', 'A rejected dispute keeps the original score');
    return { finalScore: original.score, passed: original.passed };
  }
  if (adjustedScore === null || adjustedScore <= original.score || adjustedScore > 100)
    throw new AppError(
      'qa.adjusted_score_invalid',
      'Upholding a dispute needs an adjusted score above the original and at most 100',
      { original: original.score },
    );
  if (decision === 'accept' && adjustedScore < passMark)
    throw new AppError(
      'qa.adjusted_score_invalid',
      `A fully upheld dispute gives at least the pass mark (${passMark}); use "partly" below it`,
      { passMark },
    );
  return { finalScore: adjustedScore, passed: adjustedScore >= passMark };
}

/** A failed review opens coaching: below the pass mark, or a critical item failed. */
export const needsCoaching = (r: { passed: boolean; criticalFailed: boolean }): boolean =>
  !r.passed || r.criticalFailed;

/** The spread of calibration scores per item: lowest, highest, range and mean of the normalised scores. */
export function calibrationSpread(
  reviews: readonly { items: readonly { itemId: string; normalised: number }[]; score: number }[],
): { items: { itemId: string; min: number; max: number; range: number; mean: number }[]; score: Spread | null } {
  const byItem = new Map<string, number[]>();
  for (const r of reviews)
    for (const i of r.items) byItem.set(i.itemId, [...(byItem.get(i.itemId) ?? []), i.normalised]);
  return {
    items: [...byItem].map(([itemId, values]) => ({ itemId, ...spreadOf(values)! })),
    score: spreadOf(reviews.map((r) => r.score)),
  };
}
type Spread = { min: number; max: number; range: number; mean: number };
function spreadOf(values: readonly number[]): Spread | null {
  if (values.length === 0) return null;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const mean = Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10;
  return { min, max, range: Math.round((max - min) * 10) / 10, mean };
}
