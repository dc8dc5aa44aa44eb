import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpInFlight } from '../../src/metrics/metrics.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, type Harness, type Session } from '../helpers/harness.js';

const TOKEN = 'metrics-token-for-tests-0123456789';

/** Holds every request that reads the sessions table until `release` (a lock in an open transaction). */
async function holdSessions(h: Harness) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => (locked = r));
  const tx = h.database.db.transaction(async (t) => {
    await t.execute(sql`LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE`);
    locked();
    await gate;
  });
  await isLocked;
  return async () => {
    release();
    await tx;
  };
}

/** Waits until `n` requests are in flight (they have passed the overload check and are held). */
async function untilInFlight(n: number) {
  for (let i = 0; i < 1000; i++) {
    if ((await httpInFlight.get()).values[0]?.value === n) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`never ${n} requests in flight`);
}

describe.each(ENGINES)('/metrics on %s', (engine) => {
  let h: Harness;
  let agent: Session;
  beforeAll(async () => {
    h = await startHarness(engine, { env: { LOOPDESK_METRICS_TOKEN: TOKEN } });
    agent = await h.signIn('agent');
  });
  afterAll(() => h?.close());

  it('refuses a reader without the metrics token, or with a wrong one, with 401 in the error shape', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token', TOKEN]) {
      const res = await h.app.inject({ url: '/metrics', headers: authorization ? { authorization } : {} });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('auth.required');
    }
  });

  it('shows request latency by route template, intake by channel, jobs, pool, SLA lag, outbox and live streams', async () => {
    const customerId = await h.buildCustomer();
    const created = await h.request(agent, {
      method: 'POST',
      url: '/api/v1/tickets',
      payload: { type: 'fault', channel: 'hotline', subject: '宽带掉线', description: '宽带每天掉线', customerId },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    expect((await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${id}` })).statusCode).toBe(200);

    const res = await h.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.body;
    // The route template, never the ticket's id.
    expect(text).toContain(
      'loopdesk_http_request_duration_seconds_count{method="GET",route="/api/v1/tickets/:id",status="200"}',
    );
    expect(text).not.toContain(id);
    expect(text).toMatch(/loopdesk_tickets_created_total\{channel="hotline"\} [1-9]/);
    for (const name of [
      'loopdesk_http_requests_in_flight',
      'loopdesk_http_overload_rejections_total',
      'loopdesk_live_streams',
      'loopdesk_job_runs_total',
      'loopdesk_job_items_total',
      'loopdesk_sla_sweep_lag_seconds',
      'loopdesk_outbox_pending',
      'loopdesk_event_loop_delay_seconds',
      'loopdesk_process_resident_memory_bytes',
    ])
      expect(text, name).toContain(`# TYPE ${name} `);
    if (engine === 'postgres') expect(text).toMatch(/loopdesk_db_pool_connections\{state="total"\} \d/);
  });

  it('does not serve metrics at all when no metrics token is set', async () => {
    const plain = await startHarness(engine);
    try {
      const res = await plain.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
      // Unknown like any other path (the web app's fallback page when it is built, else a 404).
      expect(res.body).not.toContain('# TYPE');
    } finally {
      await plain.close();
    }
  });
});

describe.each(ENGINES)('overload on %s', (engine) => {
  let h: Harness;
  let agent: Session;
  beforeAll(async () => {
    h = await startHarness(engine, { env: { LOOPDESK_MAX_IN_FLIGHT: '2', LOOPDESK_METRICS_TOKEN: TOKEN } });
    agent = await h.signIn('agent');
  });
  afterAll(() => h?.close());

  it('answers 503 with Retry-After and code service.overloaded past the limit, and serves again once requests finish', async () => {
    const release = await holdSessions(h);
    const held = [1, 2].map(() => h.request(agent, { method: 'GET', url: '/api/v1/tickets?limit=1' }));
    await untilInFlight(2);

    const refused = await h.request(agent, { method: 'GET', url: '/api/v1/tickets?limit=1' });
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.json().error.code).toBe('service.overloaded');
    // Liveness is never refused; /metrics is not refused either (it answers once the database does).
    expect((await h.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    const metrics = h.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });

    await release();
    expect((await Promise.all(held)).map((r) => r.statusCode)).toEqual([200, 200]);
    const scraped = await metrics;
    expect(scraped.statusCode).toBe(200);
    expect(scraped.body).toMatch(/loopdesk_http_overload_rejections_total [1-9]/);
    expect((await h.request(agent, { method: 'GET', url: '/api/v1/tickets?limit=1' })).statusCode).toBe(200);
  });

  it('does not count a live stream as in flight', async () => {
    const streams = await Promise.all(
      [1, 2, 3].map(() =>
        h.app.inject({
          method: 'GET',
          url: '/api/v1/events',
          headers: { cookie: agent.cookie, accept: 'text/event-stream' },
          payloadAsStream: true,
        }),
      ),
    );
    for (const s of streams) expect(s.statusCode).toBe(200);
    expect((await h.request(agent, { method: 'GET', url: '/api/v1/tickets?limit=1' })).statusCode).toBe(200);
    for (const s of streams) s.stream().destroy();
  });
});
