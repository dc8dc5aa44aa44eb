import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  INCIDENT_STATUSES,
  assertCanDecideRemedy,
  assertIncidentMove,
  groupNeedsCandidate,
  detectCandidates,
  incidentForTicket,
  isActiveIncident,
  nextIncidentStatuses,
  noticeSendTimes,
  quietUntil,
  remedyStatusOnGrant,
  repairVerdict,
  spreadSendTimes,
  DEFAULT_REMEDY_THRESHOLDS,
  type LinkableIncident,
} from './incidents.js';

const now = new Date('2026-11-28T06:00:00Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
const signals = (n: number, at: Date, region = '广州', categoryCode = 'fault-network-no-signal') =>
  Array.from({ length: n }, () => ({ categoryCode, region, at }));
const settings = { threshold: 10, windowMinutes: 30 };

describe('candidate detection', () => {
  it('proposes a candidate at the threshold, not below it', () => {
    expect(detectCandidates(signals(9, minutesAgo(5)), now, settings)).toEqual([]);
    const [g] = detectCandidates(signals(10, minutesAgo(5)), now, settings);
    expect(g).toMatchObject({ region: '广州', categoryCode: 'fault-network-no-signal', count: 10 });
  });

  it('counts a ticket just inside the window and drops one exactly a window old', () => {
    const inside = [...signals(9, minutesAgo(10)), ...signals(1, new Date(minutesAgo(30).getTime() + 1))];
    expect(detectCandidates(inside, now, settings)).toHaveLength(1);
    const edge = [...signals(9, minutesAgo(10)), ...signals(1, minutesAgo(30))];
    expect(detectCandidates(edge, now, settings)).toEqual([]);
  });

  it('ignores tickets from the future of the evaluation time', () => {
    const future = [...signals(9, minutesAgo(1)), ...signals(1, new Date(now.getTime() + 1000))];
    expect(detectCandidates(future, now, settings)).toEqual([]);
  });

  it('keeps areas and categories apart', () => {
    const mixed = [...signals(5, minutesAgo(1), '广州'), ...signals(5, minutesAgo(1), '深圳')];
    expect(detectCandidates(mixed, now, settings)).toEqual([]);
    const cats = [...signals(5, minutesAgo(1)), ...signals(5, minutesAgo(1), '广州', 'fault-network-slow')];
    expect(detectCandidates(cats, now, settings)).toEqual([]);
  });

  it('honours the configured threshold and window', () => {
    expect(detectCandidates(signals(3, minutesAgo(50)), now, { threshold: 3, windowMinutes: 60 })).toHaveLength(1);
    expect(detectCandidates(signals(3, minutesAgo(50)), now, { threshold: 3, windowMinutes: 45 })).toEqual([]);
  });

  it('never proposes a group smaller than the threshold (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            m: fc.integer({ min: -5, max: 60 }),
            r: fc.constantFrom('a', 'b'),
            c: fc.constantFrom('x', 'y'),
          }),
        ),
        fc.integer({ min: 1, max: 6 }),
        (rows, threshold) => {
          const sig = rows.map((x) => ({ categoryCode: x.c, region: x.r, at: minutesAgo(x.m) }));
          for (const g of detectCandidates(sig, now, { threshold, windowMinutes: 30 })) {
            const inWindow = rows.filter((x) => x.r === g.region && x.c === g.categoryCode && x.m >= 0 && x.m < 30);
            expect(g.count).toBe(inWindow.length);
            expect(g.count).toBeGreaterThanOrEqual(threshold);
          }
        },
      ),
    );
  });
});

const incident = (over: Partial<LinkableIncident> = {}): LinkableIncident => ({
  id: 'inc-1',
  status: 'repairing',
  areas: ['广州'],
  ticketCategories: ['fault-network'],
  matchWords: [],
  priority: 1,
  startedAt: minutesAgo(60),
  ...over,
});
const facts = { region: '广州', categoryPath: ['fault-network-no-signal', 'fault-network'], words: ['没有', '信号'] };

describe('linking a new ticket to an incident', () => {
  it('links a ticket of the area and a covered category while the incident is active', () => {
    expect(incidentForTicket(facts, [incident()])?.id).toBe('inc-1');
  });

  it('does not link once the incident is resolved or reviewed', () => {
    expect(incidentForTicket(facts, [incident({ status: 'resolved' })])).toBeNull();
    expect(incidentForTicket(facts, [incident({ status: 'reviewed' })])).toBeNull();
  });

  it('does not link a ticket from another area or of another category', () => {
    expect(incidentForTicket({ ...facts, region: '深圳' }, [incident()])).toBeNull();
    expect(incidentForTicket({ ...facts, categoryPath: ['complaint-billing'] }, [incident()])).toBeNull();
    expect(incidentForTicket({ ...facts, region: null }, [incident()])).toBeNull();
  });

  it('needs one of the matching words when the incident names some', () => {
    expect(incidentForTicket(facts, [incident({ matchWords: ['断网'] })])).toBeNull();
    expect(incidentForTicket(facts, [incident({ matchWords: ['断网', '信号'] })])?.id).toBe('inc-1');
  });

  it('prefers the most urgent incident, then the latest', () => {
    const a = incident({ id: 'a', priority: 2, startedAt: minutesAgo(1) });
    const b = incident({ id: 'b', priority: 1, startedAt: minutesAgo(90) });
    const c = incident({ id: 'c', priority: 1, startedAt: minutesAgo(10) });
    expect(incidentForTicket(facts, [a, b, c])?.id).toBe('c');
  });

  it('needs no candidate for a group an active incident covers, or one decided within the window', () => {
    const g = { region: '广州', categoryCode: 'fault-network-no-signal' };
    const path = ['fault-network-no-signal', 'fault-network'];
    expect(groupNeedsCandidate(g, path, [incident()], new Set())).toBe(false);
    expect(groupNeedsCandidate(g, path, [incident({ status: 'resolved' })], new Set())).toBe(true);
    expect(groupNeedsCandidate(g, path, [], new Set(['fault-network-no-signal|广州']))).toBe(false);
    expect(groupNeedsCandidate({ ...g, region: '深圳' }, path, [incident()], new Set())).toBe(true);
  });
});

describe('incident status', () => {
  it('moves forward, skips stages, goes back from monitoring to repairing, and ends at reviewed', () => {
    expect(() => assertIncidentMove('investigating', 'repairing')).not.toThrow();
    expect(() => assertIncidentMove('monitoring', 'repairing')).not.toThrow();
    expect(() => assertIncidentMove('resolved', 'reviewed')).not.toThrow();
    expect(() => assertIncidentMove('resolved', 'repairing')).toThrow(/cannot move/);
    expect(() => assertIncidentMove('investigating', 'reviewed')).toThrow(/cannot move/);
    expect(nextIncidentStatuses('reviewed')).toEqual([]);
  });

  it('every status can reach reviewed, and only active ones link', () => {
    for (const s of INCIDENT_STATUSES) {
      const seen = new Set([s]);
      const queue = [s];
      while (queue.length > 0) {
        const next = nextIncidentStatuses(queue.shift()!).filter((n) => !seen.has(n));
        next.forEach((n) => seen.add(n));
        queue.push(...next);
      }
      expect(seen.has('reviewed')).toBe(true);
    }
    expect(INCIDENT_STATUSES.filter(isActiveIncident)).toEqual([
      'investigating',
      'identified',
      'repairing',
      'monitoring',
    ]);
  });
});

describe('fault-repair limit', () => {
  const start = new Date('2026-11-01T00:00:00Z');
  const after = (h: number) => new Date(start.getTime() + h * 3_600_000);
  it('is 48 hours in cities and 72 in rural areas; beyond it the fee waiver is proposed', () => {
    expect(repairVerdict(start, after(48), now, 'city')).toMatchObject({ limitHours: 48, overLimit: false });
    expect(repairVerdict(start, after(48.5), now, 'city')).toMatchObject({ overLimit: true, proposeFeeWaiver: true });
    expect(repairVerdict(start, after(60), now, 'rural')).toMatchObject({ limitHours: 72, overLimit: false });
  });
  it('counts to now while not restored, and follows a configured policy', () => {
    expect(repairVerdict(start, null, after(30), 'city', { city: 24, rural: 72 }).overLimit).toBe(true);
  });
});

describe('quiet hours', () => {
  const q = { start: '22:00', end: '08:00', timeZone: 'Asia/Shanghai' };
  it('holds notices from 22:00 to 08:00 Beijing time and says when they may go', () => {
    expect(quietUntil(new Date('2026-11-28T13:59:00Z'), q)).toBeNull(); // 21:59
    expect(quietUntil(new Date('2026-11-28T14:00:00Z'), q)).toEqual(new Date('2026-11-29T00:00:00Z')); // 22:00 → 08:00
    expect(quietUntil(new Date('2026-11-28T23:30:00Z'), q)).toEqual(new Date('2026-11-29T00:00:00Z')); // 07:30
    expect(quietUntil(new Date('2026-11-29T00:00:00Z'), q)).toBeNull(); // 08:00
  });
  it('handles a window within one day, and none when start equals end', () => {
    expect(quietUntil(new Date('2026-11-28T05:00:00Z'), { ...q, start: '12:00', end: '14:00' })).toEqual(
      new Date('2026-11-28T06:00:00Z'),
    );
    expect(quietUntil(new Date('2026-11-28T15:00:00Z'), { ...q, start: '00:00', end: '00:00' })).toBeNull();
  });
});

describe('notice send times', () => {
  const q = { start: '22:00', end: '08:00', timeZone: 'Asia/Shanghai' };
  it('moves the minutes that fall in the quiet hours to 08:00 and continues from there', () => {
    const from = new Date('2026-11-28T13:58:00Z'); // 21:58 Beijing
    const { times, nextSlot } = noticeSendTimes(7, from, 2, q);
    expect(times.map((t) => t.toISOString())).toEqual([
      '2026-11-28T13:58:00.000Z',
      '2026-11-28T13:58:00.000Z',
      '2026-11-28T13:59:00.000Z',
      '2026-11-28T13:59:00.000Z',
      '2026-11-29T00:00:00.000Z',
      '2026-11-29T00:00:00.000Z',
      '2026-11-29T00:01:00.000Z',
    ]);
    expect(nextSlot).toEqual(new Date('2026-11-29T00:02:00Z'));
  });
  it('never sends inside the quiet hours nor more than the rate in one minute (any start, count, rate)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2027-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 1500 }),
        fc.integer({ min: 1, max: 700 }),
        (from, count, per) => {
          const { times, nextSlot } = noticeSendTimes(count, from, per, q);
          expect(times).toHaveLength(count);
          const perMinute = new Map<number, number>();
          for (const t of times) {
            expect(quietUntil(t, q)).toBeNull();
            expect(t.getTime()).toBeGreaterThanOrEqual(from.getTime());
            expect(t.getTime()).toBeLessThan(nextSlot.getTime());
            const m = Math.floor(t.getTime() / 60_000);
            perMinute.set(m, (perMinute.get(m) ?? 0) + 1);
          }
          expect(Math.max(0, ...perMinute.values())).toBeLessThanOrEqual(per);
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe('rate limit and remedies', () => {
  it('spreads messages so that at most the rate leaves per minute', () => {
    const times = spreadSendTimes(5, now, 2).map((d) => (d.getTime() - now.getTime()) / 60_000);
    expect(times).toEqual([0, 0, 1, 1, 2]);
  });
  it('approves at or below the threshold and holds above it for a second person', () => {
    expect(remedyStatusOnGrant('data_pack', 10_240, DEFAULT_REMEDY_THRESHOLDS)).toBe('approved');
    expect(remedyStatusOnGrant('data_pack', 10_241, DEFAULT_REMEDY_THRESHOLDS)).toBe('pending_approval');
    expect(() => assertCanDecideRemedy({ status: 'pending_approval', grantedById: 'a' }, 'a')).toThrow(/other than/);
    expect(() => assertCanDecideRemedy({ status: 'approved', grantedById: 'a' }, 'b')).toThrow(/not waiting/);
    expect(() => assertCanDecideRemedy({ status: 'pending_approval', grantedById: 'a' }, 'b')).not.toThrow();
  });
});
