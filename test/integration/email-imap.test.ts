import type { AddressInfo } from 'node:net';
import { and, eq, inArray } from 'drizzle-orm';
import hoodiecrow, { type IMAPServer } from 'hoodiecrow-imap';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pollImapMailbox } from '../../src/channels/email/imap-poller.js';
import type { ImapMailbox } from '../../src/channels/email/imap-url.js';
import { channelMessages, tickets } from '../../src/db/schema.js';
import { listQuarantinedMail } from '../../src/usecases/channels/quarantined-mail.js';
import type { EmailDeps } from '../../src/usecases/channels/receive-email.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { mailAdmin as admin, mailDeps, mailFixture } from '../helpers/mail-fixtures.js';

// A real IMAP conversation on loopback with hoodiecrow, an in-memory IMAP server made for testing
// IMAP clients: the poller connects, logs in, searches, fetches and flags as it would at an operator.

const MAX_BYTES = 256 * 1024;

describe.each(ENGINES)('mail polled over IMAP on %s', (engine) => {
  let h: Harness;
  let deps: EmailDeps;
  let imap: IMAPServer;
  let box: ImapMailbox;

  beforeAll(async () => {
    h = await startHarness(engine);
    deps = mailDeps(h);
  });
  afterAll(async () => {
    await h?.close();
  });
  // A fresh mailbox for every test.
  beforeEach(async () => {
    imap = hoodiecrow({
      plugins: ['UIDPLUS', 'MOVE', 'LITERALPLUS'],
      storage: { INBOX: { messages: [] }, '': { separator: '/', folders: { Processed: {} } } },
      users: { 'kf@loopdesk.example': { password: 'imap-pass' } },
    });
    await new Promise<void>((resolve) => imap.listen(0, '127.0.0.1', resolve));
    const { port } = imap.server.address() as AddressInfo;
    box = {
      host: '127.0.0.1',
      port,
      secure: false,
      user: 'kf@loopdesk.example',
      password: 'imap-pass',
      mailbox: 'INBOX',
    };
  });
  afterEach(async () => {
    await new Promise<void>((resolve) => imap.close(() => resolve()));
  });

  const deliver = (raw: Buffer, flags: string[] = []) =>
    imap.appendMessage('INBOX', flags, false, raw.toString('binary'));
  const plainMail = (id: string, body = '家里宽带晚上经常掉线') =>
    Buffer.from(
      `Return-Path: <wang.wu@example.cn>\r\nFrom: wang.wu@example.cn\r\nTo: kf@loopdesk.example\r\nSubject: =?UTF-8?B?${Buffer.from('宽带掉线').toString('base64')}?=\r\nMessage-ID: <${id}>\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from(body).toString('base64')}\r\n`,
    );
  const inbox = () => imap.getMailbox('INBOX')!.messages;
  const rowsOf = (ids: string[]) =>
    h.database.db
      .select({
        externalId: channelMessages.externalId,
        direction: channelMessages.direction,
        ticketId: channelMessages.ticketId,
      })
      .from(channelMessages)
      .where(and(eq(channelMessages.channel, 'email'), inArray(channelMessages.externalId, ids)));
  const poll = (opts: { maxBytes?: number; moveTo?: string; batch?: number } = {}, on: EmailDeps = deps) =>
    pollImapMailbox(on, box, { maxBytes: MAX_BYTES, ...opts });

  it('opens tickets from unseen mail and marks it seen, leaving mail a person already read alone', async () => {
    deliver(mailFixture('gb2312-base64.eml'));
    deliver(plainMail('read-by-a-person@example.cn'), ['\\Seen']);
    deliver(mailFixture('auto-reply.eml'));

    expect(await poll()).toEqual({ taken: 2, more: false });

    const [ticket] = await h.database.db
      .select({ subject: tickets.subject, channel: tickets.channel })
      .from(channelMessages)
      .innerJoin(tickets, eq(tickets.id, channelMessages.ticketId))
      .where(eq(channelMessages.externalId, '20261120100205.6F1A2@163.example.cn'));
    expect(ticket).toEqual({ subject: '宽带无法上网，光猫红灯闪烁', channel: 'email' });
    // The auto-reply is recorded, not opened as a ticket; the mail already read is not taken in.
    expect(await rowsOf(['auto-reply-5521@corp.example.cn', 'read-by-a-person@example.cn'])).toEqual([
      expect.objectContaining({ externalId: 'auto-reply-5521@corp.example.cn', direction: 'auto', ticketId: null }),
    ]);
    expect(inbox().map((m) => m.flags.includes('\\Seen'))).toEqual([true, true, true]);
    expect(await poll()).toEqual({ taken: 0, more: false });
  });

  it('works through a backlog in batches and moves taken-in mail to a folder when told to', async () => {
    const ids = Array.from({ length: 5 }, (_, i) => `backlog-${i}-${engine}@example.cn`);
    for (const id of ids) deliver(plainMail(id));

    expect(await poll({ batch: 2, moveTo: 'Processed' })).toEqual({ taken: 2, more: true });
    expect(await poll({ batch: 2, moveTo: 'Processed' })).toEqual({ taken: 2, more: true });
    expect(await poll({ batch: 2, moveTo: 'Processed' })).toEqual({ taken: 1, more: false });

    expect(inbox()).toHaveLength(0);
    expect(imap.getMailbox('Processed')!.messages).toHaveLength(5);
    const rows = await rowsOf(ids);
    expect(rows).toHaveLength(5);
    expect(new Set(rows.map((r) => r.ticketId)).size).toBe(5);
  });

  it('fails the poll loudly when it cannot acknowledge a mail, which the next poll takes in only once', async () => {
    const id = `no-folder-${engine}@example.cn`;
    deliver(plainMail(id));
    await expect(poll({ moveTo: 'Missing' })).rejects.toThrow(
      'IMAP 127.0.0.1: could not move mail to the folder "Missing"',
    );
    await expect(poll({ moveTo: 'Missing' })).rejects.toThrow(/could not move/);
    expect(await poll()).toEqual({ taken: 1, more: false });
    expect(await rowsOf([id])).toHaveLength(1);
  });

  it('takes each mail in once when two nodes poll the same mailbox at the same time', async () => {
    const ids = Array.from({ length: 6 }, (_, i) => `two-nodes-${i}-${engine}@example.cn`);
    for (const id of ids) deliver(plainMail(id));

    await Promise.all([poll(), poll()]);

    const rows = await rowsOf(ids);
    expect(rows.map((r) => r.externalId).sort()).toEqual([...ids].sort());
    expect(inbox().every((m) => m.flags.includes('\\Seen'))).toBe(true);
  });

  it('leaves a mail unseen while the database is away, and takes it in on the next poll', async () => {
    const outage = Object.assign(new Error('Connection terminated unexpectedly'), { code: '08006' });
    const broken = {
      ...deps,
      db: new Proxy(deps.db, {
        get: () => {
          throw outage;
        },
      }),
    };
    deliver(plainMail(`outage-${engine}@example.cn`));

    expect(await poll({}, broken)).toEqual({ taken: 0, more: false });
    expect(inbox()[0]!.flags).not.toContain('\\Seen');

    expect(await poll()).toEqual({ taken: 1, more: false });
    expect(await rowsOf([`outage-${engine}@example.cn`])).toHaveLength(1);
  });

  it('quarantines a mail over the size limit from its head, once when two nodes fetch it together', async () => {
    const big = Buffer.concat([
      Buffer.from(
        `Return-Path: <big@example.cn>\r\nFrom: big@example.cn\r\nTo: kf@loopdesk.example\r\nSubject: big\r\nMessage-ID: <imap-big-${engine}@example.cn>\r\nContent-Type: text/plain\r\n\r\n`,
      ),
      Buffer.from(`${'x'.repeat(998)}\r\n`.repeat(200)),
    ]);
    deliver(big);

    // Two nodes at once: one row for the administrator, not two.
    const [a, b] = await Promise.all([poll({ maxBytes: 100_000 }), poll({ maxBytes: 100_000 })]);
    expect(a.taken + b.taken).toBeGreaterThanOrEqual(1);

    const heldRows = (await listQuarantinedMail(deps, admin)).filter((q) => q.envelopeFrom === 'big@example.cn');
    expect(heldRows).toHaveLength(1);
    const held = heldRows[0];
    expect(held?.reason).toMatch(/^too_large/);
    expect(held?.envelopeTo).toEqual(['kf@loopdesk.example']);
    expect(await rowsOf([`imap-big-${engine}@example.cn`])).toEqual([]);
    expect(inbox()[0]!.flags).toContain('\\Seen');
  });

  it('fails the poll with an authentication error on a wrong password, and takes nothing', async () => {
    deliver(plainMail(`wrong-password-${engine}@example.cn`));
    await expect(pollImapMailbox(deps, { ...box, password: 'wrong' }, { maxBytes: MAX_BYTES })).rejects.toThrow(
      `IMAP 127.0.0.1:${box.port}: login as kf@loopdesk.example refused (check the user and password)`,
    );
    expect(inbox()[0]!.flags).not.toContain('\\Seen');
  });
});
