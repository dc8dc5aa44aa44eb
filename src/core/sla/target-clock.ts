// The clock of one SLA target (first response, next update, resolution, a hand-off node) of one
// ticket, as plain data. Business time is counted in segments: `consumedMs` is what earlier
// running segments used; `runningSince` is when the current one began (null while paused).
// Pausing folds the running segment into `consumedMs`; so do limit changes, which keep the
// elapsed time and apply the new limit. All arithmetic goes through the target's calendar.

export type CalendarMath = {
  /** The instant `ms` of open business time after `start`. */
  add(start: Date, ms: number): Date;
  /** Open business time between two instants (ms). */
  between(a: Date, b: Date): number;
  /** Whether the calendar is open at `at`, and when that next changes (null: not within years). */
  phaseAt(at: Date): { open: boolean; until: Date | null };
};

export type EscalationStep = { afterMs: number; actions: EscalationAction[]; queue?: string | undefined };
export const ESCALATION_ACTIONS = [
  'notify_owner',
  'notify_supervisor',
  'raise_priority',
  'flag',
  'reassign_tier2',
  'reassign_queue',
] as const;
export type EscalationAction = (typeof ESCALATION_ACTIONS)[number];

export type TargetClock = {
  limitMs: number;
  consumedMs: number;
  runningSince: Date | null;
  /** Fractions of the limit at which to warn, ascending, e.g. [0.75, 0.9]. */
  warnAt: number[];
  warningsFired: number;
  breachedAt: Date | null;
  escalation: EscalationStep[];
  escalationsFired: number;
  metAt: Date | null;
};

export type TargetState = 'ok' | 'warning' | 'breached' | 'paused' | 'met';

export type Firing =
  | { kind: 'warning'; fraction: number; at: Date }
  | { kind: 'breach'; at: Date }
  | { kind: 'escalation'; step: number; actions: EscalationAction[]; queue?: string | undefined; at: Date };

export function startClock(params: Pick<TargetClock, 'limitMs' | 'warnAt' | 'escalation'>, at: Date): TargetClock {
  return {
    ...params,
    warnAt: [...params.warnAt].sort((a, b) => a - b),
    consumedMs: 0,
    runningSince: at,
    warningsFired: 0,
    breachedAt: null,
    escalationsFired: 0,
    metAt: null,
  };
}

/** Business time used so far, including the running segment. */
export function elapsed(c: TargetClock, now: Date, cal: CalendarMath): number {
  return c.consumedMs + (c.runningSince ? cal.between(c.runningSince, now) : 0);
}

/** When the limit is (or was) reached while running; null while paused or met. */
export function dueAt(c: TargetClock, cal: CalendarMath): Date | null {
  if (!c.runningSince || c.metAt) return null;
  return cal.add(c.runningSince, Math.max(0, c.limitMs - c.consumedMs));
}

export function remaining(c: TargetClock, now: Date, cal: CalendarMath): number {
  return c.limitMs - elapsed(c, now, cal);
}

export function stateOf(c: TargetClock, now: Date, cal: CalendarMath): TargetState {
  if (c.metAt) return 'met';
  const used = elapsed(c, now, cal);
  if (c.breachedAt || used >= c.limitMs) return 'breached';
  if (!c.runningSince) return 'paused';
  const firstWarning = c.warnAt[0];
  return firstWarning !== undefined && used >= firstWarning * c.limitMs ? 'warning' : 'ok';
}

export function pause(c: TargetClock, now: Date, cal: CalendarMath): TargetClock {
  if (!c.runningSince || c.metAt) return c;
  return { ...c, consumedMs: elapsed(c, now, cal), runningSince: null };
}

export function resume(c: TargetClock, now: Date): TargetClock {
  if (c.runningSince || c.metAt) return c;
  return { ...c, runningSince: now };
}

export function markMet(c: TargetClock, now: Date, cal: CalendarMath): TargetClock {
  if (c.metAt) return c;
  return { ...pause(c, now, cal), metAt: now };
}

/**
 * A new limit (type, grade or tier changed): elapsed business time is kept. Warnings already
 * given are not repeated, and a breach that happened stays a breach.
 */
export function changeLimit(c: TargetClock, limitMs: number, now: Date, cal: CalendarMath): TargetClock {
  const used = elapsed(c, now, cal);
  return { ...c, limitMs, consumedMs: used, runningSince: c.runningSince ? now : null };
}

/** Instants at which the next thing happens, for the sweeper's index; null = nothing pending. */
export function nextFireAt(c: TargetClock, cal: CalendarMath): Date | null {
  if (c.metAt || !c.runningSince) return null;
  const at = (usedMs: number) => cal.add(c.runningSince!, Math.max(0, usedMs - c.consumedMs));
  const warning = c.warnAt[c.warningsFired];
  if (!c.breachedAt && warning !== undefined) return at(warning * c.limitMs);
  if (!c.breachedAt) return at(c.limitMs);
  const step = c.escalation[c.escalationsFired];
  return step ? at(c.limitMs + step.afterMs) : null;
}

/**
 * Everything due at `now` that has not fired yet, in order, and the clock with those marked as
 * fired. Firing is idempotent: applying the result and deciding again at the same `now` yields
 * nothing.
 */
export function decideFirings(c: TargetClock, now: Date, cal: CalendarMath): { firings: Firing[]; clock: TargetClock } {
  if (c.metAt) return { firings: [], clock: c };
  const used = elapsed(c, now, cal);
  const firings: Firing[] = [];
  let next = c;
  while (
    !next.breachedAt &&
    next.warningsFired < next.warnAt.length &&
    used >= next.warnAt[next.warningsFired]! * next.limitMs
  ) {
    firings.push({ kind: 'warning', fraction: next.warnAt[next.warningsFired]!, at: now });
    next = { ...next, warningsFired: next.warningsFired + 1 };
  }
  if (!next.breachedAt && used >= next.limitMs) {
    // Warnings not yet given are skipped once the limit has passed.
    firings.length = 0;
    firings.push({ kind: 'breach', at: now });
    next = { ...next, warningsFired: next.warnAt.length, breachedAt: now };
  }
  while (next.breachedAt && next.escalationsFired < next.escalation.length) {
    const step = next.escalation[next.escalationsFired]!;
    if (used < next.limitMs + step.afterMs) break;
    firings.push({
      kind: 'escalation',
      step: next.escalationsFired,
      actions: step.actions,
      queue: step.queue,
      at: now,
    });
    next = { ...next, escalationsFired: next.escalationsFired + 1 };
  }
  return { firings, clock: next };
}
