import { eq } from 'drizzle-orm';
import { canSuperviseQuality, type Actor } from '../../core/auth/policy.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import { qaCoaching } from '../../db/schema.js';
import type { Deps } from '../deps.js';

// Coaching after a failed review: a supervisor records the session (open → coached), the agent
// acknowledges it (coached → done).

/** A supervisor records the coaching they gave. */
export async function recordCoaching(deps: Deps, actor: Actor, id: string, note: string): Promise<void> {
  if (!canSuperviseQuality(actor)) throw new AppError('auth.forbidden', 'Supervisors record coaching');
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const [c] = await tx.select().from(qaCoaching).where(eq(qaCoaching.id, id)).for('update');
    if (!c) throw notFound('Coaching');
    if (c.agentId === actor.id) throw new AppError('auth.forbidden', 'Nobody coaches themselves');
    if (c.status !== 'open') throw new AppError('qa.coaching_not_open', 'This coaching was recorded already');
    await tx
      .update(qaCoaching)
      .set({ status: 'coached', note, coachedBy: actor.id, coachedAt: now, coachId: c.coachId ?? actor.id })
      .where(eq(qaCoaching.id, id));
  });
}

/** The agent acknowledges the coaching, which closes it. */
export async function acknowledgeCoaching(deps: Deps, actor: Actor, id: string): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const [c] = await tx.select().from(qaCoaching).where(eq(qaCoaching.id, id)).for('update');
    if (!c || c.agentId !== actor.id) throw notFound('Coaching');
    if (c.status === 'done') throw new AppError('qa.coaching_not_open', 'This coaching is closed already');
    if (c.status !== 'coached')
      throw new AppError('qa.coaching_not_recorded', 'Your supervisor has not recorded the coaching yet');
    await tx.update(qaCoaching).set({ status: 'done', acknowledgedAt: now }).where(eq(qaCoaching.id, id));
  });
}
