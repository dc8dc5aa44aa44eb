import { describe, expect, it } from 'vitest';
import { choosePolicy, defaultSlaPolicies, type SlaFacts } from './sla-policy.js';

// A regulator case's clocks are never replaced by another policy (issue 18): its text may make
// routing raise it to urgent or name another policy, and it still counts on the regulator's clocks.
const policies = defaultSlaPolicies();
const regulatorCase = (f: Partial<SlaFacts> = {}): SlaFacts => ({
  type: 'complaint',
  categoryPath: [],
  grade: 'general',
  tier: 'regular',
  channel: 'regulator',
  region: null,
  ...f,
});

describe('the SLA policy of a regulator case', () => {
  it('stays the regulator policy when the text (工信部) made the case urgent', () => {
    expect(choosePolicy(policies, regulatorCase({ grade: 'urgent' }), null)?.id).toBe('regulator');
  });
  it('stays the regulator policy when a routing rule named another policy', () => {
    expect(choosePolicy(policies, regulatorCase(), 'urgent')?.id).toBe('regulator');
  });
  it('stays the regulator policy for a VIP customer’s complaint', () => {
    expect(choosePolicy(policies, regulatorCase({ tier: 'vip' }), null)?.id).toBe('regulator');
  });
  it('falls back to ordinary matching only when no active policy names the regulator channel', () => {
    const without = policies.map((p) => (p.id === 'regulator' ? { ...p, active: false } : p));
    expect(choosePolicy(without, regulatorCase({ grade: 'urgent' }), null)?.id).toBe('urgent');
  });
  it('leaves other channels to the position order and routing hints', () => {
    expect(choosePolicy(policies, regulatorCase({ channel: 'hotline', grade: 'urgent' }), null)?.id).toBe('urgent');
    expect(choosePolicy(policies, regulatorCase({ channel: 'hotline' }), 'inquiry')?.id).toBe('inquiry');
  });
});
