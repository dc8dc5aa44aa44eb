import { DateTime } from 'luxon';

// Reads a public-holiday schedule from iCalendar text: all-day VEVENTs are holidays (multi-day
// events expanded, DTEND exclusive as RFC 5545 says); an event whose CATEGORIES include WORKDAY
// or whose SUMMARY says 补班/上班 is a make-up working day (调休).

export type HolidaySchedule = { holidays: string[]; workdays: { date: string }[] };

const WORKDAY = /(^|,)\s*WORKDAY\s*(,|$)/i;
/** Longer events are almost certainly a mistake (a holiday run is at most about ten days). */
const MAX_EVENT_DAYS = 31;
const WORKDAY_SUMMARY = /补班|上班|调休上班/;

export function parseIcsHolidays(text: string): { ok: true; value: HolidaySchedule } | { ok: false; errors: string[] } {
  // Unfold continuation lines (a line starting with a space or tab continues the previous one).
  const lines = text
    .replace(/\r\n/g, '\n')
    .replace(/\n[ \t]/g, '')
    .split('\n');
  const holidays = new Set<string>();
  const workdays = new Set<string>();
  const errors: string[] = [];
  let event: Record<string, string> | null = null;
  let events = 0;
  for (const [index, line] of lines.entries()) {
    if (line === 'BEGIN:VEVENT') event = {};
    else if (line === 'END:VEVENT' && event) {
      events++;
      const where = `event ending on line ${index + 1}`;
      const start = dateOf(event.DTSTART);
      const end = event.DTEND === undefined ? start?.plus({ days: 1 }) : dateOf(event.DTEND);
      if (!start || !end) {
        errors.push(`${where}: DTSTART and DTEND must be all-day dates (VALUE=DATE:YYYYMMDD), not times`);
      } else if (end <= start || end.diff(start, 'days').days > MAX_EVENT_DAYS) {
        errors.push(`${where}: DTEND must be after DTSTART and at most ${MAX_EVENT_DAYS} days later`);
      } else if (event.STATUS !== 'CANCELLED') {
        const isWorkday = WORKDAY.test(event.CATEGORIES ?? '') || WORKDAY_SUMMARY.test(event.SUMMARY ?? '');
        for (let d = start; d < end; d = d.plus({ days: 1 })) (isWorkday ? workdays : holidays).add(d.toISODate()!);
      }
      event = null;
    } else if (event) {
      const colon = line.indexOf(':');
      if (colon > 0) event[line.slice(0, colon).split(';')[0]!.toUpperCase()] = line.slice(colon + 1).trim();
    }
  }
  if (events === 0) errors.push('no VEVENT found');
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    value: { holidays: [...holidays].sort(), workdays: [...workdays].sort().map((date) => ({ date })) },
  };
}

/** An all-day date (YYYYMMDD); a date-time is refused, since a timed event is not a day off. */
function dateOf(value: string | undefined): DateTime | null {
  const m = value ? /^(\d{4})(\d{2})(\d{2})$/.exec(value) : null;
  if (!m) return null;
  const d = DateTime.fromObject({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }, { zone: 'UTC' });
  return d.isValid ? d : null;
}
