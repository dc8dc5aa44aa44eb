import { asc, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { canAdminister, type Actor } from '../../core/auth/policy.js';
import { BusinessCalendarSchema, SlaPolicySchema } from '../../contracts/sla.js';
import { AppError } from '../../core/errors/app-error.js';
import type { BusinessCalendar } from '../../core/sla/business-calendar.js';
import { calendarCoverageGaps, COVERAGE_HORIZON_DAYS } from '../../core/sla/calendar-coverage.js';
import {
  impossibleDates,
  mergeSchedule,
  setDayKind,
  type DayKind,
  type Schedule,
} from '../../core/sla/calendar-days.js';
import { businessCalendars, categories, grades, slaPolicies, teams } from '../../db/schema.js';
import type { Tx } from '../../db/client.js';
import type { Deps } from '../deps.js';
import { recomputeDueTimes } from './recompute-due-times.js';

function requireAdmin(actor: Actor) {
  if (!canAdminister(actor))
    throw new AppError('auth.forbidden', 'Only administrators change calendars and SLA policies');
}

export const listCalendars = (deps: Pick<Deps, 'db'>) =>
  deps.db.select().from(businessCalendars).orderBy(asc(businessCalendars.id));

/** The dates that do not exist, refused with every one of them named. */
function refuseImpossibleDates(days: Schedule) {
  const dates = impossibleDates(days);
  if (dates.length > 0)
    throw new AppError('calendar.invalid_date', `These dates do not exist: ${dates.join(', ')}`, { dates });
}

/** Writes a calendar and moves the due times of the open tickets that count on it. */
async function writeCalendar(tx: Tx, calendar: BusinessCalendar, now: Date): Promise<number> {
  await tx
    .insert(businessCalendars)
    .values({ id: calendar.id, name: calendar.name, definition: calendar, updatedAt: now })
    .onConflictDoUpdate({
      target: businessCalendars.id,
      set: { name: calendar.name, definition: calendar, updatedAt: now },
    });
  return recomputeDueTimes(tx, calendar.id, now);
}

async function lockCalendar(tx: Tx, id: string): Promise<BusinessCalendar> {
  const [row] = await tx.select().from(businessCalendars).where(eq(businessCalendars.id, id)).for('update');
  if (!row) throw new AppError('resource.not_found', 'Calendar was not found');
  return BusinessCalendarSchema.parse(row.definition);
}

export async function saveCalendar(deps: Deps, actor: Actor, calendar: z.output<typeof BusinessCalendarSchema>) {
  requireAdmin(actor);
  refuseImpossibleDates(calendar);
  return deps.db.transaction((tx) => writeCalendar(tx, calendar, deps.clock.now()));
}

/** One day made a holiday, a make-up working day (调休上班) or ordinary again; open tickets' due times follow. */
export async function setCalendarDay(deps: Deps, actor: Actor, id: string, date: string, kind: DayKind) {
  requireAdmin(actor);
  refuseImpossibleDates({ holidays: [date], workdays: [] });
  return deps.db.transaction(async (tx) => {
    const calendar = BusinessCalendarSchema.parse(setDayKind(await lockCalendar(tx, id), date, kind));
    const recomputedTickets = await writeCalendar(tx, calendar, deps.clock.now());
    return { calendar, recomputedTickets };
  });
}

/** What loading a schedule would change, without saving it (the import preview). */
export async function previewHolidays(deps: Deps, actor: Actor, id: string, schedule: Schedule) {
  requireAdmin(actor);
  refuseImpossibleDates(schedule);
  const [row] = await deps.db.select().from(businessCalendars).where(eq(businessCalendars.id, id));
  if (!row) throw new AppError('resource.not_found', 'Calendar was not found');
  const merged = mergeSchedule(BusinessCalendarSchema.parse(row.definition), schedule);
  return { ...merged, calendar: BusinessCalendarSchema.parse(merged.calendar) };
}

/** Adds a year's holidays and make-up working days (e.g. the State Council's schedule) to a calendar. */
export async function mergeHolidays(deps: Deps, actor: Actor, id: string, schedule: Schedule) {
  requireAdmin(actor);
  refuseImpossibleDates(schedule);
  return deps.db.transaction(async (tx) => {
    const merged = BusinessCalendarSchema.parse(mergeSchedule(await lockCalendar(tx, id), schedule).calendar);
    await writeCalendar(tx, merged, deps.clock.now());
    return merged;
  });
}

/** Business calendars whose loaded holiday years stop before the coming weeks (console and start-up). */
export async function calendarCoverage(deps: Pick<Deps, 'db' | 'clock'>) {
  const now = deps.clock.now();
  const calendars = (await listCalendars(deps)).flatMap((row) => {
    const parsed = BusinessCalendarSchema.safeParse(row.definition);
    return parsed.success ? [parsed.data] : [];
  });
  return { asOf: now.toISOString(), horizonDays: COVERAGE_HORIZON_DAYS, gaps: calendarCoverageGaps(calendars, now) };
}

export const listPolicies = (deps: Deps) => deps.db.select().from(slaPolicies).orderBy(asc(slaPolicies.position));

type PolicyInput = z.output<typeof SlaPolicySchema>;

/**
 * Every calendar, escalation queue, grade and category a policy names must exist: a typo would
 * count time on 24×7 or escalate to nowhere. Reports all of them at once.
 */
async function checkPolicyReferences(deps: Deps, policies: PolicyInput[]) {
  const wanted = {
    calendars: new Set(policies.flatMap((p) => p.targets.map((t) => t.calendarId))),
    queues: new Set(policies.flatMap((p) => p.escalation.flatMap((s) => (s.queue ? [s.queue] : [])))),
    grades: new Set(policies.flatMap((p) => p.conditions.grades ?? [])),
    categories: new Set(policies.flatMap((p) => p.conditions.categoryCodes ?? [])),
  };
  const codes = async (rows: Promise<{ code: string }[]>) => new Set((await rows).map((r) => r.code));
  const existing = {
    calendars: await codes(deps.db.select({ code: businessCalendars.id }).from(businessCalendars)),
    queues: await codes(deps.db.select({ code: teams.code }).from(teams)),
    grades: await codes(deps.db.select({ code: grades.code }).from(grades)),
    categories: await codes(deps.db.select({ code: categories.code }).from(categories)),
  };
  const unknown = Object.fromEntries(
    Object.entries(wanted).map(([kind, set]) => [
      kind,
      [...set].filter((code) => !existing[kind as keyof typeof existing].has(code)),
    ]),
  );
  const problems = Object.entries(unknown).filter(([, list]) => list.length > 0);
  if (problems.length > 0)
    throw new AppError(
      'sla.unknown_reference',
      `The policy names what does not exist: ${problems.map(([k, list]) => `${k} ${list.join(', ')}`).join('; ')}`,
      unknown,
    );
}

/** Creates or changes one policy; it applies to tickets created or reclassified from now on. */
export async function savePolicy(deps: Deps, actor: Actor, policy: PolicyInput) {
  requireAdmin(actor);
  await checkPolicyReferences(deps, [policy]);
  const now = deps.clock.now();
  const row = {
    name: policy.name,
    position: policy.position,
    active: policy.active,
    definition: policy,
    updatedAt: now,
  };
  await deps.db
    .insert(slaPolicies)
    .values({ id: policy.id, ...row })
    .onConflictDoUpdate({ target: slaPolicies.id, set: row });
}

/**
 * Replaces the policy set. Every calendar, queue, grade and category a policy names must exist.
 * Changes apply to tickets created or reclassified from now on.
 */
export async function replacePolicies(deps: Deps, actor: Actor, policies: PolicyInput[]) {
  requireAdmin(actor);
  await checkPolicyReferences(deps, policies);
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
