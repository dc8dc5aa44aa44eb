import { and, desc, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { canReadKnowledgeDrafts, type Actor } from '../../core/auth/policy.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import { richTextToPlain } from '../../core/knowledge/plain-text.js';
import type { KnowledgeContent } from '../../core/knowledge/workflow.js';
import type { DbOrTx } from '../../db/client.js';
import { kbArticles, kbVersions } from '../../db/schema.js';
import type { Deps } from '../deps.js';

// What the knowledge use cases share: loading an article for a reader or a writer, and writing
// a version with the article's searchable columns.

export type ArticleRow = typeof kbArticles.$inferSelect;
export type VersionRow = typeof kbVersions.$inferSelect;

/** Everything a search finds an article by, besides the title: its text, category, tags and case fields. */
export function searchColumns(indexText: Deps['indexText'], c: KnowledgeContent) {
  return {
    titleSearch: indexText(c.title),
    searchText: indexText(
      [richTextToPlain(c.body), c.category, c.tags.join(' '), c.region ?? '', c.symptom, c.cause, c.resolution].join(
        '\n',
      ),
    ),
  };
}

/** The article's own columns for `c`: what search, lists and the portal read while this version is the one shown. */
export function contentColumns(indexText: Deps['indexText'], c: KnowledgeContent) {
  return {
    title: c.title,
    body: c.body,
    category: c.category,
    tags: c.tags,
    audience: c.audience,
    region: c.region,
    effectiveFrom: c.effectiveFrom ? new Date(c.effectiveFrom) : null,
    effectiveUntil: c.effectiveUntil ? new Date(c.effectiveUntil) : null,
    symptom: c.symptom,
    cause: c.cause,
    resolution: c.resolution,
    ...searchColumns(indexText, c),
  };
}

/** An article `actor` may read: published ones for everyone on the staff, drafts for those who write. */
export async function loadArticleFor(
  db: DbOrTx,
  actor: Actor,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<ArticleRow> {
  const q = db.select().from(kbArticles).where(eq(kbArticles.id, id));
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  if (!row || (row.publishedVersionId === null && !canReadKnowledgeDrafts(actor))) throw notFound('Article');
  return row;
}

export async function loadVersion(db: DbOrTx, articleId: string, number: number): Promise<VersionRow> {
  const [v] = await db
    .select()
    .from(kbVersions)
    .where(and(eq(kbVersions.articleId, articleId), eq(kbVersions.number, number)));
  if (!v) throw notFound('Version');
  return v;
}

export async function workingVersion(db: DbOrTx, a: ArticleRow): Promise<VersionRow> {
  const [v] = await db
    .select()
    .from(kbVersions)
    .where(eq(kbVersions.articleId, a.id))
    .orderBy(desc(kbVersions.number))
    .limit(1);
  if (!v || v.id !== a.workingVersionId) throw new Error(`Article ${a.id} has no working version`);
  return v;
}

/** A save or a workflow move that started from an older working copy than the one there now. */
export function assertBase(working: VersionRow, baseVersion: number): void {
  if (working.number !== baseVersion)
    throw new AppError(
      'knowledge.version_conflict',
      `Version ${working.number} was saved since you opened version ${baseVersion}`,
      { current: working.number },
    );
}

/** Writes version `number` of an article with `content`, by `authorId`. */
export async function insertVersion(
  tx: DbOrTx,
  v: {
    articleId: string;
    number: number;
    content: KnowledgeContent;
    authorId: string;
    at: Date;
    restoredFrom?: number;
  },
): Promise<string> {
  const id = uuidv7();
  await tx.insert(kbVersions).values({
    id,
    articleId: v.articleId,
    number: v.number,
    content: v.content,
    authorId: v.authorId,
    createdAt: v.at,
    restoredFrom: v.restoredFrom ?? null,
  });
  return id;
}
