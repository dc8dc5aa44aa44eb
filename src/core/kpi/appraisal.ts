import type { QualityMeasures } from './quality.js';
import type { AppraisalPeriod } from './periods.js';
import { APPRAISAL_COMPONENTS, type AppraisalComponent, type KpiSettings } from './settings.js';
import type { Measures } from './ticket-facts.js';

// Agent appraisal (domain §11): a weighted score out of 100 from KPI component scores. A component
// without data is left out and its weight shared among the others in proportion, and the sheet
// says so. Pure: the use case computes the component scores from the roll-up.

export type ComponentScores = Record<AppraisalComponent, number | null>;

export type AppraisalPart = {
  component: AppraisalComponent;
  /** The component's score 0–100, or null when there is no data. */
  score: number | null;
  /** The configured weight (percent). */
  weight: number;
  /** The weight actually used after sharing out the weights of components without data. */
  effectiveWeight: number;
  /** score × effectiveWeight / 100. */
  points: number;
};

export type Appraisal = {
  score: number | null;
  parts: AppraisalPart[];
  /** Components with a weight but no data, whose weight went to the others. */
  redistributed: AppraisalComponent[];
};

const clamp = (v: number) => Math.min(100, Math.max(0, v));

/** Component scores from KPI values (ratios 0–1, CSAT mean 1–5); null stays null. */
export function componentScores(k: {
  csatMean: number | null;
  firstResponseCompliance: number | null;
  fcr: number | null;
  handlingWithinTarget: number | null;
  complaintFree: number | null;
  qaScore: number | null;
}): ComponentScores {
  return {
    satisfaction: k.csatMean === null ? null : clamp(((k.csatMean - 1) / 4) * 100),
    response_time: k.firstResponseCompliance === null ? null : clamp(k.firstResponseCompliance * 100),
    resolution_rate: k.fcr === null ? null : clamp(k.fcr * 100),
    handling_time: k.handlingWithinTarget === null ? null : clamp(k.handlingWithinTarget * 100),
    complaint_rate: k.complaintFree === null ? null : clamp(k.complaintFree * 100),
    qa_score: k.qaScore === null ? null : clamp(k.qaScore),
  };
}

/** One agent's facts over an appraisal period, as the use case reads them. */
export type AgentFacts = {
  /** The roll-up of the tickets the agent holds (resolved, fcr, within_target are used). */
  measures: Pick<Measures, 'resolved' | 'fcr' | 'within_target'>;
  /** First-response clocks of the agent's tickets that were met or breached. */
  firstResponse: { met: number; breached: number };
  /** CSAT answers about tickets the agent resolved: Σ scores (1–5) and the number of answers. */
  csat: { sum: number; answers: number };
  /** Complaints opened from callbacks about tickets the agent resolved. */
  complaints: number;
  quality: Pick<QualityMeasures, 'reviews' | 'score_tenths'>;
};

/** What a component's score was computed from: the KPI value with its numerator and denominator. */
export type Basis = { value: number | null; numerator: number | null; denominator: number | null };

const basis = (numerator: number, denominator: number, value = denominator > 0 ? numerator / denominator : null) => ({
  value,
  numerator,
  denominator,
});

/**
 * The KPI behind each component: satisfaction = CSAT mean (1–5); response time = first-response
 * clocks met ÷ (met + breached); resolution rate = FCR; handling time = resolved within the type's
 * target ÷ resolved; complaint rate = complaints from callbacks ÷ resolved (score = 1 − rate);
 * QA = mean final review score.
 */
export function agentBases(f: AgentFacts): Record<AppraisalComponent, Basis> {
  const m = f.measures;
  return {
    satisfaction: basis(f.csat.sum, f.csat.answers),
    response_time: basis(f.firstResponse.met, f.firstResponse.met + f.firstResponse.breached),
    resolution_rate: basis(m.fcr, m.resolved),
    handling_time: basis(m.within_target, m.resolved),
    complaint_rate: basis(f.complaints, m.resolved, m.resolved > 0 ? Math.min(1, f.complaints / m.resolved) : null),
    qa_score: basis(
      f.quality.score_tenths / 10,
      f.quality.reviews,
      f.quality.reviews > 0 ? f.quality.score_tenths / 10 / f.quality.reviews : null,
    ),
  };
}

/** Component scores 0–100 from the bases. */
export const scoresFromBases = (b: Record<AppraisalComponent, Basis>): ComponentScores =>
  componentScores({
    csatMean: b.satisfaction.value,
    firstResponseCompliance: b.response_time.value,
    fcr: b.resolution_rate.value,
    handlingWithinTarget: b.handling_time.value,
    complaintFree: b.complaint_rate.value === null ? null : 1 - b.complaint_rate.value,
    qaScore: b.qa_score.value,
  });

const round2 = (v: number) => Math.round(v * 100) / 100;

export function appraise(scores: ComponentScores, weights: Record<AppraisalComponent, number>): Appraisal {
  const weighted = APPRAISAL_COMPONENTS.filter((c) => weights[c] > 0);
  const withData = weighted.filter((c) => scores[c] !== null);
  const redistributed = weighted.filter((c) => scores[c] === null);
  const usedWeight = withData.reduce((sum, c) => sum + weights[c], 0);
  const parts = weighted.map((component): AppraisalPart => {
    const score = scores[component];
    const effectiveWeight = score === null || usedWeight === 0 ? 0 : (weights[component] * 100) / usedWeight;
    return {
      component,
      score: score === null ? null : round2(score),
      weight: weights[component],
      effectiveWeight: round2(effectiveWeight),
      points: score === null ? 0 : round2((score * effectiveWeight) / 100),
    };
  });
  const score =
    withData.length === 0 ? null : round2(withData.reduce((sum, c) => sum + (scores[c]! * weights[c]) / usedWeight, 0));
  return { score, parts, redistributed };
}

/** Ranks by score (highest first; equal scores share a rank; no score: no rank, listed last). */
export function rank<T extends { score: number | null; name: string }>(
  rows: readonly T[],
): (T & { rank: number | null })[] {
  const sorted = [...rows].sort((a, b) =>
    a.score === b.score
      ? a.name.localeCompare(b.name)
      : a.score === null
        ? 1
        : b.score === null
          ? -1
          : b.score - a.score,
  );
  let lastScore: number | null = null;
  let lastRank = 0;
  return sorted.map((row, i) => {
    if (row.score === null) return { ...row, rank: null };
    if (row.score !== lastScore) {
      lastRank = i + 1;
      lastScore = row.score;
    }
    return { ...row, rank: lastRank };
  });
}

/** An appraisal table (or one agent's sheet) as the use case hands it to the presenter. */
export type AppraisalSheetData = Appraisal & {
  agent: { id: string; displayName: string; teamId: string | null };
  rank: number | null;
  bases: Record<AppraisalComponent, Basis>;
};

export type AppraisalsData = {
  period: AppraisalPeriod;
  key: string;
  from: string;
  to: string;
  settings: KpiSettings;
  sheets: AppraisalSheetData[];
};
