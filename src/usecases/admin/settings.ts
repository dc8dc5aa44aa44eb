import { asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { canAdminister, type Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import { DEFAULT_INTAKE_QUEUES, intakeQueueOf } from '../../core/routing/intake.js';
import { DEFAULT_PRIORITY_WEIGHTS, type PriorityWeights } from '../../core/tickets/priority.js';
import { CHANNELS, type Channel } from '../../core/tickets/types.js';
import { PriorityWeightsBody } from '../../contracts/directory.js';
import type { DbOrTx } from '../../db/client.js';
import { appSettings, channelSettings, grades, teams } from '../../db/schema.js';
import type { Deps } from '../deps.js';

// Settings an administrator edits in the console, kept in the database. Until one is set there,
// the environment's value applies (LOOPDESK_PRIORITY_WEIGHTS, LOOPDESK_INTAKE_QUEUES), else the
// built-in default: the environment is the initial value, the console its replacement.

const PRIORITY_WEIGHTS = 'priority_weights';

function requireAdmin(actor: Actor) {
  if (!canAdminister(actor)) throw new AppError('auth.forbidden', 'Only administrators change settings');
}

/** The stored weights, or null when none are stored (or what is stored no longer reads as weights). */
const storedWeights = (value: unknown): PriorityWeights | null => {
  const parsed = PriorityWeightsBody.safeParse(value);
  return parsed.success ? parsed.data : null;
};

/** The priority weights in force: the console's, else the environment's (or the handbook's). */
export async function priorityWeightsOf(db: DbOrTx, deps: Pick<Deps, 'priorityWeights'>): Promise<PriorityWeights> {
  const [row] = await db
    .select({ value: appSettings.value })
    .from(appSettings)
    .where(eq(appSettings.key, PRIORITY_WEIGHTS));
  return (row && storedWeights(row.value)) ?? deps.priorityWeights ?? DEFAULT_PRIORITY_WEIGHTS;
}

/** The stored weights as a column of a query that is made anyway (one round trip for a new ticket). */
export const storedPriorityWeightsSql = sql<unknown>`(SELECT ${appSettings.value} FROM ${appSettings} WHERE ${appSettings.key} = ${PRIORITY_WEIGHTS})`;

/** What `storedPriorityWeightsSql` read, with the same fallback as `priorityWeightsOf`. */
export const weightsFrom = (stored: unknown, deps: Pick<Deps, 'priorityWeights'>): PriorityWeights =>
  (stored != null ? storedWeights(stored) : null) ?? deps.priorityWeights ?? DEFAULT_PRIORITY_WEIGHTS;

export async function readPriorityWeights(deps: Deps, actor: Actor) {
  requireAdmin(actor);
  const [row] = await deps.db
    .select({ value: appSettings.value })
    .from(appSettings)
    .where(eq(appSettings.key, PRIORITY_WEIGHTS));
  const stored = row ? storedWeights(row.value) : null;
  return {
    weights: stored ?? deps.priorityWeights ?? DEFAULT_PRIORITY_WEIGHTS,
    source: stored ? ('database' as const) : ('environment' as const),
  };
}

/**
 * Stores the weights every priority is derived with from now on (new tickets, edits, SLA
 * escalations); existing tickets keep their priority until something about them changes.
 */
export async function setPriorityWeights(deps: Deps, actor: Actor, weights: z.output<typeof PriorityWeightsBody>) {
  requireAdmin(actor);
  const known = new Set((await deps.db.select({ code: grades.code }).from(grades)).map((g) => g.code));
  const unknown = Object.keys(weights.grade).filter((code) => !known.has(code));
  if (unknown.length > 0)
    throw new AppError('directory.unknown_reference', `No such grade: ${unknown.join(', ')}`, {
      field: 'grade',
      grades: unknown,
    });
  const now = deps.clock.now();
  await deps.db
    .insert(appSettings)
    .values({ key: PRIORITY_WEIGHTS, value: weights, updatedAt: now })
    .onConflictDoUpdate({ target: appSettings.key, set: { value: weights, updatedAt: now } });
  return readPriorityWeights(deps, actor);
}

/** Forgets the console's weights: the environment's (or the handbook's) apply again. */
export async function resetPriorityWeights(deps: Deps, actor: Actor) {
  requireAdmin(actor);
  await deps.db.delete(appSettings).where(eq(appSettings.key, PRIORITY_WEIGHTS));
  return readPriorityWeights(deps, actor);
}

/**
 * The id of the team that takes in the channel's tickets no rule places, as an SQL expression:
 * the console's setting when there is a row for the channel (its team may be null: no queue), else
 * the environment's team code.
 */
export function intakeTeamIdSql(channel: Channel, deps: Pick<Deps, 'intakeQueues'>): SQL<string | null> {
  const envCode = intakeQueueOf(channel, deps.intakeQueues ?? DEFAULT_INTAKE_QUEUES);
  const fromEnv =
    envCode === null ? sql`null::uuid` : sql`(SELECT ${teams.id} FROM ${teams} WHERE ${teams.code} = ${envCode})`;
  return sql<
    string | null
  >`(CASE WHEN EXISTS (SELECT 1 FROM ${channelSettings} WHERE ${channelSettings.channel} = ${channel}::channel)
    THEN (SELECT ${channelSettings.intakeTeamId} FROM ${channelSettings} WHERE ${channelSettings.channel} = ${channel}::channel)
    ELSE ${fromEnv} END)`;
}

/** Every channel's intake queue, where it comes from, and the environment's code for it. */
export async function readIntakeQueues(deps: Deps, actor: Actor) {
  requireAdmin(actor);
  const [rows, teamRows] = await Promise.all([
    deps.db.select().from(channelSettings),
    deps.db.select({ id: teams.id, code: teams.code, name: teams.name }).from(teams).orderBy(asc(teams.code)),
  ]);
  const queues = deps.intakeQueues ?? DEFAULT_INTAKE_QUEUES;
  return CHANNELS.map((channel) => {
    const row = rows.find((r) => r.channel === channel);
    const environmentCode = intakeQueueOf(channel, queues);
    const team = row
      ? teamRows.find((t) => t.id === row.intakeTeamId)
      : teamRows.find((t) => t.code === environmentCode);
    return {
      channel,
      intakeQueue: team ? { teamId: team.id, code: team.code, name: team.name } : null,
      source: row ? ('database' as const) : ('environment' as const),
      environmentCode,
    };
  });
}

/** Sets the channel's intake queue in the database (null: its unplaced tickets wait on no queue). */
export async function setIntakeQueue(deps: Deps, actor: Actor, channel: Channel, teamId: string | null) {
  requireAdmin(actor);
  if (teamId !== null) {
    const [team] = await deps.db
      .select({ id: teams.id })
      .from(teams)
      .where(inArray(teams.id, [teamId]));
    if (!team) throw new AppError('directory.unknown_reference', 'No such team', { field: 'teamId' });
  }
  const now = deps.clock.now();
  await deps.db
    .insert(channelSettings)
    .values({ channel, intakeTeamId: teamId, updatedAt: now })
    .onConflictDoUpdate({ target: channelSettings.channel, set: { intakeTeamId: teamId, updatedAt: now } });
  return readIntakeQueues(deps, actor);
}

/** Forgets the console's choice for the channel: the environment's intake queue applies again. */
export async function resetIntakeQueue(deps: Deps, actor: Actor, channel: Channel) {
  requireAdmin(actor);
  await deps.db.delete(channelSettings).where(eq(channelSettings.channel, channel));
  return readIntakeQueues(deps, actor);
}
