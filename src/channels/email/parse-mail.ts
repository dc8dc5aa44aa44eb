import { createHash } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import {
  classifyMail,
  messageIdsIn,
  normaliseMessageId,
  originalMessageIdInReport,
  type MailFacts,
  type MailKind,
} from '../../core/channels/email-rules.js';
import { htmlToPlain, sanitizeMessageHtml } from '../../presenters/messages.js';

// Raw RFC 5322 bytes → a plain `InboundMail`: everything the intake needs, decoded (GB2312, GBK,
// Big5, UTF-8, encoded words, base64, quoted-printable: mailparser with iconv-lite), with no
// mailparser types past this file. `parseMail` is the only step with a library in it;
// `inboundMailOf`, `mailKindOf` and `claimIdOf` are pure.

/** The SMTP envelope: who the sending server said the mail is from ('' for bounces: <>) and to. */
export type Envelope = { from: string | null; to: string[] };

export type MailAttachment = {
  /** As the sender named it (decoded), or null. */
  fileName: string | null;
  /** The MIME type the sender declared (mail clients often say application/octet-stream). */
  contentType: string;
  content: Buffer;
  /** mailparser's MD5 of the content, stable across deliveries of the same mail. */
  checksum: string;
};

export type InboundMail = {
  /** The header From address (the first readable one), trimmed and lower-cased; null when none. */
  from: string | null;
  /** The display name of the first From address, as written. */
  fromName: string | null;
  /** Decoded and trimmed; '' when there is none. */
  subject: string;
  /** The text/plain part, or the text of the HTML part; line ends normalised, trimmed. */
  text: string;
  /** The HTML part through the allow-list; null for plain-text mail. */
  html: string | null;
  /** Header lines as parsed: 0 means the bytes had no header section. */
  headerCount: number;
  /** The Message-ID without angle brackets, or null when missing or unusable. */
  messageId: string | null;
  date: Date | null;
  /** The Message-IDs this mail answers: In-Reply-To, then References. */
  threadIds: string[];
  /** Every non-inline part, delivery-report parts included (they stay readable as attachments). */
  attachments: MailAttachment[];
  /** What the auto-reply and bounce rules read (`core/channels/email-rules`), without the envelope. */
  facts: Omit<MailFacts, 'envelopeFrom'>;
  /** The Message-ID a delivery report quotes (the mail of ours that bounced), or null. */
  reportedMessageId: string | null;
};

/** Parses raw bytes; throws only for bytes mailparser cannot read at all. */
export async function parseMail(raw: Buffer): Promise<InboundMail> {
  // keepDeliveryStatus: a bounce's report parts stay readable as attachments.
  // skipHtmlToText: `text` is only a real text/plain part; the plain version of HTML-only mail is
  // made from the sanitised HTML below, so it never carries script text or javascript: links.
  const { simpleParser } = await import('mailparser'); // loaded with the first mail (memory at start)
  const parsed = await simpleParser(raw, {
    keepDeliveryStatus: true,
    skipHtmlToText: true,
    skipImageLinks: true,
    maxHtmlLengthToParse: 5_000_000,
  });
  return inboundMailOf(parsed);
}

/** Parses, or says why the bytes cannot be read: the reason a quarantined mail is held for. */
export async function readMail(raw: Buffer): Promise<{ mail: InboundMail } | { unreadable: string }> {
  try {
    return { mail: await parseMail(raw) };
  } catch (err) {
    return { unreadable: `unparseable: ${(err instanceof Error ? err.message : String(err)).slice(0, 300)}` };
  }
}

/**
 * The id the intake claims for a mail: its Message-ID. Without one (rare, and only from broken
 * software) a hash of what the sender wrote stands in — not of the raw bytes, whose Received lines
 * differ per delivery path — so a redelivery is still one message.
 */
export function claimIdOf(mail: InboundMail & { from: string }): string {
  if (mail.messageId) return mail.messageId;
  const written = [
    mail.from,
    mail.date?.toISOString() ?? '',
    mail.subject,
    mail.text,
    ...mail.attachments.map((a) => a.checksum),
  ];
  return `${createHash('sha256').update(written.join('\n')).digest('hex')}@no-message-id.loopdesk.invalid`;
}

/** Auto-reply, bounce or a person: the core's rules over the mail and its envelope sender. */
export const mailKindOf = (mail: InboundMail, envelope: Envelope): MailKind =>
  classifyMail({ ...mail.facts, envelopeFrom: envelope.from });

export function inboundMailOf(mail: ParsedMail): InboundMail {
  const from =
    mail.from?.value
      .find((a) => a.address)
      ?.address?.trim()
      .toLowerCase() ?? null;
  const subject = (mail.subject ?? '').trim();
  const html = typeof mail.html === 'string' && mail.html.trim() !== '' ? mail.html : null;
  const attachments = mail.attachments.map((a) => ({
    fileName: a.filename ?? null,
    contentType: a.contentType,
    content: a.content,
    checksum: a.checksum,
  }));
  const reportParts = attachments
    .filter((a) => /^(message\/|text\/rfc822-headers)/i.test(a.contentType))
    .map((a) => a.content.toString('utf8'));
  return {
    from,
    fromName: mail.from?.value[0]?.name ?? null,
    subject,
    text: plainTextOf(mail),
    html: html === null ? null : sanitizeMessageHtml(html),
    headerCount: mail.headerLines.length,
    messageId: mail.messageId ? normaliseMessageId(mail.messageId) : null,
    date: mail.date ?? null,
    threadIds: [...messageIdsIn(mail.inReplyTo), ...messageIdsIn(mail.references)],
    attachments,
    facts: { from, subject, ...ruleFactsOf(mail) },
    reportedMessageId: originalMessageIdInReport(reportParts),
  };
}

function plainTextOf(mail: ParsedMail): string {
  const text = mail.text?.trim() ? mail.text : typeof mail.html === 'string' ? htmlToPlain(mail.html) : '';
  return text
    .replace(/\r\n/g, '\n')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const RULE_HEADERS = ['auto-submitted', 'x-autoreply', 'x-autorespond', 'x-auto-response-suppress', 'precedence'];

function ruleFactsOf(mail: ParsedMail): Pick<MailFacts, 'headers' | 'contentType' | 'reportType'> {
  const headers: Record<string, string> = {};
  for (const name of RULE_HEADERS) if (mail.headers.has(name)) headers[name] = headerText(mail.headers.get(name));
  const ct = mail.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  return {
    headers,
    contentType: (ct?.value ?? 'text/plain').toLowerCase(),
    reportType: ct?.params?.['report-type']?.toLowerCase() ?? null,
  };
}

function headerText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(headerText).join(', ');
  if (typeof value === 'object') {
    const v = value as { value?: unknown; text?: unknown };
    if (typeof v.text === 'string') return v.text;
    if (typeof v.value === 'string') return v.value;
  }
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}
