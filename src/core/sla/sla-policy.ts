import { z } from 'zod';
import {
  CHANNELS,
  CUSTOMER_TIERS,
  TICKET_STATUSES,
  TICKET_TYPES,
  type Channel,
  type CustomerTier,
  type TicketStatus,
  type TicketType,
} from '../tickets/types.js';
import { ESCALATION_ACTIONS } from './target-clock.js';

// SLA policies are data. A policy matches tickets by conditions (each an allow-list; absent = any);
// the first active policy by position applies. Its targets say how long each step may take and on
// which calendar ('always' = 24×7, or a business calendar).

/**
 * first_response: someone takes it up (work starts) or answers the customer.
 * handling_plan: a public answer (the handling plan) reaches the customer.
 * diagnosis: first-line diagnosis done — answered, handed to a department or another team, or resolved.
 * resolution: resolved.
 */
export const SLA_METRICS = ['first_response', 'handling_plan', 'diagnosis', 'resolution'] as const;
export type SlaMetric = (typeof SLA_METRICS)[number];

const list = <T extends z.ZodType>(item: T) => z.array(item).min(1).optional();

export const SlaPolicySchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/),
  name: z.string().min(1).max(100),
  position: z.number().int(),
  active: z.boolean().default(true),
  conditions: z
    .strictObject({
      types: list(z.enum(TICKET_TYPES)),
      categoryCodes: list(z.string()).describe('matches the category or any of its descendants'),
      grades: list(z.string()),
      tiers: list(z.enum(CUSTOMER_TIERS)),
      channels: list(z.enum(CHANNELS)),
      regions: list(z.string()),
    })
    .default({}),
  targets: z
    .array(
      z.strictObject({
        metric: z.enum(SLA_METRICS),
        limitMinutes: z
          .number()
          .positive()
          .max(60 * 24 * 365),
        calendarId: z.string(),
        pauseOn: z.array(z.enum(TICKET_STATUSES)).optional().describe('overrides the policy’s pauseOn for this clock'),
      }),
    )
    .min(1)
    .refine((ts) => new Set(ts.map((t) => t.metric)).size === ts.length, 'one target per metric'),
  pauseOn: z.array(z.enum(TICKET_STATUSES)).default(['pending_customer']),
  warnAt: z.array(z.number().gt(0).lt(1)).max(5).default([0.75, 0.9]),
  escalation: z
    .array(
      z
        .strictObject({
          afterMinutes: z.number().min(0).describe('after the breach'),
          actions: z.array(z.enum(ESCALATION_ACTIONS)).min(1),
          queue: z.string().optional().describe('team code for reassign_queue'),
        })
        .refine((s) => !s.actions.includes('reassign_queue') || s.queue, 'reassign_queue needs a queue (team code)'),
    )
    .default([
      { afterMinutes: 0, actions: ['notify_owner', 'notify_supervisor', 'raise_priority', 'flag'] },
      { afterMinutes: 30, actions: ['reassign_tier2'] },
    ]),
});
export type SlaPolicy = z.output<typeof SlaPolicySchema>;

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

/** The policy a routing rule named, while it is active; otherwise the first matching one. */
export function choosePolicy(
  policies: readonly SlaPolicy[],
  facts: SlaFacts,
  hint: string | null,
): SlaPolicy | undefined {
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
  ) =>
    SlaPolicySchema.parse({
      id,
      name,
      position,
      conditions,
      targets: targets.map(([metric, limitMinutes, calendarId]) => ({ metric, limitMinutes, calendarId })),
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
