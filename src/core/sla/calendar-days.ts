import { DateTime } from 'luxon';
import type { BusinessCalendar } from './business-calendar.js';

// Editing a business calendar's days: which dates exist, which years of holidays are loaded, a
// year's schedule merged in (with what it adds, for a preview), and one day set by hand. A date
// is a holiday, a make-up working day (调休上班), or neither — never both.

/** Whether `YYYY-MM-DD` names a day that exists (no 2025-13-45, no 2025-02-30). */
export function isCalendarDate(date: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return false;
  return DateTime.fromObject({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }, { zone: 'UTC' }).isValid;
}

/** The dates of a calendar (or a schedule) that do not exist, each once, in the order given. */
export function impossibleDates(days: {
  holidays: readonly string[];
  workdays: readonly { date: string }[];
}): string[] {
  return [...new Set([...days.holidays, ...days.workdays.map((w) => w.date)])].filter((d) => !isCalendarDate(d));
}

/** The years for which the calendar holds any holiday or make-up working day. */
export function loadedYears(cal: Pick<BusinessCalendar, 'holidays' | 'workdays'>): number[] {
  const years = new Set([...cal.holidays, ...cal.workdays.map((w) => w.date)].map((d) => Number(d.slice(0, 4))));
  return [...years].sort((a, b) => a - b);
}

export type Schedule = {
  holidays: string[];
  workdays: { date: string; intervals?: { start: string; end: string }[] | undefined }[];
};

/**
 * A year's schedule (e.g. the State Council's) merged into a calendar: its holidays and make-up
 * days are added, and a date the schedule names wins over what the calendar said before.
 */
export function mergeSchedule(cal: BusinessCalendar, schedule: Schedule) {
  const workdayDates = new Set(schedule.workdays.map((w) => w.date));
  const holidayDates = new Set(schedule.holidays);
  const before = { holidays: new Set(cal.holidays), workdays: new Set(cal.workdays.map((w) => w.date)) };
  const calendar: BusinessCalendar = {
    ...cal,
    holidays: [...new Set([...cal.holidays, ...schedule.holidays])].filter((d) => !workdayDates.has(d)).sort(),
    workdays: [
      ...cal.workdays.filter((w) => !workdayDates.has(w.date) && !holidayDates.has(w.date)),
      ...schedule.workdays,
    ].sort((a, b) => a.date.localeCompare(b.date)),
  };
  return {
    calendar,
    addedHolidays: calendar.holidays.filter((d) => !before.holidays.has(d)),
    addedWorkdays: calendar.workdays.map((w) => w.date).filter((d) => !before.workdays.has(d)),
    years: loadedYears(schedule),
  };
}

export type DayKind = 'holiday' | 'workday' | 'normal';

/** One date made a holiday, a make-up working day (on the weekday hours of Monday), or ordinary again. */
export function setDayKind(cal: BusinessCalendar, date: string, kind: DayKind): BusinessCalendar {
  const holidays = cal.holidays.filter((d) => d !== date);
  const workdays = cal.workdays.filter((w) => w.date !== date);
  if (kind === 'holiday') holidays.push(date);
  if (kind === 'workday') workdays.push({ date });
  return {
    ...cal,
    holidays: holidays.sort(),
    workdays: workdays.sort((a, b) => a.date.localeCompare(b.date)),
  };
}

/** What a date is in a calendar, for display: holiday and make-up day first, then the weekly hours. */
export function dayKindOf(cal: BusinessCalendar, date: string): 'holiday' | 'workday' | 'work' | 'off' {
  if (cal.holidays.includes(date)) return 'holiday';
  if (cal.workdays.some((w) => w.date === date)) return 'workday';
  const weekday = DateTime.fromISO(date, { zone: 'UTC' }).weekday;
  return (cal.weekly[String(weekday) as '1']?.length ?? 0) > 0 ? 'work' : 'off';
}
