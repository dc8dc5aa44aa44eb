import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { BusinessCalendarSchema } from '../../contracts/sla.js';
import { calendarMath, type BusinessCalendar } from './business-calendar.js';

const cn2025 = BusinessCalendarSchema.parse(JSON.parse(readFileSync('calendars/cn-2025.json', 'utf8')));
const cn = calendarMath(cn2025);
const HOUR = 3_600_000;
const MIN = 60_000;
/** Beijing wall-clock time. */
const bj = (iso: string) => new Date(`${iso}+08:00`);

const nineToSix = (timeZone: string): BusinessCalendar =>
  BusinessCalendarSchema.parse({
    id: 'nine-to-six',
    name: 't',
    timeZone,
    weekly: Object.fromEntries(['1', '2', '3', '4', '5'].map((d) => [d, [{ start: '09:00', end: '18:00' }]])),
  });

describe('business calendar arithmetic', () => {
  it('carries Friday 17:00 + 2 h over the weekend to Monday 10:00', () => {
    const cal = calendarMath(nineToSix('Asia/Shanghai'));
    expect(cal.add(bj('2026-11-20T17:00'), 2 * HOUR)).toEqual(bj('2026-11-23T10:00'));
  });

  it('skips the lunch break', () => {
    expect(cn.add(bj('2025-03-03T11:30'), HOUR)).toEqual(bj('2025-03-03T14:00'));
    expect(cn.between(bj('2025-03-03T11:00'), bj('2025-03-03T14:30'))).toBe(2 * HOUR);
  });

  it('skips the Spring Festival holiday and counts its Saturday make-up working day', () => {
    // Mon 27 Jan 17:00 + 2 h: 1 h that day, then closed 28 Jan – 4 Feb; Wed 5 Feb resumes.
    expect(cn.add(bj('2025-01-27T17:00'), 2 * HOUR)).toEqual(bj('2025-02-05T10:00'));
    // Sat 8 Feb is a working day (调休), Sun 9 Feb is not.
    expect(cn.add(bj('2025-02-07T17:30'), HOUR)).toEqual(bj('2025-02-08T09:30'));
    expect(cn.between(bj('2025-02-08T00:00'), bj('2025-02-10T00:00'))).toBe(7.5 * HOUR);
  });

  it('counts Sunday 26 January 2025 as a working day and National Day week as closed', () => {
    expect(cn.between(bj('2025-01-26T00:00'), bj('2025-01-27T00:00'))).toBe(7.5 * HOUR);
    expect(cn.between(bj('2025-10-01T00:00'), bj('2025-10-09T00:00'))).toBe(0);
    expect(cn.add(bj('2025-09-30T17:00'), 2 * HOUR)).toEqual(bj('2025-10-09T10:00'));
  });

  it('starts counting at the next opening when started in closed time', () => {
    expect(cn.add(bj('2025-03-01T22:00'), 30 * MIN)).toEqual(bj('2025-03-03T09:30'));
  });

  it('keeps 09:00 on the day clocks change in a DST zone', () => {
    const berlin = calendarMath(nineToSix('Europe/Berlin'));
    // Clocks go forward on Sunday 29 March 2026; Monday 30 March opens 09:00 CEST = 07:00 UTC.
    expect(berlin.add(new Date('2026-03-27T16:00:00Z'), 2 * HOUR)).toEqual(new Date('2026-03-30T08:00:00Z'));
    const ny = calendarMath(nineToSix('America/New_York'));
    // Fri 31 Oct 2026 is EDT (UTC-4); Mon 2 Nov is EST (UTC-5).
    expect(ny.add(new Date('2026-10-30T21:00:00Z'), 2 * HOUR)).toEqual(new Date('2026-11-02T15:00:00Z'));
  });

  it('handles durations spanning weeks', () => {
    const cal = calendarMath(nineToSix('Asia/Shanghai'));
    // 45 business hours = five 9-hour days: Monday 09:00 → next Monday 09:00 … i.e. Friday 18:00.
    expect(cal.add(bj('2026-11-23T09:00'), 45 * HOUR)).toEqual(bj('2026-11-27T18:00'));
    expect(cal.between(bj('2026-11-23T09:00'), bj('2026-12-21T09:00'))).toBe(20 * 9 * HOUR);
  });

  /** Independent reference: is this minute open, judged straight from the calendar data? */
  function isOpenMinute(cal: BusinessCalendar, t: number): boolean {
    const local = DateTime.fromMillis(t, { zone: cal.timeZone });
    const date = local.toISODate()!;
    const workday = cal.workdays.find((w) => w.date === date);
    const intervals = workday
      ? (workday.intervals ?? cal.weekly['1'] ?? [])
      : cal.holidays.includes(date)
        ? []
        : (cal.weekly[String(local.weekday) as '1'] ?? []);
    const hhmm = local.toFormat('HH:mm');
    return intervals.some((i) => i.start <= hhmm && hhmm < i.end);
  }

  it('agrees with itself and with a minute-by-minute reference across holidays, make-up days and zones', () => {
    const start = bj('2025-01-20T00:00').getTime();
    fc.assert(
      fc.property(
        fc.constantFrom('Asia/Shanghai', 'Europe/Berlin'),
        fc.integer({ min: 0, max: 40 * 24 * 60 }),
        fc.integer({ min: 1, max: 2 * 7.5 * 60 }),
        (zone, offsetMinutes, durationMinutes) => {
          const cal = { ...cn2025, timeZone: zone };
          const math = calendarMath(cal);
          const a = new Date(start + offsetMinutes * MIN);
          const end = math.add(a, durationMinutes * MIN);
          expect(math.between(a, end)).toBe(durationMinutes * MIN);
          let open = 0;
          for (let t = a.getTime(); t < end.getTime(); t += MIN) if (isOpenMinute(cal, t)) open++;
          expect(open).toBe(durationMinutes);
          expect(isOpenMinute(cal, end.getTime() - MIN)).toBe(true); // it ends in open time
        },
      ),
      { numRuns: 40 },
    );
  });

  it('answers as a freshly bound calendar does when bound once and asked again and again, across DST changes and quarter-hour zones', () => {
    // The bound calendar caches local days and which day each quarter hour falls on.
    const zones = ['Europe/Berlin', 'America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe'] as const;
    const bound = new Map(zones.map((z) => [z, calendarMath({ ...cn2025, timeZone: z })]));
    // From a week before Berlin's spring change (29 March 2026) to after its autumn one (25 October).
    const start = Date.UTC(2026, 2, 22);
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 220 * 24 * 60 }),
        fc.integer({ min: 1, max: 3 * 9 * 60 }),
        (zone, offsetMinutes, durationMinutes) => {
          const fresh = calendarMath({ ...cn2025, timeZone: zone });
          const math = bound.get(zone)!;
          const a = new Date(start + offsetMinutes * MIN);
          const b = new Date(a.getTime() + durationMinutes * 7 * MIN);
          expect(math.add(a, durationMinutes * MIN)).toEqual(fresh.add(a, durationMinutes * MIN));
          expect(math.between(a, b)).toBe(fresh.between(a, b));
          expect(math.phaseAt(a)).toEqual(fresh.phaseAt(a));
        },
      ),
      { numRuns: 300 },
    );
    // And both agree with the minute-by-minute reference from 5 March to 14 April 2026: the changes
    // of New York (8 March), Berlin (29 March) and Lord Howe (half an hour, 5 April).
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 40 * 24 * 60 }),
        fc.integer({ min: 1, max: 2 * 9 * 60 }),
        (zone, offsetMinutes, durationMinutes) => {
          const cal = { ...cn2025, timeZone: zone };
          const a = new Date(Date.UTC(2026, 2, 5) + offsetMinutes * MIN);
          const end = bound.get(zone)!.add(a, durationMinutes * MIN);
          let open = 0;
          for (let t = a.getTime(); t < end.getTime(); t += MIN) if (isOpenMinute(cal, t)) open++;
          expect(open).toBe(durationMinutes);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('says whether a calendar is open and when that changes: lunch break, evening, holiday, make-up day', () => {
    expect(cn.phaseAt(bj('2025-03-03T10:00'))).toEqual({ open: true, until: bj('2025-03-03T12:00') });
    expect(cn.phaseAt(bj('2025-03-03T12:30'))).toEqual({ open: false, until: bj('2025-03-03T13:30') });
    // Mon 27 Jan 2025 evening: closed through the Spring Festival until Wed 5 Feb.
    expect(cn.phaseAt(bj('2025-01-27T19:00'))).toEqual({ open: false, until: bj('2025-02-05T09:00') });
    // Fri 7 Feb evening: Saturday 8 Feb is a make-up working day.
    expect(cn.phaseAt(bj('2025-02-07T19:00'))).toEqual({ open: false, until: bj('2025-02-08T09:00') });
  });

  it('treats spans touching at midnight as one open stretch, and 7×24 as open for good', () => {
    const nights = BusinessCalendarSchema.parse({
      id: 'n',
      name: 'n',
      weekly: { '1': [{ start: '20:00', end: '24:00' }], '2': [{ start: '00:00', end: '08:00' }] },
    });
    expect(calendarMath(nights).phaseAt(bj('2026-11-23T21:00'))).toEqual({ open: true, until: bj('2026-11-24T08:00') });
    expect(
      calendarMath(BusinessCalendarSchema.parse({ id: 'a', name: 'a', alwaysOpen: true })).phaseAt(
        bj('2026-11-23T21:00'),
      ),
    ).toEqual({ open: true, until: null });
  });

  it('measures a reversed interval as negative', () => {
    expect(cn.between(bj('2025-03-03T10:00'), bj('2025-03-03T09:00'))).toBe(-HOUR);
  });
});
