import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION_SETTINGS } from '../../src/core/privacy/retention.js';
import { queryRows } from '../../src/db/client.js';
import { diskStorage } from '../../src/storage/attachment-storage.js';
import { applyRetention } from '../../src/usecases/privacy/apply-retention.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness } from '../helpers/harness.js';

// The daily retention run (PIPL Art. 19): each class past its period is removed or anonymised in
// batches; two nodes working on the same day's run at once do every row once and lose no count.

const DAY = 86_400_000;

describe.each(ENGINES)('the retention run on %s', (engine) => {
  let h: Harness;
  // Friday 2026-11-20 10:00 Beijing.
  const clock = testClock(new Date('2026-11-20T02:00:00Z'));
  beforeAll(async () => {
    h = await startHarness(engine, { clock });
  });
  afterAll(() => h?.close());

  const ago = (days: number) => new Date(clock.now().getTime() - days * DAY);

  it('anonymises old closed tickets and removes old recordings, copies, codes, log rows and message texts once, with two nodes at once, and records the counts', async () => {
    const db = h.database.db;
    const storage = diskStorage(h.config.attachmentDir);
    const agent = await h.signIn('agent');
    const customerId = await h.buildCustomer();
    const ticket = async (closedDaysAgo: number) => {
      const id = await h.buildTicket(agent.actor, { customerId, description: '老地址 幸福路1号 的宽带' });
      await db.execute(sql`UPDATE tickets SET status = 'closed', closed_at = ${ago(closedDaysAgo)} WHERE id = ${id}`);
      return id;
    };
    const old = [];
    for (let i = 0; i < 7; i++) old.push(await ticket(1100 + i));
    const recent = await ticket(30);
    await db.execute(
      sql`INSERT INTO ticket_messages (id, ticket_id, author_staff_id, visibility, channel, body)
          VALUES (${uuidv7()}, ${old[0]}, ${agent.actor.id}, 'public', 'hotline', '已为您处理 幸福路1号')`,
    );
    for (const [days, url] of [
      [200, 'https://rec.example/old.wav'],
      [10, 'https://rec.example/new.wav'],
    ] as const)
      await db.execute(
        sql`INSERT INTO call_records (id, call_id, caller, customer_id, recording_url, started_at)
            VALUES (${uuidv7()}, ${`call-${uuidv7()}`}, '13800000000', ${customerId}, ${url}, ${ago(days)})`,
      );
    // An old call on the recent ticket: its recording link goes from the record and the timeline.
    const linkedCall = `call-${uuidv7()}`;
    await db.execute(
      sql`INSERT INTO call_records (id, call_id, caller, customer_id, ticket_id, recording_url, started_at)
          VALUES (${uuidv7()}, ${linkedCall}, '13800000000', ${customerId}, ${recent}, 'https://rec.example/13800000000.wav', ${ago(200)})`,
    );
    await db.execute(
      sql`INSERT INTO ticket_events (ticket_id, kind, data) VALUES (${recent}, 'call_linked', ${JSON.stringify({
        callId: linkedCall,
        recordingUrl: 'https://rec.example/13800000000.wav',
        ivrPath: [],
        durationSeconds: 60,
        agentId: null,
      })}::jsonb)`,
    );
    for (const days of [2, 0.1])
      await db.execute(
        sql`INSERT INTO portal_codes (id, msisdn, code_hash, request_ip, created_at, expires_at)
            VALUES (${uuidv7()}, '13800000000', 'x', '127.0.0.1', ${ago(days)}, ${ago(days - 0.01)})`,
      );
    for (const days of [400, 10])
      await db.execute(
        sql`INSERT INTO pii_access_log (staff_id, customer_id, field, reason, created_at)
            VALUES (${agent.actor.id}, ${customerId}, 'phone', '回电', ${ago(days)})`,
      );
    for (const [days, state] of [
      [100, 'sent'],
      [100, 'pending'],
      [10, 'sent'],
    ] as const)
      await db.execute(
        sql`INSERT INTO outbox (id, channel, recipient, payload, state, created_at)
            VALUES (${uuidv7()}, 'sms', '13800000000', ${JSON.stringify({ kind: 'portal_code', text: '验证码 123456' })}::jsonb, ${state}, ${ago(days)})`,
      );
    const key = uuidv7();
    await storage.put(key, Readable.from([Buffer.from('PK copy')]), 1000);
    await db.execute(
      sql`INSERT INTO privacy_requests (id, customer_id, kind, status, source, identity_check, received_at, due_at,
            export_state, export_storage_key, export_expires_at)
          VALUES (${uuidv7()}, ${customerId}, 'access', 'completed', 'portal', 'portal_code', ${ago(10)}, ${ago(1)},
            'ready', ${key}, ${ago(1)})`,
    );

    // Two nodes, small batches, at the same time, until neither finds work.
    const deps = { ...h.deps, storage };
    const node = async () => {
      let passes = 0;
      while ((await applyRetention(deps, DEFAULT_RETENTION_SETTINGS, 2)).busy) passes++;
      return passes;
    };
    const [a, b] = await Promise.all([node(), node()]);
    expect(a + b).toBeGreaterThan(1);

    const runs = await queryRows<{ run_date: string; counts: Record<string, number>; finished: boolean }>(
      db,
      sql`SELECT run_date::text AS run_date, counts, finished_at IS NOT NULL AS finished FROM retention_runs`,
    );
    expect(runs).toEqual([
      {
        run_date: '2026-11-20',
        finished: true,
        counts: {
          closed_tickets: 7,
          recordings: 2,
          exports: 1,
          portal_codes: 1,
          portal_sessions: 0,
          access_log: 1,
          outbox: 1,
          chats: 0,
        },
      },
    ]);
    const tickets = await queryRows<{ id: string; description: string; anonymised: boolean }>(
      db,
      sql`SELECT id, description, anonymised_at IS NOT NULL AS anonymised FROM tickets WHERE customer_id = ${customerId}`,
    );
    for (const t of tickets)
      expect(t, t.id).toMatchObject(
        t.id === recent
          ? { description: '老地址 幸福路1号 的宽带', anonymised: false }
          : { description: '[erased]', anonymised: true },
      );
    const [message] = await queryRows<{ body: string }>(
      db,
      sql`SELECT body FROM ticket_messages WHERE ticket_id = ${old[0]}`,
    );
    expect(message!.body).toBe('[erased]');
    const [event] = await queryRows<{ url: string }>(
      db,
      sql`SELECT data ->> 'recordingUrl' AS url FROM ticket_events WHERE ticket_id = ${recent} AND kind = 'call_linked'`,
    );
    expect(event!.url).toBe('[erased]');
    const [left] = await queryRows<Record<string, number>>(
      db,
      sql`SELECT (SELECT count(*)::int FROM call_records WHERE recording_url IS NOT NULL) AS recordings,
                 (SELECT count(*)::int FROM portal_codes) AS codes,
                 (SELECT count(*)::int FROM pii_access_log WHERE customer_id = ${customerId}) AS log,
                 (SELECT count(*)::int FROM outbox WHERE recipient = '13800000000') AS outbox`,
    );
    // The recent recording, code and log row; the recent message and the one still pending.
    expect(left).toEqual({ recordings: 1, codes: 1, log: 1, outbox: 2 });
    await expect(
      new Promise((resolve, reject) => storage.get(key).on('error', reject).on('open', resolve)),
    ).rejects.toThrow(/ENOENT/);

    // Done for the day: another pass does nothing; the supervisor sees the run.
    expect(await applyRetention(deps, DEFAULT_RETENTION_SETTINGS, 2)).toMatchObject({ busy: false, counts: {} });
    const supervisor = await h.signIn('supervisor');
    const list = await h.request(supervisor, { method: 'GET', url: '/api/v1/privacy/retention-runs' });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items[0]).toMatchObject({
      runDate: '2026-11-20',
      counts: { closed_tickets: 7 },
      settings: { closedTicketDays: 1095 },
    });
    expect((await h.request(agent, { method: 'GET', url: '/api/v1/privacy/retention-runs' })).statusCode).toBe(403);
  });
});
