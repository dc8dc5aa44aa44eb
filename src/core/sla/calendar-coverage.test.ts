import { describe, expect, it } from 'vitest';
import { ALWAYS_OPEN, type BusinessCalendar } from './business-calendar.js';
import { calendarCoverageGaps, describeCoverageGaps } from './calendar-coverage.js';
import { impossibleDates, isCalendarDate, mergeSchedule, setDayKind } from './calendar-days.js';

const china = (holidays: string[], workdays: string[] = []): BusinessCalendar => ({
  id: 'cn-business',
  name: '中国大陆工作日',
  timeZone: 'Asia/Shanghai',
  alwaysOpen: false,
  weekly: { '1': [{ start: '09:00', end: '18:00' }] },
  holidays,
  workdays: workdays.map((date) => ({ date })),
});

describe('calendar coverage of the coming days', () => {
  it('warns when the next 60 days fall in a year the calendar holds no holidays for', () => {
    // The shipped calendar holds 2025 only; it is November 2026.
    const gaps = calendarCoverageGaps([china(['2025-10-01'], ['2025-09-28'])], new Date('2026-11-28T02:00:00Z'));
    expect(gaps).toEqual([
      { calendarId: 'cn-business', name: '中国大陆工作日', missingYears: [2026, 2027], from: '2026-11-28' },
    ]);
    expect(describeCoverageGaps(gaps)).toMatch(/cn-business has no holidays loaded for 2026, 2027 \(from 2026-11-28\)/);
  });

  it('warns ahead of the new year only once the horizon reaches it, from its first day', () => {
    const cal = china(['2026-10-01']);
    expect(calendarCoverageGaps([cal], new Date('2026-10-01T00:00:00Z'))).toEqual([]);
    expect(calendarCoverageGaps([cal], new Date('2026-11-03T00:00:00Z'))).toEqual([
      { calendarId: 'cn-business', name: '中国大陆工作日', missingYears: [2027], from: '2027-01-01' },
    ]);
    expect(calendarCoverageGaps([china(['2026-10-01', '2027-02-10'])], new Date('2026-11-28T00:00:00Z'))).toEqual([]);
  });

  it('counts days in the calendar’s own zone, and never warns about a 24×7 calendar', () => {
    // 2026-12-31T17:00Z is already 1 January 2027 in Shanghai.
    const gaps = calendarCoverageGaps([china(['2026-10-01']), ALWAYS_OPEN], new Date('2026-12-31T17:00:00Z'), 1);
    expect(gaps.map((g) => [g.calendarId, g.from])).toEqual([['cn-business', '2027-01-01']]);
    expect(describeCoverageGaps([])).toBeNull();
  });
});

describe('calendar days', () => {
  it('knows impossible dates from real ones', () => {
    expect(isCalendarDate('2025-13-45')).toBe(false);
    expect(isCalendarDate('2025-02-29')).toBe(false);
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(impossibleDates({ holidays: ['2025-13-45', '2025-10-01'], workdays: [{ date: '2025-02-30' }] })).toEqual([
      '2025-13-45',
      '2025-02-30',
    ]);
  });

  it('merges a schedule, the schedule winning over what a date was, and says what it adds', () => {
    const merged = mergeSchedule(china(['2026-01-01', '2026-02-14']), {
      holidays: ['2026-01-02'],
      workdays: [{ date: '2026-02-14' }],
    });
    expect(merged.calendar.holidays).toEqual(['2026-01-01', '2026-01-02']);
    expect(merged.calendar.workdays).toEqual([{ date: '2026-02-14' }]);
    expect(merged).toMatchObject({ addedHolidays: ['2026-01-02'], addedWorkdays: ['2026-02-14'], years: [2026] });
  });

  it('makes a day a holiday, a make-up working day or ordinary, never two at once', () => {
    let cal = setDayKind(china([]), '2026-10-01', 'holiday');
    expect(cal.holidays).toEqual(['2026-10-01']);
    cal = setDayKind(cal, '2026-10-01', 'workday');
    expect([cal.holidays, cal.workdays]).toEqual([[], [{ date: '2026-10-01' }]]);
    cal = setDayKind(cal, '2026-10-01', 'normal');
    expect([cal.holidays, cal.workdays]).toEqual([[], []]);
  });
});
