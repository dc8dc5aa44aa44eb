import { DateTime } from 'luxon';
import type { CalendarMath } from './target-clock.js';

// Business calendars as data: weekly opening hours (several intervals a day), public holidays and
// make-up working days (调休: a Saturday or Sunday the State Council turns into a working day), in
// an IANA time zone, or simply 24×7. Local wall-clock times are converted per day, so DST zones work.
// The schema that checks a calendar from a file or a request is a contract (contracts/sla.ts).

/** Local wall-clock times `HH:MM` (`24:00` ends a day), start before end. */
export type OpenInterval = { start: string; end: string };
export const ISO_WEEKDAYS = ['1', '2', '3', '4', '5', '6', '7'] as const;
export type IsoWeekday = (typeof ISO_WEEKDAYS)[number];

export type BusinessCalendar = {
  id: string;
  name: string;
  /** IANA zone of the wall-clock times. */
  timeZone: string;
  alwaysOpen: boolean;
  /** ISO weekday 1 (Monday) … 7 (Sunday) → open intervals. */
  weekly: Partial<Record<IsoWeekday, OpenInterval[]>>;
  /** Closed dates (`YYYY-MM-DD`). */
  holidays: string[];
  /** Make-up working days: open although a weekend; with no intervals they follow Monday's hours. */
  workdays: { date: string; intervals?: OpenInterval[] | undefined }[];
};

export const ALWAYS_OPEN: BusinessCalendar = {
  id: 'always',
  name: '7×24',
  timeZone: 'Asia/Shanghai',
  alwaysOpen: true,
  weekly: {},
  holidays: [],
  workdays: [],
};

type Span = [number, number]; // epoch ms, [start, end)

/** A wall-clock time on a local day (set, not added: on DST days the day is 23 or 25 hours long). */
const instantOf = (day: DateTime, hhmm: string): number =>
  hhmm === '24:00'
    ? day.plus({ days: 1 }).toMillis()
    : day.set({ hour: Number(hhmm.slice(0, 2)), minute: Number(hhmm.slice(3)) }).toMillis();
/** Give up after this many closed days in a row: a calendar with no open time would loop forever. */
const MAX_SEARCH_DAYS = 3 * 366;

export class CalendarMathError extends Error {}

/** The instant `durationMs` of open business time after `start` (bind once with `calendarMath` when calling often). */
export const addBusinessTime = (start: Date, durationMs: number, cal: BusinessCalendar): Date =>
  calendarMath(cal).add(start, durationMs);

/** Open business time between two instants, negative when `b` is before `a`. */
export const businessTimeBetween = (a: Date, b: Date, cal: BusinessCalendar): number => calendarMath(cal).between(a, b);

/** Binds a calendar to fast `add` / `between` functions (local days and their open spans are cached). */
export function calendarMath(cal: BusinessCalendar): CalendarMath {
  if (cal.alwaysOpen) {
    return {
      add: (s, ms) => new Date(s.getTime() + ms),
      between: (a, b) => b.getTime() - a.getTime(),
      phaseAt: () => ({ open: true, until: null }),
    };
  }
  const holidays = new Set(cal.holidays);
  const workdays = new Map(cal.workdays.map((w) => [w.date, w.intervals ?? cal.weekly['1'] ?? []]));

  // Local days, each with its open spans and the next day, made with luxon once and then reused:
  // a ticket's clocks step through the same few days again and again. An instant finds its day
  // through its quarter of an hour (UTC offsets and their changes fall on quarter hours), checked
  // at both ends of the quarter.
  type Day = { start: number; spans: Span[]; next?: Day };
  const days = new Map<string, Day>();
  const quarters = new Map<number, Day>();
  const QUARTER = 900_000;

  const dayFrom = (local: DateTime): Day => {
    const key = local.toISODate()!;
    let day = days.get(key);
    if (day) return day;
    const intervals = workdays.get(key) ?? (holidays.has(key) ? [] : (cal.weekly[String(local.weekday) as '1'] ?? []));
    day = {
      start: local.toMillis(),
      spans: intervals
        .map(({ start, end }): Span => [instantOf(local, start), instantOf(local, end)])
        .filter(([s, e]) => e > s),
    };
    if (days.size > 4096) {
      days.clear();
      quarters.clear();
    }
    days.set(key, day);
    return day;
  };
  const localDay = (ms: number) => DateTime.fromMillis(ms, { zone: cal.timeZone }).startOf('day');
  const dayOf = (ms: number): Day => {
    const quarter = Math.floor(ms / QUARTER);
    const cached = quarters.get(quarter);
    if (cached) return cached;
    const day = dayFrom(localDay(ms));
    if (dayFrom(localDay(quarter * QUARTER)) === day && dayFrom(localDay(quarter * QUARTER + QUARTER - 1)) === day) {
      if (quarters.size > 65_536) quarters.clear();
      quarters.set(quarter, day);
    }
    return day;
  };
  const nextDay = (day: Day): Day =>
    (day.next ??= dayFrom(DateTime.fromMillis(day.start, { zone: cal.timeZone }).plus({ days: 1 })));

  function add(start: Date, ms: number): Date {
    if (ms <= 0) return start;
    let left = ms;
    let cursor = start.getTime();
    let day = dayOf(cursor);
    for (let closedDays = 0; closedDays < MAX_SEARCH_DAYS; day = nextDay(day)) {
      const spans = day.spans;
      closedDays = spans.length === 0 ? closedDays + 1 : 0;
      for (const [s, e] of spans) {
        const from = Math.max(s, cursor);
        if (e <= from) continue;
        if (left <= e - from) return new Date(from + left);
        left -= e - from;
        cursor = e;
      }
    }
    throw new CalendarMathError(`calendar ${cal.id} has no open time within ${MAX_SEARCH_DAYS} days`);
  }

  function between(a: Date, b: Date): number {
    if (b < a) return -between(b, a);
    const end = b.getTime();
    let total = 0;
    for (let day = dayOf(a.getTime()); day.start < end; day = nextDay(day)) {
      for (const [s, e] of day.spans) total += Math.max(0, Math.min(e, end) - Math.max(s, a.getTime()));
    }
    return total;
  }

  function phaseAt(at: Date): { open: boolean; until: Date | null } {
    const t = at.getTime();
    let openUntil: number | null = null; // set once `at` is inside an open span
    for (let day = dayOf(t), n = 0; n < MAX_SEARCH_DAYS; day = nextDay(day), n++) {
      for (const [s, e] of day.spans) {
        if (e <= t) continue;
        if (openUntil === null) {
          if (s > t) return { open: false, until: new Date(s) };
          openUntil = e;
        } else if (s <= openUntil)
          openUntil = Math.max(openUntil, e); // touching spans, e.g. across midnight
        else return { open: true, until: new Date(openUntil) };
      }
    }
    return { open: openUntil !== null, until: null };
  }

  return { add, between, phaseAt };
}
