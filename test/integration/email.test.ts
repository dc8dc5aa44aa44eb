import { connect } from 'node:net';
import { and, eq } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailSender } from '../../src/channels/email/outbound.js';
import { startSmtpListener, type SmtpListener } from '../../src/channels/email/smtp-listener.js';
import {
  attachments,
  channelMessages,
  customerIdentities,
  customers,
  outbox,
  quarantinedMail,
  ticketLinks,
  ticketMessages,
  tickets,
} from '../../src/db/schema.js';
import { deliverOutbox } from '../../src/usecases/channels/outbound.js';
import { listQuarantinedMail, retryQuarantinedMail } from '../../src/usecases/channels/quarantined-mail.js';
import type { EmailDeps } from '../../src/usecases/channels/receive-email.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { mailAdmin as admin, mailDeps, mailFixture } from '../helpers/mail-fixtures.js';

const MAX_BYTES = 256 * 1024;

describe.each(ENGINES)('email intake on %s', (engine) => {
  let h: Harness;
  let deps: EmailDeps;
  let listener: SmtpListener;
  const transports: nodemailer.Transporter[] = [];

  beforeAll(async () => {
    h = await startHarness(engine);
    deps = mailDeps(h);
    listener = await startSmtpListener(deps, { host: '127.0.0.1', port: 0, maxBytes: MAX_BYTES });
  });
  afterAll(async () => {
    for (const t of transports) t.close();
    await listener?.close();
    await h?.close();
  });

  /** Sends raw bytes over real SMTP; resolves with the server's answer or rejects with its error. */
  function send(raw: Buffer, opts: { port?: number; from?: string; to?: string[] } = {}) {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: opts.port ?? listener.port,
      secure: false,
      ignoreTLS: true,
    });
    transports.push(transport);
    return transport.sendMail({
      envelope: { from: opts.from ?? 'sender@example.cn', to: opts.to ?? ['kf@loopdesk.example'] },
      raw,
    });
  }
  const deliver = (name: string, vars?: Record<string, string>) => send(mailFixture(name, vars));

  async function ticketOfMail(messageId: string) {
    const [row] = await h.database.db
      .select({ ticket: tickets, direction: channelMessages.direction })
      .from(channelMessages)
      .leftJoin(tickets, eq(tickets.id, channelMessages.ticketId))
      .where(and(eq(channelMessages.channel, 'email'), eq(channelMessages.externalId, messageId)));
    return row;
  }
  const messagesOf = (ticketId: string) =>
    h.database.db
      .select()
      .from(ticketMessages)
      .where(eq(ticketMessages.ticketId, ticketId))
      .orderBy(ticketMessages.createdAt, ticketMessages.id);

  it('opens a ticket from a GB2312 mail with a base64 body for a new customer', async () => {
    const info = await deliver('gb2312-base64.eml');
    expect(info.response).toMatch(/^250 .*TS\d{14}/);
    const row = await ticketOfMail('20261120100205.6F1A2@163.example.cn');
    const ticket = row!.ticket!;
    expect(ticket).toMatchObject({
      channel: 'email',
      status: 'new',
      subject: '宽带无法上网，光猫红灯闪烁',
      firstContactOwnerId: null,
      createdById: null,
    });
    expect(ticket.description).toContain('光猫LOS灯红色闪烁');
    const [customer] = await h.database.db
      .select({ name: customers.name })
      .from(customerIdentities)
      .innerJoin(customers, eq(customers.id, customerIdentities.customerId))
      .where(
        and(eq(customerIdentities.channel, 'email'), eq(customerIdentities.externalUserId, 'li.si@163.example.cn')),
      );
    expect(customer).toEqual({ name: '李四' });
    const messages = await messagesOf(ticket.id);
    expect(messages).toEqual([
      expect.objectContaining({ fromCustomer: true, visibility: 'public', channel: 'email', bodyFormat: 'text' }),
    ]);
    expect(messages[0]!.body).toContain('宽带账号：02012345678');
  });

  it('decodes a GBK quoted-printable mail, including characters outside GB2312', async () => {
    await deliver('gbk-quoted-printable.eml');
    const { ticket } = (await ticketOfMail('tencent_3A9F0C1B2D@qq.example.cn'))!;
    expect(ticket!.subject).toBe('话费扣费异常 投诉');
    expect(ticket!.description).toContain('本人王喆');
  });

  it('decodes a Big5 mail sent as 8-bit', async () => {
    await deliver('big5.eml');
    const { ticket } = (await ticketOfMail('big5-0001.1763613000@example.com.hk'))!;
    expect(ticket!.subject).toBe('帳單金額有誤，請協助查詢');
    expect(ticket!.description).toContain('國際漫遊費用');
  });

  it('threads a reply onto the ticket of the mail it answers (In-Reply-To)', async () => {
    await deliver('utf8.eml');
    const first = (await ticketOfMail('utf8-first.20261120130000@mail.example.cn'))!.ticket!;
    await deliver('reply-in-reply-to.eml');
    const second = (await ticketOfMail('utf8-second.20261120180000@mail.example.cn'))!.ticket!;
    expect(second.id).toBe(first.id);
    const messages = await messagesOf(first.id);
    expect(messages.map((m) => m.fromCustomer)).toEqual([true, true]);
    expect(messages[1]!.body).toContain('晚上八点以后信号最差');
  });

  it('threads a reply that only names the ticket number in its subject', async () => {
    await deliver('gb2312-base64.eml'); // a no-op when the first test already delivered it
    const original = (await ticketOfMail('20261120100205.6F1A2@163.example.cn'))!.ticket!;
    await deliver('reply-ticket-number.eml', { TICKET_NUMBER: original.number });
    const reply = (await ticketOfMail('20261121090000.7B2C3@163.example.cn'))!.ticket!;
    expect(reply.id).toBe(original.id);
    expect((await messagesOf(original.id)).at(-1)!.body).toContain('师傅还没有上门');
  });

  it('adds an answer to a resolved ticket, and opens a linked repeat ticket for an answer to a closed one', async () => {
    const mail = (id: string, inReplyTo?: string) =>
      Buffer.from(
        `From: later@example.cn\r\nTo: kf@loopdesk.example\r\nSubject: =?UTF-8?B?${Buffer.from('宽带慢').toString('base64')}?=\r\nMessage-ID: <${id}>\r\n${inReplyTo ? `In-Reply-To: <${inReplyTo}>\r\n` : ''}Content-Type: text/plain; charset=UTF-8\r\n\r\n${id}\r\n`,
      );
    await send(mail('later-1@example.cn'));
    const first = (await ticketOfMail('later-1@example.cn'))!.ticket!;
    await h.database.db.update(tickets).set({ status: 'resolved' }).where(eq(tickets.id, first.id));
    await send(mail('later-2@example.cn', 'later-1@example.cn'));
    const joined = (await ticketOfMail('later-2@example.cn'))!.ticket!;
    expect(joined).toMatchObject({ id: first.id, status: 'resolved' }); // the agent decides whether to reopen

    await h.database.db.update(tickets).set({ status: 'closed' }).where(eq(tickets.id, first.id));
    await send(mail('later-3@example.cn', 'later-2@example.cn'));
    const fresh = (await ticketOfMail('later-3@example.cn'))!.ticket!;
    expect(fresh.id).not.toBe(first.id);
    expect(fresh).toMatchObject({ isRepeat: true, customerId: first.customerId, status: 'new' });
    const links = await h.database.db.select().from(ticketLinks).where(eq(ticketLinks.ticketId, fresh.id));
    expect(links).toEqual([expect.objectContaining({ otherTicketId: first.id, kind: 'repeat' })]);
  });

  it('does not let a stranger add to a ticket by typing its number', async () => {
    await deliver('big5.eml');
    const victim = (await ticketOfMail('big5-0001.1763613000@example.com.hk'))!.ticket!;
    const raw = Buffer.from(
      `From: stranger@evil.example\r\nTo: kf@loopdesk.example\r\nSubject: Re: ${victim.number}\r\nMessage-ID: <stranger-1@evil.example>\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nhello\r\n`,
    );
    await send(raw);
    const theirs = (await ticketOfMail('stranger-1@evil.example'))!.ticket!;
    expect(theirs.id).not.toBe(victim.id);
  });

  it('keeps HTML-only mail sanitised, with a plain-text description', async () => {
    await deliver('html-only.eml');
    const { ticket } = (await ticketOfMail('html-only-7731@corp.example.cn'))!;
    expect(ticket!.description).toContain('态度很差');
    expect(ticket!.description).not.toMatch(/<|script|alert\("x"\)/);
    const [message] = await messagesOf(ticket!.id);
    expect(message!.bodyFormat).toBe('html');
    expect(message!.body).toContain('<b>态度很差</b>');
    expect(message!.body).not.toMatch(/script|onerror|onload|javascript:|<style|<img/i);
  });

  it('stores attachments with their Chinese file names and skips types not accepted', async () => {
    await deliver('attachment-chinese-filename.eml');
    const { ticket } = (await ticketOfMail('attach-2231-0001@example.cn'))!;
    const files = await h.database.db
      .select()
      .from(attachments)
      .where(eq(attachments.ticketId, ticket!.id))
      .orderBy(attachments.fileName);
    expect(files.map((f) => [f.fileName, f.contentType])).toEqual([
      ['十一月账单.pdf', 'application/pdf'],
      ['流量截图.jpg', 'image/jpeg'],
    ]);
    const [customerMessage] = await messagesOf(ticket!.id);
    expect(files.every((f) => f.messageId === customerMessage!.id)).toBe(true);
    const stored = await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      deps.storage
        .get(files[0]!.storageKey)
        .on('data', (c: Buffer) => chunks.push(c))
        .on('end', () => resolve(Buffer.concat(chunks)))
        .on('error', reject);
    });
    expect(stored.toString('latin1')).toMatch(/^%PDF-1\.4/);

    const agent = await h.signIn('admin', null);
    const listed = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${ticket!.id}/attachments` })).json();
    expect(listed.items.map((a: { fileName: string }) => a.fileName).sort()).toEqual([
      '十一月账单.pdf',
      '流量截图.jpg',
    ]);
    const note = (await messagesOf(ticket!.id)).find((m) => m.visibility === 'internal');
    expect(note?.body).toContain('setup.exe');
  });

  it('records an auto-reply without opening a ticket or a customer', async () => {
    const info = await deliver('auto-reply.eml');
    expect(info.response).toMatch(/^250 /);
    const row = await ticketOfMail('auto-reply-5521@corp.example.cn');
    expect(row).toMatchObject({ direction: 'auto', ticket: null });
    const identities = await h.database.db
      .select()
      .from(customerIdentities)
      .where(eq(customerIdentities.externalUserId, 'zhou.ba@corp.example.cn'));
    expect(identities).toEqual([]);
  });

  it('quarantines malformed mail with a reason an administrator can see, and keeps it on retry', async () => {
    const info = await deliver('malformed.eml');
    expect(info.response).toMatch(/^250 .*held for review/);
    // Delivered again, it is the same held mail, not a second one for the administrator.
    expect((await deliver('malformed.eml')).response).toMatch(/^250 .*held for review/);
    const list = await listQuarantinedMail(deps, admin);
    expect(list.filter((q) => q.reason.includes('From'))).toHaveLength(1);
    const held = list.find((q) => q.reason.includes('From'));
    expect(held).toMatchObject({
      envelopeFrom: 'sender@example.cn',
      envelopeTo: ['kf@loopdesk.example'],
      resolvedTicketId: null,
    });
    expect(await retryQuarantinedMail(deps, admin, held!.id)).toMatchObject({
      outcome: 'still_quarantined',
      reason: expect.stringContaining('From'),
    });
    const [after] = await h.database.db.select().from(quarantinedMail).where(eq(quarantinedMail.id, held!.id));
    expect(after!.retriedAt).not.toBeNull();
    await expect(retryQuarantinedMail(deps, { ...admin, role: 'agent' }, held!.id)).rejects.toMatchObject({
      code: 'auth.forbidden',
    });
  });

  it('shows quarantined mail to administrators over HTTP, masked, with the raw message and a retry', async () => {
    await deliver('malformed.eml');
    const session = await h.signIn('admin', null);
    const list = await h.request(session, { method: 'GET', url: '/api/v1/quarantined-mail' });
    expect(list.statusCode, list.body).toBe(200);
    const held = list.json().items[0];
    expect(held.envelopeFrom).toBe('se****cn');
    const raw = await h.request(session, { method: 'GET', url: `/api/v1/quarantined-mail/${held.id}/raw` });
    expect(raw.headers['content-type']).toMatch(/^message\/rfc822/);
    expect(raw.body).toContain('Subject');
    const retry = await h.request(session, {
      method: 'POST',
      url: `/api/v1/quarantined-mail/${held.id}/retry`,
      payload: {},
    });
    expect(retry.json()).toMatchObject({ outcome: 'still_quarantined' });
    const agent = await h.signIn('agent');
    expect((await h.request(agent, { method: 'GET', url: '/api/v1/quarantined-mail' })).statusCode).toBe(403);
  });

  it('refuses a mail over the size limit with 552 and notes it', async () => {
    const big = Buffer.concat([
      Buffer.from(
        'From: big@example.cn\r\nTo: kf@loopdesk.example\r\nSubject: big\r\nMessage-ID: <big-1@example.cn>\r\nContent-Type: text/plain\r\n\r\n',
      ),
      Buffer.from(`${'x'.repeat(998)}\r\n`.repeat(Math.ceil((MAX_BYTES + 1000) / 1000))),
    ]);
    await expect(send(big, { from: 'big@example.cn' })).rejects.toMatchObject({ responseCode: 552 });
    expect(await ticketOfMail('big-1@example.cn')).toBeUndefined();
    const held = (await listQuarantinedMail(deps, admin)).find((q) => q.envelopeFrom === 'big@example.cn');
    expect(held?.reason).toMatch(/^too_large/);
    expect(await retryQuarantinedMail(deps, admin, held!.id)).toMatchObject({ outcome: 'still_quarantined' });
  });

  it('keeps one message when the same Message-ID is delivered twice, or five times at once', async () => {
    const raw = (id: string) =>
      Buffer.from(
        `From: dup@example.cn\r\nTo: kf@loopdesk.example\r\nSubject: =?UTF-8?B?${Buffer.from('重复投递').toString('base64')}?=\r\nMessage-ID: <${id}>\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n同一封邮件\r\n`,
      );
    const first = await send(raw('dup-1@example.cn'));
    const again = await send(raw('dup-1@example.cn'));
    expect(first.response).toMatch(/queued/);
    expect(again.response).toMatch(/already received/);
    const { ticket } = (await ticketOfMail('dup-1@example.cn'))!;
    expect(await messagesOf(ticket!.id)).toHaveLength(1);

    // Without a Message-ID, the same mail arriving by two paths (different Received lines) is still one.
    const noId = (hop: string) =>
      Buffer.from(
        `Received: from ${hop} by mx.loopdesk.example\r\nFrom: noid@example.cn\r\nTo: kf@loopdesk.example\r\nSubject: no id\r\nDate: Fri, 20 Nov 2026 10:00:00 +0800\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n没有 Message-ID 的邮件\r\n`,
      );
    await send(noId('mx1.example.cn'));
    const redelivered = await send(noId('mx2.example.cn'));
    expect(redelivered.response).toMatch(/already received/);

    await Promise.all(Array.from({ length: 5 }, () => send(raw('dup-2@example.cn'))));
    const rows = await h.database.db
      .select()
      .from(channelMessages)
      .where(eq(channelMessages.externalId, 'dup-2@example.cn'));
    expect(rows).toHaveLength(1);
    expect(await messagesOf(rows[0]!.ticketId!)).toHaveLength(1);
  });

  it('sends an agent’s reply with threading headers, threads the answer to it, and notes its bounce', async () => {
    await deliver('utf8.eml');
    const ticket = (await ticketOfMail('utf8-first.20261120130000@mail.example.cn'))!.ticket!;
    const agent = await h.signIn('agent');
    expect(
      (
        await h.request(agent, {
          method: 'POST',
          url: `/api/v1/tickets/${ticket.id}/assignment`,
          payload: { assigneeId: agent.actor.id },
        })
      ).statusCode,
    ).toBe(200);
    const res = await h.request(agent, {
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/messages`,
      payload: { visibility: 'public', body: '您好，已安排网络部门排查基站。' },
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    const [queued] = await h.database.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.ticketId, ticket.id), eq(outbox.channel, 'email')));
    expect(queued).toMatchObject({ recipient: 'zhang.san@example.cn', state: 'pending' });

    const transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
    const sent: Buffer[] = [];
    const capturing = {
      sendMail: async (mail: nodemailer.SendMailOptions) => {
        const info = await transport.sendMail(mail);
        sent.push(info.message as Buffer);
        return info;
      },
    } as unknown as nodemailer.Transporter;
    const result = await deliverOutbox(deps, {
      email: emailSender(deps, capturing, {
        from: '客服中心 <kf@loopdesk.example>',
        messageIdDomain: 'loopdesk.example',
      }),
    });
    expect(result.sent).toBeGreaterThanOrEqual(1);
    const mails = await Promise.all(sent.map((s) => simpleParser(s)));
    const mail = mails.find((m) => m.messageId === `<${queued!.id}@loopdesk.example>`)!;
    expect(mail).toBeDefined();
    expect(mail.inReplyTo).toBe('<utf8-second.20261120180000@mail.example.cn>');
    expect([mail.references].flat()).toEqual([
      '<utf8-first.20261120130000@mail.example.cn>',
      '<utf8-second.20261120180000@mail.example.cn>',
    ]);
    expect(mail.subject).toBe(`Re: 5G信号差，室内经常无服务 [${ticket.number}]`);
    expect(mail.to).toMatchObject({ value: [{ address: 'zhang.san@example.cn' }] });
    expect(mail.text).toContain('已安排网络部门排查基站');
    expect(mail.headers.get('x-loopdesk-ticket')).toBe(ticket.number);

    // The customer answers our mail (their client sets In-Reply-To to our Message-ID).
    const answer = Buffer.from(
      `From: zhang.san@example.cn\r\nTo: kf@loopdesk.example\r\nSubject: =?UTF-8?B?${Buffer.from('好的，谢谢').toString('base64')}?=\r\nMessage-ID: <utf8-third@mail.example.cn>\r\nIn-Reply-To: <${queued!.id}@loopdesk.example>\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n好的，等你们消息。\r\n`,
    );
    await send(answer);
    expect((await ticketOfMail('utf8-third@mail.example.cn'))!.ticket!.id).toBe(ticket.id);

    // Our mail bounced: an internal note on the ticket, no new ticket, status unchanged.
    const before = (await h.database.db.select().from(tickets).where(eq(tickets.id, ticket.id)))[0]!;
    await deliver('bounce.eml', { ORIGINAL_MESSAGE_ID: `${queued!.id}@loopdesk.example` });
    const bounce = await ticketOfMail('20261120170000.B0A1C@mx.example.cn');
    expect(bounce).toMatchObject({ direction: 'auto', ticket: { id: ticket.id, status: before.status } });
    const note = (await messagesOf(ticket.id)).at(-1)!;
    expect(note).toMatchObject({ visibility: 'internal', fromCustomer: false });
    expect(note.body).toContain('退信');
  });

  it('quarantines a sender that writes faster than a loop allows, and an administrator can let it through', async () => {
    const strict = await startSmtpListener(
      { ...deps, loopLimits: { autoPerHour: 1, totalPerHour: 1 } },
      { host: '127.0.0.1', port: 0, maxBytes: MAX_BYTES },
    );
    try {
      const raw = (n: number) =>
        Buffer.from(
          `From: robot@loop.example\r\nTo: kf@loopdesk.example\r\nSubject: ticket ${n}\r\nMessage-ID: <loop-${n}@loop.example>\r\nContent-Type: text/plain\r\n\r\nping ${n}\r\n`,
        );
      await send(raw(1), { port: strict.port });
      const second = await send(raw(2), { port: strict.port });
      expect(second.response).toMatch(/held for review/);
      expect(await ticketOfMail('loop-2@loop.example')).toBeUndefined();
      const held = (await listQuarantinedMail(deps, admin)).find(
        (q) => q.reason.startsWith('loop_suspected') && q.reason.includes('robot@loop.example'),
      )!;
      const retried = await retryQuarantinedMail(deps, admin, held.id);
      expect(retried).toMatchObject({ outcome: 'accepted' });
      expect((await ticketOfMail('loop-2@loop.example'))!.ticket).not.toBeNull();
      expect(await retryQuarantinedMail(deps, admin, held.id)).toEqual({
        outcome: 'already_resolved',
        ticketId: (retried as { ticketId: string }).ticketId,
      });
    } finally {
      await strict.close();
    }
  });

  it('answers 451 when the database is away, and keeps serving afterwards', async () => {
    const outage = Object.assign(new Error('Connection terminated unexpectedly'), { code: '08006' });
    const broken = {
      ...deps,
      db: new Proxy(deps.db, {
        get: () => {
          throw outage;
        },
      }),
    };
    const down = await startSmtpListener(broken, { host: '127.0.0.1', port: 0, maxBytes: MAX_BYTES });
    try {
      await expect(send(mailFixture('big5.eml'), { port: down.port })).rejects.toMatchObject({ responseCode: 451 });
    } finally {
      await down.close();
    }
    // A client that talks nonsense and hangs up does not take the listener down.
    await new Promise<void>((resolve) => {
      const socket = connect(listener.port, '127.0.0.1', () => {
        socket.write('HELO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\nSubject: cut\r\n');
        socket.destroy();
        resolve();
      });
    });
    const info = await deliver('gbk-quoted-printable.eml');
    expect(info.response).toMatch(/^250 /);
  });
});
