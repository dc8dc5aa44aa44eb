import { sql } from 'drizzle-orm';
import { maskPhone } from '../../core/privacy/masking.js';
import { queryRows } from '../../db/client.js';
import type { Deps } from '../deps.js';
import { notifyStaff } from '../tickets/notify.js';

const MINUTE = 60_000;

/**
 * First-contact responsibility: every answered call becomes a work order or joins one. A call
 * that ended `afterMinutes` ago with no ticket attached, and with no ticket of that caller touched
 * by the agent since they answered, gets one reminder in the agent's inbox. Claimed with SKIP
 * LOCKED and marked in the same transaction, so several nodes remind once.
 */
export async function remindUnfiledCalls(
  deps: Deps,
  opts: { afterMinutes: number; batch: number },
): Promise<{ reminded: number }> {
  const now = deps.clock.now();
  const cutoff = new Date(now.getTime() - opts.afterMinutes * MINUTE).toISOString();
  return deps.db.transaction(async (tx) => {
    const calls = await queryRows<{
      id: string;
      call_id: string;
      caller: string;
      customer_id: string | null;
      agent_id: string;
      ended_at: string | Date;
    }>(
      tx,
      sql`SELECT c.id, c.call_id, c.caller, c.customer_id, c.agent_id, c.ended_at
            FROM call_records c
           WHERE c.ticket_id IS NULL AND c.agent_id IS NOT NULL AND c.unfiled_reminded_at IS NULL
             AND c.ended_at <= ${cutoff}::timestamptz
             AND NOT EXISTS (
               SELECT 1 FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
                WHERE e.actor_id = c.agent_id AND e.created_at >= c.answered_at
                  AND (t.customer_id = c.customer_id
                       OR t.customer_id IN (SELECT n.customer_id FROM customer_numbers n WHERE n.msisdn = c.caller)))
           ORDER BY c.ended_at
           LIMIT ${opts.batch}
           FOR UPDATE OF c SKIP LOCKED`,
    );
    if (calls.length === 0) return { reminded: 0 };
    await notifyStaff(
      tx,
      calls.map((c) => ({
        kind: 'call.unfiled' as const,
        recipientId: c.agent_id,
        ticketId: null,
        payload: {
          callId: c.call_id,
          caller: maskPhone(c.caller),
          customerId: c.customer_id,
          endedAt: new Date(c.ended_at).toISOString(),
        },
      })),
      now,
    );
    await tx.execute(
      sql`UPDATE call_records SET unfiled_reminded_at = ${now.toISOString()}::timestamptz
           WHERE id IN (${sql.join(
             calls.map((c) => sql`${c.id}::uuid`),
             sql`, `,
           )})`,
    );
    return { reminded: calls.length };
  });
}
