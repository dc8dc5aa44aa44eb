import { eq } from 'drizzle-orm';
import { DEFAULT_LOOP_LIMITS, loopVerdict, ownReplyText } from '../../../core/channels/email-rules.js';
import { readConfirmationReply } from '../../../core/tickets/confirmation.js';
import { tickets } from '../../../db/schema.js';
import { segmentWords } from '../../../text/segmenter.js';
import { applyCustomerAnswer } from '../../tickets/transition-ticket.js';
import type { Tx } from '../../../db/client.js';
import type { InboundMail } from '../../../channels/email/parse-mail.js';
import { claimSenderMessageId, settleClaim } from '../message-claims.js';
import { answerExistingTicket } from './answer-existing-ticket.js';
import { earlierOutcome, type EmailDeps, type EmailOutcome } from './intake.js';
import type { StoredAttachments } from './mail-attachments.js';
import { createMailCustomer, findMailCustomer, recentMailFrom } from './mail-sender.js';
import { threadedTicket } from './mail-thread.js';
import { openTicketFromMail } from './open-ticket-from-mail.js';

/** A known sender wrote faster than a person does: the mail is quarantined instead (the transaction rolls back). */
export class LoopSuspected extends Error {}

/**
 * One transaction for a person's mail: claims its Message-ID, finds or creates the sender's
 * customer (quarantining a known sender who writes like a loop), and either adds the mail to the
 * ticket it answers or opens a new ticket. A resolved ticket awaits the customer's confirmation, so
 * their answer joins it (and confirms or reopens it when it says so); a closed ticket is finished,
 * so the mail opens a new one linked as a repeat.
 */
export async function acceptCustomerMail(
  tx: Tx,
  deps: EmailDeps,
  m: { mail: InboundMail; sender: string; externalId: string; stored: StoredAttachments; skipLoopCheck: boolean },
): Promise<EmailOutcome> {
  const now = deps.clock.now();
  const claim = await claimSenderMessageId(tx, { channel: 'email', externalId: m.externalId, direction: 'in' }, now);
  if ('earlier' in claim) return earlierOutcome(claim.earlier);

  let customerId = await findMailCustomer(tx, m.sender);
  if (customerId && !m.skipLoopCheck) {
    const recent = await recentMailFrom(tx, customerId, now);
    if (loopVerdict('human', recent, deps.loopLimits ?? DEFAULT_LOOP_LIMITS) === 'quarantine') {
      throw new LoopSuspected(`loop_suspected: ${recent.total} mails from ${m.sender} within the hour`);
    }
  }
  customerId ??= await createMailCustomer(tx, m.sender, m.mail.fromName, now);

  const threaded = await threadedTicket(tx, customerId, m.mail.threadIds, m.mail.subject);
  const answered = threaded && threaded.status !== 'closed' ? threaded : undefined;
  const { ticket, messageId } = answered
    ? { ticket: answered, ...(await answerExistingTicket(tx, deps, answered, m.mail, m.stored, now)) }
    : await openTicketFromMail(tx, deps, { customerId, mail: m.mail, stored: m.stored, closedThread: threaded }, now);
  // Closed loop: a reply to a resolved ticket whose own words (the quoted mail left out) say 已解决 /
  // solved closes it, 未解决 / not solved reopens it; any other reply stays for the agent to read.
  const confirmation =
    answered?.status === 'resolved' ? readConfirmationReply(segmentWords(ownReplyText(m.mail.text))) : null;
  if (answered && confirmation) {
    const [current] = await tx.select().from(tickets).where(eq(tickets.id, answered.id));
    if (current) await applyCustomerAnswer(tx, current, confirmation, 'email', null, now);
  }
  await settleClaim(tx, claim.claimId, { customerId, ticketId: ticket.id, messageId });
  return {
    outcome: 'accepted',
    ticketId: ticket.id,
    ticketNumber: ticket.number,
    messageId,
    created: !answered,
    duplicate: false,
    attachments: m.stored.files.length,
  };
}
