import { v7 as uuidv7 } from 'uuid';
import { DEFAULT_LOOP_LIMITS, loopVerdict, type MailKind } from '../../../core/channels/email-rules.js';
import { ticketMessages } from '../../../db/schema.js';
import type { InboundMail } from '../../../channels/email/parse-mail.js';
import { recordEvent } from '../../tickets/record-event.js';
import { claimSenderMessageId, settleClaim } from '../message-claims.js';
import { findMailCustomer, recentMailFrom } from './mail-sender.js';
import { ticketByMessageIds } from './mail-thread.js';
import { earlierOutcome, type EmailDeps, type EmailOutcome } from './intake.js';

/** Auto-replies are kept on the ticket as a short internal note, not their full text. */
const AUTO_NOTE_LIMIT = 2_000;

/**
 * Auto-replies and bounces: the Message-ID is claimed (so redelivery is a no-op) and, when the mail
 * answers one of a ticket's messages, an internal note tells the agent (the customer is away, or
 * our reply did not arrive). Never a new ticket, never a customer, never a status change.
 */
export async function recordAutomaticMail(
  deps: EmailDeps,
  m: { mail: InboundMail; kind: Exclude<MailKind, { kind: 'human' }>; sender: string; externalId: string },
): Promise<EmailOutcome> {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const claim = await claimSenderMessageId(
      tx,
      { channel: 'email', externalId: m.externalId, direction: 'auto' },
      now,
    );
    if ('earlier' in claim) return earlierOutcome(claim.earlier);
    const customerId = await findMailCustomer(tx, m.sender);
    const recent = customerId ? await recentMailFrom(tx, customerId, now) : { auto: 0, total: 0 };
    if (loopVerdict(m.kind.kind, recent, deps.loopLimits ?? DEFAULT_LOOP_LIMITS) === 'drop') {
      await settleClaim(tx, claim.claimId, { customerId });
      return {
        outcome: 'dropped',
        reason: `more than ${recent.auto} automatic mails from ${m.sender} within the hour`,
      };
    }
    const original = m.kind.kind === 'bounce' ? m.mail.reportedMessageId : null;
    const ticket = await ticketByMessageIds(tx, [...m.mail.threadIds, ...(original ? [original] : [])]);
    let messageId: string | null = null;
    if (ticket) {
      messageId = uuidv7();
      const label = m.kind.kind === 'bounce' ? '退信 (bounce)' : '自动回复 (auto-reply)';
      const text = m.mail.text.slice(0, AUTO_NOTE_LIMIT);
      await tx.insert(ticketMessages).values({
        id: messageId,
        ticketId: ticket.id,
        fromCustomer: false,
        visibility: 'internal',
        channel: 'email',
        body: `${label} ${m.sender}: ${m.mail.subject}\n${m.kind.reason}\n\n${text}`.trim(),
        createdAt: now,
      });
      // The sender's address stays in the note (which can be erased), not in the append-only timeline.
      await recordEvent(tx, {
        ticketId: ticket.id,
        actorId: null,
        kind: 'message_added',
        at: now,
        data: { messageId, visibility: 'internal', automatic: m.kind.kind },
      });
    }
    await settleClaim(tx, claim.claimId, { customerId, ticketId: ticket?.id ?? null, messageId });
    return { outcome: 'recorded', kind: m.kind.kind, ticketId: ticket?.id ?? null, duplicate: false };
  });
}
