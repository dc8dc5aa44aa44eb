import { z } from 'zod';
import {
  CHANNELS,
  CUSTOMER_TIERS,
  TICKET_STATUSES,
  TICKET_TYPES,
  type Channel,
  type CustomerTier,
  type GradeCode,
  type TicketType,
} from '../tickets/types.js';

// SLA policies are data an administrator edits. A policy's conditions are allow-lists (absent =
// any value; all present lists must match). The matching policy with the lowest `order` applies,
// ties broken by id, and its targets say how long each step may take on which calendar.

export const SLA_METRICS = ['first_response', 'next_update', 'resolution', 'node'] as const;
/**
 * first_response: the customer hears from us. next_update: the handling plan (处理方案) or the
 * next progress update reaches the customer. resolution: the ticket is resolved. node: one
 * hand-off step inside the process (节点时限), named by `node`.
 */
export type SlaMetric = (typeof SLA_METRICS)[number];

const Code = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, - and _');
const allowList = <T extends z.ZodType>(item: T) =>
  z.array(item).min(1, 'an allow-list needs at least one value; omit it to allow any').optional();

export const SlaTargetSchema = z
  .strictObject({
    metric: z.enum(SLA_METRICS),
    /** Only for metric 'node': which step, e.g. 'first_line_diagnosis'. */
    node: Code.optional(),
    limitMs: z.number().int().positive(),
    calendarId: Code,
  })
  .refine(
    (t) => (t.metric === 'node') === (t.node !== undefined),
    'a node target names its node; other targets must not',
  );
export type SlaTarget = z.output<typeof SlaTargetSchema>;

export const SlaPolicySchema = z.strictObject({
  id: Code,
  name: z.string().min(1).max(200),
  order: z.number().int(),
  conditions: z
    .strictObject({
      types: allowList(z.enum(TICKET_TYPES)),
      /** Matches the category or any of its descendants. */
      categoryCodes: allowList(z.string().min(1)),
      grades: allowList(z.string().min(1)),
      tiers: allowList(z.enum(CUSTOMER_TIERS)),
      channels: allowList(z.enum(CHANNELS)),
      regions: allowList(z.string().min(1)),
    })
    .default({}),
  targets: z
    .array(SlaTargetSchema)
    .min(1)
    .refine((ts) => new Set(ts.map(targetKey)).size === ts.length, 'one target per metric (per node for node targets)'),
  /** Ticket statuses during which every clock of the ticket stops. */
  pauseOn: z.array(z.enum(TICKET_STATUSES)).default(['pending_customer']),
  /** Fractions of a limit at which to warn; stored ascending without duplicates. */
  warnAt: z
    .array(z.number().gt(0).lt(1))
    .max(5)
    .default([0.75, 0.9])
    .transform((fs) => [...new Set(fs)].sort((a, b) => a - b)),
});
export type SlaPolicy = z.output<typeof SlaPolicySchema>;
export type SlaPolicyInput = z.input<typeof SlaPolicySchema>;

/** A target's identity within a policy: 'resolution', or 'node:first_line_diagnosis'. */
export function targetKey(t: Pick<SlaTarget, 'metric' | 'node'>): string {
  return t.metric === 'node' ? `node:${t.node ?? ''}` : t.metric;
}

/** What policies match on. */
export type TicketFacts = {
  type: TicketType;
  /** Category codes from the root of the tree down to the ticket's own category. */
  categoryPath?: readonly string[];
  grade?: GradeCode | null;
  tier: CustomerTier;
  channel: Channel;
  region?: string | null;
};

const allows = <T>(list: readonly T[] | undefined, value: T | null | undefined): boolean =>
  list === undefined || (value !== null && value !== undefined && list.includes(value));

export function policyMatches(policy: SlaPolicy, facts: TicketFacts): boolean {
  const c = policy.conditions;
  return (
    allows(c.types, facts.type) &&
    allows(c.grades, facts.grade) &&
    allows(c.tiers, facts.tier) &&
    allows(c.channels, facts.channel) &&
    allows(c.regions, facts.region) &&
    (c.categoryCodes === undefined || (facts.categoryPath ?? []).some((code) => c.categoryCodes!.includes(code)))
  );
}

/** The matching policy with the lowest order (ties: the smaller id), or undefined. */
export function matchPolicy(policies: readonly SlaPolicy[], facts: TicketFacts): SlaPolicy | undefined {
  let best: SlaPolicy | undefined;
  for (const p of policies) {
    if (!policyMatches(p, facts)) continue;
    if (!best || p.order < best.order || (p.order === best.order && p.id < best.id)) best = p;
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Handbook defaults (domain.md §3)

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Calendar ids the defaults refer to: 24×7, and the Chinese working week with 调休. */
export const ALWAYS = 'always';
export const CN_BUSINESS = 'cn-business';
/** 首问 first-line diagnosis, the node every ticket passes. */
export const FIRST_LINE_DIAGNOSIS = 'first_line_diagnosis';

type TargetRow = [SlaMetric, number, string];
const targets = (rows: TargetRow[]): SlaTarget[] =>
  rows.map(([metric, limitMs, calendarId]) =>
    metric === 'node' ? { metric, node: FIRST_LINE_DIAGNOSIS, limitMs, calendarId } : { metric, limitMs, calendarId },
  );

/** A VIP variant just ahead of the base policy, with every limit halved. */
function withVip(base: SlaPolicyInput): SlaPolicyInput[] {
  const vip: SlaPolicyInput = {
    ...base,
    id: `${base.id}-vip`,
    name: `${base.name}（VIP）`,
    order: base.order - 5,
    conditions: { ...base.conditions, tiers: ['vip'] },
    targets: base.targets.map((t) => ({ ...t, limitMs: Math.round(t.limitMs / 2) })),
  };
  return [vip, base];
}

/**
 * Defaults from the handbooks, to be edited as data:
 * - urgent grade (large-area outage, high-risk complaint) and regulator referrals: respond in
 *   15 minutes, around the clock; they apply to every tier, VIP included, as nothing is faster;
 * - complaints: respond in 24 h, resolve in 48 h, counted in clock hours (the other handbook says
 *   48 h / 72 h: change the two limits);
 * - faults: resolve in 24 h around the clock (network operations work 24×7);
 * - inquiries: resolve in 2 business hours;
 * - every other normal case: a handling plan (next_update) in 2 business hours and first-line
 *   diagnosis (node) in 1 business hour;
 * - VIP customers: half of every non-urgent limit, by a VIP variant ordered just before its base.
 */
export function defaultPolicies(): SlaPolicy[] {
  const inputs: SlaPolicyInput[] = [
    {
      id: 'urgent',
      name: '紧急/高风险：15分钟响应',
      order: 10,
      conditions: { grades: ['urgent'] },
      // Resolution 24 h is the fault target; the network handbook allows 48 h for fault recovery.
      targets: targets([
        ['first_response', 15 * MINUTE, ALWAYS],
        ['node', HOUR, ALWAYS],
        ['next_update', 2 * HOUR, ALWAYS],
        ['resolution', 24 * HOUR, ALWAYS],
      ]),
    },
    {
      id: 'regulator-referral',
      name: '工信部/管局转办投诉：15分钟响应',
      order: 20,
      conditions: { channels: ['regulator'] },
      targets: targets([
        ['first_response', 15 * MINUTE, ALWAYS],
        ['next_update', 2 * HOUR, ALWAYS],
        ['resolution', 48 * HOUR, ALWAYS],
      ]),
    },
    ...withVip({
      id: 'complaint',
      name: '投诉：24小时响应，48小时办结',
      order: 40,
      conditions: { types: ['complaint'] },
      targets: targets([
        ['first_response', 24 * HOUR, ALWAYS],
        ['node', HOUR, CN_BUSINESS],
        ['next_update', 2 * HOUR, CN_BUSINESS],
        ['resolution', 48 * HOUR, ALWAYS],
      ]),
    }),
    ...withVip({
      id: 'fault',
      name: '故障：24小时修复',
      order: 60,
      conditions: { types: ['fault'] },
      targets: targets([
        ['node', HOUR, CN_BUSINESS],
        ['next_update', 2 * HOUR, CN_BUSINESS],
        ['resolution', 24 * HOUR, ALWAYS],
      ]),
    }),
    ...withVip({
      id: 'inquiry',
      name: '咨询：2小时办结',
      order: 80,
      conditions: { types: ['inquiry'] },
      targets: targets([['resolution', 2 * HOUR, CN_BUSINESS]]),
    }),
    ...withVip({
      id: 'default',
      name: '一般：2小时内给出处理方案',
      order: 1000,
      conditions: {},
      targets: targets([
        ['node', HOUR, CN_BUSINESS],
        ['next_update', 2 * HOUR, CN_BUSINESS],
      ]),
    }),
  ];
  return inputs.map((p) => SlaPolicySchema.parse(p));
}
