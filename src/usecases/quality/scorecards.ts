import { and, desc, eq, max } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { canAdminister, canInspect, canSuperviseQuality, type Actor } from '../../core/auth/policy.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import { assertPublishable, type ScorecardDefinition } from '../../core/quality/scorecard.js';
import type { DbOrTx } from '../../db/client.js';
import { qaScorecards } from '../../db/schema.js';
import type { Deps } from '../deps.js';

// Scorecard versions (issue 14): the newest published version is in use; an administrator edits
// one draft (a copy of the version in use to begin with) and publishes it as the next version.
// Published versions never change (refused here, and by a trigger in the database).

export type ScorecardRow = typeof qaScorecards.$inferSelect;

/** The scorecard version new reviews are scored on. */
export async function scorecardInUse(db: DbOrTx): Promise<ScorecardRow> {
  const [row] = await db
    .select()
    .from(qaScorecards)
    .where(eq(qaScorecards.status, 'published'))
    .orderBy(desc(qaScorecards.version))
    .limit(1);
  if (!row) throw new AppError('qa.no_published_scorecard', 'No scorecard version is published yet');
  return row;
}

export async function scorecardById(db: DbOrTx, id: string): Promise<ScorecardRow> {
  const [row] = await db.select().from(qaScorecards).where(eq(qaScorecards.id, id));
  if (!row) throw notFound('Scorecard');
  return row;
}

function assertMayRead(actor: Actor) {
  if (!canAdminister(actor) && !canInspect(actor) && !canSuperviseQuality(actor))
    throw new AppError('auth.forbidden', 'Scorecards are for administrators, inspectors and supervisors');
}
function assertMayEdit(actor: Actor) {
  if (!canAdminister(actor)) throw new AppError('auth.forbidden', 'Only administrators edit scorecards');
}

/** Every version, newest first, with which one is in use. */
export async function listScorecards(deps: Deps, actor: Actor) {
  assertMayRead(actor);
  const rows = await deps.db.select().from(qaScorecards).orderBy(desc(qaScorecards.version));
  const inUse = rows.find((r) => r.status === 'published')?.id ?? null;
  return { rows, inUse };
}

/** Starts the next version as a draft (one draft at a time: 409 qa.draft_exists). */
export async function createScorecardDraft(
  deps: Deps,
  actor: Actor,
  input: { name: string; definition: ScorecardDefinition },
): Promise<ScorecardRow> {
  assertMayEdit(actor);
  return deps.db.transaction(async (tx) => {
    const [{ top } = { top: 0 }] = await tx.select({ top: max(qaScorecards.version) }).from(qaScorecards);
    const [row] = await tx
      .insert(qaScorecards)
      .values({
        id: uuidv7(),
        version: (top ?? 0) + 1,
        name: input.name,
        definition: input.definition,
        status: 'draft',
        createdBy: actor.id,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new AppError('qa.draft_exists', 'A draft version exists already: edit or publish it');
    return row;
  });
}

/** Changes a draft; a published version refuses (409 qa.scorecard_published). */
export async function updateScorecardDraft(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { name: string; definition: ScorecardDefinition },
): Promise<ScorecardRow> {
  assertMayEdit(actor);
  return deps.db.transaction(async (tx) => {
    await tx.select({ id: qaScorecards.id }).from(qaScorecards).where(eq(qaScorecards.id, id)).for('update');
    await assertDraft(tx, id);
    const [row] = await tx
      .update(qaScorecards)
      .set({ name: input.name, definition: input.definition })
      .where(and(eq(qaScorecards.id, id), eq(qaScorecards.status, 'draft')))
      .returning();
    return row!;
  });
}

/** Refuses to change a version that is published (409 qa.scorecard_published). */
export async function assertDraft(db: DbOrTx, id: string): Promise<ScorecardRow> {
  const row = await scorecardById(db, id);
  if (row.status !== 'draft')
    throw new AppError('qa.scorecard_published', `Version ${row.version} is published and cannot change`, {
      version: row.version,
    });
  return row;
}

/** Publishes the draft: it becomes the version in use; reviews already made keep theirs. */
export async function publishScorecard(deps: Deps, actor: Actor, id: string): Promise<ScorecardRow> {
  assertMayEdit(actor);
  return deps.db.transaction(async (tx) => {
    const [locked] = await tx.select().from(qaScorecards).where(eq(qaScorecards.id, id)).for('update');
    if (!locked) throw notFound('Scorecard');
    const draft = await assertDraft(tx, id);
    assertPublishable(draft.definition);
    const [row] = await tx
      .update(qaScorecards)
      .set({ status: 'published', publishedAt: deps.clock.now() })
      .where(eq(qaScorecards.id, id))
      .returning();
    return row!;
  });
}
