import type { CustomerTier } from '../tickets/types.js';

// Churn risk: an explainable score 0–100 from listed facts about one customer's recent service.
//
// Each service problem in the window (default 90 days) adds points per occurrence, up to a cap per
// factor: repeat complaints (complaints after the first one), tickets whose time limit was
// breached, complaints still open, reopened tickets and low satisfaction ratings. Two facts about
// the customer amplify a problem but never make one: the tier (a VIP or gold customer has more to
// lose and higher expectations) and a short tenure (new customers leave more easily). So a
// customer with no service problem scores 0 whatever the tier. The score is the sum, capped at 100;
// the level comes from two thresholds. Every factor that added points is kept as a reason.
// Weights and thresholds are a setting (LOOPDESK_CHURN_WEIGHTS).

export const CHURN_COUNT_FACTORS = [
  'repeat_complaints',
  'sla_breaches',
  'open_complaints',
  'reopened_tickets',
  'low_ratings',
] as const;
export type ChurnCountFactor = (typeof CHURN_COUNT_FACTORS)[number];

export const CHURN_LEVELS = ['low', 'medium', 'high'] as const;
export type ChurnLevel = (typeof CHURN_LEVELS)[number];

export type ChurnWeights = {
  /** Points per occurrence and the most a factor can add. */
  factors: Record<ChurnCountFactor, { points: number; max: number }>;
  /** Points a tier adds when the customer has at least one service problem. */
  tier: Record<CustomerTier, number>;
  /** A customer for fewer than `days` days gets `points` when they have at least one service problem. */
  newCustomer: { days: number; points: number };
  /** A CSAT rating (1–5) at or below this is low. */
  lowRatingAtMost: number;
  /** How far back repeat complaints, breaches, reopened tickets and ratings are counted. */
  windowDays: number;
  /** Scores at or above `high` are high, at or above `medium` medium, lower ones low. */
  thresholds: { medium: number; high: number };
};

export const DEFAULT_CHURN_WEIGHTS: ChurnWeights = {
  factors: {
    repeat_complaints: { points: 15, max: 45 },
    sla_breaches: { points: 10, max: 30 },
    open_complaints: { points: 10, max: 20 },
    reopened_tickets: { points: 10, max: 20 },
    low_ratings: { points: 15, max: 30 },
  },
  tier: { vip: 10, gold: 5, silver: 0, regular: 0 },
  newCustomer: { days: 180, points: 10 },
  lowRatingAtMost: 2,
  windowDays: 90,
  thresholds: { medium: 30, high: 60 },
};

export type ChurnFacts = {
  /** Complaints in the window after the customer's first one. */
  repeatComplaints: number;
  /** The customer's tickets with a time limit breached in the window. */
  slaBreaches: number;
  /** The customer's complaints not yet resolved or closed. */
  openComplaints: number;
  /** The customer's tickets reopened (touched in the window). */
  reopenedTickets: number;
  /** CSAT ratings (1–5) in the window; absent when no survey data exists. */
  ratings?: readonly number[];
  tier: CustomerTier;
  /** Days since the customer's profile was created. */
  tenureDays: number;
};

export type ChurnReason =
  | { code: ChurnCountFactor; count: number; points: number }
  | { code: 'tier'; tier: CustomerTier; points: number }
  | { code: 'new_customer'; tenureDays: number; points: number };

export type ChurnRisk = { score: number; level: ChurnLevel; reasons: ChurnReason[] };

export function churnLevel(score: number, weights: ChurnWeights = DEFAULT_CHURN_WEIGHTS): ChurnLevel {
  if (score >= weights.thresholds.high) return 'high';
  if (score >= weights.thresholds.medium) return 'medium';
  return 'low';
}

const whole = (n: number) => (Number.isFinite(n) && n > 0 ? Math.floor(n) : 0);

/** The churn-risk score, level and the reasons behind them (only factors that added points). */
export function churnRisk(facts: ChurnFacts, weights: ChurnWeights = DEFAULT_CHURN_WEIGHTS): ChurnRisk {
  const counts: Record<ChurnCountFactor, number> = {
    repeat_complaints: whole(facts.repeatComplaints),
    sla_breaches: whole(facts.slaBreaches),
    open_complaints: whole(facts.openComplaints),
    reopened_tickets: whole(facts.reopenedTickets),
    low_ratings: (facts.ratings ?? []).filter((r) => r <= weights.lowRatingAtMost).length,
  };
  const reasons: ChurnReason[] = [];
  for (const code of CHURN_COUNT_FACTORS) {
    const { points, max } = weights.factors[code];
    const added = Math.min(max, counts[code] * points);
    if (added > 0) reasons.push({ code, count: counts[code], points: added });
  }
  if (reasons.length > 0) {
    const tierPoints = weights.tier[facts.tier];
    if (tierPoints > 0) reasons.push({ code: 'tier', tier: facts.tier, points: tierPoints });
    const tenureDays = whole(facts.tenureDays);
    if (tenureDays < weights.newCustomer.days && weights.newCustomer.points > 0) {
      reasons.push({ code: 'new_customer', tenureDays, points: weights.newCustomer.points });
    }
  }
  const score = Math.min(
    100,
    reasons.reduce((sum, r) => sum + r.points, 0),
  );
  return { score, level: churnLevel(score, weights), reasons };
}
