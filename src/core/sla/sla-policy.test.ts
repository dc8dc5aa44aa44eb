import { describe, expect, it } from 'vitest';
import { SlaPolicySchema } from '../../contracts/sla.js';
import { defaultSlaPolicies, matchPolicy, type SlaFacts } from './sla-policy.js';

const facts = (f: Partial<SlaFacts> = {}): SlaFacts => ({
  type: 'inquiry',
  categoryPath: [],
  grade: 'general',
  tier: 'regular',
  channel: 'hotline',
  region: null,
  ...f,
});
const policies = defaultSlaPolicies();
const limit = (f: Partial<SlaFacts>, metric: string) =>
  matchPolicy(policies, facts(f))?.targets.find((t) => t.metric === metric);

describe('SLA policies', () => {
  it('gives urgent cases a 15-minute response around the clock, whatever their type', () => {
    expect(limit({ type: 'fault', grade: 'urgent' }, 'first_response')).toEqual({
      metric: 'first_response',
      limitMinutes: 15,
      calendarId: 'always',
    });
  });
  it('answers complaints in 24 h and resolves them in 48 h', () => {
    expect(matchPolicy(policies, facts({ type: 'complaint' }))?.id).toBe('complaint');
    expect(limit({ type: 'complaint' }, 'resolution')?.limitMinutes).toBe(48 * 60);
  });
  it('gives VIP customers shorter limits than regular ones', () => {
    expect(limit({ type: 'complaint', tier: 'vip' }, 'resolution')!.limitMinutes).toBeLessThan(
      limit({ type: 'complaint' }, 'resolution')!.limitMinutes,
    );
  });
  it('gives first-line diagnosis of a fault 1 business hour', () => {
    expect(limit({ type: 'fault' }, 'diagnosis')).toEqual({
      metric: 'diagnosis',
      limitMinutes: 60,
      calendarId: 'cn-business',
    });
  });
  it('applies the first match in position order, not the order of the list', () => {
    const reversed = [...policies].reverse();
    expect(matchPolicy(reversed, facts({ type: 'complaint', grade: 'urgent' }))?.id).toBe('urgent');
  });
  it('matches a category condition on any ancestor of the ticket’s category', () => {
    const p = SlaPolicySchema.parse({
      id: 'net',
      name: 'n',
      position: 1,
      conditions: { categoryCodes: ['fault-network'] },
      targets: [{ metric: 'resolution', limitMinutes: 60, calendarId: 'always' }],
    });
    expect(matchPolicy([p], facts({ categoryPath: ['fault-network', 'fault-network-slow'] }))?.id).toBe('net');
    expect(matchPolicy([p], facts({ categoryPath: ['fault-terminal'] }))).toBeUndefined();
  });
  it('skips inactive policies and falls back to the default', () => {
    const off = policies.map((p) => (p.id === 'inquiry' ? { ...p, active: false } : p));
    expect(matchPolicy(off, facts())?.id).toBe('default');
  });
});
