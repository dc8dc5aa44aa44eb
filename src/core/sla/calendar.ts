import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';

// Business calendars as plain data, and the two pieces of arithmetic every SLA clock needs.
//
// Open time is a set of half-open instants [open, close). An instant is open when its local date
// (in the calendar's IANA zone) is a working day and its local wall-clock time lies inside one of
// that day's intervals. Everything below follows from that one definition:
// - DST gap (clocks jump forward): wall times that never occur are simply not open, so
//   01:00–04:00 on the Berlin spring-forward Sunday is 2 h of open time.
// - DST overlap (clocks go back): a repeated wall time is open both times, so 01:00–04:00 on the
//   autumn Sunday is 4 h, and 02:30–03:00 is two 30-minute spans.
// - businessTimeBetween(a, b) is the measure of open time in [a, b); negative when b < a.
// - addBusinessTime(start, d) is the EARLIEST instant t with businessTimeBetween(start, t) === d.
//   So time starts counting at the next opening when start is closed, a duration that ends exactly
//   at closing time returns the closing instant (Friday 17:00 + 1 h = Friday 18:00, not Monday
//   09:00), and a zero duration returns start unchanged, open or not. That keeps the pair
//   consistent: addBusinessTime(a, businessTimeBetween(a, b)) <= b, with equality unless b is
//   preceded by closed time (b itself closed, or b exactly at an opening instant).

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const HHMM_PATTERN = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const HHMM = z.string().regex(HHMM_PATTERN, 'expected HH:MM (00:00 to 24:00)');

const LocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine((s) => DateTime.fromISO(s, { zone: 'UTC' }).isValid, 'not a calendar date');

export const OpenIntervalSchema = z
  .strictObject({ start: HHMM, end: HHMM })
  // Only compared once both are well-formed, so a bad time is reported once.
  .refine(
    (i) => !HHMM_PATTERN.test(i.start) || !HHMM_PATTERN.test(i.end) || i.start < i.end,
    'start must be before end (split an overnight shift at 24:00)',
  );
export type OpenInterval = z.output<typeof OpenIntervalSchema>;

const DaySchema = z
  .array(OpenIntervalSchema)
  .max(12)
  .refine((intervals) => !overlapping(intervals), 'intervals of one day must not overlap');

const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '7'] as const;
/** ISO weekday as a string key, as it appears in JSON: '1' Monday … '7' Sunday. */
export type IsoWeekday = (typeof WEEKDAYS)[number];

export const BusinessCalendarSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, - and _'),
    name: z.string().min(1).max(200).optional(),
    timeZone: z
      .string()
      .default('Asia/Shanghai')
      .refine((tz) => IANAZone.isValidZone(tz), 'unknown IANA time zone'),
    /** 24×7: the weekly schedule, holidays and make-up days are ignored. */
    alwaysOpen: z.boolean().default(false),
    /** Opening hours per ISO weekday; a missing or empty day is closed. */
    weekly: z
      .strictObject({
        '1': DaySchema.optional(),
        '2': DaySchema.optional(),
        '3': DaySchema.optional(),
        '4': DaySchema.optional(),
        '5': DaySchema.optional(),
        '6': DaySchema.optional(),
        '7': DaySchema.optional(),
      })
      .default({}),
    /** Closed local dates. */
    holidays: z.array(LocalDate).default([]),
    /**
     * Make-up working days (调休): a local date that is open although its weekday is not, with
     * `intervals` or, by default, Monday's hours. Also usable to change one weekday's hours.
     */
    workdays: z.array(z.strictObject({ date: LocalDate, intervals: DaySchema.optional() })).default([]),
  })
  .superRefine((cal, ctx) => {
    if (!cal.alwaysOpen && !WEEKDAYS.some((d) => (cal.weekly[d]?.length ?? 0) > 0)) {
      ctx.addIssue({
        code: 'custom',
        path: ['weekly'],
        message: 'a calendar that is not alwaysOpen needs opening hours on at least one weekday',
      });
    }
    const holidays = new Set(cal.holidays);
    const seen = new Set<string>();
    cal.workdays.forEach(({ date }, i) => {
      if (holidays.has(date))
        ctx.addIssue({
          code: 'custom',
          path: ['workdays', i, 'date'],
          message: `${date} is both a holiday and a make-up working day`,
        });
      if (seen.has(date))
        ctx.addIssue({ code: 'custom', path: ['workdays', i, 'date'], message: `${date} is listed twice` });
      seen.add(date);
    });
  });
/** Parsed form: defaults filled in. Build one with `BusinessCalendarSchema.parse`. */
export type BusinessCalendar = z.output<typeof BusinessCalendarSchema>;
export type BusinessCalendarInput = z.input<typeof BusinessCalendarSchema>;

/** The 24×7 calendar SLA policies refer to as 'always'. */
export const ALWAYS_OPEN_CALENDAR: BusinessCalendar = {
  id: 'always',
  name: '7×24',
  timeZone: 'Asia/Shanghai',
  alwaysOpen: true,
  weekly: {},
  holidays: [],
  workdays: [],
};

function overlapping(intervals: readonly OpenInterval[]): boolean {
  const sorted = [...intervals].sort((a, b) => (a.start < b.start ? -1 : 1));
  return sorted.some((iv, i) => i > 0 && iv.start < sorted[i - 1]!.end);
}

// ---------------------------------------------------------------------------------------------
// Compiled form. Calendars are treated as immutable values: the compiled form is memoised per
// object, so do not mutate a calendar after first use (build a new one instead).

type Span = readonly [number, number]; // epoch ms, [start, end)
type Minutes = readonly (readonly [number, number])[]; // minutes after local midnight, sorted

type Compiled = {
  zone: IANAZone;
  weekly: Minutes[]; // index 1..7
  holidays: Set<string>;
  workdays: Map<string, Minutes>;
  /** Local day number (days since 1970-01-01 as a local date) → open spans. Bounded cache. */
  spans: Map<number, Span[]>;
  /** Offset probes on a fixed grid, see offsetsAround. */
  probes: Map<number, number>;
  /** Give up after this many consecutive closed days (only reachable with hand-built data). */
  maxClosedRun: number;
};

const compiledCache = new WeakMap<BusinessCalendar, Compiled>();

const toMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const compileDay = (intervals: readonly OpenInterval[] | undefined): Minutes =>
  (intervals ?? [])
    .map((i): [number, number] => [toMinutes(i.start), toMinutes(i.end)])
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);

function compile(cal: BusinessCalendar): Compiled {
  let c = compiledCache.get(cal);
  if (c) return c;
  const monday = compileDay(cal.weekly['1']);
  c = {
    zone: IANAZone.create(cal.timeZone),
    weekly: [[], ...WEEKDAYS.map((d) => compileDay(cal.weekly[d]))],
    holidays: new Set(cal.holidays),
    workdays: new Map(cal.workdays.map((w) => [w.date, w.intervals ? compileDay(w.intervals) : monday])),
    spans: new Map(),
    probes: new Map(),
    maxClosedRun: cal.holidays.length + 3 * 366,
  };
  if (!c.zone.isValid) throw new RangeError(`calendar ${cal.id}: unknown time zone ${cal.timeZone}`);
  compiledCache.set(cal, c);
  return c;
}

/** 'YYYY-MM-DD' of a local day number. */
const isoDate = (dayNumber: number): string => new Date(dayNumber * DAY).toISOString().slice(0, 10);
/** ISO weekday (1 = Monday) of a local day number; day 0 (1970-01-01) was a Thursday. */
const weekdayOf = (dayNumber: number): number => ((((dayNumber + 3) % 7) + 7) % 7) + 1;

function scheduleOf(c: Compiled, dayNumber: number): Minutes {
  const date = isoDate(dayNumber);
  return c.workdays.get(date) ?? (c.holidays.has(date) ? [] : c.weekly[weekdayOf(dayNumber)]!);
}

const offsetMs = (c: Compiled, t: number): number => c.zone.offset(t) * MINUTE;

function probe(c: Compiled, k: number): number {
  let o = c.probes.get(k);
  if (o === undefined) {
    if (c.probes.size > 8192) c.probes.clear();
    o = offsetMs(c, k * DAY - 15 * HOUR);
    c.probes.set(k, o);
  }
  return o;
}

/**
 * The UTC offsets in force while local date `n` lasts, as segments of constant offset. Offsets
 * lie within [-12 h, +14 h], so local day n is inside [n·DAY − 15 h, (n+3)·DAY − 15 h). We assume
 * at most one offset change in such a 72-hour window, which holds for every real zone.
 */
function offsetSegments(c: Compiled, n: number): { from: number; to: number; offset: number }[] {
  const before = probe(c, n);
  const after = probe(c, n + 3);
  if (before === after) return [{ from: -Infinity, to: Infinity, offset: before }];
  let lo = n * DAY - 15 * HOUR; // offset(lo) === before
  let hi = (n + 3) * DAY - 15 * HOUR; // offset(hi) === after
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetMs(c, mid) === before) lo = mid;
    else hi = mid;
  }
  return [
    { from: -Infinity, to: hi, offset: before },
    { from: hi, to: Infinity, offset: after },
  ];
}

/** Open spans of local day n, sorted and merged. */
function spansOf(c: Compiled, n: number): Span[] {
  let spans = c.spans.get(n);
  if (spans) return spans;
  const schedule = scheduleOf(c, n);
  spans = [];
  if (schedule.length > 0) {
    const midnight = n * DAY; // local midnight, written as if it were UTC
    const pieces: [number, number][] = [];
    for (const seg of offsetSegments(c, n)) {
      for (const [s, e] of schedule) {
        // Instants whose local time is in [s, e) while this offset is in force.
        const from = Math.max(midnight + s * MINUTE - seg.offset, seg.from);
        const to = Math.min(midnight + e * MINUTE - seg.offset, seg.to);
        if (to > from) pieces.push([from, to]);
      }
    }
    pieces.sort((a, b) => a[0] - b[0]);
    for (const p of pieces) {
      const last = spans[spans.length - 1];
      if (last && p[0] <= last[1]) spans[spans.length - 1] = [last[0], Math.max(last[1], p[1])];
      else spans.push(p);
    }
  }
  if (c.spans.size > 4096) c.spans.clear();
  c.spans.set(n, spans);
  return spans;
}

const localDayOf = (c: Compiled, t: number): number => Math.floor((t + offsetMs(c, t)) / DAY);

function instantOf(d: Date, name: string): number {
  const t = d.getTime();
  if (!Number.isFinite(t)) throw new RangeError(`${name} is an invalid Date`);
  return t;
}

// ---------------------------------------------------------------------------------------------

/**
 * The earliest instant at which `durationMs` of open time has passed since `start` (see the rules
 * at the top of this file). `durationMs` must be a non-negative integer. O(days spanned); closed
 * days cost a set lookup, 24×7 calendars O(1).
 */
export function addBusinessTime(start: Date, durationMs: number, cal: BusinessCalendar): Date {
  const t0 = instantOf(start, 'start');
  if (!Number.isSafeInteger(durationMs) || durationMs < 0) {
    throw new RangeError(`durationMs must be a non-negative integer, got ${durationMs}`);
  }
  if (durationMs === 0) return new Date(t0);
  if (cal.alwaysOpen) return new Date(t0 + durationMs);
  const c = compile(cal);
  let left = durationMs;
  let closedRun = 0;
  for (let n = localDayOf(c, t0); ; n++) {
    const spans = spansOf(c, n);
    closedRun = spans.length === 0 ? closedRun + 1 : 0;
    if (closedRun > c.maxClosedRun)
      throw new RangeError(`calendar ${cal.id} has no open time after ${start.toISOString()}`);
    for (const [s, e] of spans) {
      const from = Math.max(s, t0);
      if (e <= from) continue;
      if (left <= e - from) return new Date(from + left);
      left -= e - from;
    }
  }
}

/**
 * Open time in [a, b) in ms. When b < a the result is the negative of businessTimeBetween(b, a).
 * O(days spanned), 24×7 calendars O(1).
 */
export function businessTimeBetween(a: Date, b: Date, cal: BusinessCalendar): number {
  const ta = instantOf(a, 'a');
  const tb = instantOf(b, 'b');
  if (tb < ta) return 0 - businessTimeBetween(b, a, cal);
  if (cal.alwaysOpen) return tb - ta;
  const c = compile(cal);
  let total = 0;
  const last = localDayOf(c, tb);
  for (let n = localDayOf(c, ta); n <= last; n++) {
    for (const [s, e] of spansOf(c, n)) {
      if (e > ta && s < tb) total += Math.min(e, tb) - Math.max(s, ta);
    }
  }
  return total;
}

/** Whether the instant `at` is open time. */
export function isOpenAt(at: Date, cal: BusinessCalendar): boolean {
  const t = instantOf(at, 'at');
  if (cal.alwaysOpen) return true;
  const c = compile(cal);
  return spansOf(c, localDayOf(c, t)).some(([s, e]) => s <= t && t < e);
}
