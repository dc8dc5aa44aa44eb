import { eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Actor } from '../../core/auth/policy.js';
import { assertEffectivePeriod, statusAfterSave, type KnowledgeContent } from '../../core/knowledge/workflow.js';
import { kbArticles } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { assertBase, contentColumns, insertVersion, loadArticleFor, loadVersion, workingVersion } from './store.js';

// Writing knowledge: a new article (its version 1, a draft), a new version of an article (a draft;
// a published version stays live until this one is published), and a restore (an old version
// saved again as the newest draft). Every save is a version and is kept.

export async function createArticle(deps: Deps, actor: Actor, content: KnowledgeContent): Promise<string> {
  const status = statusAfterSave(actor);
  assertEffectivePeriod(content.effectiveFrom, content.effectiveUntil);
  const now = deps.clock.now();
  const id = uuidv7();
  await deps.db.transaction(async (tx) => {
    await tx.insert(kbArticles).values({
      id,
      kind: 'article',
      status,
      ownerId: actor.id,
      ...contentColumns(deps.indexText, content),
      verifiedAt: now,
      createdAt: now,
      updatedAt: now,
    });
    const versionId = await insertVersion(tx, { articleId: id, number: 1, content, authorId: actor.id, at: now });
    await tx.update(kbArticles).set({ workingVersionId: versionId }).where(eq(kbArticles.id, id));
  });
  return id;
}

/** Saves `content` as the article's next version, a draft (see the workflow). */
export async function saveArticle(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { content: KnowledgeContent; baseVersion: number; restoredFrom?: number },
): Promise<void> {
  const status = statusAfterSave(actor);
  assertEffectivePeriod(input.content.effectiveFrom, input.content.effectiveUntil);
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const article = await loadArticleFor(tx, actor, id, { forUpdate: true });
    const working = await workingVersion(tx, article);
    assertBase(working, input.baseVersion);
    const versionId = await insertVersion(tx, {
      articleId: id,
      number: working.number + 1,
      content: input.content,
      authorId: actor.id,
      at: now,
      ...(input.restoredFrom ? { restoredFrom: input.restoredFrom } : {}),
    });
    await tx
      .update(kbArticles)
      .set({
        status,
        workingVersionId: versionId,
        updatedAt: now,
        // While a version is live, search, suggestions and the portal keep showing it.
        ...(article.publishedVersionId ? {} : contentColumns(deps.indexText, input.content)),
      })
      .where(eq(kbArticles.id, id));
  });
}

/** Restoring a version saves its content again as the newest draft; the history keeps everything in between. */
export async function restoreVersion(
  deps: Deps,
  actor: Actor,
  id: string,
  number: number,
  baseVersion: number,
): Promise<void> {
  statusAfterSave(actor);
  const article = await loadArticleFor(deps.db, actor, id);
  const old = await loadVersion(deps.db, article.id, number);
  await saveArticle(deps, actor, id, { content: old.content, baseVersion, restoredFrom: number });
}
