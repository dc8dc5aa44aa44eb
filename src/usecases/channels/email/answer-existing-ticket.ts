import type { Tx } from '../../../db/client.js';
import type { Deps } from '../../deps.js';
import { screenCustomerMessage } from '../../quality/phrase-checks.js';
import type { InboundMail } from '../../../channels/email/parse-mail.js';
import { noteCustomerAnswer } from '../../tickets/customer-answer.js';
import { recordEvents } from '../../tickets/record-event.js';
import type { StoredAttachments } from './mail-attachments.js';
import { addMailFiles, insertMailMessage } from './mail-message.js';
import type { TicketRow } from './mail-thread.js';

/**
 * The customer answered on a ticket that is still open (or resolved and awaiting their
 * confirmation): the mail joins it as their message, and the ticket wakes up if it was waiting for
 * them. The agent decides whether a resolved ticket reopens.
 */
export async function answerExistingTicket(
  tx: Tx,
  deps: Pick<Deps, 'db' | 'priorityWeights'>,
  ticket: TicketRow,
  mail: InboundMail,
  stored: StoredAttachments,
  now: Date,
): Promise<{ messageId: string }> {
  const messageId = await insertMailMessage(tx, ticket.id, mail, now);
  const answered = await noteCustomerAnswer(tx, ticket, { id: messageId, channel: 'email' }, now);
  await recordEvents(tx, [answered, ...(await addMailFiles(tx, ticket.id, messageId, stored, now))]);
  const text = mail.text || mail.subject;
  await screenCustomerMessage(tx, deps, ticket.id, { id: messageId, channel: 'email', text }, now);
  return { messageId };
}
