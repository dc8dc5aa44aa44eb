import type { ImapFlow as ImapClient } from 'imapflow';
import { quarantineOversizedMail, QUARANTINE_HEAD_BYTES } from '../../usecases/channels/email/quarantine-mail.js';
import type { EmailDeps } from '../../usecases/channels/receive-email.js';
import type { ImapMailbox } from './imap-url.js';
import type { Envelope } from './parse-mail.js';
import { MailRetryLater, silentLog, takeInMail, type MailLog } from './take-in-mail.js';

// The second inbound mail edge: polls an existing mailbox (the service address an operator already
// has) over IMAP. A mail is acknowledged on the server (\Seen, or moved to a folder) only after the
// intake committed it, so a crash or an outage between fetch and commit leaves it unseen for the
// next poll; fetching never marks it (BODY.PEEK). Every node may poll the same mailbox: two nodes
// that fetch one mail at once both hand it to the intake, whose Message-ID claim keeps one.

export type ImapPollOptions = {
  /** Largest message taken in; a larger one is quarantined from its head and acknowledged. */
  maxBytes: number;
  /** Folder taken-in mail is moved to; without one it is only marked \Seen and stays where it was. */
  moveTo?: string;
  /** Mails per poll; the rest wait for the next one, which comes at once. */
  batch?: number;
  log?: MailLog;
};

export type ImapPollResult = { taken: number; more: boolean };

/** One poll: takes in up to `batch` unseen mails, oldest first. Throws when the server or the intake is away. */
export async function pollImapMailbox(
  deps: EmailDeps,
  box: ImapMailbox,
  opts: ImapPollOptions,
): Promise<ImapPollResult> {
  const log = opts.log ?? silentLog;
  const batch = opts.batch ?? 50;
  const mailDeps: EmailDeps = { ...deps, maxMailBytes: opts.maxBytes };
  const { ImapFlow } = await import('imapflow'); // loaded with the first poll (memory at start)
  const client: ImapClient = new ImapFlow({
    host: box.host,
    port: box.port,
    secure: box.secure,
    auth: { user: box.user, pass: box.password },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: 30_000,
    socketTimeout: 120_000,
  });
  // A dropped connection is reported here as well as by the pending command; the command's
  // rejection is what this poll acts on, the event must only not go unhandled.
  client.on('error', (err: unknown) => log.warn({ err, host: box.host }, 'imap connection error'));
  await client.connect().catch((err: unknown) => {
    const refused = (err as { authenticationFailed?: boolean }).authenticationFailed;
    throw new Error(
      `IMAP ${box.host}:${box.port}: ${refused ? `login as ${box.user} refused (check the user and password)` : errorText(err)}`,
      { cause: err },
    );
  });
  try {
    const lock = await client.getMailboxLock(box.mailbox);
    try {
      const unseen = ((await client.search({ seen: false }, { uid: true })) || []).sort((a, b) => a - b);
      const uids = unseen.slice(0, batch);
      const sizes = new Map<number, number>();
      if (uids.length > 0)
        for await (const m of client.fetch(uids, { uid: true, size: true }, { uid: true }))
          sizes.set(m.uid, m.size ?? 0);

      let taken = 0;
      for (const uid of uids) {
        const size = sizes.get(uid);
        if (size === undefined) continue; // expunged by someone else since the search
        const oversized = size > opts.maxBytes;
        const fetched = await client.fetchOne(
          String(uid),
          { uid: true, source: oversized ? { maxLength: QUARANTINE_HEAD_BYTES } : true },
          { uid: true },
        );
        if (!fetched || !fetched.source) continue;
        const envelope = envelopeOf(fetched.source, box.user);
        if (oversized) {
          const { quarantineId } = await quarantineOversizedMail(
            mailDeps,
            fetched.source,
            envelope,
            size,
            opts.maxBytes,
          );
          log.warn({ uid, size, quarantineId }, 'imap mail over the size limit quarantined');
        } else {
          try {
            await takeInMail(mailDeps, fetched.source, envelope, log);
          } catch (err) {
            if (err instanceof MailRetryLater) return { taken, more: false };
            throw err;
          }
        }
        const acknowledged = opts.moveTo
          ? await client.messageMove(String(uid), opts.moveTo, { uid: true })
          : await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
        // Taken in but still unseen: the next poll fetches it again, and the intake ignores the repeat.
        if (!acknowledged)
          throw new Error(
            `IMAP ${box.host}: could not ${opts.moveTo ? `move mail to the folder "${opts.moveTo}"` : 'mark mail \\Seen'}`,
          );
        taken++;
      }
      return { taken, more: unseen.length > uids.length };
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/**
 * The SMTP envelope of a mail that has been delivered to a mailbox, from the headers the delivering
 * server put on top: Return-Path (empty for bounces and most auto-replies) and Delivered-To.
 */
export function envelopeOf(raw: Buffer, mailboxUser: string): Envelope {
  const head = raw
    .subarray(0, QUARANTINE_HEAD_BYTES)
    .toString('latin1')
    .split(/\r?\n\r?\n/, 1)[0]!;
  const header = (name: string) => new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(head)?.[1]?.trim();
  const returnPath = header('Return-Path');
  const deliveredTo = header('Delivered-To') ?? header('X-Original-To');
  return {
    from: returnPath === undefined ? null : returnPath.replace(/^<|>$/g, '').trim(),
    to: [deliveredTo ?? (mailboxUser.includes('@') ? mailboxUser : '')].filter(Boolean),
  };
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 300);
