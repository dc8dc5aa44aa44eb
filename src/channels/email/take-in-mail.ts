import { createHash } from 'node:crypto';
import { DEFAULT_MAX_MAIL_BYTES } from '../../core/channels/email-rules.js';
import { receiveEmail, type EmailDeps, type EmailOutcome } from '../../usecases/channels/receive-email.js';
import { quarantineMail, quarantineOversizedMail } from '../../usecases/channels/email/quarantine-mail.js';
import { readMail, type Envelope } from './parse-mail.js';

// What every mail edge (the SMTP listener, the IMAP poller) does with one received message: take it
// in, or quarantine it when something about this very mail breaks the intake, or say "retry later"
// when the database or the storage is away. The edge acknowledges the mail (SMTP 250, IMAP \Seen)
// only after this returned, so an acknowledged mail is always committed somewhere.

export type MailLog = {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
};

export const silentLog: MailLog = { info() {}, warn() {}, error() {} };

/** The intake could not commit the mail for a reason that passes: the sender should try again. */
export class MailRetryLater extends Error {
  constructor(cause: unknown) {
    super('mail intake is unavailable for now', { cause });
  }
}

export async function takeInMail(
  deps: EmailDeps,
  bytes: Buffer,
  envelope: Envelope,
  log: MailLog,
): Promise<EmailOutcome> {
  // Envelope and header addresses are personal data: the log names a mail by a hash of its bytes.
  const mail = mailHash(bytes);
  let outcome: EmailOutcome;
  try {
    outcome = await acceptRawEmail(deps, bytes, envelope);
  } catch (err) {
    if (isTransient(err)) {
      log.warn({ err, mail }, 'mail intake failed for now; the mail will be retried');
      throw new MailRetryLater(err);
    }
    // Retrying would fail the same way for days, so keep it for an administrator instead.
    log.error({ err, mail }, 'mail intake failed on this message; quarantining it');
    try {
      outcome = await quarantineMail(
        deps,
        bytes,
        envelope,
        `processing_failed: ${err instanceof Error ? err.message : String(err)}`.slice(0, 500),
      );
    } catch (again) {
      log.error({ err: again, mail }, 'could not quarantine the mail; it will be retried');
      throw new MailRetryLater(again);
    }
  }
  log.info({ mail, ...loggable(outcome) }, 'mail received');
  return outcome;
}

/** Takes in raw RFC 5322 bytes; unreadable or oversized mail is quarantined. */
async function acceptRawEmail(deps: EmailDeps, raw: Buffer, envelope: Envelope): Promise<EmailOutcome> {
  const maxBytes = deps.maxMailBytes ?? DEFAULT_MAX_MAIL_BYTES;
  if (raw.length > maxBytes) return quarantineOversizedMail(deps, raw, envelope, raw.length, maxBytes);
  const read = await readMail(raw);
  if ('unreadable' in read) return quarantineMail(deps, raw, envelope, read.unreadable);
  return receiveEmail(deps, { mail: read.mail, raw, envelope });
}

const mailHash = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);

/** An outcome without what the sender wrote: a quarantine or drop reason may quote their address. */
function loggable(outcome: EmailOutcome): Record<string, unknown> {
  switch (outcome.outcome) {
    case 'accepted':
    case 'recorded':
      return outcome;
    case 'dropped':
      return { outcome: outcome.outcome };
    case 'quarantined':
      return { outcome: outcome.outcome, quarantineId: outcome.quarantineId, reason: outcome.reason.split(':')[0] };
    default:
      return outcome satisfies never;
  }
}

// PostgreSQL classes that pass: connection (08), transaction rollback such as serialization failure
// or deadlock (40), insufficient resources (53), operator intervention such as shutdown (57),
// system errors (58); and the socket errors of a database or storage that is away.
const TRANSIENT_SQLSTATE = /^(08|40|53|57|58)/;
const TRANSIENT_NODE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENOSPC',
  'EMFILE',
]);

/** Whether an error is an outage that passes (ask the sender to retry) rather than about this mail. */
export function isTransient(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && ((TRANSIENT_SQLSTATE.test(code) && code.length === 5) || TRANSIENT_NODE.has(code)))
      return true;
    const message = e instanceof Error ? e.message : '';
    if (
      /connection terminated|timeout exceeded when trying to connect|database is closed|pglite is closed|client has encountered a connection error|Cannot use a pool after calling end/i.test(
        message,
      )
    )
      return true;
  }
  return false;
}
