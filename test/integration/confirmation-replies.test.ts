import { eq, sql } from 'drizzle-orm';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog, takeInMail } from '../../src/channels/email/take-in-mail.js';
import { queryRows } from '../../src/db/client.js';
import { channelMessages, surveys, ticketMessages, tickets } from '../../src/db/schema.js';
import { receiveChannelMessage } from '../../src/usecases/channels/receive-channel-message.js';
import { dispatchSurveys } from '../../src/usecases/surveys/surveys.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';
import { mailDeps } from '../helpers/mail-fixtures.js';

const MIN = 60_000;

// Closed loop by reply: after a resolution the customer answers by SMS (已解决 / 未解决, words, never
// a digit, which stays a survey score) or by answering the email; solved closes the ticket and not
// solved reopens it, by the same rule as the portal and the phone.

describe.each(ENGINES)('customer confirmation by SMS and email reply on %s', (engine) => {
  let h: Harness;
  const clock = testClock(new Date('2026-11-20T02:00:00Z'));
  let team: string;
  let agent: Session;
  let supervisor: Session;

  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    team = await h.buildTeam();
    agent = await h.signIn('agent', team);
    supervisor = await h.signIn('supervisor', team);
  });
  afterAll(() => h?.close());

  const post = (s: Session, url: string, payload: Record<string, unknown>) =>
    h.request(s, { method: 'POST', url, payload });

  /** The agent answers the ticket publicly and resolves it. */
  async function resolve(id: string) {
    if ((await statusOf(id)) === 'new') {
      const assigned = await post(supervisor, `/api/v1/tickets/${id}/assignment`, {
        assigneeId: agent.actor.id,
        teamId: team,
        override: true,
      });
      expect(assigned.statusCode, assigned.body).toBe(200);
    }
    await post(agent, `/api/v1/tickets/${id}/transitions`, { action: 'start' });
    await post(agent, `/api/v1/tickets/${id}/messages`, { visibility: 'public', body: '已为您重置端口，请重启光猫。' });
    expect((await post(agent, `/api/v1/tickets/${id}/transitions`, { action: 'resolve' })).statusCode).toBe(200);
  }
  async function resolvedTicket(customerId: string) {
    const id = await h.buildTicket(agent.actor, { assignToMe: true, customerId, channel: 'sms' });
    await resolve(id);
    return id;
  }
  const numberOf = async (customerId: string) =>
    (
      await queryRows<{ msisdn: string }>(
        h.database.db,
        sql`SELECT msisdn FROM customer_numbers WHERE customer_id = ${customerId} ORDER BY position LIMIT 1`,
      )
    )[0]!.msisdn;
  const statusOf = async (id: string) =>
    (await h.database.db.select({ status: tickets.status }).from(tickets).where(eq(tickets.id, id)))[0]!.status;
  const lastMove = async (id: string) =>
    (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${id}/timeline` }))
      .json()
      .items.filter((e: { kind: string }) => e.kind === 'status_changed')
      .at(-1).data;
  let smsId = 0;
  const sms = (msisdn: string, text: string) =>
    receiveChannelMessage(h.deps, 'sms', { messageId: `confirm-sms-${smsId++}`, from: { msisdn }, text });

  it('closes the ticket on an SMS 已解决 and keeps the text as the customer’s message', async () => {
    const customerId = await h.buildCustomer();
    const id = await resolvedTicket(customerId);
    const result = await sms(await numberOf(customerId), '问题已经解决了，谢谢！');
    expect(result).toMatchObject({ ticketId: id, confirmation: 'solved', created: false, duplicate: false });
    expect(await statusOf(id)).toBe('closed');
    expect(await lastMove(id)).toMatchObject({
      action: 'close',
      to: 'closed',
      reason: 'customer_confirmed',
      via: 'sms',
      byCustomer: true,
    });
    const [message] = await h.database.db.select().from(ticketMessages).where(eq(ticketMessages.id, result.messageId!));
    expect(message).toMatchObject({ ticketId: id, fromCustomer: true, channel: 'sms', body: '问题已经解决了，谢谢！' });
  });

  it('reopens the newest resolved ticket of the number on an SMS 还是没有解决, leaving the older one waiting', async () => {
    const customerId = await h.buildCustomer();
    const older = await resolvedTicket(customerId);
    clock.advance(MIN);
    const newer = await resolvedTicket(customerId);
    const result = await sms(await numberOf(customerId), '还是没有解决');
    expect(result).toMatchObject({ ticketId: newer, confirmation: 'not_solved' });
    expect(await statusOf(newer)).toBe('assigned');
    expect(await lastMove(newer)).toMatchObject({ action: 'reopen', via: 'sms', byCustomer: true });
    expect(await statusOf(older)).toBe('resolved');
  });

  it('takes a digit as the survey score, not as an answer, while the ticket waits for confirmation', async () => {
    const customerId = await h.buildCustomer();
    const msisdn = await numberOf(customerId);
    const id = await resolvedTicket(customerId);
    clock.advance(121 * MIN);
    await dispatchSurveys(h.deps, { publicUrl: 'https://kf.example.cn' });
    const score = await sms(msisdn, '2');
    expect(score).toMatchObject({ survey: 'answered', ticketId: id });
    expect(score.confirmation).toBeUndefined();
    expect(await statusOf(id)).toBe('resolved');
    const [survey] = await h.database.db.select().from(surveys).where(eq(surveys.ticketId, id));
    expect(survey).toMatchObject({ status: 'answered', csat: 2 });
    // …and the words then confirm the ticket without touching the survey.
    expect(await sms(msisdn, '未解决')).toMatchObject({ ticketId: id, confirmation: 'not_solved' });
    expect(await statusOf(id)).toBe('assigned');
    expect((await h.database.db.select().from(surveys).where(eq(surveys.ticketId, id)))[0]!.csat).toBe(2);
  });

  it('treats 已解决 from a number with no resolved ticket, and a request to solve, as ordinary messages', async () => {
    const customerId = await h.buildCustomer();
    const msisdn = await numberOf(customerId);
    const fresh = await sms(msisdn, '已解决');
    expect(fresh.confirmation).toBeUndefined();
    expect(fresh.created).toBe(true);

    const other = await h.buildCustomer();
    const id = await resolvedTicket(other);
    const plea = await sms(await numberOf(other), '请尽快解决');
    expect(plea.confirmation).toBeUndefined();
    expect(plea.ticketId).not.toBe(id);
    expect(await statusOf(id)).toBe('resolved');
  });

  it('does not confirm twice when the gateway redelivers the same SMS', async () => {
    const customerId = await h.buildCustomer();
    const msisdn = await numberOf(customerId);
    const id = await resolvedTicket(customerId);
    const input = { messageId: `confirm-redelivered-${id}`, from: { msisdn }, text: '已解决' };
    await receiveChannelMessage(h.deps, 'sms', input);
    const again = await receiveChannelMessage(h.deps, 'sms', input);
    expect(again).toMatchObject({ ticketId: id, duplicate: true });
    const moves = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${id}/timeline` }))
      .json()
      .items.filter(
        (e: { kind: string; data: { via?: string } }) => e.kind === 'status_changed' && e.data.via === 'sms',
      );
    expect(moves).toHaveLength(1);
  });

  describe('by email reply', () => {
    let mailNo = 0;
    /** A customer's mail: a new request, or a reply to one of our mails (In-Reply-To) or naming the number. */
    const mail = (
      from: string,
      body: string,
      opts: { inReplyTo?: string; subject?: string; charset?: 'UTF-8' | 'GBK' } = {},
    ) => {
      const id = `confirm-mail-${mailNo++}@mail.example.cn`;
      const subject = opts.subject ?? '宽带无法上网';
      const charset = opts.charset ?? 'UTF-8';
      const head =
        `From: 客户 <${from}>\r\nTo: kf@loopdesk.example\r\nSubject: =?UTF-8?B?${Buffer.from(subject).toString('base64')}?=\r\nMessage-ID: <${id}>\r\n` +
        (opts.inReplyTo ? `In-Reply-To: <${opts.inReplyTo}>\r\nReferences: <${opts.inReplyTo}>\r\n` : '') +
        `MIME-Version: 1.0\r\nContent-Type: text/plain; charset=${charset}\r\nContent-Transfer-Encoding: 8bit\r\n\r\n`;
      const text = `${body.replaceAll('\n', '\r\n')}\r\n`;
      return {
        id,
        raw: Buffer.concat([Buffer.from(head), charset === 'GBK' ? iconv.encode(text, 'gbk') : Buffer.from(text)]),
      };
    };
    const take = (raw: Buffer, from: string) =>
      takeInMail(mailDeps(h), raw, { from, to: ['kf@loopdesk.example'] }, silentLog);

    /** A ticket opened by mail, answered by the agent (whose mail went out with a Message-ID) and resolved. */
    async function resolvedByMail(from: string) {
      const first = mail(from, '家里宽带从昨晚开始无法上网，光猫红灯闪烁。');
      const opened = await take(first.raw, from);
      if (opened.outcome !== 'accepted') throw new Error(opened.outcome);
      await resolve(opened.ticketId);
      // Our answer by mail, as the email sender records it on the thread.
      const ours = `reply-${opened.ticketId}@kf.loopdesk.example`;
      await h.database.db.insert(channelMessages).values({
        id: crypto.randomUUID(),
        channel: 'email',
        externalId: ours,
        direction: 'out',
        ticketId: opened.ticketId,
        receivedAt: clock.now(),
      });
      const [ticket] = await h.database.db.select().from(tickets).where(eq(tickets.id, opened.ticketId));
      return { id: opened.ticketId, number: ticket!.number, ours };
    }

    it('closes the ticket when the reply says 已解决 above the quoted mail, which says both', async () => {
      const from = `zhang-${mailNo}@example.cn`;
      const t = await resolvedByMail(from);
      const reply = mail(
        from,
        '已解决，谢谢\n\n在 2026年11月20日 10:00，客服 写道：\n> 问题如已解决请回复"已解决"，未解决请回复"未解决"。',
        { inReplyTo: t.ours, subject: `Re: 宽带无法上网 ${t.number}` },
      );
      expect(await take(reply.raw, from)).toMatchObject({ outcome: 'accepted', ticketId: t.id, created: false });
      expect(await statusOf(t.id)).toBe('closed');
      expect(await lastMove(t.id)).toMatchObject({ reason: 'customer_confirmed', via: 'email', byCustomer: true });
    });

    it('reopens the ticket named in the subject when a GBK reply says 没解决', async () => {
      const from = `li-${mailNo}@example.cn`;
      const t = await resolvedByMail(from);
      const reply = mail(from, '没解决，红灯还在闪', { subject: `回复：宽带无法上网 ${t.number}`, charset: 'GBK' });
      expect(await take(reply.raw, from)).toMatchObject({ outcome: 'accepted', ticketId: t.id });
      expect(await statusOf(t.id)).toBe('assigned');
      expect(await lastMove(t.id)).toMatchObject({ action: 'reopen', via: 'email', byCustomer: true });
    });

    it('leaves a resolved ticket waiting when the reply is a longer message or only quotes', async () => {
      const from = `wang-${mailNo}@example.cn`;
      const t = await resolvedByMail(from);
      const long = mail(
        from,
        '上次的问题已经解决了，但是今天晚上八点以后信号又变差了，打电话经常断线，麻烦再帮我看一下，谢谢你们。',
        { inReplyTo: t.ours },
      );
      expect(await take(long.raw, from)).toMatchObject({ outcome: 'accepted', ticketId: t.id });
      const quoteOnly = mail(from, '> 问题如已解决请回复"已解决"', { inReplyTo: t.ours });
      expect(await take(quoteOnly.raw, from)).toMatchObject({ outcome: 'accepted', ticketId: t.id });
      expect(await statusOf(t.id)).toBe('resolved');
    });
  });
});
