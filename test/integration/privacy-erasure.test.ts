import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../src/core/channels/webhook-signature.js';
import { queryRows } from '../../src/db/client.js';
import { diskStorage } from '../../src/storage/attachment-storage.js';
import { buildNextPrivacyExport } from '../../src/usecases/privacy/build-privacy-export.js';
import { remindEndedHolds } from '../../src/usecases/privacy/remind-ended-holds.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, TEST_WEBHOOK_SECRETS, type Harness, type Session } from '../helpers/harness.js';
import { readZip } from '../helpers/zip.js';
import { mailDeps } from '../helpers/mail-fixtures.js';
import { takeInMail } from '../../src/channels/email/take-in-mail.js';

// Erasure on request (PIPL Art. 47), tested with planted markers: a unique name, phone number, ID
// number, email address and street address are written through every channel (desk, reply and
// note, attachment, reveal, signed SMS, hotline call events with a recording, email with an
// attachment, portal) and into every other place personal data can be;
// after a previewed deletion is approved by a second person, no table (every text and json column,
// found through information_schema) and no file in the storage folder holds any of them — except
// what a law keeps, which the answer lists.

type Markers = { name: string; phone: string; idNumber: string; email: string; address: string };

function markers(): Markers {
  const tag = Math.random().toString(36).slice(2, 8);
  const digits = () => String(Math.floor(Math.random() * 1e8)).padStart(8, '0');
  return {
    name: `柯${tag}`,
    phone: `139${digits()}`,
    idNumber: `4401061990${digits()}`,
    email: `m${tag}@example.cn`,
    address: `天河区虚构${tag}路88号3栋501室`,
  };
}

function multipart(fileName: string, contentType: string, content: Buffer) {
  const boundary = '----loopdesk-erasure-boundary';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${contentType}\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head, 'utf8'), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

describe.each(ENGINES)('erasure of a customer’s personal data on %s', (engine) => {
  let h: Harness;
  const clock = testClock(new Date('2026-11-20T02:00:00Z'));
  beforeAll(async () => {
    h = await startHarness(engine, { clock });
  });
  afterAll(() => h?.close());

  const storage = () => diskStorage(h.config.attachmentDir);

  /** Where each marker still is: "table.column" for rows, a file path (or ZIP entry) for storage. */
  async function findMarkers(values: string[]): Promise<Map<string, string[]>> {
    const found = new Map<string, string[]>();
    const note = (value: string, where: string) => found.set(value, [...(found.get(value) ?? []), where]);
    const columns = await queryRows<{ table_name: string; column_name: string }>(
      h.database.db,
      sql`SELECT c.table_name, c.column_name FROM information_schema.columns c
          JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema
          WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
            AND c.data_type IN ('text', 'character varying', 'jsonb', 'json', 'ARRAY', 'USER-DEFINED', 'tsvector')`,
    );
    for (const c of columns) {
      const col = sql`${sql.identifier(c.table_name)}.${sql.identifier(c.column_name)}::text`;
      for (const v of values) {
        const [row] = await queryRows<{ n: number }>(
          h.database.db,
          sql`SELECT count(*)::int AS n FROM ${sql.identifier(c.table_name)} WHERE ${col} LIKE ${`%${v}%`}`,
        );
        if (row!.n > 0) note(v, `${c.table_name}.${c.column_name}`);
      }
    }
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) => {
        const p = join(dir, f);
        return statSync(p).isDirectory() ? walk(p) : [p];
      });
    for (const file of walk(h.config.attachmentDir)) {
      const bytes = readFileSync(file);
      const parts =
        bytes.subarray(0, 2).toString() === 'PK'
          ? [...readZip(bytes).entries()].map(([name, b]) => [`${file}!${name}`, b] as const)
          : [[file, bytes] as const];
      for (const [where, b] of parts) for (const v of values) if (b.includes(Buffer.from(v))) note(v, where);
    }
    return found;
  }

  /** Writes the markers through every channel and into every place that holds personal data. */
  async function plant(m: Markers, agent: Session) {
    const customerId = await h.buildCustomer({
      name: m.name,
      numbers: [m.phone],
      idNumber: m.idNumber,
      address: m.address,
    });
    const all = `我是${m.name}，电话${m.phone}，身份证${m.idNumber}，邮箱${m.email}，住${m.address}`;
    // Desk: a ticket with the markers in subject, description, contact number and location.
    const ticketId = await h.buildTicket(agent.actor, {
      customerId,
      subject: `${m.name}的宽带故障`,
      description: all,
      contactNumber: m.phone,
      details: { location: m.address },
    });
    const [{ number }] = (await queryRows<{ number: string }>(
      h.database.db,
      sql`SELECT number FROM tickets WHERE id = ${ticketId}`,
    )) as [{ number: string }];
    for (const visibility of ['public', 'internal'] as const) {
      const res = await h.request(agent, {
        method: 'POST',
        url: `/api/v1/tickets/${ticketId}/messages`,
        payload: { visibility, body: `回复${m.name}：${all}` },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    // A file whose name and content carry the markers.
    const upload = await h.request(agent, {
      method: 'POST',
      url: `/api/v1/tickets/${ticketId}/attachments`,
      ...multipart(`${m.name}身份证.txt`, 'text/plain', Buffer.from(all)),
    });
    expect(upload.statusCode, upload.body).toBe(201);
    // The reason given for revealing the number (access log and timeline).
    const reveal = await h.request(agent, {
      method: 'POST',
      url: `/api/v1/customers/${customerId}/reveal`,
      payload: { field: 'phone', reason: `回电给${m.name} ${m.phone}`, ticketId },
    });
    expect(reveal.statusCode, reveal.body).toBe(200);
    // SMS: a signed webhook from the customer's number.
    const payload = JSON.stringify({
      messageId: `sms-${uuidv7()}`,
      from: { msisdn: `+86${m.phone}` },
      text: `短信：${all}`,
    });
    const t = Math.floor(clock.now().getTime() / 1000);
    const sms = await h.request(null, {
      method: 'POST',
      url: '/api/v1/channels/sms/messages',
      payload,
      headers: {
        'content-type': 'application/json',
        'x-loopdesk-signature': sign(TEST_WEBHOOK_SECRETS.sms, t, payload),
      },
    });
    expect(sms.statusCode, sms.body).toBe(201);
    // Live chat through the WeChat gateway: the account's id and the words, on a verified number.
    const chatBody = JSON.stringify({
      externalUserId: m.email,
      clientMessageId: `chat-${uuidv7()}`,
      body: `在线客服：${all}`,
      verifiedPhone: m.phone,
    });
    const chat = await h.request(null, {
      method: 'POST',
      url: '/api/v1/channels/wechat/chat/messages',
      payload: chatBody,
      headers: {
        'content-type': 'application/json',
        'x-loopdesk-signature': sign(TEST_WEBHOOK_SECRETS.wechat, t, chatBody),
      },
    });
    expect(chat.statusCode, chat.body).toBe(201);
    expect(chat.json().conversation.signedIn).toBe(true);
    // Hotline: the telephony system's call events, with the recording and the ticket named.
    const callId = `call-${uuidv7()}`;
    for (const event of ['started', 'answered', 'ended'] as const) {
      const body = JSON.stringify({
        callId,
        event,
        at: clock.now().toISOString(),
        caller: m.phone,
        ...(event === 'answered' ? { agent: agent.username } : {}),
        ...(event === 'ended' ? { recordingUrl: `https://rec.example/${m.phone}.wav`, ticketNumber: number } : {}),
      });
      const res = await h.request(null, {
        method: 'POST',
        url: '/api/v1/channels/hotline/calls',
        payload: body,
        headers: {
          'content-type': 'application/json',
          'x-loopdesk-signature': sign(TEST_WEBHOOK_SECRETS.hotline, t, body),
        },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    // Email with an attachment, from the address the customer's record knows.
    await h.database.db.execute(
      sql`INSERT INTO customer_identities (channel, external_user_id, customer_id) VALUES ('email', ${m.email}, ${customerId})`,
    );
    const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
    const raw = [
      `From: =?UTF-8?B?${b64(m.name)}?= <${m.email}>`,
      'To: kf@loopdesk.example',
      `Subject: =?UTF-8?B?${b64(`${m.name}投诉`)}?=`,
      `Message-ID: <erasure-${uuidv7()}@mail.example>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=UTF-8',
      'Content-Transfer-Encoding: base64',
      '',
      b64(`邮件：${all}`),
      '--b1',
      `Content-Type: text/plain; charset=UTF-8; name="=?UTF-8?B?${b64(`${m.name}账单.txt`)}?="`,
      `Content-Disposition: attachment; filename="=?UTF-8?B?${b64(`${m.name}账单.txt`)}?="`,
      'Content-Transfer-Encoding: base64',
      '',
      b64(`附件：${all}`),
      '--b1--',
      '',
    ].join('\r\n');
    const mailLog = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const mail = await takeInMail(
      mailDeps(h),
      Buffer.from(raw),
      { from: m.email, to: ['kf@loopdesk.example'] },
      mailLog,
    );
    expect(mail, JSON.stringify(mail)).toMatchObject({ outcome: 'accepted', attachments: 1 });
    // Portal: sign in with a code sent to the number, write on the ticket, ask for a copy.
    expect(
      (await h.request(null, { method: 'POST', url: '/api/portal/v1/codes', payload: { phone: m.phone } })).statusCode,
    ).toBe(202);
    const [code] = await queryRows<{ payload: { text: string } }>(
      h.database.db,
      sql`SELECT payload FROM outbox WHERE recipient = ${m.phone} AND payload->>'kind' = 'portal_code' ORDER BY created_at DESC LIMIT 1`,
    );
    const session = await h.request(null, {
      method: 'POST',
      url: '/api/portal/v1/session',
      payload: { phone: m.phone, code: /(\d{6})/.exec(code!.payload.text)![1] },
    });
    expect(session.statusCode, session.body).toBe(200);
    const portal = {
      cookie: `loopdesk_portal=${session.cookies.find((c) => c.name === 'loopdesk_portal')!.value}`,
      'x-csrf-token': session.json().csrfToken as string,
    };
    const portalTicket = await h.request(null, {
      method: 'POST',
      url: '/api/portal/v1/tickets',
      payload: { type: 'complaint', description: `门户：${all}` },
      headers: portal,
    });
    expect(portalTicket.statusCode, portalTicket.body).toBe(201);
    const access = await h.request(null, {
      method: 'POST',
      url: '/api/portal/v1/privacy/requests',
      payload: { kind: 'correction', details: `地址改为${m.address}` },
      headers: portal,
    });
    expect(access.statusCode, access.body).toBe(201);
    const copy = await h.request(null, {
      method: 'POST',
      url: '/api/portal/v1/privacy/requests',
      payload: { kind: 'access' },
      headers: portal,
    });
    expect(copy.statusCode, copy.body).toBe(201);

    // Places the channels above do not reach in a test: written as those features write them.
    const db = h.database.db;
    const now = clock.now();
    await db.execute(
      sql`INSERT INTO outbox (id, channel, recipient, ticket_id, payload, state)
          VALUES (${uuidv7()}, 'email', ${m.email}, ${ticketId},
                  ${JSON.stringify({ kind: 'reply', messageId: uuidv7(), ticketNumber: number, subject: `致${m.name}`, body: all, portalLink: 'x' })}::jsonb, 'sent')`,
    );
    const surveyId = uuidv7();
    await db.execute(
      sql`INSERT INTO surveys (id, ticket_id, customer_id, status, channel, recipient, send_after, csat, comment, answered_at)
          VALUES (${surveyId}, ${ticketId}, ${customerId}, 'answered', 'sms', ${m.phone}, ${now}, 2, ${`评价：${all}`}, ${now})`,
    );
    const [team] = await queryRows<{ id: string }>(db, sql`SELECT id FROM teams LIMIT 1`);
    const callbackId = uuidv7();
    await db.execute(
      sql`INSERT INTO callbacks (id, ticket_id, survey_id, team_id, remedy) VALUES (${callbackId}, ${ticketId}, ${surveyId}, ${team!.id}, ${`补偿给${m.name}`})`,
    );
    await db.execute(
      sql`INSERT INTO callback_attempts (id, callback_id, at, by_id, reached, note)
          VALUES (${uuidv7()}, ${callbackId}, ${now}, ${agent.actor.id}, true, ${`打了${m.phone}`})`,
    );
    await db.execute(
      sql`INSERT INTO survey_problems (id, survey_id, ticket_id, topics, status, handling_note, resolution)
          VALUES (${uuidv7()}, ${surveyId}, ${ticketId}, '[]'::jsonb, 'closed', ${`已致电${m.phone}`}, ${`上门${m.address}`})`,
    );
    await db.execute(
      sql`INSERT INTO subtasks (id, ticket_id, team_id, title, description) VALUES (${uuidv7()}, ${ticketId}, ${team!.id}, ${`上门${m.address}`}, ${all})`,
    );
    await db.execute(
      sql`INSERT INTO notifications (kind, ticket_id, recipient_id, payload)
          VALUES ('sla.breached', ${ticketId}, ${agent.actor.id}, ${JSON.stringify({ ticketId, number, subject: `${m.name}的宽带故障` })}::jsonb)`,
    );
    // The KPI roll-up's words of the ticket (hot issues), with the name as a word.
    await db.execute(
      sql`INSERT INTO kpi_ticket_facts (ticket_id, created_day, type, channel, repeat, breached, has_limits, reopened, cells, words)
          VALUES (${ticketId}, '2026-11-20', 'fault', 'hotline', false, false, false, false, '[]'::jsonb, ${JSON.stringify([m.name, '宽带'])}::jsonb)`,
    );
    await db.execute(
      sql`INSERT INTO kpi_daily_words (day, word, contacts) VALUES ('2026-11-20', ${m.name}, 1), ('2026-11-20', '宽带', 5)
          ON CONFLICT (day, word) DO UPDATE SET contacts = kpi_daily_words.contacts + excluded.contacts`,
    );
    // A case drafted from the ticket that nobody has reviewed yet.
    await db.execute(
      sql`INSERT INTO kb_articles (id, kind, status, owner_id, title, body, symptom, source_ticket_id)
          VALUES (${uuidv7()}, 'case', 'draft', ${agent.actor.id}, ${`${m.name}的案例`}, ${all}, ${all}, ${ticketId})`,
    );
    // The copy of their data, built by the job: it holds every marker.
    const deps = { ...h.deps, storage: storage() };
    while (await buildNextPrivacyExport(deps));
    return { customerId, ticketId, number };
  }

  const fileDeletion = async (agent: Session, customerId: string) => {
    const res = await h.request(agent, {
      method: 'POST',
      url: '/api/v1/privacy/requests',
      payload: { kind: 'deletion', customerId, identityCheck: 'id_document' },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };

  it('erases every planted marker from every table and the storage folder after a second person approves; the copy taken before held them all', async () => {
    const m = markers();
    const values = Object.values(m);
    const agent = await h.signIn('agent');
    const [first, second] = [await h.signIn('supervisor'), await h.signIn('supervisor')];
    const { customerId } = await plant(m, agent);

    const before = await findMarkers(values);
    for (const v of values) expect(before.get(v), v).toBeDefined();
    // The copy taken before erasure (a ZIP in storage) contained every marker.
    for (const v of values)
      expect(
        before.get(v)!.some((w) => w.includes('customer-data.json')),
        v,
      ).toBe(true);

    const id = await fileDeletion(agent, customerId);
    const preview = await h.request(first, { method: 'POST', url: `/api/v1/privacy/requests/${id}/preview` });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({ status: 'awaiting_approval', holdReasons: [] });
    expect(preview.json().preview).toMatchObject({
      customers: 1,
      tickets: 4,
      attachments: 2,
      surveys: 1,
      call_records: 1,
    });
    // The preview changed nothing.
    expect((await findMarkers(values)).size).toBe(values.length);

    const self = await h.request(first, { method: 'POST', url: `/api/v1/privacy/requests/${id}/approve` });
    expect(self.statusCode).toBe(409);
    expect(self.json().error.code).toBe('privacy.same_approver');

    const approved = await h.request(second, { method: 'POST', url: `/api/v1/privacy/requests/${id}/approve` });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'completed', approvedBy: { id: second.actor.id } });

    expect(Object.fromEntries(await findMarkers(values))).toEqual({});
    // The records stay for statistics: the tickets and the survey score are still there.
    const [kept] = await queryRows<{ tickets: number; csat: number; words: number }>(
      h.database.db,
      sql`SELECT (SELECT count(*)::int FROM tickets WHERE customer_id = ${customerId}) AS tickets,
                 (SELECT csat FROM surveys WHERE customer_id = ${customerId}) AS csat,
                 (SELECT contacts FROM kpi_daily_words WHERE day = '2026-11-20' AND word = '宽带') AS words`,
    );
    expect(kept).toMatchObject({ tickets: 4, csat: 2 });
    expect(kept!.words).toBeGreaterThanOrEqual(4);
  });

  it('keeps the tickets and profile an open billing dispute needs, erases the rest and tells the customer what is kept and until when', async () => {
    const m = markers();
    const agent = await h.signIn('agent');
    const [first, second] = [await h.signIn('supervisor'), await h.signIn('supervisor')];
    const customerId = await h.buildCustomer({
      name: m.name,
      numbers: [m.phone],
      idNumber: m.idNumber,
      address: m.address,
    });
    const [billing] = await queryRows<{ id: string }>(
      h.database.db,
      sql`SELECT id FROM categories WHERE code = 'complaint-billing'`,
    );
    const disputeId = await h.buildTicket(agent.actor, {
      customerId,
      type: 'complaint',
      categoryId: billing!.id,
      subject: '话费多扣',
      description: `争议：${m.address}`,
    });
    const otherId = await h.buildTicket(agent.actor, { customerId, description: `故障：${m.email}` });
    const id = await fileDeletion(agent, customerId);
    const preview = await h.request(first, { method: 'POST', url: `/api/v1/privacy/requests/${id}/preview` });
    expect(preview.json()).toMatchObject({ status: 'awaiting_approval', holdReasons: ['billing_dispute'] });
    expect(preview.json().preview).toMatchObject({ held_tickets: 1, tickets: 1 });

    const approved = await h.request(second, { method: 'POST', url: `/api/v1/privacy/requests/${id}/approve` });
    expect(approved.statusCode, approved.body).toBe(200);
    const r = approved.json();
    expect(r).toMatchObject({ status: 'on_hold', holdReasons: ['billing_dispute'] });
    // 30 days (LOOPDESK_PRIVACY_HOLD_DAYS) from now: a dispute has no deadline of its own.
    expect(r.holdUntil).toBe('2026-12-20T02:00:00.000Z');
    const [dispute] = await queryRows<{ number: string }>(
      h.database.db,
      sql`SELECT number FROM tickets WHERE id = ${disputeId}`,
    );
    expect(r.answer).toContain(dispute!.number);
    expect(r.answer).toContain('2026-12-20');

    const found = await findMarkers([m.email, m.address, m.name]);
    expect(found.get(m.email)).toBeUndefined();
    expect(found.get(m.address)).toEqual(expect.arrayContaining(['tickets.description', 'customers.address']));
    const [other] = await queryRows<{ description: string }>(
      h.database.db,
      sql`SELECT description FROM tickets WHERE id = ${otherId}`,
    );
    expect(other!.description).toBe('[erased]');
  });

  it('keeps an open regulator case and the complaint linked to it until the report is due, and erases the rest', async () => {
    const agent = await h.signIn('agent');
    const [first, second] = [await h.signIn('supervisor'), await h.signIn('supervisor')];
    const phone = `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const customerId = await h.buildCustomer({ numbers: [phone] });
    const complaint = await h.buildTicket(agent.actor, { customerId, type: 'complaint', description: '信号差，投诉' });
    const fault = await h.buildTicket(agent.actor, { customerId, description: '家里光猫坏了' });
    const referral = await h.request(agent, {
      method: 'POST',
      url: '/api/v1/regulator/referrals',
      payload: {
        sourceCode: 'miit',
        referralNumber: `GXB-ERASE-${uuidv7()}`,
        receivedOn: '2026-11-20',
        deadline: '2026-11-27',
        appellant: { name: '李四', msisdn: phone },
        respondentUnit: '广州分公司',
        category: 'network_quality',
        claim: '信号长期很差。',
        facts: '用户称家中无信号。',
      },
    });
    expect(referral.statusCode, referral.body).toBe(201);
    const caseTicket = referral.json().ticket as { id: string; number: string };
    const id = await fileDeletion(agent, customerId);
    const preview = await h.request(first, { method: 'POST', url: `/api/v1/privacy/requests/${id}/preview` });
    expect(preview.json()).toMatchObject({ holdReasons: ['regulator_case'], preview: { held_tickets: 2 } });
    const approved = await h.request(second, { method: 'POST', url: `/api/v1/privacy/requests/${id}/approve` });
    expect(approved.json()).toMatchObject({
      status: 'on_hold',
      holdReasons: ['regulator_case'],
      // The referral's report deadline: the end of 27 November in Beijing.
      holdUntil: '2026-11-27T16:00:00.000Z',
    });
    expect(approved.json().answer).toContain(caseTicket.number);
    const rows = await queryRows<{ id: string; description: string }>(
      h.database.db,
      sql`SELECT id, description FROM tickets WHERE customer_id = ${customerId}`,
    );
    const text = Object.fromEntries(rows.map((r) => [r.id, r.description]));
    expect(text[complaint]).toBe('信号差，投诉');
    expect(text[caseTicket.id]).not.toBe('[erased]');
    expect(text[fault]).toBe('[erased]');
    // The profile stays while the case needs someone to answer.
    const [kept] = await queryRows<{ n: number }>(
      h.database.db,
      sql`SELECT count(*)::int AS n FROM customer_numbers WHERE customer_id = ${customerId}`,
    );
    expect(kept!.n).toBe(1);
  });

  it('tells the two who previewed and approved a held deletion, once, when its hold ends; a new preview clears the mark', async () => {
    const agent = await h.signIn('agent');
    const [first, second] = [await h.signIn('supervisor'), await h.signIn('supervisor')];
    const customerId = await h.buildCustomer({
      numbers: [`137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`],
    });
    const [billing] = await queryRows<{ id: string }>(
      h.database.db,
      sql`SELECT id FROM categories WHERE code = 'complaint-billing'`,
    );
    await h.buildTicket(agent.actor, { customerId, type: 'complaint', categoryId: billing!.id, subject: '话费多扣' });
    const id = await fileDeletion(agent, customerId);
    await h.request(first, { method: 'POST', url: `/api/v1/privacy/requests/${id}/preview` });
    const approved = await h.request(second, { method: 'POST', url: `/api/v1/privacy/requests/${id}/approve` });
    expect(approved.json()).toMatchObject({ status: 'on_hold', holdReasons: ['billing_dispute'] });
    const holdUntil = new Date(approved.json().holdUntil as string);
    const told = (recipient: Session) =>
      queryRows<{ kind: string; payload: { requestId: string; holdUntil: string; reasons: string[] } }>(
        h.database.db,
        sql`SELECT kind, payload FROM notifications WHERE recipient_id = ${recipient.actor.id} AND kind = 'privacy.hold_ended'`,
      );
    const before = clock.now();
    try {
      clock.set(new Date(holdUntil.getTime() - 60_000));
      await remindEndedHolds(h.deps);
      expect(await told(first)).toEqual([]);

      clock.set(new Date(holdUntil.getTime() + 60_000));
      // Two nodes at once: one of them tells, the other finds the request claimed or marked.
      const runs = await Promise.all([remindEndedHolds(h.deps), remindEndedHolds(h.deps)]);
      expect(runs.map((r) => r.reminded).reduce((a, b) => a + b)).toBeGreaterThanOrEqual(1);
      await remindEndedHolds(h.deps);
      const expected = [
        {
          kind: 'privacy.hold_ended',
          payload: { requestId: id, holdUntil: holdUntil.toISOString(), reasons: ['billing_dispute'] },
        },
      ];
      expect(await told(first)).toEqual(expected);
      expect(await told(second)).toEqual(expected);
      expect(await told(agent)).toEqual([]);

      // Previewed again (a month on: a fresh session) while the dispute is still open: a new hold, and a new reminder when it ends.
      const again = await h.request(await h.signIn('supervisor'), {
        method: 'POST',
        url: `/api/v1/privacy/requests/${id}/preview`,
      });
      expect(again.json(), again.body).toMatchObject({ status: 'awaiting_approval' });
      const [mark] = await queryRows<{ hold_prompted_at: Date | null }>(
        h.database.db,
        sql`SELECT hold_prompted_at FROM privacy_requests WHERE id = ${id}`,
      );
      expect(mark!.hold_prompted_at).toBeNull();
    } finally {
      clock.set(before);
    }
  });

  it('lets no one but the erasure write the marker into the append-only records', async () => {
    const agent = await h.signIn('agent');
    const ticketId = await h.buildTicket(agent.actor);
    await h.request(agent, {
      method: 'POST',
      url: `/api/v1/tickets/${ticketId}/messages`,
      payload: { visibility: 'internal', body: '备注' },
    });
    const [t] = await queryRows<{ customer_id: string }>(
      h.database.db,
      sql`SELECT customer_id FROM tickets WHERE id = ${ticketId}`,
    );
    const reveal = await h.request(agent, {
      method: 'POST',
      url: `/api/v1/customers/${t!.customer_id}/reveal`,
      payload: { field: 'phone', reason: '回电', ticketId },
    });
    expect(reveal.statusCode, reveal.body).toBe(200);
    const refusal = async (work: Promise<unknown>) => {
      const err = await work.then(
        () => null,
        (e: unknown) => e as Error & { cause?: Error },
      );
      return err ? `${err.message} ${err.cause?.message ?? ''}` : 'accepted';
    };
    const db = h.database.db;
    expect(
      await refusal(db.execute(sql`UPDATE ticket_messages SET body = '[erased]' WHERE ticket_id = ${ticketId}`)),
    ).toMatch(/append-only/);
    expect(
      await refusal(
        db.execute(
          sql`UPDATE ticket_events SET data = data || '{"kind":"[erased]"}'::jsonb WHERE ticket_id = ${ticketId}`,
        ),
      ),
    ).toMatch(/append-only/);
    expect(
      await refusal(db.execute(sql`UPDATE pii_access_log SET reason = '[erased]' WHERE ticket_id = ${ticketId}`)),
    ).toMatch(/append-only/);
    // Even inside an erasure, only whole values become the marker; nothing is added or changed otherwise.
    expect(
      await refusal(
        db.transaction(async (tx) => {
          await tx.execute(sql`SELECT set_config('loopdesk.erasure', 'on', true)`);
          await tx.execute(
            sql`UPDATE ticket_events SET data = data || '{"extra":"x"}'::jsonb WHERE ticket_id = ${ticketId}`,
          );
        }),
      ),
    ).toMatch(/append-only/);
  });
});
