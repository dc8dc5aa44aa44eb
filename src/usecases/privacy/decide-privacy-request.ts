import { eq } from 'drizzle-orm';
import type { Actor } from '../../core/auth/policy.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import { decidePrivacyAction, type PrivacyAction } from '../../core/privacy/requests.js';
import type { Tx } from '../../db/client.js';
import { privacyRequests } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { requirePrivacyDesk } from './read-privacy-requests.js';

// The privacy desk answers a request: completes a correction (after making it in the customer
// record) or refuses a request with the reasons the customer is told (PIPL Art. 50).

export async function loadRequestForUpdate(tx: Tx, id: string) {
  const [r] = await tx.select().from(privacyRequests).where(eq(privacyRequests.id, id)).for('update');
  if (!r) throw notFound('Request');
  return r;
}

export function decideOrThrow(
  r: typeof privacyRequests.$inferSelect,
  action: PrivacyAction,
  actor: Actor,
  holds: Parameters<typeof decidePrivacyAction>[3] = [],
) {
  const decision = decidePrivacyAction(r, action, actor.id, holds);
  if (!decision.ok) throw new AppError(decision.code, decision.message);
  return decision.status;
}

export async function completePrivacyRequest(deps: Deps, actor: Actor, id: string, answer: string | undefined) {
  requirePrivacyDesk(actor);
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const r = await loadRequestForUpdate(tx, id);
    const status = decideOrThrow(r, 'complete', actor);
    await tx
      .update(privacyRequests)
      .set({ status, answer: answer ?? r.answer, closedById: actor.id, completedAt: now, updatedAt: now })
      .where(eq(privacyRequests.id, id));
  });
}

export async function refusePrivacyRequest(deps: Deps, actor: Actor, id: string, answer: string) {
  requirePrivacyDesk(actor);
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const r = await loadRequestForUpdate(tx, id);
    const status = decideOrThrow(r, 'refuse', actor);
    await tx
      .update(privacyRequests)
      .set({ status, answer, closedById: actor.id, completedAt: now, updatedAt: now })
      .where(eq(privacyRequests.id, id));
  });
}
