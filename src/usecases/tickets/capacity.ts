import { and, count, eq, inArray } from 'drizzle-orm';
import { AppError } from '../../core/errors/app-error.js';
import { OPEN_STATUSES } from '../../core/tickets/state-machine.js';
import type { Tx } from '../../db/client.js';
import { agentProfiles, tickets } from '../../db/schema.js';

export type CapacityProblem =
  { reason: 'unavailable'; presence: string } | { reason: 'at_capacity'; openCount: number; capacity: number };

/**
 * Before giving someone one more ticket: lock their profile row (every path that adds work takes
 * this lock, so concurrent assignments on any node queue up here and each counts the others'
 * committed work), then check presence and that their open tickets stay within capacity. On
 * success the lock is kept until commit and the agent's last-assigned time moves on. People
 * without a profile (e.g. department staff) have no capacity limit.
 */
export async function tryReserveCapacity(
  tx: Tx,
  staffId: string,
  opts: { override: boolean },
  now: Date,
): Promise<CapacityProblem | null> {
  const [profile] = await tx.select().from(agentProfiles).where(eq(agentProfiles.staffId, staffId)).for('update');
  if (!profile) return null;
  if (profile.presence !== 'online' && !opts.override) return { reason: 'unavailable', presence: profile.presence };
  const [open] = await tx
    .select({ n: count() })
    .from(tickets)
    .where(and(eq(tickets.assigneeId, staffId), inArray(tickets.status, [...OPEN_STATUSES])));
  const openCount = open?.n ?? 0;
  if (openCount >= profile.capacity) return { reason: 'at_capacity', openCount, capacity: profile.capacity };
  await tx.update(agentProfiles).set({ lastAssignedAt: now }).where(eq(agentProfiles.staffId, staffId));
  return null;
}

export async function reserveCapacity(tx: Tx, staffId: string, opts: { override: boolean }, now: Date): Promise<void> {
  const problem = await tryReserveCapacity(tx, staffId, opts, now);
  if (problem?.reason === 'unavailable') {
    throw new AppError(
      'ticket.assignee_unavailable',
      `The agent is ${problem.presence}; a supervisor can assign with override`,
      { presence: problem.presence },
    );
  }
  if (problem?.reason === 'at_capacity') {
    throw new AppError(
      'ticket.assignee_at_capacity',
      `The agent already has ${problem.openCount} open tickets (capacity ${problem.capacity})`,
      problem,
    );
  }
}
