// Rules for inbound email, pure: what is an auto-reply or a bounce, which ticket a subject names,
// when a sender looks like a mail loop, and how Message-IDs are compared. The intake use case
// turns a parsed mail into `MailFacts` and asks these functions; nothing here reads a clock or I/O.

/** What the rules need to know about one mail, as plain data. */
export type MailFacts = {
  /** The header From address (lower-cased), or null when there is none we can read. */
  from: string | null;
  /** The SMTP envelope sender; '' is the null reverse-path (<>) that bounces use. */
  envelopeFrom?: string | null;
  subject: string;
  /** Lower-cased header names → header text (only the headers the rules look at need to be present). */
  headers: Record<string, string>;
  /** Top-level media type, lower-cased, without parameters, e.g. "multipart/report". */
  contentType: string;
  /** The report-type parameter of a multipart/report, lower-cased. */
  reportType?: string | null;
};

export type MailKind = { kind: 'human' } | { kind: 'auto_reply'; reason: string } | { kind: 'bounce'; reason: string };

// Senders that only ever speak for a mail system.
const SYSTEM_SENDERS = /^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@/i;

// Anchored at the start of the subject: a complaint titled "关于自动回复短信的投诉" is not an auto-reply.
const BOUNCE_SUBJECT =
  /^\s*(undeliverable|undelivered mail|delivery status notification|delivery failure|mail delivery failed|mail delivery failure|mail delivery system|returned mail|failure notice|系统退信|退信|邮件退回|无法投递|投递失败|未能送达)/i;
const AUTO_REPLY_SUBJECT =
  /^\s*(自动回复|自動回覆|自动答复|自動回復|auto[- ]?reply|automatic reply|auto[- ]?response|autoreply|out of (the )?office|abwesenheitsnotiz|réponse automatique)/i;

/**
 * Classifies a mail as written by a person, an auto-responder (out of office, "we got your mail")
 * or a bounce (delivery report). Bounces win over auto-replies: a delivery report often also
 * carries Auto-Submitted.
 */
export function classifyMail(mail: MailFacts): MailKind {
  const h = (name: string) => mail.headers[name]?.trim().toLowerCase() ?? '';
  if (mail.contentType === 'multipart/report' && (mail.reportType ?? '') === 'delivery-status') {
    return { kind: 'bounce', reason: 'multipart/report; report-type=delivery-status' };
  }
  if (mail.from && SYSTEM_SENDERS.test(mail.from)) return { kind: 'bounce', reason: `sender ${mail.from}` };
  if (BOUNCE_SUBJECT.test(mail.subject)) return { kind: 'bounce', reason: `subject "${mail.subject.slice(0, 60)}"` };

  const autoSubmitted = h('auto-submitted');
  if (autoSubmitted && autoSubmitted !== 'no')
    return { kind: 'auto_reply', reason: `Auto-Submitted: ${autoSubmitted}` };
  if (mail.headers['x-autoreply'] !== undefined || mail.headers['x-autorespond'] !== undefined)
    return { kind: 'auto_reply', reason: 'X-Autoreply' };
  if (h('x-auto-response-suppress'))
    return { kind: 'auto_reply', reason: `X-Auto-Response-Suppress: ${h('x-auto-response-suppress')}` };
  const precedence = h('precedence');
  if (precedence === 'bulk' || precedence === 'junk' || precedence === 'auto_reply')
    return { kind: 'auto_reply', reason: `Precedence: ${precedence}` };
  if (AUTO_REPLY_SUBJECT.test(mail.subject))
    return { kind: 'auto_reply', reason: `subject "${mail.subject.slice(0, 60)}"` };
  if (mail.envelopeFrom === '') return { kind: 'auto_reply', reason: 'null envelope sender' };
  return { kind: 'human' };
}

/**
 * The ticket number a subject mentions (see formatTicketNumber: two letters, the date as YYYYMMDD,
 * a sequence of six or more digits), upper-cased, or null. "回复：[TS20261122000123] 宽带" → TS20261122000123.
 * The date part must be a plausible calendar date, so a long order number is not taken for one.
 */
export function ticketNumberInSubject(subject: string): string | null {
  for (const m of subject.matchAll(/(?<![A-Za-z0-9])([A-Za-z]{2})(\d{8})(\d{6,})(?!\d)/g)) {
    const date = m[2]!;
    const month = Number(date.slice(4, 6));
    const day = Number(date.slice(6, 8));
    const year = Number(date.slice(0, 4));
    if (year >= 2000 && year <= 2199 && month >= 1 && month <= 12 && day >= 1 && day <= 31)
      return `${m[1]!.toUpperCase()}${date}${m[3]}`;
  }
  return null;
}

/**
 * A Message-ID as we store and compare it: without angle brackets and surrounding space. The local
 * part is case-sensitive (RFC 5322), so case is kept.
 */
export function normaliseMessageId(raw: string): string | null {
  const trimmed = raw.trim().replace(/^<+/, '').replace(/>+$/, '').trim();
  if (!trimmed || trimmed.length > 500 || /\s/.test(trimmed)) return null;
  return trimmed;
}

/** Every Message-ID in an In-Reply-To / References header (they may hold several, in any spacing). */
export function messageIdsIn(value: string | string[] | undefined | null): string[] {
  if (!value) return [];
  const text = Array.isArray(value) ? value.join(' ') : value;
  const bracketed = [...text.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]!);
  const ids = bracketed.length > 0 ? bracketed : text.split(/[\s,]+/);
  return [...new Set(ids.map(normaliseMessageId).filter((id): id is string => id !== null))];
}

/**
 * The References header of a reply: the thread's ids oldest first, the newest last. RFC 5322 lets
 * a long thread be trimmed; we keep the first (the thread root) and the most recent ones.
 */
export function referencesHeader(threadIds: string[], max = 20): string[] {
  const unique = [...new Set(threadIds)];
  if (unique.length <= max) return unique;
  return [unique[0]!, ...unique.slice(unique.length - (max - 1))];
}

/** The original Message-ID quoted in a delivery report (message/rfc822 or text/rfc822-headers part). */
export function originalMessageIdInReport(parts: string[]): string | null {
  for (const part of parts) {
    const m = /^Message-ID:\s*<?([^\s<>]+)>?/im.exec(part);
    if (m) return normaliseMessageId(m[1]!);
  }
  return null;
}

// ——— Loop protection ———
// A mail loop is two robots answering each other (our future acknowledgements against an
// auto-responder, or a misconfigured forwarder). The defaults:
//  - at most 5 auto-replies/bounces per sender per hour are recorded (on the ticket as an internal
//    note); further ones in that hour are dropped, only the Message-ID is kept so redelivery stays a no-op;
//  - at most 30 mails of any kind per sender per hour become ticket messages; more than that looks
//    like a loop an auto-responder without the usual headers makes, so they are quarantined for an
//    administrator, who can retry them.

export type LoopLimits = { autoPerHour: number; totalPerHour: number };
export const DEFAULT_LOOP_LIMITS: LoopLimits = { autoPerHour: 5, totalPerHour: 30 };
export const LOOP_WINDOW_MS = 3_600_000;

export type LoopVerdict = 'accept' | 'drop' | 'quarantine';

/** `recent` counts this sender's mails already accepted in the last LOOP_WINDOW_MS (not this one). */
export function loopVerdict(
  kind: MailKind['kind'],
  recent: { auto: number; total: number },
  limits: LoopLimits = DEFAULT_LOOP_LIMITS,
): LoopVerdict {
  if (kind !== 'human') return recent.auto >= limits.autoPerHour ? 'drop' : 'accept';
  return recent.total >= limits.totalPerHour ? 'quarantine' : 'accept';
}

// ——— Size ———

/** 25 MiB, the common limit of public mail services; configurable on the listener. */
export const DEFAULT_MAX_MAIL_BYTES = 25 * 1024 * 1024;

export type SizeVerdict = { ok: true } | { ok: false; reason: string };

export function checkMailSize(size: number, maxBytes: number = DEFAULT_MAX_MAIL_BYTES): SizeVerdict {
  if (size <= maxBytes) return { ok: true };
  return { ok: false, reason: `too_large: ${size} bytes, the limit is ${maxBytes}` };
}

// ——— Well-formedness ———

/**
 * Why a parsed mail cannot become a ticket message, or null when it can. The parser accepts
 * nearly anything, so we check what we need: someone to answer and something they said.
 */
export function malformedReason(mail: {
  headerCount: number;
  from: string | null;
  hasBody: boolean;
  subject: string;
}): string | null {
  if (mail.headerCount === 0) return 'malformed: no header section';
  if (!mail.from) return 'malformed: no readable From address';
  if (!isPlausibleAddress(mail.from))
    return `malformed: From address "${mail.from.slice(0, 100)}" is not an email address`;
  if (!mail.hasBody && !mail.subject.trim()) return 'malformed: neither subject nor body';
  return null;
}

export function isPlausibleAddress(address: string): boolean {
  return address.length <= 254 && /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/.test(address);
}

/**
 * The subject of our reply: "Re: <subject> [TS…]" so the customer's client threads it and a reply
 * that loses its headers still finds the ticket by number.
 */
export function replySubject(subject: string, ticketNumber: string): string {
  const base = subject.trim().replace(/^((re|回复|答复|回覆)\s*[:：]\s*)+/i, '');
  const withNumber = base.includes(ticketNumber) ? base : `${base} [${ticketNumber}]`.trim();
  return `Re: ${withNumber}`;
}

// Where the quoted earlier mail starts in a reply: "> …" lines, "On … wrote:", "在 … 写道：",
// Outlook's and Foxmail's "-----Original Message-----" / "-----原始邮件-----", or a "From:/发件人:" block.
const QUOTE_START = [
  /^>/,
  /^on\b.*\bwrote:\s*$/i,
  /^在.*写道[:：]\s*$/,
  /^-{2,}\s*(original message|原始邮件|forwarded message|转发邮件)/i,
  /^_{5,}\s*$/,
  /^(from|发件人)\s*[:：]/i,
];

/**
 * What the customer wrote in a reply, without the mail it quotes: the lines before the first
 * quote marker (see QUOTE_START), trimmed. Our own text quoted below ("回复已解决或未解决……")
 * must not be read as the customer's words.
 */
export function ownReplyText(text: string): string {
  const own: string[] = [];
  for (const line of text.split('\n')) {
    if (QUOTE_START.some((re) => re.test(line.trim()))) break;
    own.push(line);
  }
  return own.join('\n').trim();
}
