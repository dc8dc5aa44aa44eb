import {
  acceptRawEmail,
  quarantineMail,
  type EmailDeps,
  type EmailOutcome,
  type Envelope,
} from '../../usecases/channels/receive-email.js';

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
  let outcome: EmailOutcome;
  try {
    outcome = await acceptRawEmail(deps, bytes, envelope);
  } catch (err) {
    if (isTransient(err)) {
      log.warn({ err, envelope }, 'mail intake failed for now; the mail will be retried');
      throw new MailRetryLater(err);
    }
    // Retrying would fail the same way for days, so keep it for an administrator instead.
    log.error({ err, envelope }, 'mail intake failed on this message; quarantining it');
    try {
      outcome = await quarantineMail(
        deps,
        bytes,
        envelope,
        `processing_failed: ${err instanceof Error ? err.message : String(err)}`.slice(0, 500),
      );
    } catch (again) {
      log.error({ err: again, envelope }, 'could not quarantine the mail; it will be retried');
      throw new MailRetryLater(again);
    }
  }
  log.info({ envelope, outcome }, 'mail received');
  return outcome;
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
