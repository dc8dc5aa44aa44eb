import { and, count, eq, gt } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { AppError, notFound } from '../../core/errors/app-error.js';
import {
  needsUnhelpfulReview,
  unhelpfulWindowStart,
  type KnowledgeReviewSettings,
} from '../../core/knowledge/review.js';
import { hitRateLimit } from '../../db/rate-limits.js';
import { kbArticles, kbDeflections, kbFeedback } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { notifyStaff } from '../tickets/notify.js';
import { compileQuery, effectiveAt, findArticles, hitView, isLive, knowledgeCategories } from './search.js';

// The customer portal's FAQ (自助服务): public articles that are published and in force, by
// category and by search; "was this helpful?" on each (three "no" within 30 days give the owner a
// review task), and deflections: a suggested article opened while writing a request that was then
// not submitted.

const publicNow = (deps: Deps) => [isLive, eq(kbArticles.audience, 'public'), effectiveAt(deps.clock.now())];

export async function listFaq(deps: Deps, q: { q?: string | undefined; category?: string | undefined; limit: number }) {
  const filters = [...publicNow(deps), q.category ? eq(kbArticles.category, q.category) : undefined];
  const compiled = q.q ? await compileQuery(deps, deps.db, q.q) : null;
  const found = await findArticles(deps.db, compiled, filters, { limit: q.limit, offset: 0 });
  const hits = compiled?.hits ?? new Set<string>();
  return {
    items: found.map((f) => {
      const h = hitView(deps, f, hits);
      return { id: h.id, title: h.title, snippet: h.snippet, category: h.category };
    }),
    categories: await knowledgeCategories(deps.db, publicNow(deps)),
  };
}

export async function loadFaqArticle(deps: Deps, id: string) {
  const [row] = await deps.db
    .select()
    .from(kbArticles)
    .where(and(eq(kbArticles.id, id), ...publicNow(deps)));
  if (!row) throw notFound('Article');
  return row;
}

/** Anonymous answers are limited per address, so nobody can vote an article into review. */
async function limit(deps: Deps, what: string, address: string) {
  const retry = await hitRateLimit(
    deps.db,
    { key: `faq:${what}:${address}`, max: 30, windowMs: 3_600_000 },
    deps.clock.now(),
  );
  if (retry !== null)
    throw new AppError('auth.rate_limited', 'Too many answers from this address; try later', { retryAfter: retry });
}

/** Records a "was this helpful?" answer; the third "no" within the window gives the owner a review task. */
export async function recordFaqFeedback(
  deps: Deps,
  id: string,
  helpful: boolean,
  address: string,
  settings: KnowledgeReviewSettings,
): Promise<{ reviewRequested: boolean }> {
  await loadFaqArticle(deps, id);
  await limit(deps, 'feedback', address);
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    // The article's row lock makes concurrent answers count one after another.
    const [article] = await tx.select().from(kbArticles).where(eq(kbArticles.id, id)).for('update');
    if (!article) throw notFound('Article');
    await tx.insert(kbFeedback).values({ id: uuidv7(), articleId: id, helpful, at: now });
    if (helpful) return { reviewRequested: false };
    const from = unhelpfulWindowStart(now, article.unhelpfulNotifiedAt, settings);
    const [no] = await tx
      .select({ n: count() })
      .from(kbFeedback)
      .where(and(eq(kbFeedback.articleId, id), eq(kbFeedback.helpful, false), gt(kbFeedback.at, from)));
    if (!needsUnhelpfulReview(no?.n ?? 0, settings)) return { reviewRequested: false };
    await tx.update(kbArticles).set({ unhelpfulNotifiedAt: now }).where(eq(kbArticles.id, id));
    await notifyStaff(
      tx,
      [
        {
          kind: 'knowledge.review_due',
          recipientId: article.ownerId,
          ticketId: null,
          payload: { articleId: id, title: article.title, reason: 'unhelpful', count: no?.n ?? 0 },
        },
      ],
      now,
    );
    return { reviewRequested: true };
  });
}

/** A customer opened this suggestion while writing a request and left without submitting it. */
export async function recordDeflection(deps: Deps, id: string, address: string): Promise<void> {
  await loadFaqArticle(deps, id);
  await limit(deps, 'deflection', address);
  await deps.db.insert(kbDeflections).values({ id: uuidv7(), articleId: id, at: deps.clock.now() });
}
