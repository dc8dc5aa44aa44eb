import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.js';
import type { LegalHoldReason } from '../../core/privacy/requests.js';
import type { Deps } from '../deps.js';
import { notifyStaff } from '../tickets/notify.js';

/**
 * A deletion a law held (an open billing dispute or regulator case) can be done once its hold
 * ends: the two people who previewed and approved it get an inbox task to preview it again. Each
 * request is claimed with SKIP LOCKED and marked in the same transaction, so several nodes tell
 * them once; a new preview or approval sets a new hold and clears the mark.
 */
export async function remindEndedHolds(deps: Deps, batch = 100): Promise<{ reminded: number }> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const rows = await queryRows<{
      id: string;
      hold_until: string | Date;
      hold_reasons: LegalHoldReason[];
      previewed_by_id: string | null;
      approved_by_id: string | null;
    }>(
      tx,
      sql`SELECT id, hold_until, hold_reasons, previewed_by_id, approved_by_id FROM privacy_requests
           WHERE status = 'on_hold' AND hold_prompted_at IS NULL AND hold_until <= ${now.toISOString()}::timestamptz
           ORDER BY hold_until
           LIMIT ${batch}
           FOR UPDATE SKIP LOCKED`,
    );
    if (rows.length === 0) return { reminded: 0 };
    await notifyStaff(
      tx,
      rows.flatMap((r) =>
        [...new Set([r.previewed_by_id, r.approved_by_id])].flatMap((recipientId) =>
          recipientId
            ? [
                {
                  kind: 'privacy.hold_ended' as const,
                  recipientId,
                  ticketId: null,
                  payload: {
                    requestId: r.id,
                    holdUntil: new Date(r.hold_until).toISOString(),
                    reasons: r.hold_reasons ?? [],
                  },
                },
              ]
            : [],
        ),
      ),
      now,
    );
    await tx.execute(
      sql`UPDATE privacy_requests SET hold_prompted_at = ${now.toISOString()}::timestamptz
           WHERE id IN (${sql.join(
             rows.map((r) => sql`${r.id}::uuid`),
             sql`, `,
           )})`,
    );
    return { reminded: rows.length };
  });
}
