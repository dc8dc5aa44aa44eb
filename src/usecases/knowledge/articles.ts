import { and, asc, count, eq, gte } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Actor } from '../../core/auth/policy.js';
import { changedFields, diffTokens } from '../../core/knowledge/diff.js';
import { richTextToPlain } from '../../core/knowledge/plain-text.js';
import { DEFAULT_KNOWLEDGE_REVIEW } from '../../core/knowledge/review.js';
import type { KnowledgeContent } from '../../core/knowledge/workflow.js';
import { kbFeedback, kbUsages, kbVersions, staff, tickets } from '../../db/schema.js';
import { segmentTokens } from '../../text/segmenter.js';
import type { Deps } from '../deps.js';
import { loadArticleFor, loadVersion, workingVersion } from './store.js';

// Reading knowledge: one article with its working and live versions, its history, and the
// difference between two versions.

const DAY = 86_400_000;
const reviewer = alias(staff, 'kb_reviewer');

async function staffRef(deps: Deps, id: string | null) {
  if (!id) return null;
  const [s] = await deps.db
    .select({ id: staff.id, displayName: staff.displayName })
    .from(staff)
    .where(eq(staff.id, id));
  return s ?? null;
}

export async function readArticle(deps: Deps, actor: Actor, id: string) {
  const article = await loadArticleFor(deps.db, actor, id);
  const working = await workingVersion(deps.db, article);
  const [published] = article.publishedVersionId
    ? await deps.db.select().from(kbVersions).where(eq(kbVersions.id, article.publishedVersionId))
    : [];
  const since = new Date(deps.clock.now().getTime() - DEFAULT_KNOWLEDGE_REVIEW.unhelpfulWindowDays * DAY);
  const votes = await deps.db
    .select({ helpful: kbFeedback.helpful, n: count() })
    .from(kbFeedback)
    .where(and(eq(kbFeedback.articleId, id), gte(kbFeedback.at, since)))
    .groupBy(kbFeedback.helpful);
  const [used] = await deps.db.select({ n: count() }).from(kbUsages).where(eq(kbUsages.articleId, id));
  const [source] = article.sourceTicketId
    ? await deps.db
        .select({ id: tickets.id, number: tickets.number })
        .from(tickets)
        .where(eq(tickets.id, article.sourceTicketId))
    : [];
  return {
    article,
    working,
    published: published ?? null,
    owner: await staffRef(deps, article.ownerId),
    workingAuthor: await staffRef(deps, working.authorId),
    sourceTicket: source ?? null,
    feedback: {
      helpful: votes.find((v) => v.helpful)?.n ?? 0,
      notHelpful: votes.find((v) => !v.helpful)?.n ?? 0,
    },
    usages: used?.n ?? 0,
    now: deps.clock.now(),
  };
}
export type ArticleData = Awaited<ReturnType<typeof readArticle>>;

/** Every saved version, oldest first, with who wrote, approved and published it. */
export async function listVersions(deps: Deps, actor: Actor, id: string) {
  const article = await loadArticleFor(deps.db, actor, id);
  const rows = await deps.db
    .select({
      v: kbVersions,
      author: { id: staff.id, displayName: staff.displayName },
      reviewer: { id: reviewer.id, displayName: reviewer.displayName },
    })
    .from(kbVersions)
    .innerJoin(staff, eq(staff.id, kbVersions.authorId))
    .leftJoin(reviewer, eq(reviewer.id, kbVersions.reviewerId))
    .where(eq(kbVersions.articleId, id))
    .orderBy(asc(kbVersions.number));
  return {
    items: rows.map(({ v, author, reviewer: r }) => ({
      number: v.number,
      author,
      createdAt: v.createdAt.toISOString(),
      restoredFrom: v.restoredFrom,
      reviewer: r?.id ? r : null,
      approvedAt: v.approvedAt?.toISOString() ?? null,
      publishedAt: v.publishedAt?.toISOString() ?? null,
      reviewNote: v.reviewNote,
      live: v.id === article.publishedVersionId,
      working: v.id === article.workingVersionId,
    })),
  };
}

const DIFFED_FIELDS = [
  'category',
  'tags',
  'audience',
  'region',
  'effectiveFrom',
  'effectiveUntil',
  'symptom',
  'cause',
  'resolution',
] as const;
const pick = (c: KnowledgeContent) =>
  Object.fromEntries(DIFFED_FIELDS.map((f) => [f, c[f]])) as Pick<KnowledgeContent, (typeof DIFFED_FIELDS)[number]>;

/** What changed from version `from` to version `to`: the fields, and the title and body word by word. */
export async function diffVersions(deps: Deps, actor: Actor, id: string, from: number, to: number) {
  await loadArticleFor(deps.db, actor, id);
  const [a, b] = await Promise.all([loadVersion(deps.db, id, from), loadVersion(deps.db, id, to)]);
  const before = pick(a.content);
  const after = pick(b.content);
  return {
    from,
    to,
    fields: changedFields(before, after).map((field) => ({ field, before: before[field], after: after[field] })),
    title: diffTokens(segmentTokens(a.content.title), segmentTokens(b.content.title)),
    body: diffTokens(segmentTokens(richTextToPlain(a.content.body)), segmentTokens(richTextToPlain(b.content.body))),
  };
}
