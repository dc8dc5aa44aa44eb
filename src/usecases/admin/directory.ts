import { and, asc, desc, eq, lt } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { canAdminister, canReadAccessLog, type Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import type { CategoryCreate, GradeCreate, StaffCreate, TeamCreate } from '../../contracts/directory.js';
import { categories, grades, piiAccessLog, staff, teams } from '../../db/schema.js';
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

export const listTeams = (deps: Deps) => deps.db.select().from(teams).orderBy(asc(teams.code));

export async function createTeam(deps: Deps, actor: Actor, input: z.output<typeof TeamCreate>) {
  requireAdmin(actor);
  const id = uuidv7();
  await insertUnique(
    () => deps.db.insert(teams).values({ id, ...input, createdAt: deps.clock.now() }),
    () => new AppError('team.code_taken', `A team with code "${input.code}" exists`),
  );
  return id;
}

export const listStaff = (deps: Deps) =>
  deps.db
    .select({
      id: staff.id,
      username: staff.username,
      displayName: staff.displayName,
      role: staff.role,
      teamId: staff.teamId,
      active: staff.active,
    })
    .from(staff)
    .orderBy(asc(staff.username));

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

export const listCategories = (deps: Deps) =>
  deps.db
    .select()
    .from(categories)
    .where(eq(categories.active, true))
    .orderBy(asc(categories.sort), asc(categories.code));

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
