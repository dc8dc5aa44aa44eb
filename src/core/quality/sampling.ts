import type { Channel } from '../tickets/types.js';

// Daily QA sampling (抽检, issue 14) as one pure decision: which of yesterday's closed tickets are
// inspected and by whom. The use case gathers the facts, passes a random source in, and stores
// the result under a unique key per ticket.

/** Why a ticket must always be inspected (100 % strata), in order of precedence. */
export const MANDATORY_STRATA = ['regulator', 'low_rating', 'high_risk'] as const;
export type MandatoryStratum = (typeof MANDATORY_STRATA)[number];
/** `rate`: the agent's share; `minimum`: topped up to the agent's monthly minimum. */
export const SAMPLE_STRATA = [...MANDATORY_STRATA, 'rate', 'minimum'] as const;
export type SampleStratum = (typeof SAMPLE_STRATA)[number];

export const SAMPLE_RATE_BOUNDS = { min: 0.1, max: 0.2 } as const;
export const DEFAULT_SAMPLE_RATE = 0.1;
export const DEFAULT_MONTHLY_MINIMUM = 5;

export type SamplingTicket = {
  ticketId: string;
  agentId: string;
  /** The agent's team (for "never their own team"). */
  teamId: string | null;
  channel: Channel;
  regulator: boolean;
  /** The customer rated the ticket 1–2 in the survey. */
  lowRating: boolean;
  /** Tagged high-risk or graded major or above. */
  highRisk: boolean;
};

export type Inspector = { id: string; teamId: string | null };

export type SamplingInput = {
  tickets: readonly SamplingTicket[];
  /** Share of each agent's ordinary closed tickets, within SAMPLE_RATE_BOUNDS. */
  rate: number;
  /** Samples per agent per month. */
  monthlyMinimum: number;
  /** The run's day of the month (1-based) and the month's length: the minimum is pro-rated. */
  dayOfMonth: number;
  daysInMonth: number;
  /** Samples each agent already had this month (earlier runs). */
  sampledThisMonth: ReadonlyMap<string, number>;
  inspectors: readonly Inspector[];
  /** Never give an inspector work of their own team. */
  separateTeams: boolean;
  /** A uniform random number in [0, 1). */
  random: () => number;
};

export type Sample = {
  ticketId: string;
  agentId: string;
  teamId: string | null;
  channel: Channel;
  stratum: SampleStratum;
  /** Null when no inspector may take it (none, or all of the agent's own team). */
  inspectorId: string | null;
};

export const clampRate = (rate: number): number =>
  Math.min(SAMPLE_RATE_BOUNDS.max, Math.max(SAMPLE_RATE_BOUNDS.min, rate));

export function mandatoryStratum(t: SamplingTicket): MandatoryStratum | null {
  if (t.regulator || t.channel === 'regulator') return 'regulator';
  if (t.lowRating) return 'low_rating';
  if (t.highRisk) return 'high_risk';
  return null;
}

/** The rate share of `n` ordinary tickets: never below the rate (rounded up). */
export const rateQuota = (n: number, rate: number): number => Math.max(0, Math.ceil(n * clampRate(rate) - 1e-9));

/** The monthly minimum due by `day` of a month of `days` days (all of it on the last day). */
export const minimumDueBy = (minimum: number, day: number, days: number): number =>
  Math.max(0, Math.ceil((minimum * Math.min(day, days)) / days - 1e-9));

function shuffled<T>(list: readonly T[], random: () => number): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Splits `quota` over channels in proportion to their sizes (largest remainder), so each channel
 * gets its share rounded down or up.
 */
export function allocateByChannel(sizes: ReadonlyMap<Channel, number>, quota: number): Map<Channel, number> {
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  const out = new Map<Channel, number>();
  if (total === 0) return out;
  const exact = [...sizes].map(([c, n]) => ({ c, n, share: (quota * n) / total }));
  let given = 0;
  for (const e of exact) {
    const floor = Math.min(e.n, Math.floor(e.share + 1e-9));
    out.set(e.c, floor);
    given += floor;
  }
  const byRemainder = [...exact].sort((a, b) => b.share - Math.floor(b.share) - (a.share - Math.floor(a.share)));
  for (const e of byRemainder) {
    if (given >= quota) break;
    if (out.get(e.c)! < e.n) {
      out.set(e.c, out.get(e.c)! + 1);
      given++;
    }
  }
  return out;
}

/** Chooses the day's samples and assigns them to inspectors. Each ticket appears at most once. */
export function decideSampling(input: SamplingInput): Sample[] {
  const seen = new Set<string>();
  const byAgent = new Map<string, SamplingTicket[]>();
  for (const t of input.tickets) {
    if (seen.has(t.ticketId)) continue;
    seen.add(t.ticketId);
    byAgent.set(t.agentId, [...(byAgent.get(t.agentId) ?? []), t]);
  }
  const chosen: Omit<Sample, 'inspectorId'>[] = [];
  const take = (t: SamplingTicket, stratum: SampleStratum) =>
    chosen.push({ ticketId: t.ticketId, agentId: t.agentId, teamId: t.teamId, channel: t.channel, stratum });

  for (const [agentId, tickets] of [...byAgent].sort(([a], [b]) => a.localeCompare(b))) {
    const ordinary: SamplingTicket[] = [];
    let count = 0;
    for (const t of tickets) {
      const stratum = mandatoryStratum(t);
      if (stratum) {
        take(t, stratum);
        count++;
      } else ordinary.push(t);
    }
    const byChannel = new Map<Channel, SamplingTicket[]>();
    for (const t of ordinary) byChannel.set(t.channel, [...(byChannel.get(t.channel) ?? []), t]);
    const quotas = allocateByChannel(
      new Map([...byChannel].map(([c, list]) => [c, list.length])),
      rateQuota(ordinary.length, input.rate),
    );
    const left: SamplingTicket[] = [];
    for (const [channel, list] of [...byChannel].sort(([a], [b]) => a.localeCompare(b))) {
      const mixed = shuffled(list, input.random);
      const q = quotas.get(channel) ?? 0;
      for (const t of mixed.slice(0, q)) take(t, 'rate');
      count += q;
      left.push(...mixed.slice(q));
    }
    const due = minimumDueBy(input.monthlyMinimum, input.dayOfMonth, input.daysInMonth);
    const missing = due - (input.sampledThisMonth.get(agentId) ?? 0) - count;
    if (missing > 0) for (const t of shuffled(left, input.random).slice(0, missing)) take(t, 'minimum');
  }
  return assignInspectors(chosen, input.inspectors, input.separateTeams);
}

/**
 * Even assignment: each sample goes to the eligible inspector with the fewest samples so far in
 * this run (ties in list order). With `separateTeams`, inspectors of the agent's team are not eligible.
 */
export function assignInspectors<S extends { teamId: string | null }>(
  samples: readonly S[],
  inspectors: readonly Inspector[],
  separateTeams: boolean,
): (S & { inspectorId: string | null })[] {
  const load = new Map(inspectors.map((i) => [i.id, 0]));
  return samples.map((s) => {
    let best: Inspector | null = null;
    for (const i of inspectors) {
      if (separateTeams && i.teamId !== null && i.teamId === s.teamId) continue;
      if (!best || load.get(i.id)! < load.get(best.id)!) best = i;
    }
    if (best) load.set(best.id, load.get(best.id)! + 1);
    return { ...s, inspectorId: best?.id ?? null };
  });
}
