import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  ALWAYS_OPEN_CALENDAR,
  BusinessCalendarSchema,
  addBusinessTime,
  businessTimeBetween,
  isOpenAt,
  type BusinessCalendar,
  type BusinessCalendarInput,
} from './calendar.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Beijing wall-clock time. */
const bj = (local: string) => new Date(`${local}:00+08:00`);
const utc = (iso: string) => new Date(`${iso}:00Z`);

const cal = (input: Omit<BusinessCalendarInput, 'id'> & { id?: string }): BusinessCalendar =>
  BusinessCalendarSchema.parse({ id: 'test', ...input });
const weekdays = (intervals: { start: string; end: string }[]) =>
  Object.fromEntries(['1', '2', '3', '4', '5'].map((d) => [d, intervals]));
const everyDay = (intervals: { start: string; end: string }[]) =>
  Object.fromEntries(['1', '2', '3', '4', '5', '6', '7'].map((d) => [d, intervals]));

const cn2025 = BusinessCalendarSchema.parse(JSON.parse(readFileSync('calendars/cn-2025.json', 'utf8')));
const nineToSix = (timeZone = 'Asia/Shanghai') =>
  cal({ timeZone, weekly: weekdays([{ start: '09:00', end: '18:00' }]) });
/** Intervals that cover the 02:00–03:00 DST hours in Europe and the US, and midnight changes in Chile. */
const nightShift = (timeZone: string) =>
  cal({
    timeZone,
    weekly: everyDay([
      { start: '00:00', end: '03:30' },
      { start: '08:00', end: '12:00' },
      { start: '22:00', end: '24:00' },
    ]),
    holidays: ['2025-03-31', '2025-10-27'],
  });

// ---------------------------------------------------------------------------------------------
// Slow reference: judge each minute straight from the calendar data, via luxon.

const toMin = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
function refIsOpen(c: BusinessCalendar, t: number): boolean {
  if (c.alwaysOpen) return true;
  const local = DateTime.fromMillis(t, { zone: c.timeZone });
  const date = local.toISODate()!;
  const workday = c.workdays.find((w) => w.date === date);
  const weekday = String(local.weekday) as '1';
  const intervals = workday
    ? (workday.intervals ?? c.weekly['1'] ?? [])
    : c.holidays.includes(date)
      ? []
      : (c.weekly[weekday] ?? []);
  const m = local.hour * 60 + local.minute;
  return intervals.some((i) => toMin(i.start) <= m && m < toMin(i.end));
}
/** Minute-aligned inputs only. */
function refBetween(c: BusinessCalendar, a: number, b: number): number {
  let open = 0;
  for (let t = a; t < b; t += MIN) if (refIsOpen(c, t)) open++;
  return open * MIN;
}
function refAdd(c: BusinessCalendar, start: number, minutes: number): number {
  if (minutes === 0) return start;
  let counted = 0;
  for (let t = start; ; t += MIN) if (refIsOpen(c, t) && ++counted === minutes) return t + MIN;
}

describe('business time on a 09:00–18:00 weekday calendar', () => {
  it('carries Friday 17:00 + 2 h over the weekend to Monday 10:00', () => {
    expect(addBusinessTime(bj('2025-03-07T17:00'), 2 * HOUR, nineToSix())).toEqual(bj('2025-03-10T10:00'));
  });

  it('ends at closing time rather than the next opening when the duration is used up exactly at 18:00', () => {
    expect(addBusinessTime(bj('2025-03-07T17:00'), HOUR, nineToSix())).toEqual(bj('2025-03-07T18:00'));
  });

  it('starts counting at the next opening when started in closed time', () => {
    expect(addBusinessTime(bj('2025-03-08T22:00'), 30 * MIN, nineToSix())).toEqual(bj('2025-03-10T09:30'));
    expect(addBusinessTime(bj('2025-03-10T06:00'), 30 * MIN, nineToSix())).toEqual(bj('2025-03-10T09:30'));
  });

  it('returns the start itself for a zero duration, open or closed', () => {
    expect(addBusinessTime(bj('2025-03-10T10:00'), 0, nineToSix())).toEqual(bj('2025-03-10T10:00'));
    expect(addBusinessTime(bj('2025-03-08T22:00'), 0, nineToSix())).toEqual(bj('2025-03-08T22:00'));
  });

  it('measures a reversed interval as negative and an empty one as zero', () => {
    expect(businessTimeBetween(bj('2025-03-10T12:00'), bj('2025-03-10T10:00'), nineToSix())).toBe(-2 * HOUR);
    expect(businessTimeBetween(bj('2025-03-10T12:00'), bj('2025-03-10T12:00'), nineToSix())).toBe(0);
    expect(businessTimeBetween(bj('2025-03-09T12:00'), bj('2025-03-08T12:00'), nineToSix())).toBe(0);
  });

  it('counts weeks and months of business time', () => {
    expect(addBusinessTime(bj('2025-03-10T09:00'), 45 * HOUR, nineToSix())).toEqual(bj('2025-03-14T18:00'));
    expect(businessTimeBetween(bj('2025-03-10T09:00'), bj('2025-04-07T09:00'), nineToSix())).toBe(20 * 9 * HOUR);
  });

  it('refuses a negative or fractional duration and an invalid date', () => {
    expect(() => addBusinessTime(bj('2025-03-10T09:00'), -1, nineToSix())).toThrow(RangeError);
    expect(() => addBusinessTime(bj('2025-03-10T09:00'), 0.5, nineToSix())).toThrow(RangeError);
    expect(() => addBusinessTime(new Date(Number.NaN), 1, nineToSix())).toThrow(RangeError);
  });
});

describe('the 2025 China calendar (calendars/cn-2025.json)', () => {
  it('skips the lunch break', () => {
    expect(addBusinessTime(bj('2025-03-03T11:30'), HOUR, cn2025)).toEqual(bj('2025-03-03T14:00'));
    expect(businessTimeBetween(bj('2025-03-03T11:00'), bj('2025-03-03T14:30'), cn2025)).toBe(2 * HOUR);
    expect(isOpenAt(bj('2025-03-03T12:45'), cn2025)).toBe(false);
    expect(isOpenAt(bj('2025-03-03T13:30'), cn2025)).toBe(true);
  });

  it('skips Spring Festival (28 Jan – 4 Feb) and opens on the make-up Sunday 26 Jan and Saturday 8 Feb', () => {
    expect(addBusinessTime(bj('2025-01-27T17:00'), 2 * HOUR, cn2025)).toEqual(bj('2025-02-05T10:00'));
    expect(addBusinessTime(bj('2025-01-24T17:30'), HOUR, cn2025)).toEqual(bj('2025-01-26T09:30'));
    expect(businessTimeBetween(bj('2025-01-25T00:00'), bj('2025-01-26T00:00'), cn2025)).toBe(0);
    expect(businessTimeBetween(bj('2025-01-26T00:00'), bj('2025-01-27T00:00'), cn2025)).toBe(7.5 * HOUR);
    expect(businessTimeBetween(bj('2025-01-28T00:00'), bj('2025-02-05T00:00'), cn2025)).toBe(0);
    expect(addBusinessTime(bj('2025-02-07T17:30'), HOUR, cn2025)).toEqual(bj('2025-02-08T09:30'));
    expect(businessTimeBetween(bj('2025-02-08T00:00'), bj('2025-02-10T00:00'), cn2025)).toBe(7.5 * HOUR);
  });

  it('skips National Day (1–8 Oct) and opens on the make-up Sunday 28 Sep and Saturday 11 Oct', () => {
    expect(businessTimeBetween(bj('2025-09-28T00:00'), bj('2025-09-29T00:00'), cn2025)).toBe(7.5 * HOUR);
    expect(addBusinessTime(bj('2025-09-30T17:00'), 2 * HOUR, cn2025)).toEqual(bj('2025-10-09T10:00'));
    expect(businessTimeBetween(bj('2025-10-01T00:00'), bj('2025-10-09T00:00'), cn2025)).toBe(0);
    expect(addBusinessTime(bj('2025-10-10T17:00'), 2 * HOUR, cn2025)).toEqual(bj('2025-10-11T10:00'));
    expect(isOpenAt(bj('2025-10-12T10:00'), cn2025)).toBe(false);
  });

  it('counts 248 working days of 7.5 hours in 2025', () => {
    expect(businessTimeBetween(bj('2025-01-01T00:00'), bj('2026-01-01T00:00'), cn2025)).toBe(248 * 7.5 * HOUR);
    expect(addBusinessTime(bj('2025-01-01T00:00'), 248 * 7.5 * HOUR, cn2025)).toEqual(bj('2025-12-31T18:00'));
  });

  it('uses the make-up day’s own intervals when given, Monday’s hours otherwise', () => {
    const short = { ...cn2025, workdays: [{ date: '2025-01-26', intervals: [{ start: '10:00', end: '12:00' }] }] };
    expect(businessTimeBetween(bj('2025-01-26T00:00'), bj('2025-01-27T00:00'), short)).toBe(2 * HOUR);
  });

  it('is quick over long spans', () => {
    const t0 = performance.now();
    expect(businessTimeBetween(bj('2020-01-01T00:00'), bj('2030-01-01T00:00'), cn2025)).toBeGreaterThan(0);
    addBusinessTime(bj('2025-01-01T00:00'), 5000 * HOUR, nineToSix('Europe/Berlin'));
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('24×7 calendars', () => {
  it('adds and measures plain elapsed time', () => {
    expect(addBusinessTime(utc('2025-01-01T00:00'), 1e12, ALWAYS_OPEN_CALENDAR)).toEqual(
      new Date(utc('2025-01-01T00:00').getTime() + 1e12),
    );
    expect(businessTimeBetween(utc('2025-01-01T00:00'), utc('2025-01-02T00:00'), ALWAYS_OPEN_CALENDAR)).toBe(DAY);
  });
});

describe('daylight saving time', () => {
  it('keeps 09:00 local on both sides of a clock change', () => {
    // Berlin springs forward on Sunday 30 March 2025: Friday 17:00 CET + 2 h = Monday 10:00 CEST.
    expect(addBusinessTime(utc('2025-03-28T16:00'), 2 * HOUR, nineToSix('Europe/Berlin'))).toEqual(
      utc('2025-03-31T08:00'),
    );
    // New York falls back on Sunday 2 November 2025: Friday 17:00 EDT + 2 h = Monday 10:00 EST.
    expect(addBusinessTime(utc('2025-10-31T21:00'), 2 * HOUR, nineToSix('America/New_York'))).toEqual(
      utc('2025-11-03T15:00'),
    );
  });

  it('does not open wall-clock times that a spring-forward gap skips', () => {
    const c = cal({ timeZone: 'Europe/Berlin', weekly: { '7': [{ start: '01:00', end: '04:00' }] } });
    // 30 March 2025: 01:00 CET … 02:00 CET becomes 03:00 CEST … 04:00 CEST = 2 real hours.
    expect(businessTimeBetween(utc('2025-03-29T12:00'), utc('2025-03-30T12:00'), c)).toBe(2 * HOUR);
    const inGap = cal({ timeZone: 'Europe/Berlin', weekly: { '7': [{ start: '02:15', end: '02:45' }] } });
    expect(businessTimeBetween(utc('2025-03-29T12:00'), utc('2025-03-30T12:00'), inGap)).toBe(0);
    expect(businessTimeBetween(utc('2025-04-05T12:00'), utc('2025-04-06T12:00'), inGap)).toBe(30 * MIN);
  });

  it('opens a repeated wall-clock hour twice in a fall-back overlap', () => {
    const c = cal({ timeZone: 'Europe/Berlin', weekly: { '7': [{ start: '01:00', end: '04:00' }] } });
    // 26 October 2025: 02:00–03:00 happens twice, so 01:00–04:00 lasts 4 real hours.
    expect(businessTimeBetween(utc('2025-10-25T12:00'), utc('2025-10-26T12:00'), c)).toBe(4 * HOUR);
    const overlap = cal({ timeZone: 'Europe/Berlin', weekly: { '7': [{ start: '02:30', end: '03:00' }] } });
    expect(businessTimeBetween(utc('2025-10-25T12:00'), utc('2025-10-26T12:00'), overlap)).toBe(HOUR);
    // 00:30 UTC is 02:30 CEST (first pass), 01:30 UTC is 02:30 CET (second pass).
    expect(addBusinessTime(utc('2025-10-25T12:00'), 45 * MIN, overlap)).toEqual(utc('2025-10-26T01:45'));
  });
});

describe('schema', () => {
  const base = { id: 'x', weekly: { '1': [{ start: '09:00', end: '18:00' }] } };
  const issues = (input: unknown) => BusinessCalendarSchema.safeParse(input).error?.issues.map((i) => i.message) ?? [];

  it('fills in the Asia/Shanghai zone and empty lists by default', () => {
    expect(BusinessCalendarSchema.parse(base)).toMatchObject({
      timeZone: 'Asia/Shanghai',
      alwaysOpen: false,
      holidays: [],
      workdays: [],
    });
  });

  it('refuses an unknown zone, backwards or overlapping intervals, impossible dates and contradictions', () => {
    expect(issues({ ...base, timeZone: 'Mars/Olympus' })).toEqual(['unknown IANA time zone']);
    expect(issues({ ...base, weekly: { '1': [{ start: '18:00', end: '09:00' }] } })[0]).toMatch(
      /start must be before end/,
    );
    expect(
      issues({
        ...base,
        weekly: {
          '1': [
            { start: '09:00', end: '12:00' },
            { start: '11:00', end: '13:00' },
          ],
        },
      }),
    ).toEqual(['intervals of one day must not overlap']);
    expect(issues({ ...base, weekly: { '8': [] } }).length).toBeGreaterThan(0);
    expect(issues({ ...base, holidays: ['2025-02-30'] })).toEqual(['not a calendar date']);
    expect(issues({ ...base, holidays: ['2025-01-26'], workdays: [{ date: '2025-01-26' }] })).toEqual([
      '2025-01-26 is both a holiday and a make-up working day',
    ]);
    expect(issues({ id: 'x' })[0]).toMatch(/opening hours on at least one weekday/);
    expect(issues({ id: 'x', alwaysOpen: true })).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const zonesAndCalendars: [string, BusinessCalendar][] = [
  ['cn-2025 Asia/Shanghai', cn2025],
  ['cn-2025 Europe/Berlin', { ...cn2025, timeZone: 'Europe/Berlin' }],
  ['cn-2025 America/New_York', { ...cn2025, timeZone: 'America/New_York' }],
  ['night shift Europe/Berlin', nightShift('Europe/Berlin')],
  ['night shift America/New_York', nightShift('America/New_York')],
  ['night shift America/Santiago', nightShift('America/Santiago')],
];
/** Windows around the holidays and the DST changes of 2025 (Europe, US, Chile). */
const windowStarts = [
  '2025-01-24T00:00',
  '2025-02-05T00:00',
  '2025-03-07T00:00',
  '2025-03-28T00:00',
  '2025-04-03T00:00',
  '2025-04-25T00:00',
  '2025-05-29T00:00',
  '2025-09-05T00:00',
  '2025-09-26T00:00',
  '2025-10-24T00:00',
  '2025-10-31T00:00',
].map((s) => utc(s).getTime());

const calendarArb = fc.constantFrom(...zonesAndCalendars);
const windowArb = fc.constantFrom(...windowStarts);

describe('properties', () => {
  it('agrees with a minute-by-minute reference for minute-aligned inputs', () => {
    fc.assert(
      fc.property(
        calendarArb,
        windowArb,
        fc.integer({ min: 0, max: 4 * 24 * 60 }),
        fc.integer({ min: 0, max: 4 * 24 * 60 }),
        fc.integer({ min: 0, max: 20 * 60 }),
        ([, c], w, from, length, minutes) => {
          const a = w + from * MIN;
          const b = a + length * MIN;
          expect(businessTimeBetween(new Date(a), new Date(b), c)).toBe(refBetween(c, a, b));
          expect(addBusinessTime(new Date(a), minutes * MIN, c).getTime()).toBe(refAdd(c, a, minutes));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('measures exactly the duration it added, from any instant', () => {
    fc.assert(
      fc.property(
        calendarArb,
        windowArb,
        fc.integer({ min: 0, max: 30 * DAY }),
        fc.integer({ min: 1, max: 60 * 8 * HOUR }),
        ([, c], w, offset, d) => {
          const start = new Date(w + offset);
          expect(businessTimeBetween(start, addBusinessTime(start, d, c), c)).toBe(d);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('adds back to at most b, and exactly b when b is preceded by open time', () => {
    fc.assert(
      fc.property(
        calendarArb,
        windowArb,
        fc.integer({ min: 0, max: 20 * DAY }),
        fc.integer({ min: 0, max: 20 * DAY }),
        ([, c], w, offset, length) => {
          const a = new Date(w + offset);
          const b = new Date(a.getTime() + length);
          const back = addBusinessTime(a, businessTimeBetween(a, b, c), c);
          expect(back.getTime()).toBeLessThanOrEqual(b.getTime());
          if (length > 0 && isOpenAt(new Date(b.getTime() - 1), c)) expect(back).toEqual(b);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is additive over adjacent intervals and antisymmetric', () => {
    fc.assert(
      fc.property(
        calendarArb,
        windowArb,
        fc.array(fc.integer({ min: 0, max: 40 * DAY }), { minLength: 3, maxLength: 3 }),
        ([, c], w, offsets) => {
          const [x, y, z] = offsets.map((o) => new Date(w + o)) as [Date, Date, Date];
          expect(businessTimeBetween(x, y, c) + businessTimeBetween(y, z, c)).toBe(businessTimeBetween(x, z, c));
          expect(businessTimeBetween(y, x, c)).toBe(-businessTimeBetween(x, y, c) || 0);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never moves backwards as the duration grows, and composes', () => {
    fc.assert(
      fc.property(
        calendarArb,
        windowArb,
        fc.integer({ min: 0, max: 10 * DAY }),
        fc.nat(20 * HOUR),
        fc.nat(20 * HOUR),
        ([, c], w, offset, d1, d2) => {
          const start = new Date(w + offset);
          const once = addBusinessTime(start, d1 + d2, c);
          expect(addBusinessTime(start, d1, c).getTime()).toBeLessThanOrEqual(once.getTime());
          if (d2 > 0) expect(addBusinessTime(addBusinessTime(start, d1, c), d2, c)).toEqual(once);
        },
      ),
      { numRuns: 200 },
    );
  });
});
