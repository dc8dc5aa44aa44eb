import { DateTime } from 'luxon';

// Periods and buckets in local calendar days (the installation's time zone, Asia/Shanghai by
// default): a day starts at local midnight, so a ticket created at 23:30 Beijing time on the
// 31st belongs to the 31st even though it is 15:30 UTC.

export const GRANULARITIES = ['day', 'week', 'month'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export const APPRAISAL_PERIODS = ['month', 'quarter', 'year'] as const;
export type AppraisalPeriod = (typeof APPRAISAL_PERIODS)[number];

/** The bucket a local day (YYYY-MM-DD) falls in: the day, the Monday of its ISO week, or YYYY-MM. */
export function bucketOf(day: string, g: Granularity): string {
  const d = DateTime.fromISO(day, { zone: 'UTC' });
  if (g === 'day') return day;
  if (g === 'week') return d.startOf('week').toISODate()!;
  return d.toFormat('yyyy-MM');
}

/** Every bucket from `from` to `to` (inclusive local days), in order, so empty buckets show as gaps. */
export function bucketsBetween(from: string, to: string, g: Granularity): string[] {
  const out: string[] = [];
  let d = DateTime.fromISO(from, { zone: 'UTC' });
  const end = DateTime.fromISO(to, { zone: 'UTC' });
  while (d <= end) {
    const b = bucketOf(d.toISODate()!, g);
    if (out[out.length - 1] !== b) out.push(b);
    d = d.plus({ days: 1 });
  }
  return out;
}

/** The local days of an appraisal period: `2026-11` (month), `2026-Q4` (quarter), `2026` (year); null if malformed. */
export function periodDays(kind: AppraisalPeriod, key: string): { from: string; to: string } | null {
  const m =
    kind === 'month'
      ? /^(\d{4})-(0[1-9]|1[0-2])$/.exec(key)
      : kind === 'quarter'
        ? /^(\d{4})-Q([1-4])$/.exec(key)
        : /^(\d{4})$/.exec(key);
  if (!m) return null;
  const year = Number(m[1]);
  const start =
    kind === 'month'
      ? DateTime.utc(year, Number(m[2]), 1)
      : kind === 'quarter'
        ? DateTime.utc(year, (Number(m[2]) - 1) * 3 + 1, 1)
        : DateTime.utc(year, 1, 1);
  const end = start
    .plus(kind === 'month' ? { months: 1 } : kind === 'quarter' ? { months: 3 } : { years: 1 })
    .minus({ days: 1 });
  return { from: start.toISODate()!, to: end.toISODate()! };
}

/** The period key containing a local day. */
export function periodKeyOf(kind: AppraisalPeriod, day: string): string {
  const d = DateTime.fromISO(day, { zone: 'UTC' });
  if (kind === 'month') return d.toFormat('yyyy-MM');
  if (kind === 'quarter') return `${d.year}-Q${d.quarter}`;
  return String(d.year);
}

/** The instants [start, end) covering local days `from`…`to` in `timeZone`. */
export function instantsOf(from: string, to: string, timeZone: string): { start: Date; end: Date } {
  return {
    start: DateTime.fromISO(from, { zone: timeZone }).startOf('day').toJSDate(),
    end: DateTime.fromISO(to, { zone: timeZone }).plus({ days: 1 }).startOf('day').toJSDate(),
  };
}

/** Number of days from `from` to `to` inclusive. */
export const daysBetween = (from: string, to: string): number =>
  Math.round(DateTime.fromISO(to, { zone: 'UTC' }).diff(DateTime.fromISO(from, { zone: 'UTC' }), 'days').days) + 1;

/** `day` shifted by `n` days. */
export const shiftDay = (day: string, n: number): string =>
  DateTime.fromISO(day, { zone: 'UTC' }).plus({ days: n }).toISODate()!;

/** The last `n` local days up to today (the day of `now` in `timeZone`). */
export function lastDays(n: number, now: Date, timeZone: string): { from: string; to: string } {
  const to = DateTime.fromJSDate(now, { zone: timeZone }).toISODate()!;
  return { from: shiftDay(to, 1 - n), to };
}
