import { DateTime } from 'luxon';
import { calendarMath, type BusinessCalendar } from '../sla/business-calendar.js';

// The QA clocks on the business calendar (issue 14): an agent acknowledges or disputes a review
// within 3 working days, a supervisor decides a dispute within 3 working days, and a failed
// review's coaching is due within 24 business hours.

export const RESPONSE_WORKING_DAYS = 3;
export const DECISION_WORKING_DAYS = 3;
export const COACHING_BUSINESS_HOURS = 24;
const HOUR = 3_600_000;

/** Whether a calendar is open at some time on a local date (holidays closed, make-up days open). */
function isWorkingDay(cal: BusinessCalendar, date: string): boolean {
  if (cal.holidays.includes(date)) return false;
  const workday = cal.workdays.find((w) => w.date === date);
  if (workday) return (workday.intervals ?? cal.weekly['1'] ?? []).length > 0;
  const weekday = String(DateTime.fromISO(date, { zone: 'UTC' }).weekday) as '1';
  return (cal.weekly[weekday]?.length ?? 0) > 0;
}

/** The close of business of a working date: the end of its last open interval. */
function closeOf(cal: BusinessCalendar, date: string): Date {
  const workday = cal.workdays.find((w) => w.date === date);
  const weekday = String(DateTime.fromISO(date, { zone: 'UTC' }).weekday) as '1';
  const intervals = workday ? (workday.intervals ?? cal.weekly['1'] ?? []) : (cal.weekly[weekday] ?? []);
  const end =
    intervals
      .map((i) => i.end)
      .sort()
      .at(-1) ?? '24:00';
  const day = DateTime.fromISO(date, { zone: cal.timeZone });
  const at =
    end === '24:00'
      ? day.plus({ days: 1 })
      : day.set({ hour: Number(end.slice(0, 2)), minute: Number(end.slice(3)), second: 0, millisecond: 0 });
  return at.toJSDate();
}

/**
 * "Within n working days": the close of business of the n-th working day after the day of `from`
 * (in the calendar's zone). On a 24×7 calendar: n × 24 hours.
 */
export function workingDaysDeadline(from: Date, n: number, cal: BusinessCalendar): Date {
  if (cal.alwaysOpen) return new Date(from.getTime() + n * 24 * HOUR);
  let day = DateTime.fromJSDate(from, { zone: cal.timeZone }).startOf('day');
  let found = 0;
  for (let i = 0; i < 3 * 366; i++) {
    day = day.plus({ days: 1 });
    const date = day.toISODate()!;
    if (isWorkingDay(cal, date) && ++found === n) return closeOf(cal, date);
  }
  throw new Error(`calendar ${cal.id} has no working day within three years`);
}

/** Coaching due: 24 hours of open business time after the review. */
export const coachingDeadline = (from: Date, cal: BusinessCalendar): Date =>
  calendarMath(cal).add(from, COACHING_BUSINESS_HOURS * HOUR);
