import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { JOBS, type JobContext } from '../../src/jobs/registry.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, TEST_PASSWORD, type Harness } from '../helpers/harness.js';

// Every limit is fired at with parallel requests: a limit that only holds one request at a time
// is no limit. The counters live in the database, so what holds here holds across nodes.

const statuses = (responses: { statusCode: number }[]) =>
  responses.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.statusCode]: (acc[r.statusCode] ?? 0) + 1 }), {});

describe.each(ENGINES)('rate limits under parallel requests on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine);
  });
  afterAll(() => h?.close());

  /** Opens every pooled connection first, so the parallel requests really run side by side. */
  const warmPool = () =>
    engine === 'postgres'
      ? Promise.all(Array.from({ length: 20 }, () => h.database.db.execute(sql`SELECT pg_sleep(0.05)`)))
      : undefined;

  const login = (username: string, password: string, from = '127.0.0.1', headers: Record<string, string> = {}) =>
    h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username, password },
      remoteAddress: from,
      headers,
    });

  it('checks at most five of 40 parallel wrong passwords for one user from one address', async () => {
    const user = await h.buildStaff('agent', null);
    await warmPool();
    const results = await Promise.all(Array.from({ length: 40 }, () => login(user.username, 'wrong password')));
    expect(statuses(results)).toEqual({ 401: 5, 429: 35 });
    const refused = results.find((r) => r.statusCode === 429)!;
    expect(refused.json().error.code).toBe('auth.rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('does not let five wrong passwords from one address lock the user out from another', async () => {
    const user = await h.buildStaff('agent', null);
    for (let i = 0; i < 5; i++) expect((await login(user.username, 'wrong', '203.0.113.7')).statusCode).toBe(401);
    expect((await login(user.username, TEST_PASSWORD, '203.0.113.7')).statusCode).toBe(429);
    const elsewhere = await login(user.username, TEST_PASSWORD, '198.51.100.20');
    expect(elsewhere.statusCode, elsewhere.body).toBe(200);
  });

  it('ignores X-Forwarded-For from an untrusted peer, so rotating it does not escape the per-address limit', async () => {
    const peer = '192.0.2.50';
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        login(`nobody-${i}`, 'wrong', peer, { 'x-forwarded-for': `10.9.${i}.${i + 1}` }),
      ),
    );
    expect(statuses(results)).toEqual({ 401: 30, 429: 10 });
  });

  it('sends one code for 20 parallel requests for one number', async () => {
    const phone = String(18_700_000_000 + Math.floor(Math.random() * 1e6));
    // Over real connections, as phones on a flaky network retrying would send them.
    const base = await h.app.listen({ port: 0, host: '127.0.0.1' });
    await warmPool();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        fetch(`${base}/api/portal/v1/codes`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ phone }),
        }).then((r) => ({ statusCode: r.status })),
      ),
    );
    expect(statuses(results)).toEqual({ 202: 1, 429: 19 });
    const [sent] = await queryRows<{ n: number }>(
      h.database.db,
      sql`SELECT count(*)::int AS n FROM outbox WHERE recipient = ${phone}`,
    );
    expect(sent?.n).toBe(1);
  });

  it('creates exactly 20 saved views from 40 parallel requests', async () => {
    const agent = await h.signIn('agent');
    await warmPool();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        h.request(agent, { method: 'POST', url: '/api/v1/saved-views', payload: { name: `视图 ${i}`, filters: {} } }),
      ),
    );
    expect(statuses(results)).toEqual({ 201: 20, 422: 20 });
    const list = (await h.request(agent, { method: 'GET', url: '/api/v1/saved-views' })).json().items;
    expect(list).toHaveLength(20);
  });
});

describe.each(ENGINES)('rate-limit housekeeping on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine);
  });
  afterAll(() => h?.close());

  it('deletes the windows that began two days ago or more and keeps the current ones', async () => {
    const now = Date.now();
    const at = (hoursAgo: number) => new Date(now - hoursAgo * 3_600_000).toISOString();
    await h.database.db.execute(
      sql`INSERT INTO rate_limits (key, window_start, hits) VALUES
            ('old:a', ${at(49)}::timestamptz, 3), ('old:b', ${at(72)}::timestamptz, 1),
            ('current', ${at(1)}::timestamptz, 2)`,
    );
    const housekeeping = JOBS.find((j) => j.name === 'housekeeping')!;
    const result = await housekeeping.run({ deps: h.deps } as JobContext);
    expect(result.counts).toEqual({ rateLimitWindows: 2 });
    const left = await queryRows<{ key: string }>(h.database.db, sql`SELECT key FROM rate_limits ORDER BY key`);
    expect(left.map((r) => r.key)).toEqual(['current']);
  });
});

describe.each(ENGINES)('trusted proxies on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine, { env: { LOOPDESK_TRUST_PROXY: '192.0.2.0/24, 127.0.0.1' } });
  });
  afterAll(() => h?.close());

  it('takes the client address from X-Forwarded-For only when the peer is a configured proxy', async () => {
    const user = await h.buildStaff('agent', null);
    const via = (client: string, peer = '192.0.2.9') =>
      h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: user.username, password: 'wrong' },
        remoteAddress: peer,
        headers: { 'x-forwarded-for': client },
      });
    for (let i = 0; i < 5; i++) expect((await via('203.0.113.1')).statusCode).toBe(401);
    expect((await via('203.0.113.1')).statusCode).toBe(429);
    // Another client behind the same proxy is another address.
    expect((await via('203.0.113.2')).statusCode).toBe(401);
    // A peer that is not a configured proxy cannot claim to be that second client.
    expect((await via('203.0.113.1', '198.51.100.1')).statusCode).toBe(401);
  });
});
