import { asc, eq, max } from 'drizzle-orm';
import type { z } from 'zod';
import { canAdminister, type Actor } from '../../core/auth/policy.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import type { RootCauseCreate, RootCauseUpdate } from '../../contracts/callbacks.js';
import type { DbOrTx } from '../../db/client.js';
import { rootCauses } from '../../db/schema.js';
import type { Deps } from '../deps.js';

// The root causes callbacks are filed under: data administrators keep in the console (issue 13).
// A cause in use is deactivated, never deleted, so finished callbacks keep their label.

type RootCauseRow = typeof rootCauses.$inferSelect;

const view = (r: RootCauseRow) => ({
  code: r.code,
  nameZh: r.nameZh,
  nameEn: r.nameEn,
  position: r.position,
  active: r.active,
});

function requireAdmin(actor: Actor) {
  if (!canAdminister(actor)) throw new AppError('auth.forbidden', 'Only administrators change the root causes');
}

/** Every root cause, in the list's order (the rule's input and the console's list). */
export async function allRootCauses(db: DbOrTx): Promise<RootCauseRow[]> {
  return db.select().from(rootCauses).orderBy(asc(rootCauses.position), asc(rootCauses.code));
}

/**
 * The list for the desk: the active causes for anyone signed in (the callback form offers them);
 * with `all`, administrators also get the deactivated ones.
 */
export async function listRootCauses(deps: Deps, actor: Actor, q: { all: boolean }) {
  if (q.all) requireAdmin(actor);
  const rows = await allRootCauses(deps.db);
  return { items: rows.filter((r) => q.all || r.active).map(view) };
}

export async function createRootCause(deps: Deps, actor: Actor, input: z.output<typeof RootCauseCreate>) {
  requireAdmin(actor);
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const [last] = await tx.select({ p: max(rootCauses.position) }).from(rootCauses);
    const inserted = await tx
      .insert(rootCauses)
      .values({
        code: input.code,
        nameZh: input.nameZh,
        nameEn: input.nameEn,
        position: input.position ?? (last?.p ?? 0) + 10,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (inserted.length === 0)
      throw new AppError('root_cause.code_taken', `A root cause "${input.code}" exists already`, { field: 'code' });
    return view(inserted[0]!);
  });
}

export async function updateRootCause(deps: Deps, actor: Actor, code: string, input: z.output<typeof RootCauseUpdate>) {
  requireAdmin(actor);
  const [row] = await deps.db
    .update(rootCauses)
    .set({ ...input, updatedAt: deps.clock.now() })
    .where(eq(rootCauses.code, code))
    .returning();
  if (!row) throw notFound('Root cause');
  return view(row);
}
