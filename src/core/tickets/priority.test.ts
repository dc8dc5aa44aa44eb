import { describe, expect, it } from 'vitest';
import { derivePriority } from './priority.js';

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
