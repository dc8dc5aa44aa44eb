import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TicketStatus } from '../tickets/types.js';
import {
  ALWAYS_OPEN_CALENDAR,
  BusinessCalendarSchema,
  businessTimeBetween,
  type BusinessCalendar,
} from './calendar.js';
import { evaluateClock, recalculate, startClock, type ClockSpec, type StatusChange } from './clock.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const bj = (local: string) => new Date(`${local}:00+08:00`);
const cn = BusinessCalendarSchema.parse({
  ...JSON.parse(readFileSync('calendars/cn-2025.json', 'utf8')),
  id: 'cn-business',
});
const policy = { pauseOn: ['pending_customer'] as TicketStatus[], warnAt: [0.75, 0.9] };
const clock = (limitMs: number, startedAt: Date, calendar: BusinessCalendar = ALWAYS_OPEN_CALENDAR): ClockSpec =>
  startClock({ limitMs, calendarId: calendar.id }, policy, calendar, startedAt);
const step = (status: TicketStatus, local: string): StatusChange => ({ status, at: bj(local) });

describe('a running clock on the 24×7 calendar', () => {
  const spec = clock(HOUR, bj('2025-03-03T10:00'));
  const history = [step('new', '2025-03-03T10:00')];

  it('reports elapsed and remaining time, the due time and when each warning fires', () => {
    expect(evaluateClock(spec, history, bj('2025-03-03T10:30'))).toEqual({
      state: 'ok',
      elapsedMs: 30 * MIN,
      remainingMs: 30 * MIN,
      pausedMs: 0,
      dueAt: bj('2025-03-03T11:00'),
      breachedAt: null,
      warnings: [
        { fraction: 0.75, at: bj('2025-03-03T10:45') },
        { fraction: 0.9, at: bj('2025-03-03T10:54') },
      ],
      nextFireAt: bj('2025-03-03T10:45'),
    });
  });

  it('warns from the first fraction on and points the sweeper at the next one', () => {
    expect(evaluateClock(spec, history, bj('2025-03-03T10:45'))).toMatchObject({
      state: 'warning',
      nextFireAt: bj('2025-03-03T10:54'),
    });
    expect(evaluateClock(spec, history, bj('2025-03-03T10:55'))).toMatchObject({
      state: 'warning',
      nextFireAt: bj('2025-03-03T11:00'),
    });
  });

  it('is breached at the due time itself, and has nothing left to fire', () => {
    expect(evaluateClock(spec, history, bj('2025-03-03T11:00'))).toMatchObject({
      state: 'breached',
      breachedAt: bj('2025-03-03T11:00'),
      remainingMs: 0,
      nextFireAt: null,
    });
    expect(evaluateClock(spec, history, bj('2025-03-03T12:00'))).toMatchObject({
      state: 'breached',
      remainingMs: -HOUR,
    });
  });
});

describe('pauses', () => {
  const spec = clock(HOUR, bj('2025-03-03T10:00'));

  it('push the due time back by the time spent waiting for the customer', () => {
    const history = [
      step('in_progress', '2025-03-03T10:00'),
      step('pending_customer', '2025-03-03T10:20'),
      step('in_progress', '2025-03-03T10:50'),
    ];
    expect(evaluateClock(spec, history, bj('2025-03-03T11:00'))).toMatchObject({
      state: 'ok',
      elapsedMs: 30 * MIN,
      pausedMs: 30 * MIN,
      dueAt: bj('2025-03-03T11:30'),
      nextFireAt: bj('2025-03-03T11:15'),
    });
  });

  it('stop the clock and the sweeper while the ticket waits, projecting the due time as if resumed now', () => {
    const history = [step('pending_customer', '2025-03-03T10:20')];
    expect(evaluateClock(spec, history, bj('2025-03-03T15:00'))).toMatchObject({
      state: 'paused',
      elapsedMs: 20 * MIN,
      pausedMs: 4 * HOUR + 40 * MIN,
      dueAt: bj('2025-03-03T15:40'),
      nextFireAt: null,
    });
  });

  it('only count statuses the policy lists; the status before the start decides how the clock begins', () => {
    const waiting = [step('pending_customer', '2025-03-03T09:00'), step('pending_department', '2025-03-03T10:30')];
    expect(evaluateClock(spec, waiting, bj('2025-03-03T11:00'))).toMatchObject({
      state: 'ok',
      elapsedMs: 30 * MIN,
      pausedMs: 30 * MIN,
    });
    const both = { ...spec, pauseOn: ['pending_customer', 'pending_department'] as TicketStatus[] };
    expect(evaluateClock(both, waiting, bj('2025-03-03T11:00'))).toMatchObject({ state: 'paused', elapsedMs: 0 });
  });

  it('do not clear a breach: a paused, overdue ticket is reported as breached', () => {
    const history = [step('pending_customer', '2025-03-03T11:30')];
    expect(evaluateClock(spec, history, bj('2025-03-03T12:00'))).toMatchObject({
      state: 'breached',
      breachedAt: bj('2025-03-03T11:00'),
      elapsedMs: 90 * MIN,
    });
  });
});

describe('on the China business calendar', () => {
  it('counts only business hours: Friday 17:00 + 2 h is due Monday 10:00, and a weekend is not a pause', () => {
    const spec = clock(2 * HOUR, bj('2025-03-07T17:00'), cn);
    expect(evaluateClock(spec, [], bj('2025-03-08T12:00'))).toMatchObject({
      state: 'ok',
      elapsedMs: HOUR,
      pausedMs: 0,
      dueAt: bj('2025-03-10T10:00'),
    });
  });

  it('extends the due time only by the business time spent paused', () => {
    const spec = clock(2 * HOUR, bj('2025-03-07T17:00'), cn);
    // Paused Friday 17:30 until Monday 09:30: 30 min of Friday and 30 min of Monday were open.
    const history = [step('pending_customer', '2025-03-07T17:30'), step('in_progress', '2025-03-10T09:30')];
    expect(evaluateClock(spec, history, bj('2025-03-10T09:45'))).toMatchObject({
      elapsedMs: 45 * MIN,
      pausedMs: HOUR,
      dueAt: bj('2025-03-10T11:00'),
    });
  });

  it('skips the Spring Festival holiday', () => {
    const spec = clock(2 * HOUR, bj('2025-01-27T17:00'), cn);
    expect(evaluateClock(spec, [], bj('2025-02-01T12:00'))).toMatchObject({
      state: 'ok',
      elapsedMs: HOUR,
      dueAt: bj('2025-02-05T10:00'),
    });
  });
});

describe('meeting a target', () => {
  const spec = clock(HOUR, bj('2025-03-03T10:00'));

  it('stops the clock in time', () => {
    const met = { ...spec, stoppedAt: bj('2025-03-03T10:50') };
    expect(evaluateClock(met, [], bj('2025-03-03T12:00'))).toMatchObject({
      state: 'met',
      elapsedMs: 50 * MIN,
      breachedAt: null,
      nextFireAt: null,
      warnings: [
        { fraction: 0.75, at: bj('2025-03-03T10:45') },
        { fraction: 0.9, at: null },
      ],
    });
  });

  it('records a late answer as met with the breach instant', () => {
    const late = { ...spec, stoppedAt: bj('2025-03-03T11:20') };
    expect(evaluateClock(late, [], bj('2025-03-03T12:00'))).toMatchObject({
      state: 'met',
      elapsedMs: 80 * MIN,
      breachedAt: bj('2025-03-03T11:00'),
    });
  });

  it('ignores a stop time that lies after now', () => {
    const future = { ...spec, stoppedAt: bj('2025-03-03T11:20') };
    expect(evaluateClock(future, [], bj('2025-03-03T10:30'))).toMatchObject({ state: 'ok', elapsedMs: 30 * MIN });
  });
});

describe('recalculate', () => {
  it('keeps the business time used and applies the new limit and calendar', () => {
    // An inquiry (2 business hours) becomes a complaint (48 clock hours) after 1 business hour.
    const inquiry = clock(2 * HOUR, bj('2025-03-07T17:00'), cn);
    const complaint = recalculate(
      inquiry,
      { limitMs: 48 * HOUR, calendar: ALWAYS_OPEN_CALENDAR },
      [],
      bj('2025-03-08T12:00'),
    );
    expect(complaint).toMatchObject({
      carriedMs: HOUR,
      startedAt: bj('2025-03-08T12:00'),
      limitMs: 48 * HOUR,
      breachedAt: null,
    });
    expect(evaluateClock(complaint, [], bj('2025-03-08T13:00'))).toMatchObject({
      state: 'ok',
      elapsedMs: 2 * HOUR,
      dueAt: bj('2025-03-10T11:00'),
      warnings: [
        { fraction: 0.75, at: bj('2025-03-09T23:00') },
        { fraction: 0.9, at: bj('2025-03-10T06:12') },
      ],
    });
  });

  it('breaches at once when the new limit is already used up', () => {
    const spec = clock(4 * HOUR, bj('2025-03-03T10:00'));
    const shorter = recalculate(spec, { limitMs: HOUR }, [], bj('2025-03-03T12:00'));
    expect(evaluateClock(shorter, [], bj('2025-03-03T12:00'))).toMatchObject({
      state: 'breached',
      breachedAt: bj('2025-03-03T12:00'),
      elapsedMs: 2 * HOUR,
      remainingMs: -HOUR,
    });
  });

  it('keeps a breach that already happened when the limit grows', () => {
    const spec = clock(HOUR, bj('2025-03-03T10:00'));
    const longer = recalculate(spec, { limitMs: 48 * HOUR }, [], bj('2025-03-03T12:00'));
    expect(evaluateClock(longer, [], bj('2025-03-03T13:00'))).toMatchObject({
      state: 'breached',
      breachedAt: bj('2025-03-03T11:00'),
      elapsedMs: 3 * HOUR,
      nextFireAt: null,
    });
  });

  it('leaves a met target alone', () => {
    const met = { ...clock(HOUR, bj('2025-03-03T10:00')), stoppedAt: bj('2025-03-03T10:30') };
    expect(recalculate(met, { limitMs: 10 * MIN }, [], bj('2025-03-03T11:00'))).toBe(met);
  });

  it('carries a pause across the recalculation', () => {
    const spec = clock(HOUR, bj('2025-03-03T10:00'));
    const history = [step('pending_customer', '2025-03-03T10:10')];
    const next = recalculate(spec, { limitMs: 2 * HOUR }, history, bj('2025-03-03T11:00'));
    expect(evaluateClock(next, history, bj('2025-03-03T12:00'))).toMatchObject({
      state: 'paused',
      elapsedMs: 10 * MIN,
    });
  });
});

// ---------------------------------------------------------------------------------------------

const calendars = [ALWAYS_OPEN_CALENDAR, cn, { ...cn, timeZone: 'Europe/Berlin' }];
const base = bj('2025-03-24T08:00').getTime(); // a week before Berlin's spring-forward change
const statusArb = fc.constantFrom<TicketStatus>('assigned', 'in_progress', 'pending_customer', 'pending_department');
const scenarioArb = fc.record({
  calendar: fc.constantFrom(...calendars),
  limitMs: fc.integer({ min: 1, max: 3 * DAY }),
  history: fc.array(fc.record({ status: statusArb, offset: fc.integer({ min: -DAY, max: 10 * DAY }) }), {
    maxLength: 8,
  }),
  now: fc.integer({ min: 0, max: 12 * DAY }),
});
const build = (s: {
  calendar: BusinessCalendar;
  limitMs: number;
  history: { status: TicketStatus; offset: number }[];
}) => ({
  spec: clock(s.limitMs, new Date(base), s.calendar),
  history: s.history.map((h) => ({ status: h.status, at: new Date(base + h.offset) })),
});

describe('clock properties', () => {
  it('splits open time since the start into elapsed and paused', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { spec, history } = build(s);
        const now = new Date(base + s.now);
        const snap = evaluateClock(spec, history, now);
        expect(snap.elapsedMs + snap.pausedMs).toBe(businessTimeBetween(spec.startedAt, now, spec.calendar));
        expect(snap.remainingMs).toBe(s.limitMs - snap.elapsedMs);
      }),
      { numRuns: 150 },
    );
  });

  it('reaches exactly the limit at the due time, and each fraction at its warning time, when nothing changes after now', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { spec, history } = build(s);
        const now = new Date(base + s.now);
        const settled = history.filter((h) => h.at <= now);
        const snap = evaluateClock(spec, settled, now);
        if (snap.state === 'paused') return; // its projection assumes a resume that is not in the history
        if (snap.dueAt >= now) expect(evaluateClock(spec, settled, snap.dueAt).elapsedMs).toBe(s.limitMs);
        for (const w of snap.warnings) {
          if (w.at && w.at >= now)
            expect(evaluateClock(spec, settled, w.at).elapsedMs).toBe(Math.ceil(w.fraction * s.limitMs));
        }
        if (snap.nextFireAt) expect(snap.nextFireAt.getTime()).toBeGreaterThan(now.getTime());
      }),
      { numRuns: 150 },
    );
  });

  it('changes nothing when recalculated with the same limit and calendar', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 0, max: 12 * DAY }), (s, at) => {
        const { spec, history } = build(s);
        const now = new Date(base + Math.max(s.now, at));
        const same = recalculate(spec, { limitMs: s.limitMs }, history, new Date(base + at));
        const a = evaluateClock(spec, history, now);
        const b = evaluateClock(same, history, now);
        expect(b.elapsedMs).toBe(a.elapsedMs);
        expect(b.state).toBe(a.state);
        if (a.elapsedMs < s.limitMs) expect(b.dueAt).toEqual(a.dueAt);
      }),
      { numRuns: 150 },
    );
  });
});
