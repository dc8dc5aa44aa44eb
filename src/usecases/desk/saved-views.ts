import { and, asc, count, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import type { Actor } from '../../core/auth/policy.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import type { SavedViewCreate } from '../../contracts/saved-views.js';
import { savedViews, staff } from '../../db/schema.js';
import { isUniqueViolation } from '../admin/directory.js';
import type { Deps } from '../deps.js';

// Each staff member's own named queue filters. They hold only filters: what a view shows is
// decided by the list's visibility rules when it is opened, never by whoever saved it.

/** Enough for a working day's habits; a longer list stops being a sidebar. */
export const MAX_SAVED_VIEWS = 20;

export const listSavedViews = (deps: Deps, actor: Actor) =>
  deps.db
    .select({ id: savedViews.id, name: savedViews.name, filters: savedViews.filters, createdAt: savedViews.createdAt })
    .from(savedViews)
    .where(eq(savedViews.staffId, actor.id))
    .orderBy(asc(savedViews.createdAt), asc(savedViews.id));

export async function createSavedView(
  deps: Deps,
  actor: Actor,
  input: z.output<typeof SavedViewCreate>,
): Promise<string> {
  const id = uuidv7();
  // Empty filters are dropped, so a view saved twice with the same choices is stored the same way.
  const filters = Object.fromEntries(Object.entries(input.filters).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;
  try {
    return await deps.db.transaction(async (tx) => {
      // The staff row is the lock: parallel saves by one person (on any node) count one at a time.
      await tx.select({ id: staff.id }).from(staff).where(eq(staff.id, actor.id)).for('no key update');
      const [{ n } = { n: 0 }] = await tx
        .select({ n: count() })
        .from(savedViews)
        .where(eq(savedViews.staffId, actor.id));
      if (n >= MAX_SAVED_VIEWS)
        throw new AppError('saved_view.limit_reached', `You can keep up to ${MAX_SAVED_VIEWS} views; delete one first`);
      await tx
        .insert(savedViews)
        .values({ id, staffId: actor.id, name: input.name, filters, createdAt: deps.clock.now() });
      return id;
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError('saved_view.name_taken', `You already have a view named "${input.name}"`);
    throw err;
  }
}

export async function deleteSavedView(deps: Deps, actor: Actor, id: string): Promise<void> {
  const deleted = await deps.db
    .delete(savedViews)
    .where(and(eq(savedViews.id, id), eq(savedViews.staffId, actor.id)))
    .returning({ id: savedViews.id });
  // Someone else's view answers like a missing one.
  if (deleted.length === 0) throw notFound('Saved view');
}
