import { eq } from 'drizzle-orm';
import { canWorkTicket, type Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import { reportMetric } from '../../core/regulator/referrals.js';
import { regulatorReferrals, tickets } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { completeTarget } from '../sla/sla-lifecycle.js';
import { recordEvent } from '../tickets/record-event.js';
import { loadReferralFor } from './read-referrals.js';

/**
 * The reply sent to the regulator and the day it went: kept on the referral (who recorded it,
 * when), stops the report clock, and notes the step on the timeline. Once only
 * (`409 regulator.already_replied`).
 */
export async function recordReply(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { text: string; repliedOn: string },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const { referral, ticket, access } = await loadReferralFor(tx, actor, id, { forUpdate: true });
    if (!canWorkTicket(actor, access)) throw new AppError('auth.forbidden', 'You cannot work this referral case');
    if (referral.status === 'replied')
      throw new AppError('regulator.already_replied', 'The reply to the regulator is already recorded');
    await tx
      .update(regulatorReferrals)
      .set({
        status: 'replied',
        replyText: input.text,
        repliedOn: input.repliedOn,
        replyRecordedAt: now,
        replyRecordedById: actor.id,
      })
      .where(eq(regulatorReferrals.id, id));
    await completeTarget(tx, ticket.id, reportMetric(id), now);
    await tx.update(tickets).set({ updatedAt: now }).where(eq(tickets.id, ticket.id));
    await recordEvent(tx, {
      ticketId: ticket.id,
      actorId: actor.id,
      kind: 'regulator_case',
      at: now,
      data: { referralId: id, step: 'reply_recorded', repliedOn: input.repliedOn },
    });
  });
}
