import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog, takeInMail } from '../../src/channels/email/take-in-mail.js';
import { ticketEvents } from '../../src/db/schema.js';
import { receiveChannelMessage } from '../../src/usecases/channels/receive-channel-message.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { mailDeps, mailFixture } from '../helpers/mail-fixtures.js';

// The timeline is append-only: whatever goes into it can never be erased. So it says what changed
// and who changed it, and keeps no customer's words, mail addresses or phone numbers.

const EMAIL = /[^\s"@<>]+@[^\s"@<>]+\.[a-z]{2,}/i;
const PHONE = /(?<!\d)(\+?86[- ]?)?1[3-9]\d{9}(?!\d)/;

describe.each(ENGINES)('personal data kept out of the timeline on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine);
  });
  afterAll(() => h?.close());

  it('writes no subject, description, mail address or phone number into the timeline when tickets are created, edited or taken in', async () => {
    const texts: string[] = [];
    const ticketIds: string[] = [];
    const agent = await h.signIn('agent');

    // At the desk: created, then subject, description and fault details edited.
    const customerId = await h.buildCustomer();
    const subject = '客户13812345678宽带断网';
    const description = '联系邮箱 li.si@example.cn，手机 138-1234-5678，家住天河区珠江新城。';
    texts.push(subject, description);
    const created = await h.request(agent, {
      method: 'POST',
      url: '/api/v1/tickets',
      payload: { type: 'fault', channel: 'hotline', customerId, subject, description },
    });
    expect(created.statusCode, created.body).toBe(201);
    const ticket = created.json();
    ticketIds.push(ticket.id);
    const edit = {
      subject: '改：客户13987654321光猫红灯',
      description: '改后描述，回电 +86 13987654321 或 wang.wu@example.cn',
      details: { location: '天河区珠江新城花城大道18号' },
    };
    texts.push(edit.subject, edit.description, edit.details.location);
    const patched = await h.request(agent, {
      method: 'PATCH',
      url: `/api/v1/tickets/${ticket.id}`,
      payload: { ...edit, grade: 'major', version: ticket.version },
    });
    expect(patched.statusCode, patched.body).toBe(200);

    // By SMS.
    const sms = '我的号码13700001111上不了网，请回电';
    texts.push(sms);
    const viaSms = await receiveChannelMessage(h.deps, 'sms', {
      messageId: `sms-${ticket.id}`,
      from: { msisdn: '13700001111' },
      text: sms,
    });
    ticketIds.push(viaSms.ticketId!);

    // By mail, then an out-of-office answer noted on that ticket.
    const mail = await takeInMail(
      mailDeps(h),
      mailFixture('utf8.eml'),
      { from: 'zhang.san@example.cn', to: ['kf@loopdesk.example'] },
      silentLog,
    );
    if (mail.outcome !== 'accepted') throw new Error(`mail not accepted: ${JSON.stringify(mail)}`);
    ticketIds.push(mail.ticketId);
    texts.push('5G信号差，室内经常无服务');
    const autoReply = [
      'From: =?UTF-8?B?5ZGo5YWr?= <zhou.ba@corp.example.cn>',
      'To: kf@loopdesk.example',
      'Subject: Automatic reply',
      'Date: Fri, 20 Nov 2026 16:00:00 +0800',
      'Message-ID: <privacy-auto-1@corp.example.cn>',
      'In-Reply-To: <utf8-first.20261120130000@mail.example.cn>',
      'Auto-Submitted: auto-replied',
      'Content-Type: text/plain; charset=UTF-8',
      '',
      'I am away until 25 November.',
      '',
    ].join('\r\n');
    const noted = await takeInMail(
      mailDeps(h),
      Buffer.from(autoReply),
      { from: 'zhou.ba@corp.example.cn', to: ['kf@loopdesk.example'] },
      silentLog,
    );
    expect(noted).toMatchObject({ outcome: 'recorded', ticketId: mail.ticketId });

    const rows = await h.database.db.select().from(ticketEvents).where(inArray(ticketEvents.ticketId, ticketIds));
    expect(rows.map((r) => r.kind)).toEqual(expect.arrayContaining(['created', 'updated', 'message_added']));
    for (const row of rows) {
      const data = JSON.stringify(row.data);
      expect(data, row.kind).not.toMatch(EMAIL);
      expect(data, row.kind).not.toMatch(PHONE);
      for (const text of texts) expect(data, row.kind).not.toContain(text);
    }

    // The desk still learns what was edited: the fields by name, the classification with its values.
    const timeline = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${ticket.id}/timeline` })).json()
      .items;
    expect(timeline.find((e: { kind: string }) => e.kind === 'updated')).toMatchObject({
      actor: { id: agent.actor.id },
      data: {
        changed: expect.arrayContaining(['subject', 'description', 'details', 'grade']),
        before: { grade: 'general' },
        after: { grade: 'major' },
      },
    });
  });
});
