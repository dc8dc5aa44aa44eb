// Quality facts of the KPI roll-up (issue 16, from the QA reviews and reply checks of issue 14):
// which measures a day keeps, and what one review contributes. Pure.

export const QUALITY_MEASURES = [
  'reviews',
  'score_tenths',
  'disputed',
  'process_scored',
  'process_ok',
  'replies',
  'compliant_replies',
] as const;
export type QualityMeasure = (typeof QUALITY_MEASURES)[number];
export type QualityMeasures = Record<QualityMeasure, number>;

export const emptyQuality = (): QualityMeasures =>
  Object.fromEntries(QUALITY_MEASURES.map((m) => [m, 0])) as QualityMeasures;

/**
 * The scorecard item that rates process compliance (流程合规: ticket created in time, escalated
 * by the rule). Scorecards are versioned data; a version without an item of this id leaves the
 * review out of process compliance.
 */
export const PROCESS_ITEM_ID = 'process';

/** A counted QA review as the roll-up sees it. */
export type ReviewForKpi = {
  finalScore: number;
  disputed: boolean;
  items: readonly { itemId: string; normalised: number }[];
};

/**
 * What one counted review adds to its day: the final score (after any dispute decision), whether
 * the agent disputed it, and whether the process item was scored and at full marks (a deduction
 * on that item is a process breach).
 */
export function reviewQuality(r: ReviewForKpi): QualityMeasures {
  const process = r.items.find((i) => i.itemId === PROCESS_ITEM_ID);
  return {
    ...emptyQuality(),
    reviews: 1,
    score_tenths: Math.round(r.finalScore * 10),
    disputed: r.disputed ? 1 : 0,
    process_scored: process ? 1 : 0,
    process_ok: process && process.normalised >= 100 ? 1 : 0,
  };
}

/** Adds `b` into `a` measure by measure. */
export function addQuality(a: QualityMeasures, b: Partial<QualityMeasures>): QualityMeasures {
  for (const m of QUALITY_MEASURES) a[m] += b[m] ?? 0;
  return a;
}
