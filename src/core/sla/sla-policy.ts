import type { Channel, CustomerTier, MessageKind, TicketStatus, TicketType } from '../tickets/types.js';
import type { EscalationAction } from './target-clock.js';

// SLA policies are data. A policy matches tickets by conditions (each an allow-list; absent = any);
// the first active policy by position applies. Its targets say how long each step may take and on
// which calendar ('always' = 24×7, or a business calendar). The schema that checks a policy from a
// request or the database is a contract (contracts/sla.ts); the defaults it fills in are these.

/**
 * first_response: someone takes it up (work starts) or answers the customer.
 * handling_plan: a public answer (the handling plan) reaches the customer.
 * diagnosis: first-line diagnosis done — answered, handed to a department or another team, or resolved.
 * resolution: resolved.
 */
export const SLA_METRICS = ['first_response', 'handling_plan', 'diagnosis', 'resolution'] as const;
export type SlaMetric = (typeof SLA_METRICS)[number];

export type SlaTarget = {
  metric: SlaMetric;
  limitMinutes: number;
  /** 'always' (24×7) or the id of a business calendar. */
  calendarId: string;
  /** Overrides the policy's pauseOn for this clock. */
  pauseOn?: TicketStatus[] | undefined;
};

export type EscalationStep = {
  /** After the breach. */
  afterMinutes: number;
  actions: EscalationAction[];
  /** Team code for reassign_queue. */
  queue?: string | undefined;
};

/** Each condition is an allow-list; absent = any. */
export type SlaConditions = {
  types?: TicketType[] | undefined;
  /** Matches the category or any of its descendants. */
  categoryCodes?: string[] | undefined;
  grades?: string[] | undefined;
  tiers?: CustomerTier[] | undefined;
  channels?: Channel[] | undefined;
  regions?: string[] | undefined;
};

export type SlaPolicy = {
  id: string;
  name: string;
  position: number;
  active: boolean;
  conditions: SlaConditions;
  /** One target per metric. */
  targets: SlaTarget[];
  pauseOn: TicketStatus[];
  /** Fractions of the limit at which to warn. */
  warnAt: number[];
  escalation: EscalationStep[];
  /**
   * Which targets a public message of each kind meets under this policy (core/sla/milestones.ts
   * DEFAULT_MESSAGE_KIND_MEETS for a kind it does not list).
   */
  messageKindMeets?: Partial<Record<MessageKind, SlaMetric[]>> | undefined;
};

/** What a policy gets when it does not say. */
export const SLA_POLICY_DEFAULTS = {
  active: true,
  conditions: {},
  pauseOn: ['pending_customer'],
  warnAt: [0.75, 0.9],
  escalation: [
    { afterMinutes: 0, actions: ['notify_owner', 'notify_supervisor', 'raise_priority', 'flag'] },
    { afterMinutes: 30, actions: ['reassign_tier2'] },
  ],
} as const satisfies Pick<SlaPolicy, 'active' | 'conditions' | 'pauseOn' | 'warnAt' | 'escalation'>;

export type SlaFacts = {
  type: TicketType;
  /** Codes from the root of the category tree down to the ticket's category. */
  categoryPath: string[];
  grade: string;
  tier: CustomerTier;
  channel: Channel;
  region: string | null;
};

const allows = <T>(allowed: readonly T[] | undefined, value: T) => !allowed || allowed.includes(value);

export function policyMatches(p: SlaPolicy, f: SlaFacts): boolean {
  const c = p.conditions;
  return (
    allows(c.types, f.type) &&
    allows(c.grades, f.grade) &&
    allows(c.tiers, f.tier) &&
    allows(c.channels, f.channel) &&
    (!c.regions || (f.region !== null && c.regions.includes(f.region))) &&
    (!c.categoryCodes || f.categoryPath.some((code) => c.categoryCodes!.includes(code)))
  );
}

/** The first active matching policy by position (ties by id), or undefined. */
export function matchPolicy(policies: readonly SlaPolicy[], facts: SlaFacts): SlaPolicy | undefined {
  return [...policies]
    .filter((p) => p.active)
    .sort((a, b) => a.position - b.position || a.id.localeCompare(b.id))
    .find((p) => policyMatches(p, facts));
}

/**
 * The policy a routing rule named, while it is active; otherwise the first matching one. A case
 * referred by the regulator keeps the regulator's clocks: the first active policy that names the
 * regulator channel wins over any hint and over any policy placed before it (an urgent grade from
 * the words 工信部 / 12300 must not replace them, issue 18).
 */
export function choosePolicy(
  policies: readonly SlaPolicy[],
  facts: SlaFacts,
  hint: string | null,
): SlaPolicy | undefined {
  if (facts.channel === 'regulator') {
    const own = matchPolicy(
      policies.filter((p) => p.conditions.channels?.includes('regulator')),
      facts,
    );
    if (own) return own;
  }
  return policies.find((p) => p.active && p.id === hint) ?? matchPolicy(policies, facts);
}

/** Whether a status pauses a clock: the target's own rule if it has one, else the policy's. */
export function pausesIn(p: Pick<SlaPolicy, 'pauseOn' | 'targets'>, metric: string, status: TicketStatus): boolean {
  return (p.targets.find((t) => t.metric === metric)?.pauseOn ?? p.pauseOn).includes(status);
}

const H = 60;
const always = 'always';
const business = 'cn-business';

/**
 * Handbook defaults (domain.md §3), as data an admin can change: urgent / high-risk response in
 * 15 minutes around the clock; a handling plan for normal cases in 2 business hours; first-line
 * diagnosis in 1 hour; complaints answered in 24 h and resolved in 48 h (the other handbook's
 * 48 h / 72 h is one edit away); faults resolved in 24 h; inquiries in 2 business hours. VIP
 * customers get half the time.
 */
export function defaultSlaPolicies(): SlaPolicy[] {
  const p = (
    id: string,
    name: string,
    position: number,
    conditions: SlaPolicy['conditions'],
    targets: [SlaMetric, number, string][],
  ): SlaPolicy => ({
    id,
    name,
    position,
    active: SLA_POLICY_DEFAULTS.active,
    conditions,
    targets: targets.map(([metric, limitMinutes, calendarId]) => ({ metric, limitMinutes, calendarId })),
    pauseOn: [...SLA_POLICY_DEFAULTS.pauseOn],
    warnAt: [...SLA_POLICY_DEFAULTS.warnAt],
    escalation: SLA_POLICY_DEFAULTS.escalation.map((s) => ({ ...s, actions: [...s.actions] })),
  });
  return [
    p('urgent', '紧急/高风险 15分钟响应', 10, { grades: ['urgent'] }, [
      ['first_response', 15, always],
      ['handling_plan', 2 * H, always],
      ['resolution', 24 * H, always],
    ]),
    p('regulator', '工信部转办 15分钟响应', 20, { channels: ['regulator'] }, [
      ['first_response', 15, always],
      ['handling_plan', 2 * H, always],
      ['resolution', 48 * H, always],
    ]),
    p('vip-complaint', 'VIP投诉', 30, { types: ['complaint'], tiers: ['vip'] }, [
      ['first_response', 12 * H, always],
      ['handling_plan', 1 * H, business],
      ['resolution', 24 * H, always],
    ]),
    p('complaint', '投诉 24小时响应 48小时办结', 40, { types: ['complaint'] }, [
      ['first_response', 24 * H, always],
      ['handling_plan', 2 * H, business],
      ['resolution', 48 * H, always],
    ]),
    p('vip-fault', 'VIP故障', 50, { types: ['fault'], tiers: ['vip'] }, [
      ['diagnosis', 30, always],
      ['handling_plan', 1 * H, business],
      ['resolution', 12 * H, always],
    ]),
    p('fault', '故障 24小时修复', 60, { types: ['fault'] }, [
      ['diagnosis', 1 * H, business],
      ['handling_plan', 2 * H, business],
      ['resolution', 24 * H, always],
    ]),
    p('inquiry', '咨询 2小时办结', 70, { types: ['inquiry'] }, [
      ['handling_plan', 1 * H, business],
      ['resolution', 2 * H, business],
    ]),
    p('default', '默认：2小时处理方案', 1000, {}, [
      ['handling_plan', 2 * H, business],
      ['resolution', 48 * H, always],
    ]),
  ];
}
