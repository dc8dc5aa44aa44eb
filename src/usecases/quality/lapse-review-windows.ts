import { and, eq, isNull, lt } from 'drizzle-orm';
import { qaReviews } from '../../db/schema.js';
import type { Deps } from '../deps.js';

/**
 * Reviews the agent neither acknowledged nor disputed within the window count as acknowledged
 * (`lapsed`). One idempotent UPDATE: harmless on several nodes at once.
 */
export async function lapseReviewWindows(deps: Deps): Promise<{ lapsed: number }> {
  const now = deps.clock.now();
  const rows = await deps.db
    .update(qaReviews)
    .set({ status: 'acknowledged', lapsed: true, respondedAt: now })
    .where(and(eq(qaReviews.status, 'submitted'), isNull(qaReviews.calibrationId), lt(qaReviews.respondBy, now)))
    .returning({ id: qaReviews.id });
  return { lapsed: rows.length };
}
