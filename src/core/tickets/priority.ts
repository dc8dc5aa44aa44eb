import type { CustomerTier, GradeCode, Priority, TicketType } from './types.js';

// Priority = type × grade × customer tier (VIP first). The weights are configuration with the
// handbook's ordering as default: urgent grades dominate, complaints and faults outrank
// inquiries, and a VIP lifts a case by a full level.

export type PriorityWeights = {
  grade: Record<GradeCode, number>;
  type: Record<TicketType, number>;
  tier: Record<CustomerTier, number>;
  /** Score thresholds for P1, P2, P3; anything lower is P4. */
  thresholds: [number, number, number];
};

export const DEFAULT_PRIORITY_WEIGHTS: PriorityWeights = {
  grade: { general: 0, major: 3, urgent: 6 },
  type: { complaint: 2, fault: 2, service_request: 1, inquiry: 0 },
  tier: { vip: 3, gold: 2, silver: 1, regular: 0 },
  thresholds: [7, 5, 2],
};

export function derivePriority(
  facts: { type: TicketType; grade: GradeCode; tier: CustomerTier },
  weights: PriorityWeights = DEFAULT_PRIORITY_WEIGHTS,
): Priority {
  const score = (weights.grade[facts.grade] ?? 0) + weights.type[facts.type] + weights.tier[facts.tier];
  const [p1, p2, p3] = weights.thresholds;
  if (score >= p1) return 1;
  if (score >= p2) return 2;
  if (score >= p3) return 3;
  return 4;
}
