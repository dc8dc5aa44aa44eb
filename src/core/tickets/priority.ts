import type { CustomerTier, GradeCode, Priority, TicketType } from './types.js';

// Priority = type × grade × customer tier (VIP first), never less urgent than the ticket's floor.
// The weights are a setting (LOOPDESK_PRIORITY_WEIGHTS) with the handbook's ordering as default:
// urgent grades dominate, complaints and faults outrank inquiries, and a VIP lifts a case by a
// full level. The floor is stored on the ticket and only ever moves up: a routing rule that says
// "P1" and an SLA escalation that raises the priority set it, so an edit of the subject cannot
// undo them; the facts (type, grade, tier) can still make a ticket more urgent than its floor.

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

export type PriorityFacts = { type: TicketType; grade: GradeCode; tier: CustomerTier };

/** The priority the ticket's facts alone give. */
export function derivePriority(facts: PriorityFacts, weights: PriorityWeights = DEFAULT_PRIORITY_WEIGHTS): Priority {
  const score = (weights.grade[facts.grade] ?? 0) + weights.type[facts.type] + weights.tier[facts.tier];
  const [p1, p2, p3] = weights.thresholds;
  if (score >= p1) return 1;
  if (score >= p2) return 2;
  if (score >= p3) return 3;
  return 4;
}

/** The more urgent of two priorities (1 is the most urgent); null is "no floor". */
export function moreUrgent(a: Priority, b: Priority | null): Priority {
  return b === null ? a : (Math.min(a, b) as Priority);
}

/**
 * The one rule for a ticket's priority, used by routing, edits and the SLA sweeper: the derived
 * value, capped by the floor (never less urgent than it).
 */
export function ticketPriority(
  facts: PriorityFacts,
  floor: Priority | null,
  weights: PriorityWeights = DEFAULT_PRIORITY_WEIGHTS,
): Priority {
  return moreUrgent(derivePriority(facts, weights), floor);
}

/** An escalation's raise: the floor becomes one level above the current priority (P1 stays P1). */
export function raisedFloor(current: number): Priority {
  return Math.min(4, Math.max(1, current - 1)) as Priority;
}

/** Whether a number read from storage or input is a priority. */
export function isPriority(n: number): n is Priority {
  return n === 1 || n === 2 || n === 3 || n === 4;
}
