import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  changeLimit,
  decideFirings,
  dueAt,
  elapsed,
  markMet,
  nextFireAt,
  pause,
  resume,
  startClock,
  stateOf,
  type CalendarMath,
} from './target-clock.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const always: CalendarMath = {
  add: (s, ms) => new Date(s.getTime() + ms),
  between: (a, b) => b.getTime() - a.getTime(),
  phaseAt: () => ({ open: true, until: null }),
};
/** Open 09:00–18:00 UTC every day: enough to show the clock counts only open time. */
const dayHours: CalendarMath = {
  phaseAt() {
    throw new Error('not used by the clock');
  },
  between(a, b) {
    let total = 0;
    for (let t = a.getTime(); t < b.getTime(); t += MIN) {
      const h = new Date(t).getUTCHours();
      if (h >= 9 && h < 18) total += MIN;
    }
    return total;
  },
  add(s, ms) {
    let t = s.getTime();
    let left = ms;
    while (left > 0) {
      const h = new Date(t).getUTCHours();
      if (h >= 9 && h < 18) left -= MIN;
      t += MIN;
    }
    return new Date(t);
  },
};

const t0 = new Date('2026-11-20T10:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * MIN);
const clock = (
  limitMs = HOUR,
  escalation = [
    { afterMs: 0, actions: ['notify_owner' as const, 'flag' as const] },
    { afterMs: 30 * MIN, actions: ['reassign_tier2' as const] },
  ],
) => startClock({ limitMs, warnAt: [0.9, 0.75], escalation }, t0);

describe('SLA target clock', () => {
  it('is due one limit after start on a 24×7 calendar', () => {
    expect(dueAt(clock(), always)).toEqual(at(60));
  });

  it('warns at 75 % and 90 %, breaches at the limit, then escalates step by step — each once', () => {
    let c = clock();
    const fire = (minute: number) => {
      const r = decideFirings(c, at(minute), always);
      c = r.clock;
      return r.firings.map((f) =>
        f.kind === 'warning' ? `warn ${f.fraction}` : f.kind === 'breach' ? 'breach' : `escalate ${f.step}`,
      );
    };
    expect(fire(30)).toEqual([]);
    expect(nextFireAt(c, always)).toEqual(at(45));
    expect(fire(45)).toEqual(['warn 0.75']);
    expect(fire(45)).toEqual([]);
    expect(fire(55)).toEqual(['warn 0.9']);
    expect(nextFireAt(c, always)).toEqual(at(60));
    expect(fire(60)).toEqual(['breach', 'escalate 0']);
    expect(fire(61)).toEqual([]);
    expect(nextFireAt(c, always)).toEqual(at(90));
    expect(fire(95)).toEqual(['escalate 1']);
    expect(nextFireAt(c, always)).toBeNull();
    expect(fire(500)).toEqual([]);
  });

  it('after a long outage fires the breach without stale warnings first', () => {
    const r = decideFirings(clock(), at(70), always);
    expect(r.firings.map((f) => f.kind)).toEqual(['breach', 'escalation']);
  });

  it('excludes paused time: waiting 3 hours for the customer moves the due time by 3 hours', () => {
    let c = clock();
    c = pause(c, at(20), always);
    expect(stateOf(c, at(100), always)).toBe('paused');
    expect(nextFireAt(c, always)).toBeNull();
    c = resume(c, at(200));
    expect(elapsed(c, at(200), always)).toBe(20 * MIN);
    expect(dueAt(c, always)).toEqual(at(240));
  });

  it('keeps elapsed time when the limit changes, and applies the new limit', () => {
    let c = clock(4 * HOUR);
    c = changeLimit(c, HOUR, at(50), always);
    expect(elapsed(c, at(50), always)).toBe(50 * MIN);
    expect(dueAt(c, always)).toEqual(at(60));
    expect(stateOf(c, at(50), always)).toBe('warning');
  });

  it('stops counting when met and never fires afterwards', () => {
    const c = markMet(clock(), at(10), always);
    expect(stateOf(c, at(500), always)).toBe('met');
    expect(decideFirings(c, at(500), always).firings).toEqual([]);
    expect(nextFireAt(c, always)).toBeNull();
  });

  it('counts only open hours of its calendar', () => {
    const start = new Date('2026-11-20T17:00:00Z');
    const c = startClock({ limitMs: 2 * HOUR, warnAt: [], escalation: [] }, start);
    expect(dueAt(c, dayHours)).toEqual(new Date('2026-11-21T10:00:00Z'));
  });

  it('never fires anything twice, whatever the order of sweeps', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 30 }), (minutes) => {
        let c = clock();
        const fired: string[] = [];
        for (const m of [...minutes].sort((a, b) => a - b)) {
          const r = decideFirings(c, at(m), always);
          c = r.clock;
          fired.push(
            ...r.firings.map((f) =>
              f.kind === 'warning' ? `w${f.fraction}` : f.kind === 'escalation' ? `e${f.step}` : 'b',
            ),
          );
        }
        expect(new Set(fired).size).toBe(fired.length);
      }),
    );
  });
});
