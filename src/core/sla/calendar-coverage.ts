import { DateTime } from 'luxon';
import type { BusinessCalendar } from './business-calendar.js';
import { loadedYears } from './calendar-days.js';

// Holidays and make-up working days are published a year at a time (the State Council's notice,
// usually in November). A business calendar whose loaded years stop before the coming weeks
// silently treats next year's Spring Festival as working days: say so ahead of time.

export const COVERAGE_HORIZON_DAYS = 60;

export type CoverageGap = {
  calendarId: string;
  name: string;
  /** Years within the horizon for which the calendar holds no holiday or make-up day. */
  missingYears: number[];
  /** The first date (in the calendar's zone) within the horizon that falls in a missing year. */
  from: string;
};

/**
 * For each business calendar (24×7 calendars need no holidays), the years of the next
 * `horizonDays` days, counted from `now` in the calendar's own time zone, that it has no
 * holidays loaded for.
 */
export function calendarCoverageGaps(
  calendars: readonly BusinessCalendar[],
  now: Date,
  horizonDays = COVERAGE_HORIZON_DAYS,
): CoverageGap[] {
  return calendars.flatMap((cal) => {
    if (cal.alwaysOpen) return [];
    const loaded = new Set(loadedYears(cal));
    const first = DateTime.fromJSDate(now, { zone: cal.timeZone }).startOf('day');
    const last = first.plus({ days: horizonDays - 1 });
    const missingYears: number[] = [];
    for (let year = first.year; year <= last.year; year++) if (!loaded.has(year)) missingYears.push(year);
    if (missingYears.length === 0) return [];
    const from =
      missingYears[0] === first.year ? first : DateTime.fromObject({ year: missingYears[0]! }, { zone: cal.timeZone });
    return [{ calendarId: cal.id, name: cal.name, missingYears, from: from.toISODate()! }];
  });
}

/** The one start-up line (null when every calendar covers the horizon). */
export function describeCoverageGaps(gaps: readonly CoverageGap[], horizonDays = COVERAGE_HORIZON_DAYS): string | null {
  if (gaps.length === 0) return null;
  const each = gaps.map(
    (g) => `${g.calendarId} has no holidays loaded for ${g.missingYears.join(', ')} (from ${g.from})`,
  );
  return `Calendars: within the next ${horizonDays} days, ${each.join('; ')} — holidays and make-up working days will not count there; load the year's schedule (admin console, Calendars)`;
}
