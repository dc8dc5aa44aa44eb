import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

type Customer = { cookie: string; csrf: string };

describe.each(ENGINES)('customer portal on %s', (engine) => {
  let h: Harness;
  const clock = testClock();
  let agent: Session;
  let phoneSeq = 18_600_000_000 + Math.floor(Math.random() * 1e6);

  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    agent = await h.signIn('agent');
  });
  afterAll(() => h?.close());

  const call = (
    who: Customer | null,
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) =>
    h.app.inject({
      method,
      url,
      ...(payload ? { payload: payload as Record<string, unknown> } : {}),
      headers: { ...(who ? { cookie: who.cookie, 'x-csrf-token': who.csrf } : {}), ...headers },
    });

  /** The last SMS the outbox holds for the number, as the customer's phone would show it. */
  const lastSms = async (phone: string) => {
    const rows = await queryRows<{ payload: { text?: string; portalLink?: string } }>(
      h.database.db,
      sql`SELECT payload FROM outbox WHERE recipient = ${phone} AND channel = 'sms' ORDER BY created_at DESC, id DESC LIMIT 1`,
    );
    return rows[0]?.payload ?? {};
  };

  async function signIn(phone = String(phoneSeq++)): Promise<Customer & { phone: string }> {
    expect((await call(null, 'POST', '/api/portal/v1/codes', { phone })).statusCode).toBe(202);
    const code = /验证码 (\d{6})/.exec((await lastSms(phone)).text ?? '')![1]!;
    const res = await call(null, 'POST', '/api/portal/v1/session', { phone, code });
    expect(res.statusCode, res.body).toBe(200);
    return {
      phone,
      cookie: `loopdesk_portal=${res.cookies.find((c) => c.name === 'loopdesk_portal')!.value}`,
      csrf: res.json().csrfToken,
    };
  }

  const submit = (c: Customer, body: Record<string, unknown>, key?: string) =>
    call(
      c,
      'POST',
      '/api/portal/v1/tickets',
      { type: 'complaint', description: '营业厅工作人员态度很差，办理业务等了两个小时', ...body },
      key ? { 'idempotency-key': key } : {},
    );

  it('signs a customer in with a code sent by SMS, and limits how often codes are sent and tried', async () => {
    const phone = String(phoneSeq++);
    expect((await call(null, 'POST', '/api/portal/v1/codes', { phone })).statusCode).toBe(202);
    const again = await call(null, 'POST', '/api/portal/v1/codes', { phone });
    expect(again.statusCode).toBe(429);
    expect(again.json().error.code).toBe('auth.rate_limited');

    const code = /验证码 (\d{6})/.exec((await lastSms(phone)).text ?? '')![1]!;
    const wrongCode = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++)
      expect((await call(null, 'POST', '/api/portal/v1/session', { phone, code: wrongCode })).statusCode).toBe(401);
    expect((await call(null, 'POST', '/api/portal/v1/session', { phone, code })).statusCode).toBe(401); // five wrong tries burn the code

    clock.advance(61_000);
    const customer = await signIn(phone);
    const session = (await call(customer, 'GET', '/api/portal/v1/session')).json();
    expect(session.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect((await call(null, 'GET', '/api/portal/v1/tickets')).statusCode).toBe(401);
  });

  it('submits a complaint once however often it is retried, routed like any other ticket, and shows it to the agents', async () => {
    const customer = await signIn();
    const first = await submit(customer, {}, 'portal-retry-0001');
    const retry = await submit(customer, {}, 'portal-retry-0001');
    expect(first.statusCode, first.body).toBe(201);
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(first.json());
    expect(first.json().number).toMatch(/^TS\d+/);

    const staffView = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${first.json().id}` })).json();
    expect(staffView).toMatchObject({ channel: 'web', type: 'complaint', firstContactOwner: null, status: 'new' });
    const mine = (await call(customer, 'GET', '/api/portal/v1/tickets')).json().items;
    expect(mine.map((t: { id: string }) => t.id)).toEqual([first.json().id]);

    const noCsrf = await h.app.inject({
      method: 'POST',
      url: '/api/portal/v1/tickets',
      payload: { type: 'fault', description: '宽带断网了' },
      headers: { cookie: customer.cookie },
    });
    expect(noCsrf.statusCode).toBe(403);
    const bad = await submit(customer, { description: '差' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/describe the problem/);
  });

  it('creates at most ten requests an hour for one customer however many arrive at once', async () => {
    const customer = await signIn();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => submit(customer, { description: `第${i}次反馈：家里宽带晚上经常断网` })),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 201)).toHaveLength(10);
    expect(codes.filter((c) => c === 429)).toHaveLength(10);
    expect(results.find((r) => r.statusCode === 429)!.json().error.code).toBe('auth.rate_limited');
  });

  it('never shows a customer another customer’s ticket, nor internal notes', async () => {
    const alice = await signIn();
    const bob = await signIn();
    const ticket = (await submit(alice, {})).json();
    expect((await call(bob, 'GET', `/api/portal/v1/tickets/${ticket.id}`)).statusCode).toBe(404);
    expect(
      (await call(bob, 'POST', `/api/portal/v1/tickets/${ticket.id}/messages`, { body: '我也要说' })).statusCode,
    ).toBe(404);

    await h.request(agent, {
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/assignment`,
      payload: { assigneeId: agent.actor.id },
    });
    await h.request(agent, {
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/messages`,
      payload: { visibility: 'internal', body: '内部：该营业员已被投诉三次' },
    });
    await h.request(agent, {
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/messages`,
      payload: { visibility: 'public', body: '您好，我们已核实并批评教育相关人员。' },
    });
    const seen = (await call(alice, 'GET', `/api/portal/v1/tickets/${ticket.id}`)).json();
    const bodies = seen.timeline
      .filter((e: { kind: string }) => e.kind === 'message')
      .map((e: { bodyHtml: string }) => e.bodyHtml);
    expect(bodies).toEqual(['营业厅工作人员态度很差，办理业务等了两个小时', '您好，我们已核实并批评教育相关人员。']);
    expect(JSON.stringify(seen)).not.toContain('内部');
  });

  it('lets the customer confirm a resolution (closed) or say it is not solved (reopened), and follow a signed link to one ticket', async () => {
    const customer = await signIn();
    const solved = (await submit(customer, {})).json();
    const unsolved = (await submit(customer, { type: 'fault', description: '家里宽带一直断网' })).json();
    for (const t of [solved, unsolved]) {
      await h.request(agent, {
        method: 'POST',
        url: `/api/v1/tickets/${t.id}/assignment`,
        payload: { assigneeId: agent.actor.id },
      });
      await h.request(agent, {
        method: 'POST',
        url: `/api/v1/tickets/${t.id}/messages`,
        payload: { visibility: 'public', body: '已处理，请确认。' },
      });
      expect(
        (
          await h.request(agent, {
            method: 'POST',
            url: `/api/v1/tickets/${t.id}/transitions`,
            payload: { action: 'resolve' },
          })
        ).statusCode,
      ).toBe(200);
    }
    expect((await call(customer, 'GET', `/api/portal/v1/tickets/${solved.id}`)).json()).toMatchObject({
      status: 'resolved',
      canConfirm: true,
    });
    expect(
      (await call(customer, 'POST', `/api/portal/v1/tickets/${solved.id}/confirm`, { solved: true })).statusCode,
    ).toBe(204);
    expect(
      (
        await call(customer, 'POST', `/api/portal/v1/tickets/${unsolved.id}/confirm`, {
          solved: false,
          comment: '还是断网',
        })
      ).statusCode,
    ).toBe(204);
    expect((await call(customer, 'GET', `/api/portal/v1/tickets/${solved.id}`)).json().status).toBe('closed');
    const reopened = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${unsolved.id}` })).json();
    expect(reopened).toMatchObject({ status: 'assigned', reopenCount: 1 });
    expect(
      (await call(customer, 'POST', `/api/portal/v1/tickets/${solved.id}/confirm`, { solved: true })).statusCode,
    ).toBe(409);

    // The reply's SMS carries a signed link: it opens that ticket and nothing else.
    const { portalLink } = await lastSms(customer.phone);
    const viaLink = await call(null, 'POST', '/api/portal/v1/link', { token: portalLink });
    expect(viaLink.statusCode, viaLink.body).toBe(200);
    const linked = {
      cookie: `loopdesk_portal=${viaLink.cookies.find((c) => c.name === 'loopdesk_portal')!.value}`,
      csrf: viaLink.json().csrfToken,
    };
    expect(viaLink.json().ticketId).toBe(unsolved.id);
    expect((await call(linked, 'GET', '/api/portal/v1/tickets')).json().items.map((t: { id: string }) => t.id)).toEqual(
      [unsolved.id],
    );
    expect((await call(linked, 'GET', `/api/portal/v1/tickets/${solved.id}`)).statusCode).toBe(404);
    expect((await submit(linked, {})).statusCode).toBe(403);
    const forged = await call(null, 'POST', '/api/portal/v1/link', {
      token: `${solved.id}.${portalLink!.split('.')[1]}.${portalLink!.split('.')[2]}`,
    });
    expect(forged.statusCode).toBe(401);
  });

  it('takes a photo with the customer’s request, and refuses file types the desk would refuse', async () => {
    const customer = await signIn();
    const ticket = (await submit(customer, { type: 'fault', description: '光猫指示灯一直红色闪烁' })).json();
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const upload = (fileName: string, type: string) => {
      const boundary = '----portal-boundary';
      const payload = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${type}\r\n\r\n`,
        ),
        png,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return call(customer, 'POST', `/api/portal/v1/tickets/${ticket.id}/attachments`, payload, {
        'content-type': `multipart/form-data; boundary=${boundary}`,
      });
    };
    const ok = await upload('光猫.png', 'image/png');
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ fileName: '光猫.png', size: png.length });
    expect((await upload('run.exe', 'application/x-msdownload')).statusCode).toBe(415);
    const files = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${ticket.id}/attachments` })).json()
      .items;
    expect(files.map((f: { fileName: string }) => f.fileName)).toEqual(['光猫.png']);
  });
});
