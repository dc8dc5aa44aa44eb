import { eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { canWorkTicket, type Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import { contactMetric } from '../../core/regulator/referrals.js';
import { regulatorReferrals, ticketMessages, tickets } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { completeTarget } from '../sla/sla-lifecycle.js';
import { recordEvents } from '../tickets/record-event.js';
import { loadReferralFor } from './read-referrals.js';

/**
 * The customer was reached about the referral: stops the first-contact clock, keeps how as an
 * internal note on the ticket, and notes the step on the timeline. Once only
 * (`409 regulator.first_contact_recorded`).
 */
export async function recordFirstContact(deps: Deps, actor: Actor, id: string, input: { note: string }): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const { referral, ticket, access } = await loadReferralFor(tx, actor, id, { forUpdate: true });
    if (!canWorkTicket(actor, access)) throw new AppError('auth.forbidden', 'You cannot work this referral case');
    if (referral.firstContactAt)
      throw new AppError('regulator.first_contact_recorded', 'The first contact is already recorded');
    await tx.update(regulatorReferrals).set({ firstContactAt: now }).where(eq(regulatorReferrals.id, id));
    await completeTarget(tx, ticket.id, contactMetric(id), now);
    const messageId = uuidv7();
    await tx.insert(ticketMessages).values({
      id: messageId,
      ticketId: ticket.id,
      authorStaffId: actor.id,
      visibility: 'internal',
      channel: ticket.channel,
      body: input.note,
      bodyFormat: 'text',
      createdAt: now,
    });
    await tx.update(tickets).set({ updatedAt: now }).where(eq(tickets.id, ticket.id));
    await recordEvents(tx, [
      {
        ticketId: ticket.id,
        actorId: actor.id,
        kind: 'regulator_case',
        at: now,
        data: { referralId: id, step: 'first_contact' },
      },
      {
        ticketId: ticket.id,
        actorId: actor.id,
        kind: 'message_added',
        at: now,
        data: { messageId, visibility: 'internal' },
      },
    ]);
  });
}
