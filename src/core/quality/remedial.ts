// Repeated failed QA reviews assign a training course (issue 14): N failed reviews of one agent
// within D days put the agent on the course named by the setting. Pure: the use case loads the
// agent's recent reviews and the time.

export type RemedialSettings = {
  /** Failed reviews within the window that assign the course (2 by default). */
  failures: number;
  /** The window, in days back from the latest failure (30 by default). */
  windowDays: number;
  /** The course assigned (its code); null: repeated failures assign nothing. */
  courseCode: string | null;
};

export const DEFAULT_REMEDIAL_SETTINGS: RemedialSettings = { failures: 2, windowDays: 30, courseCode: null };

/** A counted review as the rule reads it: when, whether it failed, and how a dispute ended. */
export type ReviewOutcome = {
  submittedAt: Date;
  passed: boolean;
  criticalFailed: boolean;
  decision: 'accept' | 'partly' | 'reject' | null;
  finalScore: number;
};

/**
 * Whether a review counts as a failure: it failed (below the pass mark or a critical item failed),
 * unless a supervisor upheld the agent's dispute, or partly upheld it with a final score at or
 * above the pass mark.
 */
export function countsAsFailure(r: ReviewOutcome, passMark: number): boolean {
  if (r.passed && !r.criticalFailed) return false;
  if (r.decision === 'accept') return false;
  if (r.decision === 'partly' && r.finalScore >= passMark) return false;
  return true;
}

/** The failures within the window ending at `now` (oldest first). */
export function failuresInWindow(
  reviews: readonly ReviewOutcome[],
  now: Date,
  settings: Pick<RemedialSettings, 'windowDays'>,
  passMark: number,
): ReviewOutcome[] {
  const from = now.getTime() - settings.windowDays * 86_400_000;
  return reviews
    .filter((r) => r.submittedAt.getTime() > from && r.submittedAt <= now && countsAsFailure(r, passMark))
    .sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime());
}

/** Whether the agent's recent reviews assign the course now. */
export function needsRemedialCourse(
  reviews: readonly ReviewOutcome[],
  now: Date,
  settings: RemedialSettings,
  passMark: number,
): boolean {
  return settings.courseCode !== null && failuresInWindow(reviews, now, settings, passMark).length >= settings.failures;
}
