import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Transporter as NodemailerTransporter } from 'nodemailer';

/** What sending needs of a nodemailer transport (the job registry passes one that loads nodemailer on first use). */
export type Transporter = Pick<NodemailerTransporter, 'sendMail'>;
import { v7 as uuidv7 } from 'uuid';
import { referencesHeader, replySubject } from '../../core/channels/email-rules.js';
import { channelMessages, tickets } from '../../db/schema.js';
import { renderBody, sanitizeMessageHtml } from '../../presenters/messages.js';
import { isHtmlBody, plainBody, portalLinkUrl } from '../outbound/senders.js';
import type { OutboundSender, OutboxItem } from '../../usecases/channels/outbound.js';
import type { Deps } from '../../usecases/deps.js';
import type { OutboxPayload } from '../../contracts/events.js';
import type { AttachmentStorage } from '../../storage/attachment-storage.js';

// Agents' replies by email. Each outbox row is one mail whose Message-ID is derived from the row id,
// so a retried delivery sends the very same message (the customer's client shows it once) and the
// customer's answer — In-Reply-To that id — threads back onto the ticket. In-Reply-To and
// References come from the ticket's mail thread, so the customer's client threads our reply
// under their own mail; the subject carries the ticket number for replies that lose their headers.

export type EmailSenderOptions = {
  /** The From of replies, e.g. "中国电信客服 <service@kf.example.cn>"; customers answer to it. */
  from: string;
  /** Right-hand side of our Message-IDs, e.g. "kf.example.cn". */
  messageIdDomain: string;
  /** Where customers follow the ticket in the portal (a signed link is added when the reply has one). */
  publicUrl?: string;
  /** Where files that mails carry are stored (scheduled reports attach their export). */
  storage?: AttachmentStorage;
};

type ReplyPayload = {
  kind?: string;
  messageId?: string;
  ticketNumber?: string;
  subject?: string;
  body?: string;
  text?: string;
  portalLink?: string;
};

/** The Message-ID (without brackets) our mail for an outbox row has, stable across retries. */
export const outboundMessageId = (outboxId: string, domain: string) => `${outboxId}@${domain}`;

/**
 * Sends one outbox row of channel "email" through nodemailer. Records its Message-ID on the
 * ticket's thread first (direction "out"), so a customer answering within seconds still threads.
 * Throws to have the row retried by deliverOutbox.
 */
export async function deliverOutboxEmail(
  deps: Deps,
  transporter: Transporter,
  opts: EmailSenderOptions,
  item: OutboxItem,
): Promise<void> {
  const messageId = outboundMessageId(item.id, opts.messageIdDomain);
  if (item.payload.kind === 'scheduled_report')
    return sendScheduledReport(transporter, opts, item.recipient, messageId, item.payload);
  const p = item.payload as ReplyPayload;
  let subject = p.subject ?? '';
  let number = p.ticketNumber ?? '';
  let inReplyTo: string | undefined;
  let references: string[] = [];

  if (item.ticketId) {
    const [ticket] = await deps.db
      .select({ number: tickets.number, subject: tickets.subject, customerId: tickets.customerId })
      .from(tickets)
      .where(eq(tickets.id, item.ticketId));
    if (!ticket) throw new Error(`ticket ${item.ticketId} of outbox row ${item.id} not found`);
    number ||= ticket.number;
    subject ||= ticket.subject;
    const thread = await deps.db
      .select({ externalId: channelMessages.externalId, direction: channelMessages.direction })
      .from(channelMessages)
      .where(
        and(
          eq(channelMessages.channel, 'email'),
          eq(channelMessages.ticketId, item.ticketId),
          inArray(channelMessages.direction, ['in', 'out']),
        ),
      )
      .orderBy(asc(channelMessages.receivedAt), asc(channelMessages.id));
    const earlier = thread.filter((t) => t.externalId !== messageId);
    inReplyTo = earlier.filter((t) => t.direction === 'in').at(-1)?.externalId ?? earlier.at(-1)?.externalId;
    references = referencesHeader(earlier.map((t) => t.externalId));

    await deps.db
      .insert(channelMessages)
      .values({
        id: uuidv7(),
        channel: 'email',
        externalId: messageId,
        direction: 'out',
        ticketId: item.ticketId,
        customerId: ticket.customerId,
        // The reply's message, written in the same transaction as this outbox row.
        messageId: p.messageId ?? null,
        receivedAt: deps.clock.now(),
      })
      .onConflictDoNothing();
  }

  const body = (p.text ?? p.body ?? '').trim();
  const isHtml = isHtmlBody(body);
  const link = opts.publicUrl && p.portalLink ? portalLinkUrl(opts.publicUrl, p.portalLink) : null;
  const footer = [
    number ? `工单号 Ticket: ${number}` : null,
    link ? `查看进度 Follow your ticket: ${link}` : null,
    '请直接回复本邮件，勿修改主题中的工单号。Please reply to this mail and keep the ticket number in the subject.',
  ]
    .filter(Boolean)
    .join('\n');

  await transporter.sendMail({
    from: opts.from,
    to: item.recipient,
    subject: number ? replySubject(subject, number) : subject,
    messageId: `<${messageId}>`,
    ...(inReplyTo ? { inReplyTo: `<${inReplyTo}>` } : {}),
    ...(references.length > 0 ? { references: references.map((r) => `<${r}>`) } : {}),
    text: `${plainBody(body)}\n\n--\n${footer}\n`,
    ...(isHtml ? { html: `${sanitizeMessageHtml(body)}<hr><p>${renderBody(footer, 'text')}</p>` } : {}),
    headers: { ...(number ? { 'X-Loopdesk-Ticket': number } : {}) },
  });
}

/** A scheduled KPI report: a plain mail (no ticket thread) with the stored export attached. */
async function sendScheduledReport(
  transporter: Transporter,
  opts: EmailSenderOptions,
  to: string,
  messageId: string,
  p: Extract<OutboxPayload, { kind: 'scheduled_report' }>,
): Promise<void> {
  if (!opts.storage) throw new Error('no file storage is configured for mail attachments');
  await transporter.sendMail({
    from: opts.from,
    to,
    subject: p.subject,
    messageId: `<${messageId}>`,
    text: `${p.text}\n`,
    attachments: [
      {
        filename: p.attachment.fileName,
        content: opts.storage.get(p.attachment.storageKey),
        contentType: p.attachment.contentType,
      },
    ],
    headers: { 'X-Loopdesk-Report': p.scheduleId, 'Auto-Submitted': 'auto-generated' },
  });
}

/** The outbound sender for `deliverOutbox(deps, { email: emailSender(...) })`. */
export function emailSender(deps: Deps, transporter: Transporter, opts: EmailSenderOptions): OutboundSender {
  return (item) => deliverOutboxEmail(deps, transporter, opts, item);
}
