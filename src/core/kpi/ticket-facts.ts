import { DateTime } from 'luxon';
import { SLA_METRICS } from '../sla/sla-policy.js';
import type { Channel, TicketStatus, TicketType } from '../tickets/types.js';

// What one ticket contributes to the KPIs, derived from its timeline (ticket_events), its SLA
// clocks and the customer's later contacts. The facts job keeps one such record per ticket and
// adds the difference between the old and the new contributions to the daily roll-up, so running
// it twice over the same ticket changes nothing.

const OPEN: readonly TicketStatus[] = ['new', 'assigned', 'in_progress', 'pending_customer', 'pending_department'];
const DAY_MS = 86_400_000;

/** One timeline entry as the facts need it (kind, time, data). */
export type FactEvent = { kind: string; at: Date; data: Record<string, unknown> };

export type TicketFactsInput = {
  ticket: {
    type: TicketType;
    categoryId: string | null;
    channel: Channel;
    teamId: string | null;
    assigneeId: string | null;
    region: string | null;
    createdAt: Date;
    isRepeat: boolean;
  };
  /** The ticket's timeline in order. */
  events: readonly FactEvent[];
  /** Its SLA clocks (policy metrics; node clocks such as `subtask:…` are ignored). */
  slaTargets: readonly { metric: string; breachedAt: Date | null; metAt: Date | null; consumedMs: number }[];
  /** Creation times of the same customer's later tickets on the same category (not merged into this one). */
  laterContacts: readonly Date[];
  /** Distinct words of the subject and description (jieba), for hot issues. */
  words: readonly string[];
};

export type FactDims = {
  teamId: string;
  agentId: string;
  type: TicketType;
  categoryId: string;
  channel: Channel;
  region: string;
};

/** Counters summed in the roll-up. Durations in milliseconds. */
export const MEASURES = [
  'contacts',
  'repeats',
  'complaints',
  'appeals',
  'resolved',
  'fcr',
  'reopened',
  'transferred',
  'handling_ms',
  'handling_business_ms',
  'handling_business_n',
  'within_target',
  'first_responses',
  'first_response_ms',
  'with_limits',
  'breached',
  'sla_met',
  'sla_breached',
] as const;
export type Measure = (typeof MEASURES)[number];
export type Measures = Record<Measure, number>;

export const emptyMeasures = (): Measures => Object.fromEntries(MEASURES.map((m) => [m, 0])) as Measures;

/** One roll-up cell a ticket adds to: a local day, and '' or the SLA metric the counts are for. */
export type Contribution = { day: string; metric: string; measures: Partial<Measures> };

export type TicketFacts = {
  dims: FactDims;
  createdDay: string;
  /** Final resolution (null while open, reopened, or merged away). */
  resolvedAt: Date | null;
  resolvedDay: string | null;
  merged: boolean;
  reopened: boolean;
  transferred: boolean;
  /** First-contact resolution; null when not resolved. */
  fcr: boolean | null;
  handlingMs: number | null;
  handlingBusinessMs: number | null;
  withinTarget: boolean | null;
  firstResponseMs: number | null;
  hasLimits: boolean;
  breached: boolean;
  repeat: boolean;
  contributions: Contribution[];
  /** Words counted on the creation day. */
  words: string[];
};

export type FactSettings = {
  fcrWindowDays: number;
  handlingTargetHours: Record<TicketType, number>;
  timeZone: string;
};

/** The local calendar day (YYYY-MM-DD) of an instant. */
export const localDay = (at: Date, timeZone: string): string =>
  DateTime.fromJSDate(at, { zone: timeZone }).toISODate()!;

export function ticketFacts(input: TicketFactsInput, settings: FactSettings): TicketFacts {
  const { ticket } = input;
  let resolvedAt: Date | null = null;
  let reopened = false;
  let transferred = false;
  let merged = false;
  let firstResponseAt: Date | null = null;

  for (const e of input.events) {
    const d = e.data;
    switch (e.kind) {
      case 'status_changed': {
        const to = d.to as TicketStatus;
        if (to === 'resolved') resolvedAt = e.at;
        else if (to === 'closed') resolvedAt ??= e.at;
        else if (OPEN.includes(to) && (d.from === 'resolved' || d.from === 'closed')) {
          // Reopened: the earlier resolution no longer counts; the final one will.
          resolvedAt = null;
          reopened = true;
        }
        break;
      }
      case 'escalated':
        transferred = true;
        break;
      case 'assigned': {
        const before = (d.before as { teamId?: string | null } | undefined)?.teamId ?? null;
        const after = (d.after as { teamId?: string | null } | undefined)?.teamId ?? null;
        if (before !== null && after !== before) transferred = true;
        break;
      }
      case 'merged':
        if (typeof d.into === 'string') merged = true;
        break;
      case 'message_added':
        if (
          firstResponseAt === null &&
          d.visibility === 'public' &&
          d.fromCustomer !== true &&
          d.automatic === undefined
        )
          firstResponseAt = e.at;
        break;
      default:
        break;
    }
  }
  if (merged) resolvedAt = null;

  const tz = settings.timeZone;
  const createdDay = localDay(ticket.createdAt, tz);
  const dims: FactDims = {
    teamId: ticket.teamId ?? '',
    agentId: ticket.assigneeId ?? '',
    type: ticket.type,
    categoryId: ticket.categoryId ?? '',
    channel: ticket.channel,
    region: ticket.region ?? '',
  };

  const policyTargets = input.slaTargets.filter((t) => (SLA_METRICS as readonly string[]).includes(t.metric));
  const hasLimits = policyTargets.length > 0;
  const breached = policyTargets.some((t) => t.breachedAt !== null);

  let fcr: boolean | null = null;
  let handlingMs: number | null = null;
  let handlingBusinessMs: number | null = null;
  let withinTarget: boolean | null = null;
  if (resolvedAt !== null) {
    const resolved: Date = resolvedAt;
    const windowEnd = resolved.getTime() + settings.fcrWindowDays * DAY_MS;
    const repeated = input.laterContacts.some(
      (c) => c.getTime() > ticket.createdAt.getTime() && c.getTime() <= windowEnd,
    );
    fcr = !transferred && !reopened && !repeated;
    handlingMs = Math.max(0, resolved.getTime() - ticket.createdAt.getTime());
    // Business time is what the resolution clock consumed: its calendar, without paused spells.
    const clock = policyTargets.find((t) => t.metric === 'resolution' && t.metAt !== null);
    handlingBusinessMs = clock ? clock.consumedMs : null;
    withinTarget = handlingMs <= settings.handlingTargetHours[ticket.type] * 3_600_000;
  }
  const firstResponseMs =
    firstResponseAt === null ? null : Math.max(0, firstResponseAt.getTime() - ticket.createdAt.getTime());

  const cells = new Map<string, Contribution>();
  const add = (day: string, metric: string, m: Partial<Measures>) => {
    const key = `${day}|${metric}`;
    const cell = cells.get(key) ?? { day, metric, measures: {} };
    for (const [k, v] of Object.entries(m) as [Measure, number][]) {
      if (v !== 0) cell.measures[k] = (cell.measures[k] ?? 0) + v;
    }
    cells.set(key, cell);
  };

  // Contacts, repeats and the SLA outcome belong to the day the ticket was created.
  add(createdDay, '', {
    contacts: 1,
    repeats: ticket.isRepeat ? 1 : 0,
    complaints: ticket.type === 'complaint' ? 1 : 0,
    appeals: ticket.channel === 'regulator' ? 1 : 0,
    with_limits: hasLimits ? 1 : 0,
    breached: breached ? 1 : 0,
  });
  for (const t of policyTargets) {
    if (t.breachedAt !== null) add(createdDay, t.metric, { sla_breached: 1 });
    else if (t.metAt !== null) add(createdDay, t.metric, { sla_met: 1 });
  }
  // The first response belongs to the day it was given.
  if (firstResponseAt !== null)
    add(localDay(firstResponseAt, tz), '', { first_responses: 1, first_response_ms: firstResponseMs ?? 0 });
  // Resolution facts belong to the day of the final resolution.
  const resolvedDay = resolvedAt === null ? null : localDay(resolvedAt, tz);
  if (resolvedDay !== null)
    add(resolvedDay, '', {
      resolved: 1,
      fcr: fcr ? 1 : 0,
      reopened: reopened ? 1 : 0,
      transferred: transferred ? 1 : 0,
      handling_ms: handlingMs ?? 0,
      handling_business_ms: handlingBusinessMs ?? 0,
      handling_business_n: handlingBusinessMs === null ? 0 : 1,
      within_target: withinTarget ? 1 : 0,
    });

  return {
    dims,
    createdDay,
    resolvedAt,
    resolvedDay,
    merged,
    reopened,
    transferred,
    fcr,
    handlingMs,
    handlingBusinessMs,
    withinTarget,
    firstResponseMs,
    hasLimits,
    breached,
    repeat: ticket.isRepeat,
    contributions: [...cells.values()].filter((c) => Object.keys(c.measures).length > 0),
    words: [...new Set(input.words)].sort(),
  };
}

/** A roll-up cell with its dimensions: the unit the facts job adds and subtracts. */
export type FactCell = FactDims & Contribution;

/** The cells a ticket's facts add to the roll-up. */
export const cellsOf = (f: Pick<TicketFacts, 'dims' | 'contributions'>): FactCell[] =>
  f.contributions.map((c) => ({ ...f.dims, ...c }));

export const cellKey = (c: FactDims & { day: string; metric: string }): string =>
  [c.day, c.metric, c.teamId, c.agentId, c.type, c.categoryId, c.channel, c.region].join('|');

/**
 * What to add to the roll-up to go from `before` to `after` (cells may move between days or
 * dimensions when a ticket is reassigned, reopened or reclassified). Cells that end up all zero
 * are left out.
 */
export function cellDelta(before: readonly FactCell[], after: readonly FactCell[]): FactCell[] {
  const out = new Map<string, FactCell>();
  const apply = (cells: readonly FactCell[], sign: 1 | -1) => {
    for (const c of cells) {
      const key = cellKey(c);
      const cell = out.get(key) ?? { ...c, measures: {} };
      for (const [k, v] of Object.entries(c.measures) as [Measure, number][])
        cell.measures[k] = (cell.measures[k] ?? 0) + sign * v;
      out.set(key, cell);
    }
  };
  apply(before, -1);
  apply(after, 1);
  return [...out.values()]
    .map((c) => ({
      ...c,
      measures: Object.fromEntries(Object.entries(c.measures).filter(([, v]) => v !== 0)),
    }))
    .filter((c) => Object.keys(c.measures).length > 0);
}

/** Word counts to add going from one word list (and creation day) to another. */
export function wordDelta(
  before: { day: string; words: readonly string[] } | null,
  after: { day: string; words: readonly string[] },
): { day: string; word: string; delta: number }[] {
  const out = new Map<string, { day: string; word: string; delta: number }>();
  const apply = (x: { day: string; words: readonly string[] }, sign: number) => {
    for (const word of x.words) {
      const key = `${x.day}|${word}`;
      const e = out.get(key) ?? { day: x.day, word, delta: 0 };
      e.delta += sign;
      out.set(key, e);
    }
  };
  if (before) apply(before, -1);
  apply(after, 1);
  return [...out.values()].filter((e) => e.delta !== 0);
}

/** The dimensions the roll-up is also kept summed by, one at a time ('' = the whole centre). */
export const MARGINAL_DIMS = ['', 'team', 'agent', 'type', 'category', 'channel', 'region'] as const;
export type MarginalDim = (typeof MARGINAL_DIMS)[number];
export type MarginalCell = { dim: MarginalDim; key: string; day: string; metric: string; measures: Partial<Measures> };

const DIM_OF: Record<Exclude<MarginalDim, ''>, keyof FactDims> = {
  team: 'teamId',
  agent: 'agentId',
  type: 'type',
  category: 'categoryId',
  channel: 'channel',
  region: 'region',
};

/**
 * The same differences summed by each dimension alone: what to add to the per-dimension roll-up
 * when `cells` are added to the full one. Cells that sum to zero are left out.
 */
export function marginalsOf(cells: readonly FactCell[]): MarginalCell[] {
  const out = new Map<string, MarginalCell>();
  for (const c of cells)
    for (const dim of MARGINAL_DIMS) {
      const key = dim === '' ? '' : String(c[DIM_OF[dim]]);
      const k = [dim, c.metric, c.day, key].join('|');
      const cell = out.get(k) ?? { dim, key, day: c.day, metric: c.metric, measures: {} };
      for (const [m, v] of Object.entries(c.measures) as [Measure, number][])
        cell.measures[m] = (cell.measures[m] ?? 0) + v;
      out.set(k, cell);
    }
  return [...out.values()]
    .map((c) => ({ ...c, measures: Object.fromEntries(Object.entries(c.measures).filter(([, v]) => v !== 0)) }))
    .filter((c) => Object.keys(c.measures).length > 0);
}
