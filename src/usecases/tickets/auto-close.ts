import { and, asc, eq, lte } from 'drizzle-orm';
import { tickets } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { applyTransition } from './transition-ticket.js';

const DAY = 86_400_000;

/**
 * Closed loop: a resolved ticket waits for the customer's answer; with none after `waitDays`
 * (the handbooks' 7-day window for collecting satisfaction) it closes by itself, and the timeline
 * says so. Rows are claimed with SKIP LOCKED, so any number of nodes may run this at once.
 */
export async function closeUnanswered(
  deps: Deps,
  opts: { waitDays: number; batch: number },
): Promise<{ closed: number }> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(tickets)
      .where(
        and(eq(tickets.status, 'resolved'), lte(tickets.resolvedAt, new Date(now.getTime() - opts.waitDays * DAY))),
      )
      .orderBy(asc(tickets.resolvedAt))
      .limit(opts.batch)
      .for('update', { skipLocked: true });
    for (const ticket of due) {
      await applyTransition(
        tx,
        ticket,
        { action: 'close', closeReason: 'no_answer', waitDays: opts.waitDays },
        { actorId: null },
        now,
      );
    }
    return { closed: due.length };
  });
}
