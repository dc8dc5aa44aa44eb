import type { Tx } from '../../../db/client.js';
import type { InboundMail } from '../../../channels/email/parse-mail.js';
import type { Deps } from '../../deps.js';
import { markRepeat } from '../../tickets/link-tickets.js';
import { recordEvents } from '../../tickets/record-event.js';
import { openCustomerTicket } from '../open-customer-ticket.js';
import type { StoredAttachments } from './mail-attachments.js';
import { addMailFiles, insertMailMessage } from './mail-message.js';
import type { TicketRow } from './mail-thread.js';

/** Longest ticket description we take from a mail body; the full body stays on the message. */
const DESCRIPTION_LIMIT = 10_000;

/**
 * A new ticket from the customer's mail, with the mail as its first message. When the mail answers
 * a closed ticket — the customer came back about a finished matter — the new one is linked to it as
 * a repeat contact.
 */
export async function openTicketFromMail(
  tx: Tx,
  deps: Deps,
  m: { customerId: string; mail: InboundMail; stored: StoredAttachments; closedThread: TicketRow | undefined },
  now: Date,
): Promise<{ ticket: { id: string; number: string }; messageId: string }> {
  const ticket = await openCustomerTicket(
    tx,
    deps,
    {
      channel: 'email',
      customerId: m.customerId,
      subject: m.mail.subject.slice(0, 200) || undefined,
      description: (m.mail.text || m.mail.subject).slice(0, DESCRIPTION_LIMIT),
    },
    now,
  );
  const messageId = await insertMailMessage(tx, ticket.id, m.mail, now);
  const repeat = m.closedThread ? [await markRepeat(tx, ticket.id, m.closedThread, { via: 'email_reply' }, now)] : [];
  await recordEvents(tx, [...repeat, ...(await addMailFiles(tx, ticket.id, messageId, m.stored, now))]);
  return { ticket, messageId };
}
