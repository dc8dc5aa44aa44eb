import { sql } from 'drizzle-orm';
import { staleBefore, type KnowledgeReviewSettings } from '../../core/knowledge/review.js';
import { queryRows } from '../../db/client.js';
import type { Deps } from '../deps.js';
import { notifyStaff } from '../tickets/notify.js';

/**
 * Published articles not verified for `verifyDays` (180 by default) give their owner a review task
 * in the inbox, once until the article is verified or published again. Claimed with SKIP LOCKED and
 * marked in the same transaction, so several nodes notify once.
 */
export async function remindStaleArticles(
  deps: Deps,
  settings: KnowledgeReviewSettings,
  batch = 200,
): Promise<{ reminded: number }> {
  const now = deps.clock.now();
  const before = staleBefore(now, settings).toISOString();
  return deps.db.transaction(async (tx) => {
    const rows = await queryRows<{ id: string; owner_id: string; title: string; verified_at: string | Date }>(
      tx,
      sql`SELECT id, owner_id, title, verified_at FROM kb_articles
           WHERE published_version_id IS NOT NULL AND verified_at < ${before}::timestamptz
             AND (stale_notified_at IS NULL OR stale_notified_at < verified_at)
           ORDER BY verified_at
           LIMIT ${batch}
           FOR UPDATE SKIP LOCKED`,
    );
    if (rows.length === 0) return { reminded: 0 };
    await notifyStaff(
      tx,
      rows.map((r) => ({
        kind: 'knowledge.review_due' as const,
        recipientId: r.owner_id,
        ticketId: null,
        payload: {
          articleId: r.id,
          title: r.title,
          reason: 'stale' as const,
          verifiedAt: new Date(r.verified_at).toISOString(),
        },
      })),
      now,
    );
    await tx.execute(
      sql`UPDATE kb_articles SET stale_notified_at = ${now.toISOString()}::timestamptz
           WHERE id IN (${sql.join(
             rows.map((r) => sql`${r.id}::uuid`),
             sql`, `,
           )})`,
    );
    return { reminded: rows.length };
  });
}
