import { and, eq, ne } from 'drizzle-orm';
import { canReviewKnowledge, type Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import { applyWorkflow, type WorkflowAction } from '../../core/knowledge/workflow.js';
import { kbArticles, kbVersions } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { assertBase, contentColumns, loadArticleFor, workingVersion } from './store.js';

/**
 * Moves the working copy through the review workflow (core/knowledge/workflow.ts): submit,
 * approve (never by its author), reject, publish (it becomes the live version and counts as
 * verified) and archive (nothing of it stays live).
 */
export async function moveArticle(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { action: WorkflowAction; baseVersion: number; note?: string | undefined },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const article = await loadArticleFor(tx, actor, id, { forUpdate: true });
    const working = await workingVersion(tx, article);
    assertBase(working, input.baseVersion);
    const status = applyWorkflow(actor, { status: article.status, workingAuthorId: working.authorId }, input.action);
    const set: Partial<typeof kbArticles.$inferInsert> = { status, updatedAt: now };
    switch (input.action) {
      case 'submit':
        break;
      case 'approve':
        await tx
          .update(kbVersions)
          .set({ reviewerId: actor.id, approvedAt: now, reviewNote: input.note ?? null })
          .where(eq(kbVersions.id, working.id));
        break;
      case 'reject':
        await tx
          .update(kbVersions)
          .set({ reviewerId: actor.id, approvedAt: null, reviewNote: input.note ?? null })
          .where(eq(kbVersions.id, working.id));
        break;
      case 'publish':
        await tx.update(kbVersions).set({ publishedAt: now }).where(eq(kbVersions.id, working.id));
        Object.assign(set, contentColumns(deps.indexText, working.content), {
          publishedVersionId: working.id,
          verifiedAt: now,
          staleNotifiedAt: null,
        });
        break;
      case 'archive':
        Object.assign(set, contentColumns(deps.indexText, working.content), { publishedVersionId: null });
        break;
      default:
        return input.action satisfies never;
    }
    await tx.update(kbArticles).set(set).where(eq(kbArticles.id, id));
  });
}

/** An editor confirms that the live version is still right: the verification clock starts again. */
export async function verifyArticle(deps: Deps, actor: Actor, id: string): Promise<void> {
  if (!canReviewKnowledge(actor))
    throw new AppError('auth.forbidden', 'Only knowledge editors, supervisors and administrators verify articles');
  const article = await loadArticleFor(deps.db, actor, id);
  if (!article.publishedVersionId) throw new AppError('knowledge.not_live', 'Only a published article is verified');
  await deps.db
    .update(kbArticles)
    .set({ verifiedAt: deps.clock.now(), staleNotifiedAt: null })
    .where(and(eq(kbArticles.id, id), ne(kbArticles.status, 'archived')));
}
