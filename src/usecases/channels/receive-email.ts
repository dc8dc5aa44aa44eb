import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { and, desc, eq, gt, inArray, isNotNull, sql } from 'drizzle-orm';
import { simpleParser, type Attachment, type ParsedMail } from 'mailparser';
import { v7 as uuidv7 } from 'uuid';
import {
  classifyMail,
  DEFAULT_LOOP_LIMITS,
  DEFAULT_MAX_MAIL_BYTES,
  checkMailSize,
  loopVerdict,
  LOOP_WINDOW_MS,
  malformedReason,
  messageIdsIn,
  normaliseMessageId,
  originalMessageIdInReport,
  ticketNumberInSubject,
  type LoopLimits,
  type MailFacts,
  type MailKind,
} from '../../core/channels/email-rules.js';
import type { DbOrTx, Tx } from '../../db/client.js';
import {
  attachments,
  channelMessages,
  customerIdentities,
  customers,
  quarantinedMail,
  ticketMessages,
  tickets,
} from '../../db/schema.js';
import { htmlToPlain, sanitizeMessageHtml } from '../../presenters/messages.js';
import { ALLOWED_ATTACHMENT_TYPES, type AttachmentDeps } from '../attachments/attachments.js';
import { noteCustomerAnswer } from '../tickets/customer-answer.js';
import { markRepeat } from '../tickets/link-tickets.js';
import { recordEvent, recordEvents, type TimelineEntry } from '../tickets/record-event.js';
import { openCustomerTicket } from './open-customer-ticket.js';

// Email intake (邮件渠道). One mail becomes one public customer message: on the ticket its
// In-Reply-To/References point to, or the ticket its subject names, or a new ticket. The Message-ID
// is claimed in the same transaction as everything else (unique on channel + external id, like the
// webhooks), so a redelivered or concurrently duplicated mail is a no-op, and the SMTP listener
// answers 250 only after that transaction committed. Auto-replies and bounces are recorded, never
// opened as tickets; mail we cannot use is quarantined with the raw bytes for an administrator.

/** The attachment dependencies (storage; `maxBytes` per attachment, as for uploads) plus mail limits. */
export type EmailDeps = AttachmentDeps & {
  /** Whole message, as received over SMTP. */
  maxMailBytes?: number;
  loopLimits?: LoopLimits;
};

export type Envelope = { from: string | null; to: string[] };

export type EmailOutcome =
  | {
      outcome: 'accepted';
      ticketId: string;
      ticketNumber: string;
      messageId: string;
      created: boolean;
      duplicate: boolean;
      attachments: number;
    }
  | { outcome: 'recorded'; kind: 'auto_reply' | 'bounce'; ticketId: string | null; duplicate: boolean }
  | { outcome: 'dropped'; reason: string }
  | { outcome: 'quarantined'; quarantineId: string; reason: string };

/** Longest ticket description we take from a mail body; the full body stays on the message. */
const DESCRIPTION_LIMIT = 10_000;
const BODY_LIMIT = 500_000;
/** Auto-replies are kept on the ticket as a short internal note, not their full text. */
const AUTO_NOTE_LIMIT = 2_000;
/** Of an oversized mail only the head is kept, for the administrator to see who sent what. */
export const QUARANTINE_HEAD_BYTES = 64 * 1024;

/** Parses raw RFC 5322 bytes and takes them in; unreadable or oversized mail is quarantined. */
export async function acceptRawEmail(deps: EmailDeps, raw: Buffer, envelope: Envelope): Promise<EmailOutcome> {
  const size = checkMailSize(raw.length, deps.maxMailBytes ?? DEFAULT_MAX_MAIL_BYTES);
  if (!size.ok) return quarantine(deps, raw.subarray(0, QUARANTINE_HEAD_BYTES), envelope, size.reason, raw.length);
  let mail: ParsedMail;
  try {
    mail = await parseMail(raw);
  } catch (err) {
    return quarantine(deps, raw, envelope, `unparseable: ${errorText(err)}`);
  }
  return receiveEmail(deps, { mail, raw, envelope });
}

export function parseMail(raw: Buffer): Promise<ParsedMail> {
  // keepDeliveryStatus: a bounce's report parts stay readable as attachments.
  // skipHtmlToText: `text` is only a real text/plain part; the plain version of HTML-only mail is
  // made from the sanitised HTML below, so it never carries script text or javascript: links.
  return simpleParser(raw, {
    keepDeliveryStatus: true,
    skipHtmlToText: true,
    skipImageLinks: true,
    maxHtmlLengthToParse: 5_000_000,
  });
}

type ReceiveInput = {
  mail: ParsedMail;
  /** The bytes the mail was parsed from: kept when the mail is quarantined. */
  raw: Buffer;
  envelope: Envelope;
  /** Set when an administrator retries a quarantined mail: no loop check, and that row is updated. */
  retryOf?: string;
};

/** Takes in one parsed mail. Safe to call again with the same mail: the second call changes nothing. */
export async function receiveEmail(deps: EmailDeps, input: ReceiveInput): Promise<EmailOutcome> {
  const { mail, raw, envelope } = input;
  const sender =
    mail.from?.value
      .find((a) => a.address)
      ?.address?.trim()
      .toLowerCase() ?? null;
  const subject = (mail.subject ?? '').trim();
  const plain = plainTextOf(mail);
  const malformed = malformedReason({
    headerCount: mail.headerLines.length,
    from: sender,
    hasBody: plain.length > 0 || mail.attachments.length > 0,
    subject,
  });
  if (malformed || sender === null)
    return quarantine(deps, raw, envelope, malformed ?? 'malformed: no sender', raw.length, input.retryOf);

  const facts = factsOf(mail, sender, envelope);
  const kind = classifyMail(facts);
  // No Message-ID (rare, and only from broken software): a hash of what the sender wrote stands in
  // (not of the raw bytes, whose Received lines differ per delivery path), so a redelivery is still one message.
  const externalId =
    (mail.messageId && normaliseMessageId(mail.messageId)) ||
    `${createHash('sha256')
      .update(
        [sender, mail.date?.toISOString() ?? '', subject, plain, ...mail.attachments.map((a) => a.checksum)].join('\n'),
      )
      .digest('hex')}@no-message-id.loopdesk.invalid`;

  // Fast path for the common redelivery: nothing to store.
  const seen = await findClaim(deps.db, externalId);
  if (seen) return replay(seen);

  if (kind.kind !== 'human') return recordAutomatic(deps, { mail, facts, kind, sender, externalId });

  const stored = await storeAttachments(deps, mail.attachments);
  try {
    const outcome = await deps.db.transaction((tx) =>
      takeIn(tx, deps, {
        mail,
        sender,
        subject,
        plain,
        externalId,
        stored,
        skipLoopCheck: input.retryOf !== undefined,
      }),
    );
    if (outcome.outcome !== 'accepted' || outcome.duplicate) await removeStored(deps, stored);
    if (input.retryOf && outcome.outcome === 'accepted') {
      await deps.db
        .update(quarantinedMail)
        .set({ retriedAt: deps.clock.now(), resolvedTicketId: outcome.ticketId })
        .where(eq(quarantinedMail.id, input.retryOf));
    }
    return outcome;
  } catch (err) {
    await removeStored(deps, stored);
    if (err instanceof LoopSuspected) return quarantine(deps, raw, envelope, err.message, raw.length, input.retryOf);
    throw err;
  }
}

class LoopSuspected extends Error {}

type StoredAttachment = { id: string; fileName: string; contentType: string; size: number; sha256: string };
type Stored = { files: StoredAttachment[]; skipped: { fileName: string; reason: string }[] };

async function takeIn(
  tx: Tx,
  deps: EmailDeps,
  m: {
    mail: ParsedMail;
    sender: string;
    subject: string;
    plain: string;
    externalId: string;
    stored: Stored;
    skipLoopCheck: boolean;
  },
): Promise<EmailOutcome> {
  const now = deps.clock.now();
  const claim = await claimMessageId(tx, m.externalId, 'in', now);
  if ('replay' in claim) return claim.replay;
  const { claimId } = claim;

  let customerId = await findCustomer(tx, m.sender);
  if (customerId && !m.skipLoopCheck) {
    const recent = await recentFrom(tx, customerId, now);
    if (loopVerdict('human', recent, deps.loopLimits ?? DEFAULT_LOOP_LIMITS) === 'quarantine') {
      throw new LoopSuspected(`loop_suspected: ${recent.total} mails from ${m.sender} within the hour`);
    }
  }
  customerId ??= await createCustomer(tx, m.sender, m.mail.from?.value[0]?.name, now);

  const threaded = await threadedTicket(
    tx,
    customerId,
    [...messageIdsIn(m.mail.inReplyTo), ...messageIdsIn(m.mail.references)],
    m.subject,
  );
  // A resolved ticket awaits the customer's confirmation: their answer joins it (the agent decides
  // whether to reopen). A closed ticket is finished: the mail opens a new one, linked as a repeat contact.
  const open = threaded && threaded.status !== 'closed' ? threaded : undefined;
  const ticket =
    open ??
    (await openCustomerTicket(
      tx,
      deps,
      {
        channel: 'email',
        customerId,
        subject: m.subject.slice(0, 200) || undefined,
        description: (m.plain || m.subject).slice(0, DESCRIPTION_LIMIT),
      },
      now,
    ));

  const messageId = uuidv7();
  const html = typeof m.mail.html === 'string' && m.mail.html.trim() !== '' ? sanitizeMessageHtml(m.mail.html) : null;
  await tx.insert(ticketMessages).values({
    id: messageId,
    ticketId: ticket.id,
    fromCustomer: true,
    visibility: 'public',
    channel: 'email',
    // HTML mail keeps its (sanitised) formatting; the plain-text version is the ticket description and search text.
    body: (html ?? (m.plain || m.subject)).slice(0, BODY_LIMIT),
    bodyFormat: html ? 'html' : 'text',
    createdAt: now,
  });

  const events: TimelineEntry[] = [];
  if (open) {
    events.push(await noteCustomerAnswer(tx, open, { id: messageId, channel: 'email' }, now));
  } else if (threaded) {
    // The customer came back about a closed matter.
    events.push(await markRepeat(tx, ticket.id, threaded, { via: 'email_reply' }, now));
  }

  if (m.stored.files.length > 0) {
    await tx.insert(attachments).values(
      m.stored.files.map((f) => ({
        ...f,
        ticketId: ticket.id,
        messageId,
        storageKey: f.id,
        uploadedById: null,
        createdAt: now,
      })),
    );
    for (const f of m.stored.files)
      events.push({
        ticketId: ticket.id,
        actorId: null,
        kind: 'attachment_added',
        at: now,
        data: { attachmentId: f.id, fileName: f.fileName, size: f.size, messageId },
      });
  }
  if (m.stored.skipped.length > 0) {
    const noteId = uuidv7();
    const lines = m.stored.skipped.map((s) => `· ${s.fileName}：${s.reason}`);
    await tx.insert(ticketMessages).values({
      id: noteId,
      ticketId: ticket.id,
      fromCustomer: false,
      visibility: 'internal',
      channel: 'email',
      body: `客户邮件中有附件未保存 (attachments not kept):\n${lines.join('\n')}`,
      createdAt: now,
    });
    events.push({
      ticketId: ticket.id,
      actorId: null,
      kind: 'message_added',
      at: now,
      data: { messageId: noteId, visibility: 'internal', skippedAttachments: m.stored.skipped },
    });
  }
  await recordEvents(tx, events);
  await tx
    .update(channelMessages)
    .set({ customerId, ticketId: ticket.id, messageId })
    .where(eq(channelMessages.id, claimId));
  return {
    outcome: 'accepted',
    ticketId: ticket.id,
    ticketNumber: ticket.number,
    messageId,
    created: !open,
    duplicate: false,
    attachments: m.stored.files.length,
  };
}

/**
 * Auto-replies and bounces: the Message-ID is claimed (so redelivery is a no-op) and, when the mail
 * answers one of a ticket's messages, an internal note tells the agent (the customer is away, or
 * our reply did not arrive). Never a new ticket, never a customer, never a status change.
 */
async function recordAutomatic(
  deps: EmailDeps,
  m: {
    mail: ParsedMail;
    facts: MailFacts;
    kind: Exclude<MailKind, { kind: 'human' }>;
    sender: string;
    externalId: string;
  },
): Promise<EmailOutcome> {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const claim = await claimMessageId(tx, m.externalId, 'auto', now);
    if ('replay' in claim) return claim.replay;
    const { claimId } = claim;
    const customerId = await findCustomer(tx, m.sender);
    const recent = customerId ? await recentFrom(tx, customerId, now) : { auto: 0, total: 0 };
    if (loopVerdict(m.kind.kind, recent, deps.loopLimits ?? DEFAULT_LOOP_LIMITS) === 'drop') {
      await tx.update(channelMessages).set({ customerId }).where(eq(channelMessages.id, claimId));
      return {
        outcome: 'dropped',
        reason: `more than ${recent.auto} automatic mails from ${m.sender} within the hour`,
      };
    }
    const reportParts = m.mail.attachments
      .filter((a) => /^(message\/|text\/rfc822-headers)/i.test(a.contentType))
      .map((a) => a.content.toString('utf8'));
    const original = m.kind.kind === 'bounce' ? originalMessageIdInReport(reportParts) : null;
    const ids = [
      ...messageIdsIn(m.mail.inReplyTo),
      ...messageIdsIn(m.mail.references),
      ...(original ? [original] : []),
    ];
    const ticket = await ticketByMessageIds(tx, ids);
    let messageId: string | null = null;
    if (ticket) {
      messageId = uuidv7();
      const label = m.kind.kind === 'bounce' ? '退信 (bounce)' : '自动回复 (auto-reply)';
      const text = plainTextOf(m.mail).slice(0, AUTO_NOTE_LIMIT);
      await tx.insert(ticketMessages).values({
        id: messageId,
        ticketId: ticket.id,
        fromCustomer: false,
        visibility: 'internal',
        channel: 'email',
        body: `${label} ${m.sender}: ${m.facts.subject}\n${m.kind.reason}\n\n${text}`.trim(),
        createdAt: now,
      });
      await recordEvent(tx, {
        ticketId: ticket.id,
        actorId: null,
        kind: 'message_added',
        at: now,
        data: { messageId, visibility: 'internal', automatic: m.kind.kind },
      });
    }
    await tx
      .update(channelMessages)
      .set({ customerId, ticketId: ticket?.id ?? null, messageId })
      .where(eq(channelMessages.id, claimId));
    return { outcome: 'recorded', kind: m.kind.kind, ticketId: ticket?.id ?? null, duplicate: false };
  });
}

type Claim = { direction: string; ticketId: string | null; messageId: string | null; number: string | null };

/**
 * Claims the Message-ID for this delivery. If a concurrent delivery of the same mail got there
 * first, we waited on its row and now answer with what it did.
 */
async function claimMessageId(
  tx: Tx,
  externalId: string,
  direction: 'in' | 'auto',
  now: Date,
): Promise<{ claimId: string } | { replay: EmailOutcome }> {
  const claimId = uuidv7();
  const claimed = await tx
    .insert(channelMessages)
    .values({ id: claimId, channel: 'email', externalId, direction, receivedAt: now })
    .onConflictDoNothing()
    .returning({ id: channelMessages.id });
  if (claimed.length > 0) return { claimId };
  const row = await findClaim(tx, externalId);
  if (!row) throw new Error('email claim conflicted but is not visible');
  return { replay: replay(row) };
}

async function findClaim(db: DbOrTx, externalId: string): Promise<Claim | undefined> {
  const [row] = await db
    .select({
      direction: channelMessages.direction,
      ticketId: channelMessages.ticketId,
      messageId: channelMessages.messageId,
      number: tickets.number,
    })
    .from(channelMessages)
    .leftJoin(tickets, eq(tickets.id, channelMessages.ticketId))
    .where(and(eq(channelMessages.channel, 'email'), eq(channelMessages.externalId, externalId)));
  return row;
}

function replay(row: Claim): EmailOutcome {
  if (row.direction === 'in' && row.ticketId && row.messageId && row.number) {
    return {
      outcome: 'accepted',
      ticketId: row.ticketId,
      ticketNumber: row.number,
      messageId: row.messageId,
      created: false,
      duplicate: true,
      attachments: 0,
    };
  }
  if (row.direction === 'out') return { outcome: 'dropped', reason: 'a copy of a mail we sent' };
  if (row.direction === 'auto')
    return { outcome: 'recorded', kind: 'auto_reply', ticketId: row.ticketId, duplicate: true };
  throw new Error('accepted email without its ticket'); // claim and ticket commit together
}

async function findCustomer(tx: Tx, address: string): Promise<string | null> {
  const [known] = await tx
    .select({ id: customerIdentities.customerId })
    .from(customerIdentities)
    .where(and(eq(customerIdentities.channel, 'email'), eq(customerIdentities.externalUserId, address)));
  return known?.id ?? null;
}

/** Someone we do not know yet: a new profile (未登记客户) with their address, to be completed by the agent. */
async function createCustomer(tx: Tx, address: string, displayName: string | undefined, now: Date): Promise<string> {
  const id = uuidv7();
  await tx
    .insert(customers)
    .values({ id, name: displayName?.trim().slice(0, 100) || '未登记客户', createdAt: now, updatedAt: now });
  const inserted = await tx
    .insert(customerIdentities)
    .values({ channel: 'email', externalUserId: address, customerId: id, createdAt: now })
    .onConflictDoNothing()
    .returning({ id: customerIdentities.customerId });
  if (inserted.length > 0) return id;
  // Another mail from the same new sender committed first: use that profile.
  await tx.delete(customers).where(eq(customers.id, id));
  const existing = await findCustomer(tx, address);
  if (!existing) throw new Error(`email identity ${address} conflicted but is not visible`);
  return existing;
}

async function recentFrom(tx: Tx, customerId: string, now: Date): Promise<{ auto: number; total: number }> {
  const [row] = await tx
    .select({
      total: sql<number>`count(*)::int`,
      auto: sql<number>`(count(*) filter (where ${channelMessages.direction} = 'auto'))::int`,
    })
    .from(channelMessages)
    .where(
      and(
        eq(channelMessages.channel, 'email'),
        eq(channelMessages.customerId, customerId),
        inArray(channelMessages.direction, ['in', 'auto']),
        gt(channelMessages.receivedAt, new Date(now.getTime() - LOOP_WINDOW_MS)),
      ),
    );
  return { auto: Number(row?.auto ?? 0), total: Number(row?.total ?? 0) };
}

type TicketRow = typeof tickets.$inferSelect;

/**
 * The ticket a reply belongs to: one whose inbound or outbound mail it answers (In-Reply-To,
 * References), else the ticket number in its subject — the latter only for the ticket's own
 * customer, since anyone can type a number. A merged ticket leads to the one it was merged into.
 */
async function threadedTicket(
  tx: Tx,
  customerId: string,
  ids: string[],
  subject: string,
): Promise<TicketRow | undefined> {
  let ticket = await ticketByMessageIds(tx, ids);
  if (!ticket) {
    const number = ticketNumberInSubject(subject);
    if (number) {
      [ticket] = await tx
        .select()
        .from(tickets)
        .where(and(eq(tickets.number, number), eq(tickets.customerId, customerId)));
    }
  }
  for (let hops = 0; ticket?.mergedIntoId && hops < 5; hops++) {
    [ticket] = await tx.select().from(tickets).where(eq(tickets.id, ticket.mergedIntoId));
  }
  if (!ticket) return undefined;
  const [locked] = await tx.select().from(tickets).where(eq(tickets.id, ticket.id)).for('update');
  return locked;
}

async function ticketByMessageIds(tx: Tx, ids: string[]): Promise<TicketRow | undefined> {
  if (ids.length === 0) return undefined;
  const [row] = await tx
    .select({ ticket: tickets })
    .from(channelMessages)
    .innerJoin(tickets, eq(tickets.id, channelMessages.ticketId))
    .where(
      and(
        eq(channelMessages.channel, 'email'),
        inArray(channelMessages.externalId, ids.slice(0, 100)),
        isNotNull(channelMessages.ticketId),
      ),
    )
    .orderBy(desc(channelMessages.receivedAt))
    .limit(1);
  return row?.ticket;
}

// ——— Attachments ———

/** The allow-list of uploads, by file extension: mail clients often say application/octet-stream. */
function allowedType(fileName: string): string | null {
  const ext = fileName.split('.').pop()?.toLowerCase() ?? '';
  for (const [type, exts] of Object.entries(ALLOWED_ATTACHMENT_TYPES)) if (exts.includes(ext)) return type;
  return null;
}

async function storeAttachments(deps: EmailDeps, parts: Attachment[]): Promise<Stored> {
  const stored: Stored = { files: [], skipped: [] };
  try {
    for (const [i, part] of parts.entries()) {
      const fileName = (part.filename?.trim() || `attachment-${i + 1}`).slice(0, 255);
      const contentType = allowedType(fileName);
      if (!contentType) {
        stored.skipped.push({ fileName, reason: `类型不允许 (type ${part.contentType} not accepted)` });
        continue;
      }
      if (part.content.length > deps.maxBytes) {
        stored.skipped.push({
          fileName,
          reason: `超过大小限制 (larger than ${Math.round(deps.maxBytes / 1048576)} MB)`,
        });
        continue;
      }
      const id = uuidv7();
      const { size, sha256 } = await deps.storage.put(id, Readable.from([part.content]), deps.maxBytes);
      stored.files.push({ id, fileName, contentType, size, sha256 });
    }
  } catch (err) {
    await removeStored(deps, stored);
    throw err;
  }
  return stored;
}

async function removeStored(deps: EmailDeps, stored: Stored): Promise<void> {
  await Promise.all(stored.files.map((f) => deps.storage.remove(f.id).catch(() => undefined)));
}

// ——— Quarantine (隔离邮件) ———

async function quarantine(
  deps: EmailDeps,
  bytes: Buffer,
  envelope: Envelope,
  reason: string,
  size = bytes.length,
  retryOf?: string,
): Promise<EmailOutcome> {
  const now = deps.clock.now();
  if (retryOf) {
    await deps.db
      .update(quarantinedMail)
      .set({ retriedAt: now, reason: reason.slice(0, 1000) })
      .where(eq(quarantinedMail.id, retryOf));
    return { outcome: 'quarantined', quarantineId: retryOf, reason };
  }
  // The same mail held again (redelivered, or fetched by two IMAP pollers at once) stays one row.
  const contentHash = createHash('sha256').update(bytes).update(`:${size}`).digest('hex');
  const heldBefore = () =>
    deps.db
      .select({ id: quarantinedMail.id })
      .from(quarantinedMail)
      .where(eq(quarantinedMail.contentHash, contentHash));
  const [held] = await heldBefore();
  if (held) return { outcome: 'quarantined', quarantineId: held.id, reason };

  const id = uuidv7();
  await deps.storage.put(id, Readable.from([bytes]), Number.MAX_SAFE_INTEGER);
  let inserted: { id: string }[];
  try {
    inserted = await deps.db
      .insert(quarantinedMail)
      .values({
        id,
        reason: reason.slice(0, 1000),
        envelopeFrom: envelope.from,
        envelopeTo: envelope.to,
        size,
        storageKey: id,
        receivedAt: now,
        contentHash,
      })
      .onConflictDoNothing({ target: quarantinedMail.contentHash })
      .returning({ id: quarantinedMail.id });
  } catch (err) {
    await deps.storage.remove(id).catch(() => undefined);
    throw err;
  }
  if (inserted.length > 0) return { outcome: 'quarantined', quarantineId: id, reason };
  // Another node held it in the meantime: keep its row, drop our copy of the bytes.
  await deps.storage.remove(id).catch(() => undefined);
  const [winner] = await heldBefore();
  return { outcome: 'quarantined', quarantineId: winner!.id, reason };
}

/** Keeps a mail the intake failed on for a reason of its own (not a passing outage), for an administrator. */
export function quarantineMail(
  deps: EmailDeps,
  raw: Buffer,
  envelope: Envelope,
  reason: string,
): Promise<EmailOutcome> {
  return quarantine(deps, raw, envelope, reason, raw.length);
}

/** Records a mail the listener refused for its size; only its head is kept (it cannot be retried). */
export async function quarantineOversizedMail(
  deps: EmailDeps,
  head: Buffer,
  envelope: Envelope,
  size: number,
  maxBytes: number,
): Promise<EmailOutcome> {
  const verdict = checkMailSize(size, maxBytes);
  return quarantine(
    deps,
    head.subarray(0, QUARANTINE_HEAD_BYTES),
    envelope,
    verdict.ok ? `too_large: over ${maxBytes} bytes` : verdict.reason,
    size,
  );
}

// ——— Helpers ———

function plainTextOf(mail: ParsedMail): string {
  const text = mail.text?.trim() ? mail.text : typeof mail.html === 'string' ? htmlToPlain(mail.html) : '';
  return text
    .replace(/\r\n/g, '\n')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
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

const RULE_HEADERS = ['auto-submitted', 'x-autoreply', 'x-autorespond', 'x-auto-response-suppress', 'precedence'];

function factsOf(mail: ParsedMail, sender: string | null, envelope: Envelope): MailFacts {
  const headers: Record<string, string> = {};
  for (const name of RULE_HEADERS) if (mail.headers.has(name)) headers[name] = headerText(mail.headers.get(name));
  const ct = mail.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  return {
    from: sender,
    envelopeFrom: envelope.from,
    subject: (mail.subject ?? '').trim(),
    headers,
    contentType: (ct?.value ?? 'text/plain').toLowerCase(),
    reportType: ct?.params?.['report-type']?.toLowerCase() ?? null,
  };
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 300);
