import { DateTime } from 'luxon';
import type { z } from 'zod';
import { BusinessCalendarSchema, type BusinessCalendar, type BusinessCalendarInput } from './calendar.js';

// Reads business calendars that administrators maintain as files: the JSON shape of
// BusinessCalendarSchema, or iCalendar (RFC 5545) text for the yearly holiday schedule. Bad input
// never throws: every problem found is reported, with a path or a line number.
//
// iCalendar rules:
// - Every VEVENT is one all-day closed period: DTSTART;VALUE=DATE:YYYYMMDD with an optional
//   DTEND (exclusive, as RFC 5545 says) or DURATION:PnD / PnW; no end = one day.
// - A make-up working day (调休) is a VEVENT with CATEGORIES containing WORKDAY, or whose SUMMARY
//   contains 补班 or 上班, or is 班 / (班) — the conventions of the public Chinese holiday feeds.
//   Make-up days get Monday's hours.
// - Timed events, RRULE/RDATE recurrences and overlapping holiday/workday dates are errors;
//   STATUS:CANCELLED events are skipped.
// - The feed carries dates only: id and opening hours come from `base`. X-WR-CALNAME and
//   X-WR-TIMEZONE fill in the name and the zone when `base` does not give them.

export type ImportResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

const failure = (errors: string[]): { ok: false; errors: string[] } => ({ ok: false, errors });

function issuesToErrors(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message));
}

/** Validates an already-parsed value against BusinessCalendarSchema. */
export function validateCalendar(value: unknown): ImportResult<BusinessCalendar> {
  const parsed = BusinessCalendarSchema.safeParse(value);
  return parsed.success ? { ok: true, value: parsed.data } : failure(issuesToErrors(parsed.error.issues));
}

/** A calendar from the text of a JSON file. */
export function calendarFromJson(text: string): ImportResult<BusinessCalendar> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return failure([`not valid JSON: ${err instanceof Error ? err.message : String(err)}`]);
  }
  return validateCalendar(value);
}

// ---------------------------------------------------------------------------------------------
// iCalendar

export type IcsSchedule = {
  name?: string;
  timeZone?: string;
  holidays: string[];
  workdays: { date: string }[];
};

/** What the calendar needs besides the dates an iCalendar feed gives. */
export type IcsCalendarBase = Omit<BusinessCalendarInput, 'holidays' | 'workdays'>;

/** A calendar from iCalendar text: holidays and make-up days from the feed, the rest from `base`. */
export function calendarFromIcs(text: string, base: IcsCalendarBase): ImportResult<BusinessCalendar> {
  const schedule = parseIcsSchedule(text);
  if (!schedule.ok) return schedule;
  const { name, timeZone, holidays, workdays } = schedule.value;
  return validateCalendar({
    ...base,
    name: base.name ?? name,
    timeZone: base.timeZone ?? timeZone,
    holidays,
    workdays,
  });
}

type ContentLine = { line: number; name: string; params: Record<string, string>; value: string };
type EventProps = Map<string, ContentLine[]>;

/** Holidays and make-up working days from iCalendar text, sorted by date. */
export function parseIcsSchedule(text: string): ImportResult<IcsSchedule> {
  const errors: string[] = [];
  const lines = contentLines(text, errors);
  const calendarProps = new Map<string, string>();
  const events: { line: number; props: EventProps }[] = [];
  const stack: string[] = [];
  let event: EventProps | null = null;

  for (const cl of lines) {
    if (cl.name === 'BEGIN') {
      const component = cl.value.toUpperCase();
      if (stack.length === 0 && component !== 'VCALENDAR')
        errors.push(`line ${cl.line}: expected BEGIN:VCALENDAR, found BEGIN:${cl.value}`);
      stack.push(component);
      if (component === 'VEVENT' && stack.length === 2) {
        event = new Map();
        events.push({ line: cl.line, props: event });
      }
    } else if (cl.name === 'END') {
      const open = stack.pop();
      if (open !== cl.value.toUpperCase())
        errors.push(`line ${cl.line}: END:${cl.value} does not close BEGIN:${open ?? '(nothing)'}`);
      if (stack.length < 2) event = null;
    } else if (stack.length === 0) {
      errors.push(`line ${cl.line}: ${cl.name} outside BEGIN:VCALENDAR … END:VCALENDAR`);
    } else if (event && stack.length === 2) {
      event.set(cl.name, [...(event.get(cl.name) ?? []), cl]);
    } else if (stack.length === 1) {
      calendarProps.set(cl.name, unescapeText(cl.value));
    }
  }
  if (lines.length === 0 || lines[0]!.name !== 'BEGIN')
    errors.push('not an iCalendar file: it must start with BEGIN:VCALENDAR');
  else if (stack.length > 0) errors.push(`BEGIN:${stack[stack.length - 1]} is never closed`);
  if (errors.length === 0 && events.length === 0) errors.push('no VEVENT found');
  if (errors.length > 0) return failure(errors);

  const holidays = new Map<string, number>(); // date → line of the event, for error messages
  const workdays = new Map<string, number>();
  for (const { line, props } of events) {
    const period = eventDates(line, props, errors);
    if (!period) continue;
    const target = period.workday ? workdays : holidays;
    const other = period.workday ? holidays : workdays;
    for (const date of period.dates) {
      if (other.has(date))
        errors.push(`line ${line}: ${date} is both a holiday and a make-up working day (see line ${other.get(date)})`);
      if (!target.has(date)) target.set(date, line);
    }
  }
  if (errors.length > 0) return failure(errors);

  const schedule: IcsSchedule = {
    holidays: [...holidays.keys()].sort(),
    workdays: [...workdays.keys()].sort().map((date) => ({ date })),
  };
  const name = calendarProps.get('X-WR-CALNAME');
  const timeZone = calendarProps.get('X-WR-TIMEZONE');
  if (name) schedule.name = name;
  if (timeZone) schedule.timeZone = timeZone;
  return { ok: true, value: schedule };
}

const WORKDAY_SUMMARY = /补班|上班|^班$|[（(]班[)）]/;
const MAX_EVENT_DAYS = 366;

function eventDates(line: number, props: EventProps, errors: string[]): { dates: string[]; workday: boolean } | null {
  const one = (name: string) => props.get(name)?.[0];
  const summary = unescapeText(one('SUMMARY')?.value ?? '').trim();
  const where = `line ${line}${summary ? ` (${summary})` : ''}`;
  if (unescapeText(one('STATUS')?.value ?? '').toUpperCase() === 'CANCELLED') return null;
  const before = errors.length;
  for (const name of ['RRULE', 'RDATE']) {
    if (props.has(name)) errors.push(`${where}: ${name} is not supported; list each holiday as its own event`);
  }
  const startLine = one('DTSTART');
  const start = startLine ? dateValue(startLine, where, errors) : null;
  if (!startLine) errors.push(`${where}: DTSTART is missing`);
  const endLine = one('DTEND');
  const durationLine = one('DURATION');
  let days = 1;
  if (endLine && durationLine) errors.push(`${where}: DTEND and DURATION cannot both be given`);
  else if (endLine) {
    const end = dateValue(endLine, where, errors);
    if (start && end) {
      days = end.diff(start, 'days').days;
      if (days <= 0)
        errors.push(`${where}: DTEND ${endLine.value} must be after DTSTART ${startLine!.value} (DTEND is exclusive)`);
    }
  } else if (durationLine) {
    const m = /^P(\d+)([DW])$/i.exec(durationLine.value.trim());
    if (!m || Number(m[1]) === 0)
      errors.push(`${where}: DURATION ${durationLine.value} must be whole days or weeks, e.g. P3D`);
    else days = Number(m[1]) * (m[2]!.toUpperCase() === 'W' ? 7 : 1);
  }
  if (days > MAX_EVENT_DAYS) errors.push(`${where}: spans ${days} days; at most ${MAX_EVENT_DAYS}`);
  if (errors.length > before || !start) return null;

  const categories = (props.get('CATEGORIES') ?? [])
    .flatMap((cl) => splitList(cl.value))
    .map((c) => c.trim().toUpperCase());
  const workday = categories.includes('WORKDAY') || WORKDAY_SUMMARY.test(summary);
  const dates = Array.from({ length: days }, (_, i) => start.plus({ days: i }).toISODate()!);
  return { dates, workday };
}

/** An all-day date value; date-times are refused because holidays are whole local days. */
function dateValue(cl: ContentLine, where: string, errors: string[]): DateTime | null {
  const value = cl.value.trim();
  if (/^\d{8}T/i.test(value) || (cl.params.VALUE && cl.params.VALUE.toUpperCase() !== 'DATE')) {
    errors.push(
      `${where}: ${cl.name} ${value} is a date-time; holidays must be all-day events (${cl.name};VALUE=DATE:YYYYMMDD)`,
    );
    return null;
  }
  const d = /^\d{8}$/.test(value) ? DateTime.fromFormat(value, 'yyyyMMdd', { zone: 'UTC' }) : null;
  if (!d?.isValid) {
    errors.push(`${where}: ${cl.name} ${value} is not a date (YYYYMMDD)`);
    return null;
  }
  return d;
}

/** Physical lines → unfolded content lines (RFC 5545 §3.1), with the number of their first line. */
function contentLines(text: string, errors: string[]): ContentLine[] {
  const physical = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const logical: { line: number; text: string }[] = [];
  physical.forEach((raw, i) => {
    const last = logical[logical.length - 1];
    if ((raw.startsWith(' ') || raw.startsWith('\t')) && last) last.text += raw.slice(1);
    else if (raw.trim() !== '') logical.push({ line: i + 1, text: raw });
  });
  const result: ContentLine[] = [];
  for (const { line, text: t } of logical) {
    const colon = indexOutsideQuotes(t, ':');
    if (colon <= 0) {
      errors.push(`line ${line}: not a "NAME:value" line: ${t.slice(0, 60)}`);
      continue;
    }
    const [name, ...rawParams] = splitOutsideQuotes(t.slice(0, colon), ';');
    const params: Record<string, string> = {};
    for (const p of rawParams) {
      const eq = p.indexOf('=');
      if (eq > 0) params[p.slice(0, eq).toUpperCase()] = p.slice(eq + 1).replace(/^"|"$/g, '');
    }
    result.push({ line, name: name!.trim().toUpperCase(), params, value: t.slice(colon + 1) });
  }
  return result;
}

function indexOutsideQuotes(s: string, ch: string): number {
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '"') quoted = !quoted;
    else if (s[i] === ch && !quoted) return i;
  }
  return -1;
}

function splitOutsideQuotes(s: string, ch: string): string[] {
  const parts: string[] = [];
  let rest = s;
  for (let i = indexOutsideQuotes(rest, ch); i >= 0; i = indexOutsideQuotes(rest, ch)) {
    parts.push(rest.slice(0, i));
    rest = rest.slice(i + 1);
  }
  return [...parts, rest];
}

/** A TEXT list value split at unescaped commas, each item unescaped. */
function splitList(value: string): string[] {
  return value.split(/(?<!\\),/).map(unescapeText);
}

function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}
