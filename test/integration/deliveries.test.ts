import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../src/db/schema.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, type Harness } from '../helpers/harness.js';

// The supervisors' deliveries screen reads these: dead letters page by page, with recipients and
// the gateway's error text masked, and a retry that puts a dead message back in the queue.

describe.each(ENGINES)('outbox dead letters for supervisors on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine);
  });
  afterAll(() => h?.close());

  const dead = async (recipient: string, lastError: string, createdAt: Date) => {
    const id = uuidv7();
    await h.database.db.insert(outbox).values({
      id,
      channel: 'sms',
      recipient,
      payload: { kind: 'portal_code', text: '验证码 123456' },
      attempts: 8,
      state: 'dead',
      lastError,
      createdAt,
    });
    return id;
  };

  it('pages through dead letters newest first, masking the recipient inside the error text too', async () => {
    const supervisor = await h.signIn('supervisor');
    const base = Date.parse('2026-11-20T02:00:00Z');
    const ids = [];
    for (let i = 0; i < 3; i++)
      ids.push(
        await dead('13812345678', `gateway 550: invalid recipient 13812345678 (try ${i})`, new Date(base + i * 1000)),
      );
    const page = async (cursor?: string) => {
      const res = await h.request(supervisor, {
        method: 'GET',
        url: `/api/v1/outbox?state=dead&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ items: { id: string; recipient: string; lastError: string }[]; nextCursor: string | null }>();
    };
    const first = await page();
    expect(first.items.slice(0, 2).map((o) => o.id)).toEqual([ids[2], ids[1]]);
    expect(first.items[0]).toMatchObject({
      recipient: '138****5678',
      lastError: 'gateway 550: invalid recipient 138****5678 (try 2)',
    });
    const second = await page(first.nextCursor!);
    expect(second.items.map((o) => o.id)).toContain(ids[0]);
    expect((await h.request(supervisor, { method: 'GET', url: '/api/v1/outbox?cursor=nonsense' })).statusCode).toBe(
      400,
    );
  });

  it('retries a dead letter for a supervisor; agents are refused; a second retry says it is no longer dead', async () => {
    const supervisor = await h.signIn('supervisor');
    const agent = await h.signIn('agent');
    const id = await dead('zhangsan@example.cn', 'connect ECONNREFUSED', new Date());
    const forbidden = await h.request(agent, { method: 'POST', url: `/api/v1/outbox/${id}/retry` });
    expect(forbidden.statusCode).toBe(403);
    expect((await h.request(agent, { method: 'GET', url: '/api/v1/outbox' })).statusCode).toBe(403);
    expect((await h.request(agent, { method: 'GET', url: '/api/v1/quarantined-mail' })).statusCode).toBe(403);

    expect((await h.request(supervisor, { method: 'POST', url: `/api/v1/outbox/${id}/retry` })).statusCode).toBe(204);
    const again = await h.request(supervisor, { method: 'POST', url: `/api/v1/outbox/${id}/retry` });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('outbox.not_dead');
    const pending = (await h.request(supervisor, { method: 'GET', url: '/api/v1/outbox?state=pending&limit=200' }))
      .json<{ items: { id: string; recipient: string; attempts: number }[] }>()
      .items.find((o) => o.id === id);
    expect(pending).toMatchObject({ recipient: 'zh****cn', attempts: 0 });
  });

  it('lists quarantined mail page by page (an empty list has no next page)', async () => {
    const supervisor = await h.signIn('supervisor');
    const res = await h.request(supervisor, { method: 'GET', url: '/api/v1/quarantined-mail?limit=5' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ items: [], nextCursor: null });
  });
});
