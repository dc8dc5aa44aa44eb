import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CUSTOMER_TIERS } from '../tickets/types.js';
import { churnRisk, DEFAULT_CHURN_WEIGHTS, type ChurnFacts } from './churn-risk.js';

const none: ChurnFacts = {
  repeatComplaints: 0,
  slaBreaches: 0,
  openComplaints: 0,
  reopenedTickets: 0,
  tier: 'regular',
  tenureDays: 3650,
};

const count = fc.integer({ min: 0, max: 20 });
const facts: fc.Arbitrary<ChurnFacts> = fc.record({
  repeatComplaints: count,
  slaBreaches: count,
  openComplaints: count,
  reopenedTickets: count,
  ratings: fc.option(fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 6 }), { nil: undefined }),
  tier: fc.constantFrom(...CUSTOMER_TIERS),
  tenureDays: fc.integer({ min: 0, max: 5000 }),
});

describe('churn risk of a customer', () => {
  it('is 0 and low with no service problem, whatever the tier and tenure', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CUSTOMER_TIERS), fc.integer({ min: 0, max: 5000 }), (tier, tenureDays) => {
        expect(churnRisk({ ...none, tier, tenureDays, ratings: [4, 5] })).toEqual({
          score: 0,
          level: 'low',
          reasons: [],
        });
      }),
    );
  });

  it('makes two repeat complaints, a breach and three open complaints of a regular customer high, with those reasons', () => {
    const risk = churnRisk({ ...none, repeatComplaints: 2, slaBreaches: 1, openComplaints: 3 });
    expect(risk.reasons).toEqual([
      { code: 'repeat_complaints', count: 2, points: 30 },
      { code: 'sla_breaches', count: 1, points: 10 },
      { code: 'open_complaints', count: 3, points: 20 },
    ]);
    expect(risk).toMatchObject({ score: 60, level: 'high' });
  });

  it('makes one repeat complaint and one breach medium, and adds a VIP’s tier and a new customer’s tenure', () => {
    expect(churnRisk({ ...none, repeatComplaints: 1, slaBreaches: 1, openComplaints: 1 })).toMatchObject({
      score: 35,
      level: 'medium',
    });
    const vip = churnRisk({ ...none, repeatComplaints: 1, tier: 'vip', tenureDays: 30 });
    expect(vip.reasons).toEqual([
      { code: 'repeat_complaints', count: 1, points: 15 },
      { code: 'tier', tier: 'vip', points: 10 },
      { code: 'new_customer', tenureDays: 30, points: 10 },
    ]);
    expect(vip).toMatchObject({ score: 35, level: 'medium' });
  });

  it('counts only ratings at or below the low mark, and ignores ratings when there are none', () => {
    expect(churnRisk({ ...none, ratings: [1, 2, 3, 5] }).reasons).toEqual([
      { code: 'low_ratings', count: 2, points: 30 },
    ]);
    expect(churnRisk({ ...none, ratings: undefined }).score).toBe(0);
  });

  it('caps each factor at its maximum and the score at 100', () => {
    const risk = churnRisk({
      ...none,
      repeatComplaints: 50,
      slaBreaches: 50,
      openComplaints: 50,
      reopenedTickets: 50,
      ratings: [1, 1, 1, 1],
      tier: 'vip',
      tenureDays: 1,
    });
    expect(risk.reasons.find((r) => r.code === 'repeat_complaints')?.points).toBe(45);
    expect(risk).toMatchObject({ score: 100, level: 'high' });
  });

  it('follows configured weights and thresholds', () => {
    const weights = {
      ...DEFAULT_CHURN_WEIGHTS,
      factors: { ...DEFAULT_CHURN_WEIGHTS.factors, sla_breaches: { points: 40, max: 80 } },
      thresholds: { medium: 20, high: 40 },
    };
    expect(churnRisk({ ...none, slaBreaches: 1 }, weights)).toMatchObject({ score: 40, level: 'high' });
  });

  it('never falls when any one problem count grows (monotone in each factor)', () => {
    const keys = ['repeatComplaints', 'slaBreaches', 'openComplaints', 'reopenedTickets'] as const;
    fc.assert(
      fc.property(facts, fc.constantFrom(...keys), fc.integer({ min: 1, max: 5 }), (f, key, more) => {
        expect(churnRisk({ ...f, [key]: f[key] + more }).score).toBeGreaterThanOrEqual(churnRisk(f).score);
      }),
    );
  });

  it('never falls with one more low rating, a shorter tenure or a higher tier', () => {
    const tierRank = (t: ChurnFacts['tier']) => CUSTOMER_TIERS.length - CUSTOMER_TIERS.indexOf(t);
    fc.assert(
      fc.property(facts, fc.integer({ min: 0, max: 500 }), fc.constantFrom(...CUSTOMER_TIERS), (f, fewer, tier) => {
        const base = churnRisk(f).score;
        expect(churnRisk({ ...f, ratings: [...(f.ratings ?? []), 1] }).score).toBeGreaterThanOrEqual(base);
        expect(churnRisk({ ...f, tenureDays: Math.max(0, f.tenureDays - fewer) }).score).toBeGreaterThanOrEqual(base);
        if (tierRank(tier) >= tierRank(f.tier)) expect(churnRisk({ ...f, tier }).score).toBeGreaterThanOrEqual(base);
      }),
    );
  });

  it('lists exactly the factors that added points, and the score is their sum (up to 100)', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const risk = churnRisk(f);
        const problems = {
          repeat_complaints: f.repeatComplaints,
          sla_breaches: f.slaBreaches,
          open_complaints: f.openComplaints,
          reopened_tickets: f.reopenedTickets,
          low_ratings: (f.ratings ?? []).filter((r) => r <= 2).length,
        };
        const expected = Object.entries(problems)
          .filter(([, n]) => n > 0)
          .map(([code]) => code);
        if (expected.length > 0) {
          if (DEFAULT_CHURN_WEIGHTS.tier[f.tier] > 0) expected.push('tier');
          if (f.tenureDays < DEFAULT_CHURN_WEIGHTS.newCustomer.days) expected.push('new_customer');
        }
        expect(risk.reasons.map((r) => r.code)).toEqual(expected);
        expect(risk.reasons.every((r) => r.points > 0)).toBe(true);
        expect(risk.score).toBe(
          Math.min(
            100,
            risk.reasons.reduce((s, r) => s + r.points, 0),
          ),
        );
      }),
    );
  });
});
