// When an article needs its owner to look at it again (知识更新): not verified for a while, or
// customers keep saying it did not help.

export type KnowledgeReviewSettings = {
  /** Days after the last verification (or publication) before the owner gets a review task. */
  verifyDays: number;
  /** This many "not helpful" answers within `unhelpfulWindowDays` open a review task. */
  unhelpfulCount: number;
  unhelpfulWindowDays: number;
};

export const DEFAULT_KNOWLEDGE_REVIEW: KnowledgeReviewSettings = {
  verifyDays: 180,
  unhelpfulCount: 3,
  unhelpfulWindowDays: 30,
};

const DAY = 86_400_000;

/** The moment before which a last verification is too old. */
export const staleBefore = (now: Date, s: KnowledgeReviewSettings): Date =>
  new Date(now.getTime() - s.verifyDays * DAY);

/** After when the "not helpful" answers are counted: the window, but never up to the last task for them. */
export function unhelpfulWindowStart(now: Date, lastTaskAt: Date | null, s: KnowledgeReviewSettings): Date {
  const window = now.getTime() - s.unhelpfulWindowDays * DAY;
  return new Date(lastTaskAt ? Math.max(window, lastTaskAt.getTime()) : window);
}

/** Whether the answers counted since `unhelpfulWindowStart` call for a review task. */
export const needsUnhelpfulReview = (notHelpful: number, s: KnowledgeReviewSettings): boolean =>
  notHelpful >= s.unhelpfulCount;
