import type { AddressInfo } from 'node:net';
import type { SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { quarantineOversizedMail, QUARANTINE_HEAD_BYTES } from '../../usecases/channels/email/quarantine-mail.js';
import type { EmailDeps, EmailOutcome } from '../../usecases/channels/receive-email.js';
import type { Envelope } from './parse-mail.js';
import { MailRetryLater, silentLog, takeInMail, type MailLog } from './take-in-mail.js';

// The inbound mail edge: an SMTP server the operator's MX (or a relay) hands customer mail to.
// It speaks plain SMTP without AUTH or TLS, so by default it listens on loopback only; expose it
// only behind the MTA. A message is answered 250 only after it is committed (as a ticket message,
// an automatic-mail record or a quarantine row), so an acknowledged mail is never lost; anything
// transient is 451, which makes the sending MTA try again later.

export type SmtpListenerOptions = {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Largest message accepted; announced with the SIZE extension, larger ones are answered 552. */
  maxBytes: number;
  /** Name in the greeting and Received lines. */
  serverName?: string;
  log?: MailLog;
  /** Idle connections are dropped after this long (default 60 s). */
  socketTimeoutMs?: number;
};

export type SmtpListener = { port: number; close(): Promise<void> };

export async function startSmtpListener(deps: EmailDeps, opts: SmtpListenerOptions): Promise<SmtpListener> {
  const log = opts.log ?? silentLog;
  const mailDeps: EmailDeps = { ...deps, maxMailBytes: opts.maxBytes };
  const { SMTPServer } = await import('smtp-server'); // only a node that listens for mail loads it
  const server = new SMTPServer({
    name: opts.serverName ?? 'loopdesk',
    banner: 'Loopdesk mail intake',
    secure: false,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: opts.maxBytes,
    logger: false,
    socketTimeout: opts.socketTimeoutMs ?? 60_000,
    closeTimeout: 5_000,
    onData(stream, session, callback) {
      handleData(mailDeps, opts.maxBytes, stream, session, log).then(
        (reply) => callback(null, reply),
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
      );
    },
  });
  // A broken connection or a client's protocol error is logged, never thrown out of the process.
  server.on('error', (err: unknown) => log.warn({ err }, 'smtp listener error'));

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.server.once('error', onError);
    server.listen(opts.port, opts.host, () => {
      server.server.off('error', onError);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  log.info({ host: opts.host, port, maxBytes: opts.maxBytes }, 'smtp listener started');
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Reads one message, takes it in, and says what to answer; a thrown error carries the SMTP code. */
async function handleData(
  deps: EmailDeps,
  maxBytes: number,
  stream: SMTPServerDataStream,
  session: SMTPServerSession,
  log: MailLog,
): Promise<string> {
  const envelope: Envelope = {
    from: session.envelope.mailFrom === false ? null : session.envelope.mailFrom.address,
    to: session.envelope.rcptTo.map((r) => r.address),
  };
  const { bytes, size } = await readLimited(stream, maxBytes);
  if (stream.sizeExceeded || size > maxBytes) {
    // Keep who sent what, so an administrator can explain it; the sender's MTA tells them it bounced.
    await quarantineOversizedMail(deps, bytes.subarray(0, QUARANTINE_HEAD_BYTES), envelope, size, maxBytes).catch(
      (err: unknown) => log.warn({ err }, 'could not record an oversized mail'),
    );
    throw smtpError(552, `5.3.4 Message too big: the limit is ${maxBytes} bytes`);
  }
  let outcome: EmailOutcome;
  try {
    outcome = await takeInMail(deps, bytes, envelope, log);
  } catch (err) {
    if (err instanceof MailRetryLater) throw smtpError(451, '4.3.0 Temporary failure, please try again later');
    throw err;
  }
  switch (outcome.outcome) {
    case 'accepted':
      return `2.0.0 Ok: ${outcome.duplicate ? 'already received' : 'queued'} as ${outcome.ticketNumber}`;
    case 'recorded':
      return `2.0.0 Ok: automatic mail recorded`;
    case 'dropped':
      return `2.0.0 Ok: discarded (${outcome.reason})`;
    case 'quarantined':
      return `2.0.0 Ok: held for review`;
    default:
      return outcome satisfies never;
  }
}

/** Buffers up to maxBytes (a whole message must be parsed anyway) and counts the rest. */
function readLimited(stream: SMTPServerDataStream, maxBytes: number): Promise<{ bytes: Buffer; size: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (kept < maxBytes) {
        const part = chunk.subarray(0, maxBytes - kept);
        chunks.push(part);
        kept += part.length;
      }
    });
    stream.once('end', () => resolve({ bytes: Buffer.concat(chunks, kept), size }));
    stream.once('error', (err: Error) => reject(smtpError(451, `4.3.0 ${err.message}`)));
  });
}

function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}
