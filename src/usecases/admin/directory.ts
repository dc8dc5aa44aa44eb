import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, lt, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { canAdminister, canReadAccessLog, type Actor } from '../../core/auth/policy.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import { moveProblem } from '../../core/directory/category-tree.js';
import type {
  CategoryCreate,
  CategoryUpdate,
  GradeCreate,
  StaffCreate,
  StaffUpdate,
  TeamCreate,
  TeamUpdate,
} from '../../contracts/directory.js';
import type { AssignmentStrategy } from '../../core/routing/assignment.js';
import { categories, grades, piiAccessLog, sessions, staff, teams } from '../../db/schema.js';
import { hashPassword } from '../auth/passwords.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { Deps } from '../deps.js';

// Teams, staff, categories and grades: configuration data that admins maintain.

function requireAdmin(actor: Actor) {
  if (!canAdminister(actor)) throw new AppError('auth.forbidden', 'Only administrators can change this');
}

/** A unique-constraint violation, on either driver (node-postgres puts the code on the error, PGlite on its cause). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.code === '23505' || e?.cause?.code === '23505';
}

async function insertUnique<T>(insert: () => Promise<T>, onDuplicate: () => AppError): Promise<T> {
  try {
    return await insert();
  } catch (err) {
    if (isUniqueViolation(err)) throw onDuplicate();
    throw err;
  }
}

export const listTeams = async (deps: Deps) =>
  (await deps.db.select().from(teams).orderBy(asc(teams.code))).map(teamView);

const teamView = (t: typeof teams.$inferSelect) => ({
  id: t.id,
  code: t.code,
  name: t.name,
  kind: t.kind,
  restricted: t.restricted,
  supervisorsSeeRestricted: t.supervisorsSeeRestricted,
  assignmentStrategy: t.assignmentStrategy as AssignmentStrategy,
});

/** Renames a team, changes its kind, whether it is restricted and whether duty supervisors see it then. */
export async function updateTeam(deps: Deps, actor: Actor, id: string, input: z.output<typeof TeamUpdate>) {
  requireAdmin(actor);
  const set = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  const [row] =
    Object.keys(set).length > 0
      ? await deps.db.update(teams).set(set).where(eq(teams.id, id)).returning()
      : await deps.db.select().from(teams).where(eq(teams.id, id));
  if (!row) throw notFound('Team');
  return teamView(row);
}

export async function createTeam(deps: Deps, actor: Actor, input: z.output<typeof TeamCreate>) {
  requireAdmin(actor);
  const id = uuidv7();
  await insertUnique(
    () => deps.db.insert(teams).values({ id, ...input, createdAt: deps.clock.now() }),
    () => new AppError('team.code_taken', `A team with code "${input.code}" exists`),
  );
  return id;
}

/** What the console shows of a member of staff (never the password hash). */
const STAFF_COLUMNS = {
  id: staff.id,
  username: staff.username,
  displayName: staff.displayName,
  role: staff.role,
  teamId: staff.teamId,
  locale: staff.locale,
  active: staff.active,
};

export const listStaff = (deps: Deps) => deps.db.select(STAFF_COLUMNS).from(staff).orderBy(asc(staff.username));

async function staffView(deps: Deps, id: string) {
  const [row] = await deps.db.select(STAFF_COLUMNS).from(staff).where(eq(staff.id, id));
  if (!row) throw notFound('Staff member');
  return row;
}

async function requireTeam(deps: Deps, teamId: string | null | undefined) {
  if (!teamId) return;
  const [team] = await deps.db.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId));
  if (!team) throw new AppError('directory.unknown_reference', 'No such team', { field: 'teamId' });
}

/**
 * Changes a person's name, role, team, language or whether the account is active. Deactivating
 * ends every session of theirs at once (the deletion also ends their live streams on every node);
 * an administrator cannot deactivate or demote themselves, so the console always keeps one.
 */
export async function updateStaff(deps: Deps, actor: Actor, id: string, input: z.output<typeof StaffUpdate>) {
  requireAdmin(actor);
  if (id === actor.id && (input.active === false || (input.role !== undefined && input.role !== 'admin')))
    throw new AppError('staff.self_lockout', 'You cannot deactivate your own account or take away your own admin role');
  await requireTeam(deps, input.teamId);
  const set: Partial<typeof staff.$inferInsert> = Object.fromEntries(
    Object.entries(input).filter(([, v]) => v !== undefined),
  );
  if (input.active !== undefined) set.deactivatedAt = input.active ? null : deps.clock.now();
  await deps.db.transaction(async (tx) => {
    if (Object.keys(set).length > 0) {
      const updated = await tx.update(staff).set(set).where(eq(staff.id, id)).returning({ id: staff.id });
      if (updated.length === 0) throw notFound('Staff member');
    }
    if (input.active === false) await tx.delete(sessions).where(eq(sessions.staffId, id));
  });
  return staffView(deps, id);
}

/**
 * Sets a new password: the one given, or a generated temporary one that is answered this once
 * (only its hash is kept, and it is never logged). Every session of the person ends.
 */
export async function resetPassword(deps: Deps, actor: Actor, id: string, password: string | undefined) {
  requireAdmin(actor);
  const temporary = password === undefined ? randomBytes(12).toString('base64url') : null;
  const passwordHash = await hashPassword(password ?? temporary!);
  await deps.db.transaction(async (tx) => {
    const updated = await tx.update(staff).set({ passwordHash }).where(eq(staff.id, id)).returning({ id: staff.id });
    if (updated.length === 0) throw notFound('Staff member');
    await tx.delete(sessions).where(eq(sessions.staffId, id));
  });
  return { temporaryPassword: temporary };
}

export async function createStaff(deps: Deps, actor: Actor, input: z.output<typeof StaffCreate>) {
  requireAdmin(actor);
  const id = uuidv7();
  const { password, ...fields } = input;
  await insertUnique(
    async () =>
      deps.db.insert(staff).values({
        id,
        ...fields,
        username: fields.username.toLowerCase(),
        passwordHash: await hashPassword(password),
        createdAt: deps.clock.now(),
      }),
    () => new AppError('staff.username_taken', `The username "${input.username}" is taken`),
  );
  return id;
}

/** A category row with its keywords (none yet: an empty list). */
const withKeywords = <R extends { keywords: string[] | null }>(row: R) => ({ ...row, keywords: row.keywords ?? [] });

export const listCategories = async (deps: Deps, opts: { includeInactive?: boolean } = {}) =>
  (
    await deps.db
      .select()
      .from(categories)
      .where(opts.includeInactive ? undefined : eq(categories.active, true))
      .orderBy(asc(categories.sort), asc(categories.code))
  ).map(withKeywords);

/** Renames (both languages), moves, reorders or (de)activates a category; the tree never loops. */
export async function updateCategory(deps: Deps, actor: Actor, id: string, input: z.output<typeof CategoryUpdate>) {
  requireAdmin(actor);
  return deps.db.transaction(async (tx) => {
    // Moves are serialised so two concurrent moves cannot make a loop together.
    if (input.parentId !== undefined) await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('categories.tree'))`);
    const nodes = await tx.select({ id: categories.id, parentId: categories.parentId }).from(categories);
    if (!nodes.some((n) => n.id === id)) throw notFound('Category');
    if (input.parentId !== undefined) {
      const problem = moveProblem(nodes, id, input.parentId);
      if (problem === 'unknown_parent')
        throw new AppError('directory.unknown_reference', 'No such parent category', { field: 'parentId' });
      if (problem === 'cycle')
        throw new AppError('category.cycle', 'A category cannot move under itself or one of its subcategories', {
          field: 'parentId',
        });
    }
    const set = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    const [row] =
      Object.keys(set).length > 0
        ? await tx.update(categories).set(set).where(eq(categories.id, id)).returning()
        : await tx.select().from(categories).where(eq(categories.id, id));
    return withKeywords(row!);
  });
}

export async function createCategory(deps: Deps, actor: Actor, input: z.output<typeof CategoryCreate>) {
  requireAdmin(actor);
  if (input.parentId) {
    const [parent] = await deps.db
      .select({ id: categories.id })
      .from(categories)
      .where(eq(categories.id, input.parentId));
    if (!parent) throw new AppError('ticket.unknown_reference', 'No such parent category', { field: 'parentId' });
  }
  const id = uuidv7();
  await insertUnique(
    () => deps.db.insert(categories).values({ id, ...input }),
    () => new AppError('category.code_taken', `A category with code "${input.code}" exists`),
  );
  return id;
}

export const listGrades = (deps: Deps) => deps.db.select().from(grades).orderBy(asc(grades.rank));

export async function upsertGrade(deps: Deps, actor: Actor, input: z.output<typeof GradeCreate>) {
  requireAdmin(actor);
  await deps.db
    .insert(grades)
    .values(input)
    .onConflictDoUpdate({ target: grades.code, set: { nameZh: input.nameZh, nameEn: input.nameEn, rank: input.rank } });
}

const LogCursor = z.object({ i: z.number().int() });

export async function listAccessLog(
  deps: Deps,
  actor: Actor,
  q: { customerId?: string | undefined; cursor?: string | undefined; limit: number },
) {
  if (!canReadAccessLog(actor))
    throw new AppError('auth.forbidden', 'Only supervisors and administrators read the access log');
  const cursor = decodeCursor(q.cursor, LogCursor);
  const rows = await deps.db
    .select({ entry: piiAccessLog, staff: { id: staff.id, displayName: staff.displayName } })
    .from(piiAccessLog)
    .innerJoin(staff, eq(staff.id, piiAccessLog.staffId))
    .where(
      and(
        q.customerId ? eq(piiAccessLog.customerId, q.customerId) : undefined,
        cursor ? lt(piiAccessLog.id, cursor.i) : undefined,
      ),
    )
    .orderBy(desc(piiAccessLog.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  return { rows: page, nextCursor: rows.length > q.limit ? encodeCursor({ i: page.at(-1)!.entry.id }) : null };
}
