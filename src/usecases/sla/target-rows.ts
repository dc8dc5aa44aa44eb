import type { CalendarMath, EscalationAction, TargetClock } from '../../core/sla/target-clock.js';
import { dueAt, nextFireAt } from '../../core/sla/target-clock.js';
import type { slaTargets } from '../../db/schema.js';

export type TargetRow = typeof slaTargets.$inferSelect;

export const clockOf = (r: TargetRow): TargetClock => ({
  limitMs: r.limitMs,
  consumedMs: r.consumedMs,
  runningSince: r.runningSince,
  warnAt: r.warnAt,
  warningsFired: r.warningsFired,
  breachedAt: r.breachedAt,
  escalation: r.escalation.map((s) => ({
    afterMs: s.afterMs,
    actions: s.actions as EscalationAction[],
    queue: s.queue,
  })),
  escalationsFired: r.escalationsFired,
  metAt: r.metAt,
});

/** The columns a clock change writes, including the derived due and next-fire instants. */
export const columnsOf = (c: TargetClock, cal: CalendarMath, now: Date) => ({
  limitMs: c.limitMs,
  consumedMs: c.consumedMs,
  runningSince: c.runningSince,
  warningsFired: c.warningsFired,
  escalationsFired: c.escalationsFired,
  breachedAt: c.breachedAt,
  metAt: c.metAt,
  dueAt: dueAt(c, cal),
  nextFireAt: nextFireAt(c, cal),
  updatedAt: now,
});
