import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRIORITY_WEIGHTS, derivePriority, raisedFloor, ticketPriority } from './priority.js';
import { CUSTOMER_TIERS, TICKET_TYPES, type Priority } from './types.js';

describe('priority from type × grade × customer tier', () => {
  it('makes any urgent complaint P1, whoever the customer is', () => {
    expect(derivePriority({ type: 'complaint', grade: 'urgent', tier: 'regular' })).toBe(1);
  });
  it('lifts a VIP above a regular customer with the same case', () => {
    const regular = derivePriority({ type: 'fault', grade: 'general', tier: 'regular' });
    const vip = derivePriority({ type: 'fault', grade: 'general', tier: 'vip' });
    expect(vip).toBeLessThan(regular);
  });
  it('keeps a general inquiry from a regular customer at the lowest priority', () => {
    expect(derivePriority({ type: 'inquiry', grade: 'general', tier: 'regular' })).toBe(4);
  });
  it('treats an unknown (newly configured) grade as the least severe', () => {
    expect(derivePriority({ type: 'inquiry', grade: 'moderate', tier: 'regular' })).toBe(4);
  });
  it('never ranks a higher grade below a lower one for the same type and tier', () => {
    for (const type of ['inquiry', 'fault', 'complaint', 'service_request'] as const) {
      for (const tier of ['vip', 'gold', 'silver', 'regular'] as const) {
        const [g, m, u] = ['general', 'major', 'urgent'].map((grade) => derivePriority({ type, grade, tier }));
        expect(u).toBeLessThanOrEqual(m!);
        expect(m).toBeLessThanOrEqual(g!);
      }
    }
  });
});

describe('priority with a floor set by rules and escalations', () => {
  const facts = fc.record({
    type: fc.constantFrom(...TICKET_TYPES),
    grade: fc.constantFrom('general', 'major', 'urgent', 'unknown'),
    tier: fc.constantFrom(...CUSTOMER_TIERS),
  });
  const priority = fc.constantFrom<Priority>(1, 2, 3, 4);

  it('is never less urgent than the floor, nor than the facts alone', () => {
    fc.assert(
      fc.property(facts, fc.option(priority, { nil: null }), (f, floor) => {
        const p = ticketPriority(f, floor);
        expect(p).toBeLessThanOrEqual(derivePriority(f));
        if (floor !== null) expect(p).toBeLessThanOrEqual(floor);
        expect([derivePriority(f), floor]).toContain(p);
      }),
    );
  });
  it('is the derived priority when there is no floor', () => {
    fc.assert(fc.property(facts, (f) => ticketPriority(f, null) === derivePriority(f)));
  });
  it('raises by one level on escalation and stops at P1', () => {
    expect([4, 3, 2, 1].map(raisedFloor)).toEqual([3, 2, 1, 1]);
  });
  it('follows the weights of the setting', () => {
    const weights = { ...DEFAULT_PRIORITY_WEIGHTS, tier: { ...DEFAULT_PRIORITY_WEIGHTS.tier, vip: 7 } };
    expect(derivePriority({ type: 'inquiry', grade: 'general', tier: 'vip' }, weights)).toBe(1);
    expect(derivePriority({ type: 'inquiry', grade: 'general', tier: 'vip' })).toBe(3);
  });
});
