import { asc, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { canAdminister, type Actor } from '../../core/auth/policy.js';
import { BusinessCalendarSchema, SlaPolicySchema } from '../../contracts/sla.js';
import { AppError } from '../../core/errors/app-error.js';
import { businessCalendars, slaPolicies } from '../../db/schema.js';
import type { Deps } from '../deps.js';

function requireAdmin(actor: Actor) {
  if (!canAdminister(actor))
    throw new AppError('auth.forbidden', 'Only administrators change calendars and SLA policies');
}

export const listCalendars = (deps: Deps) =>
  deps.db.select().from(businessCalendars).orderBy(asc(businessCalendars.id));

export async function saveCalendar(deps: Deps, actor: Actor, calendar: z.output<typeof BusinessCalendarSchema>) {
  requireAdmin(actor);
  await deps.db
    .insert(businessCalendars)
    .values({ id: calendar.id, name: calendar.name, definition: calendar, updatedAt: deps.clock.now() })
    .onConflictDoUpdate({
      target: businessCalendars.id,
      set: { name: calendar.name, definition: calendar, updatedAt: deps.clock.now() },
    });
}

/** Adds a year's holidays and make-up working days (e.g. the State Council's schedule) to a calendar. */
export async function mergeHolidays(
  deps: Deps,
  actor: Actor,
  id: string,
  schedule: {
    holidays: string[];
    workdays: { date: string; intervals?: { start: string; end: string }[] | undefined }[];
  },
) {
  requireAdmin(actor);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx.select().from(businessCalendars).where(eq(businessCalendars.id, id)).for('update');
    if (!row) throw new AppError('resource.not_found', 'Calendar was not found');
    const current = BusinessCalendarSchema.parse(row.definition);
    const workdayDates = new Set(schedule.workdays.map((w) => w.date));
    const merged = BusinessCalendarSchema.parse({
      ...current,
      holidays: [...new Set([...current.holidays, ...schedule.holidays])].filter((d) => !workdayDates.has(d)).sort(),
      workdays: [
        ...current.workdays.filter((w) => !workdayDates.has(w.date) && !schedule.holidays.includes(w.date)),
        ...schedule.workdays,
      ].sort((a, b) => a.date.localeCompare(b.date)),
    });
    await tx
      .update(businessCalendars)
      .set({ definition: merged, updatedAt: deps.clock.now() })
      .where(eq(businessCalendars.id, id));
    return merged;
  });
}

export const listPolicies = (deps: Deps) => deps.db.select().from(slaPolicies).orderBy(asc(slaPolicies.position));

/**
 * Replaces the policy set. Every calendar a target names must exist. Changes apply to tickets
 * created or reclassified from now on.
 */
export async function replacePolicies(deps: Deps, actor: Actor, policies: z.output<typeof SlaPolicySchema>[]) {
  requireAdmin(actor);
  const calendars = new Set((await listCalendars(deps)).map((c) => c.id));
  const unknown = policies.flatMap((p) =>
    p.targets.filter((t) => !calendars.has(t.calendarId)).map((t) => `${p.id}: ${t.calendarId}`),
  );
  if (unknown.length)
    throw new AppError('request.invalid', `Unknown calendars: ${unknown.join(', ')}`, { unknownCalendars: unknown });
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await tx.delete(slaPolicies);
    if (policies.length) {
      await tx.insert(slaPolicies).values(
        policies.map((p) => ({
          id: p.id,
          name: p.name,
          position: p.position,
          active: p.active,
          definition: p,
          updatedAt: now,
        })),
      );
    }
  });
}
