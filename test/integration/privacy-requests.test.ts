import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { buildNextPrivacyExport } from '../../src/usecases/privacy/build-privacy-export.js';
import { diskStorage } from '../../src/storage/attachment-storage.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';
import { readZip } from '../helpers/zip.js';

type Customer = { cookie: string; csrf: string; phone: string };

describe.each(ENGINES)('personal-data requests on %s', (engine) => {
  let h: Harness;
  // Friday 2026-11-20 10:00 Beijing.
  const clock = testClock(new Date('2026-11-20T02:00:00Z'));
  let phoneSeq = 17_700_000_000 + Math.floor(Math.random() * 1e6);

  beforeAll(async () => {
    h = await startHarness(engine, { clock });
  });
  afterAll(() => h?.close());

  const call = (who: { cookie: string; csrf: string } | null, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    h.app.inject({
      method,
      url,
      ...(payload ? { payload: payload as Record<string, unknown> } : {}),
      headers: who ? { cookie: who.cookie, 'x-csrf-token': who.csrf } : {},
    });
  const desk = (who: Session, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    h.request(who, { method, url, ...(payload ? { payload: payload } : {}) });

  async function signIn(phone = String(phoneSeq++)): Promise<Customer> {
    expect((await call(null, 'POST', '/api/portal/v1/codes', { phone })).statusCode).toBe(202);
    const [sms] = await queryRows<{ payload: { text: string } }>(
      h.database.db,
      sql`SELECT payload FROM outbox WHERE recipient = ${phone} ORDER BY created_at DESC, id DESC LIMIT 1`,
    );
    const code = /验证码 (\d{6})/.exec(sms!.payload.text)![1]!;
    const res = await call(null, 'POST', '/api/portal/v1/session', { phone, code });
    expect(res.statusCode, res.body).toBe(200);
    return {
      phone,
      cookie: `loopdesk_portal=${res.cookies.find((c) => c.name === 'loopdesk_portal')!.value}`,
      csrf: res.json().csrfToken,
    };
  }
  const runExports = async () => {
    const deps = { ...h.deps, storage: diskStorage(h.config.attachmentDir) };
    let n = 0;
    while (await buildNextPrivacyExport(deps)) n++;
    return n;
  };
  const customerIdOf = async (phone: string) =>
    (
      await queryRows<{ customer_id: string }>(
        h.database.db,
        sql`SELECT customer_id FROM customer_numbers WHERE msisdn = ${phone}`,
      )
    )[0]!.customer_id;

  it('gives a signed-in customer a copy of their data: queued, built by the job, downloaded as a ZIP of JSON and CSV, logged', async () => {
    const c = await signIn();
    const ticket = await call(c, 'POST', '/api/portal/v1/tickets', {
      type: 'complaint',
      description: '营业厅工作人员态度很差，标记词 PRIVACY-COPY-7781',
    });
    expect(ticket.statusCode, ticket.body).toBe(201);

    const created = await call(c, 'POST', '/api/portal/v1/privacy/requests', { kind: 'access' });
    expect(created.statusCode, created.body).toBe(201);
    const again = await call(c, 'POST', '/api/portal/v1/privacy/requests', { kind: 'access' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('privacy.request_open');

    let [mine] = (await call(c, 'GET', '/api/portal/v1/privacy/requests')).json().items;
    // 15 working days after Friday 20 November: Friday 11 December, to its end (Beijing).
    expect(mine).toMatchObject({ kind: 'access', status: 'open', dueAt: '2026-12-11T16:00:00.000Z' });
    expect(mine.export).toMatchObject({ state: 'queued', progress: 0 });
    const early = await call(c, 'GET', `/api/portal/v1/privacy/requests/${mine.id}/export`);
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('privacy.export_not_ready');

    expect(await runExports()).toBe(1);
    [mine] = (await call(c, 'GET', '/api/portal/v1/privacy/requests')).json().items;
    expect(mine).toMatchObject({ status: 'completed', export: { state: 'ready', progress: 100 } });
    expect(new Date(mine.export.expiresAt).getTime() - clock.now().getTime()).toBe(7 * 86_400_000);

    const download = await call(c, 'GET', `/api/portal/v1/privacy/requests/${mine.id}/export`);
    expect(download.statusCode, download.body).toBe(200);
    expect(download.headers['content-type']).toBe('application/zip');
    const zip = readZip(download.rawPayload);
    const data = JSON.parse(zip.get('customer-data.json')!.toString('utf8'));
    expect(data.numbers).toEqual([{ msisdn: c.phone, position: 0 }]);
    expect(data.tickets[0].description).toContain('PRIVACY-COPY-7781');
    expect(data.privacy_requests).toHaveLength(1);
    const csv = zip.get('csv/tickets.csv')!.toString('utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toContain('PRIVACY-COPY-7781');
    for (const section of ['profile', 'numbers', 'messages', 'call_records', 'surveys', 'consents'])
      expect([...zip.keys()]).toContain(`csv/${section}.csv`);

    const log = await queryRows<{ field: string; by_customer: boolean; staff_id: string | null }>(
      h.database.db,
      sql`SELECT field, by_customer, staff_id FROM pii_access_log WHERE customer_id = ${await customerIdOf(c.phone)}`,
    );
    expect(log).toEqual([{ field: 'export', by_customer: true, staff_id: null }]);

    // Another customer cannot fetch it; after seven days nobody can.
    const other = await signIn();
    expect((await call(other, 'GET', `/api/portal/v1/privacy/requests/${mine.id}/export`)).statusCode).toBe(404);
    clock.advance(7 * 86_400_000);
    const late = await call(await signIn(c.phone), 'GET', `/api/portal/v1/privacy/requests/${mine.id}/export`);
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('privacy.export_expired');
  });

  it('refuses requests without a portal sign-in, and requests missing what their kind needs', async () => {
    expect((await call(null, 'GET', '/api/portal/v1/privacy/requests')).statusCode).toBe(401);
    const c = await signIn();
    const missing = await call(c, 'POST', '/api/portal/v1/privacy/requests', { kind: 'correction' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('request.invalid');
    const wrongPurpose = await call(c, 'POST', '/api/portal/v1/privacy/requests', {
      kind: 'access',
      consentPurpose: 'marketing',
    });
    expect(wrongPurpose.statusCode).toBe(400);
  });

  it('lets an agent record a correction with the identity check; the privacy desk completes it and the customer sees the answer', async () => {
    const [agent, supervisor] = [await h.signIn('agent'), await h.signIn('supervisor')];
    const c = await signIn();
    const customerId = await customerIdOf(c.phone);
    const recorded = await desk(agent, 'POST', '/api/v1/privacy/requests', {
      customerId,
      kind: 'correction',
      identityCheck: 'id_document',
      details: '地址应为 广州市天河区体育西路1号',
    });
    expect(recorded.statusCode, recorded.body).toBe(201);
    const bad = await desk(agent, 'POST', '/api/v1/privacy/requests', {
      customerId,
      kind: 'correction',
      identityCheck: 'portal_code',
      details: 'x',
    });
    expect(bad.statusCode).toBe(400);

    expect((await desk(agent, 'GET', '/api/v1/privacy/requests')).statusCode).toBe(403);
    const queue = (await desk(supervisor, 'GET', '/api/v1/privacy/requests?limit=200')).json();
    const item = queue.items.find((i: { id: string }) => i.id === recorded.json().id);
    expect(item).toMatchObject({
      kind: 'correction',
      status: 'open',
      source: 'agent',
      identityCheck: 'id_document',
      recordedBy: { id: agent.actor.id },
      actions: ['complete', 'refuse'],
      overdue: false,
    });

    const done = await desk(supervisor, 'POST', `/api/v1/privacy/requests/${item.id}/complete`, {
      answer: '地址已更正',
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'completed', closedBy: { id: supervisor.actor.id }, actions: [] });
    const again = await desk(supervisor, 'POST', `/api/v1/privacy/requests/${item.id}/refuse`, { answer: '不行' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('privacy.invalid_transition');

    const [mine] = (await call(c, 'GET', '/api/portal/v1/privacy/requests')).json().items;
    expect(mine).toMatchObject({ kind: 'correction', status: 'completed', answer: '地址已更正' });
  });

  it('marks a request overdue in the queue once its statutory deadline passes, and refuses with reasons', async () => {
    const supervisor = await h.signIn('supervisor');
    const c = await signIn();
    const created = (await call(c, 'POST', '/api/portal/v1/privacy/requests', { kind: 'deletion' })).json();
    const before = (await desk(supervisor, 'GET', `/api/v1/privacy/requests/${created.id}`)).json();
    expect(before.overdue).toBe(false);
    clock.set(new Date(new Date(before.dueAt).getTime() + 1000));
    const officer = await h.signIn('admin');
    const after = (await desk(officer, 'GET', `/api/v1/privacy/requests/${created.id}`)).json();
    expect(after.overdue).toBe(true);
    expect((await desk(officer, 'POST', `/api/v1/privacy/requests/${created.id}/refuse`, {})).statusCode).toBe(400);
    const refused = await desk(officer, 'POST', `/api/v1/privacy/requests/${created.id}/refuse`, {
      answer: '身份核验未通过',
    });
    expect(refused.json()).toMatchObject({ status: 'refused', overdue: false, answer: '身份核验未通过' });
  });
});
