import type { TicketStatus } from '../tickets/types.js';
import { addBusinessTime, businessTimeBetween, type BusinessCalendar } from './calendar.js';
import type { SlaPolicy, SlaTarget } from './policy.js';

// The clock of one SLA target of one ticket, recomputed from facts: when it started, the
// ticket's status history and `now`. Nothing is stored but the spec, so a sweeper, an API and a
// report all get the same answer.
//
// Rules:
// - Time counts in the target's calendar while the ticket's status is not in `pauseOn`. The
//   status in force at an instant is the last history entry at or before it (entries sorted by
//   `at`; equal times keep list order); before the first entry the clock runs.
// - Projections (dueAt, warning instants) assume no further pause from the last known instant
//   on; a paused clock is projected as if it resumed now.
// - A threshold is reached when elapsed ≥ threshold, so at `dueAt` itself the target is breached.
// - `stoppedAt` (the target was met) later than `now` has not happened yet and is ignored.
// - remainingMs goes negative once overdue.

export type StatusChange = { status: TicketStatus; at: Date };

export type ClockSpec = {
  /** When counting started, or restarted after `recalculate`. */
  startedAt: Date;
  /** Business time used before `startedAt` (non-zero only after `recalculate`). */
  carriedMs: number;
  limitMs: number;
  calendar: BusinessCalendar;
  pauseOn: readonly TicketStatus[];
  /** Fractions of the limit at which to warn, e.g. [0.75, 0.9]. */
  warnAt: readonly number[];
  /** When the target was met (reply sent, ticket resolved…). */
  stoppedAt?: Date | null;
  /** A breach that happened under an earlier limit: it stays a breach after `recalculate`. */
  breachedAt?: Date | null;
};

export type ClockState = 'ok' | 'warning' | 'breached' | 'paused' | 'met';

export type ClockSnapshot = {
  state: ClockState;
  elapsedMs: number;
  remainingMs: number;
  /** Open calendar time that passed while the ticket was paused (since `startedAt`). */
  pausedMs: number;
  /** When elapsed reaches the limit: in the past if breached, else projected (see rules above). */
  dueAt: Date;
  /** When the limit was reached, or null if it has not been (met in time, or still running). */
  breachedAt: Date | null;
  /**
   * When each warning fraction is (or was) reached, ascending; null for a met clock that never
   * got there. A fraction already used up before a recalculation is reached at `startedAt`.
   */
  warnings: { fraction: number; at: Date | null }[];
  /**
   * The earliest warning or breach instant strictly after `now`, for the sweeper's index; null
   * while paused, once met or breached, or when nothing is left. At that instant the sweeper
   * fires every threshold whose instant is ≤ now that it has not fired yet.
   */
  nextFireAt: Date | null;
};

/** A fresh clock for one target of a policy, running from `startedAt`. */
export function startClock(
  target: Pick<SlaTarget, 'limitMs' | 'calendarId'>,
  policy: Pick<SlaPolicy, 'pauseOn' | 'warnAt'>,
  calendar: BusinessCalendar,
  startedAt: Date,
): ClockSpec {
  if (calendar.id !== target.calendarId) {
    throw new RangeError(`target runs on calendar ${target.calendarId}, got ${calendar.id}`);
  }
  return { startedAt, carriedMs: 0, limitMs: target.limitMs, calendar, pauseOn: policy.pauseOn, warnAt: policy.warnAt };
}

type Segment = { from: number; to: number }; // running time, epoch ms

/** Running segments in [startedAt, end), and whether the clock is paused at `end`. */
function runningSegments(
  spec: ClockSpec,
  history: readonly StatusChange[],
  end: number,
): { segments: Segment[]; pausedAtEnd: boolean } {
  const start = spec.startedAt.getTime();
  const changes = history
    .map((h, i) => ({ t: h.at.getTime(), paused: spec.pauseOn.includes(h.status), i }))
    .sort((a, b) => a.t - b.t || a.i - b.i);
  let paused = false;
  let k = 0;
  for (; k < changes.length && changes[k]!.t <= start; k++) paused = changes[k]!.paused;
  const segments: Segment[] = [];
  let runningSince = paused ? null : start;
  for (; k < changes.length && changes[k]!.t < end; k++) {
    const c = changes[k]!;
    if (c.paused && runningSince !== null) {
      if (c.t > runningSince) segments.push({ from: runningSince, to: c.t });
      runningSince = null;
    } else if (!c.paused && runningSince === null) runningSince = c.t;
    paused = c.paused;
  }
  if (runningSince !== null && end > runningSince) segments.push({ from: runningSince, to: end });
  return { segments, pausedAtEnd: paused };
}

export function evaluateClock(spec: ClockSpec, history: readonly StatusChange[], now: Date): ClockSnapshot {
  const { calendar: cal, limitMs, carriedMs } = spec;
  const start = spec.startedAt.getTime();
  const stopped = spec.stoppedAt && spec.stoppedAt.getTime() <= now.getTime() ? spec.stoppedAt.getTime() : null;
  const end = Math.max(start, stopped ?? now.getTime());
  const { segments, pausedAtEnd } = runningSegments(spec, history, end);

  const lengths = segments.map((s) => businessTimeBetween(new Date(s.from), new Date(s.to), cal));
  const elapsedMs = carriedMs + lengths.reduce((a, b) => a + b, 0);
  const pausedMs = businessTimeBetween(spec.startedAt, new Date(end), cal) - (elapsedMs - carriedMs);

  /** The instant elapsed time reaches `threshold` (ms), projecting a run from `end` onwards. */
  const reached = (threshold: number): Date => {
    let used = carriedMs;
    if (threshold <= used) return spec.startedAt;
    for (const [i, s] of segments.entries()) {
      if (used + lengths[i]! >= threshold) return addBusinessTime(new Date(s.from), threshold - used, cal);
      used += lengths[i]!;
    }
    return addBusinessTime(new Date(end), threshold - used, cal);
  };

  const dueAt = reached(limitMs);
  const breachedAt = spec.breachedAt ?? (elapsedMs >= limitMs ? dueAt : null);
  const fractions = [...new Set(spec.warnAt)].filter((f) => f > 0 && f < 1).sort((a, b) => a - b);
  const warnings = fractions.map((fraction) => {
    const at = reached(Math.ceil(fraction * limitMs));
    return { fraction, at: stopped !== null && at.getTime() > stopped ? null : at };
  });

  const pausedNow = stopped === null && now.getTime() >= start && pausedAtEnd;
  const firstWarning = fractions[0];
  const state: ClockState =
    stopped !== null
      ? 'met'
      : breachedAt
        ? 'breached'
        : pausedNow
          ? 'paused'
          : firstWarning !== undefined && elapsedMs >= Math.ceil(firstWarning * limitMs)
            ? 'warning'
            : 'ok';

  let nextFireAt: Date | null = null;
  if (state === 'ok' || state === 'warning') {
    for (const at of [...warnings.map((w) => w.at), dueAt]) {
      if (at && at.getTime() > now.getTime() && (!nextFireAt || at < nextFireAt)) nextFireAt = at;
    }
  }

  return { state, elapsedMs, remainingMs: limitMs - elapsedMs, pausedMs, dueAt, breachedAt, warnings, nextFireAt };
}

/**
 * The target changed at `at` (type, grade or tier changed, so another policy or limit applies):
 * the business time used so far is kept and counting continues under the new limit, and the new
 * calendar if one is given. A breach that already happened stays; a met clock does not change.
 */
export function recalculate(
  spec: ClockSpec,
  change: {
    limitMs: number;
    calendar?: BusinessCalendar;
    pauseOn?: readonly TicketStatus[];
    warnAt?: readonly number[];
  },
  history: readonly StatusChange[],
  at: Date,
): ClockSpec {
  const before = evaluateClock(spec, history, at);
  if (before.state === 'met') return spec;
  return {
    ...spec,
    limitMs: change.limitMs,
    calendar: change.calendar ?? spec.calendar,
    pauseOn: change.pauseOn ?? spec.pauseOn,
    warnAt: change.warnAt ?? spec.warnAt,
    startedAt: at > spec.startedAt ? at : spec.startedAt,
    carriedMs: before.elapsedMs,
    breachedAt: before.breachedAt,
  };
}
