import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHANNELS, type Channel } from '../tickets/types.js';
import {
  allocateByChannel,
  assignInspectors,
  decideSampling,
  minimumDueBy,
  rateQuota,
  type SamplingInput,
  type SamplingTicket,
} from './sampling.js';

/** A small deterministic PRNG (mulberry32) so properties replay. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ticketArb = fc.record({
  agent: fc.integer({ min: 0, max: 5 }),
  channel: fc.constantFrom<Channel>('hotline', 'app', 'wechat', 'sms', 'email', 'regulator'),
  lowRating: fc.boolean(),
  highRisk: fc.boolean(),
  mandatoryRoll: fc.integer({ min: 0, max: 9 }),
});
const inputArb = fc.record({
  tickets: fc.array(ticketArb, { maxLength: 200 }),
  rate: fc.double({ min: 0.1, max: 0.2, noNaN: true }),
  minimum: fc.integer({ min: 0, max: 10 }),
  day: fc.integer({ min: 1, max: 31 }),
  already: fc.integer({ min: 0, max: 6 }),
  inspectors: fc.integer({ min: 1, max: 6 }),
  separateTeams: fc.boolean(),
  seed: fc.integer(),
});

type Generated = typeof inputArb extends fc.Arbitrary<infer T> ? T : never;

function build(x: Generated): SamplingInput {
  const tickets: SamplingTicket[] = x.tickets.map((t, i) => ({
    ticketId: `t${i}`,
    agentId: `a${t.agent}`,
    teamId: `team${t.agent % 3}`,
    channel: t.channel,
    regulator: false,
    // Most tickets are ordinary; a few are mandatory.
    lowRating: t.lowRating && t.mandatoryRoll === 0,
    highRisk: t.highRisk && t.mandatoryRoll === 1,
  }));
  return {
    tickets,
    rate: x.rate,
    monthlyMinimum: x.minimum,
    dayOfMonth: Math.min(x.day, 30),
    daysInMonth: 30,
    sampledThisMonth: new Map([['a0', x.already]]),
    inspectors: Array.from({ length: x.inspectors }, (_, i) => ({ id: `i${i}`, teamId: `team${i % 4}` })),
    separateTeams: x.separateTeams,
    random: seeded(x.seed),
  };
}
const isMandatory = (t: SamplingTicket) => t.channel === 'regulator' || t.lowRating || t.highRisk;

describe('daily QA sampling', () => {
  it('samples every ticket at most once and always includes the mandatory strata', () => {
    fc.assert(
      fc.property(inputArb, (x) => {
        const input = build(x);
        const samples = decideSampling(input);
        expect(new Set(samples.map((s) => s.ticketId)).size).toBe(samples.length);
        const sampled = new Set(samples.map((s) => s.ticketId));
        for (const t of input.tickets.filter(isMandatory)) expect(sampled.has(t.ticketId)).toBe(true);
      }),
    );
  });

  it("takes at least the rate of each agent's ordinary tickets, and no more than one above it unless the minimum needs more", () => {
    fc.assert(
      fc.property(inputArb, (x) => {
        const input = build(x);
        const samples = decideSampling(input);
        for (const agent of new Set(input.tickets.map((t) => t.agentId))) {
          const ordinary = input.tickets.filter((t) => t.agentId === agent && !isMandatory(t)).length;
          const rated = samples.filter((s) => s.agentId === agent && s.stratum === 'rate').length;
          expect(rated).toBe(rateQuota(ordinary, input.rate));
          expect(rated).toBeGreaterThanOrEqual(ordinary * input.rate - 1e-9);
          expect(rated).toBeLessThan(ordinary * input.rate + 1);
        }
      }),
    );
  });

  it('meets the pro-rated monthly minimum per agent when the agent closed enough tickets', () => {
    fc.assert(
      fc.property(inputArb, (x) => {
        const input = build(x);
        const samples = decideSampling(input);
        for (const agent of new Set(input.tickets.map((t) => t.agentId))) {
          const had = input.sampledThisMonth.get(agent) ?? 0;
          const due = minimumDueBy(input.monthlyMinimum, input.dayOfMonth, input.daysInMonth);
          const closed = input.tickets.filter((t) => t.agentId === agent).length;
          const now = samples.filter((s) => s.agentId === agent).length;
          expect(had + now).toBeGreaterThanOrEqual(Math.min(due, had + closed));
        }
      }),
    );
  });

  it('stratifies the rate share by channel: each channel within one of its proportional share', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: CHANNELS.length }),
        fc.integer({ min: 0, max: 60 }),
        (sizes, q) => {
          const total = sizes.reduce((a, b) => a + b, 0);
          const quota = Math.min(q, total);
          const map = new Map(sizes.map((n, i) => [CHANNELS[i]!, n]));
          const out = allocateByChannel(map, quota);
          expect([...out.values()].reduce((a, b) => a + b, 0)).toBe(total === 0 ? 0 : quota);
          for (const [c, n] of map) {
            const got = out.get(c) ?? 0;
            expect(got).toBeLessThanOrEqual(n);
            if (total > 0) expect(Math.abs(got - (quota * n) / total)).toBeLessThan(1);
          }
        },
      ),
    );
  });

  it('assigns samples evenly: loads differ by at most one, and never to the own team when the setting says so', () => {
    fc.assert(
      fc.property(inputArb, (x) => {
        const input = build(x);
        const samples = decideSampling({ ...input, separateTeams: false });
        const loads = input.inspectors.map((i) => samples.filter((s) => s.inspectorId === i.id).length);
        expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
        expect(samples.every((s) => s.inspectorId !== null)).toBe(true);
        for (const s of decideSampling({ ...input, separateTeams: true })) {
          const inspector = input.inspectors.find((i) => i.id === s.inspectorId);
          if (inspector) expect(inspector.teamId).not.toBe(s.teamId);
          else expect(input.inspectors.every((i) => i.teamId === s.teamId)).toBe(true);
        }
      }),
    );
  });

  it('takes 10 % (rounded up) of an agent with 25 ordinary hotline tickets, all regulator cases, and tops up to the minimum', () => {
    const tickets: SamplingTicket[] = [
      ...Array.from({ length: 25 }, (_, i) => ({
        ticketId: `h${i}`,
        agentId: 'busy',
        teamId: 't1',
        channel: 'hotline' as const,
        regulator: false,
        lowRating: false,
        highRisk: false,
      })),
      {
        ticketId: 'r1',
        agentId: 'busy',
        teamId: 't1',
        channel: 'regulator',
        regulator: true,
        lowRating: false,
        highRisk: false,
      },
      {
        ticketId: 'q1',
        agentId: 'quiet',
        teamId: 't2',
        channel: 'app',
        regulator: false,
        lowRating: false,
        highRisk: false,
      },
      {
        ticketId: 'q2',
        agentId: 'quiet',
        teamId: 't2',
        channel: 'app',
        regulator: false,
        lowRating: false,
        highRisk: false,
      },
    ];
    const samples = decideSampling({
      tickets,
      rate: 0.1,
      monthlyMinimum: 5,
      dayOfMonth: 30,
      daysInMonth: 30,
      sampledThisMonth: new Map([['quiet', 3]]),
      inspectors: [
        { id: 'i1', teamId: 't1' },
        { id: 'i2', teamId: 'qa' },
      ],
      separateTeams: true,
      random: seeded(1),
    });
    const busy = samples.filter((s) => s.agentId === 'busy');
    expect(busy.filter((s) => s.stratum === 'rate')).toHaveLength(3);
    expect(busy.filter((s) => s.stratum === 'regulator').map((s) => s.ticketId)).toEqual(['r1']);
    // 1 mandatory + 3 = 4 < 5 due on the last day → one more.
    expect(busy.filter((s) => s.stratum === 'minimum')).toHaveLength(1);
    expect(busy.every((s) => s.inspectorId === 'i2')).toBe(true);
    // quiet: 1 (rate of 2) + 3 earlier = 4 → topped up with the other one.
    expect(
      samples
        .filter((s) => s.agentId === 'quiet')
        .map((s) => s.stratum)
        .sort(),
    ).toEqual(['minimum', 'rate']);
  });

  it('gives a sample no inspector when every inspector is of the agent team and teams are kept apart', () => {
    expect(assignInspectors([{ teamId: 't1' }], [{ id: 'i1', teamId: 't1' }], true)).toEqual([
      { teamId: 't1', inspectorId: null },
    ]);
  });
});
