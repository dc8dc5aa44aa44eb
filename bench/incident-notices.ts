import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { webhookSender } from '../src/channels/outbound/senders.js';
import { v7 as uuidv7 } from 'uuid';
import { DEFAULT_INCIDENT_SETTINGS } from '../src/core/incidents/incidents.js';
import { openPostgres, queryRows } from '../src/db/client.js';
import { ensureReferenceData } from '../src/db/reference-data.js';
import { systemClock } from '../src/system-clock.js';
import { deliverOutbox } from '../src/usecases/channels/outbound.js';
import { sendIncidentNotices } from '../src/usecases/incidents/send-notices.js';
import { createScratchDatabase } from '../test/helpers/engines.js';
import { printTable } from './harness.js';

const CUSTOMERS = Number(process.env.BENCH_NOTICE_CUSTOMERS ?? 1_000_000);
const BATCH = 500;
const DELIVERED = Number(process.env.BENCH_NOTICE_DELIVERED ?? 20_000);

/**
 * Proactive notices to CUSTOMERS customers of one area: time to enqueue them all (notice row +
 * SMS outbox row each, one batch per transaction) with 3 job runners at once, and duplicates (must
 * be 0), beside a baseline of plain outbox inserts of the same count in batches of the same size.
 * One incident is held by one runner at a time (its row, SKIP LOCKED), so the other two mostly
 * find nothing: the figure is what one incident's notices cost, not a parallel speed-up.
 */
export async function incidentNotices() {
  const scratch = await createScratchDatabase();
  const database = await openPostgres(scratch.url, 6);
  const raw = new pg.Pool({ connectionString: scratch.url, max: 2 });
  try {
    await ensureReferenceData(database.db);
    const t0 = Date.now();
    await raw.query(
      `INSERT INTO customers (id, name, region) SELECT gen_random_uuid(), '压测客户' || g, '压测区' FROM generate_series(1, $1::int) g`,
      [CUSTOMERS],
    );
    await raw.query(
      `INSERT INTO customer_numbers (msisdn, customer_id)
       SELECT (13000000000 + row_number() OVER (ORDER BY id))::text, id FROM customers`,
    );
    await raw.query('ANALYZE');
    console.log(`loaded ${CUSTOMERS.toLocaleString()} customers in ${((Date.now() - t0) / 1000).toFixed(0)} s`);

    let start = performance.now();
    for (let done = 0; done < CUSTOMERS; done += BATCH) {
      await raw.query(
        `INSERT INTO outbox (id, channel, recipient, ticket_id, payload, next_attempt_at, created_at)
         SELECT gen_random_uuid(), 'sms', '13000000000', NULL, '{"kind":"portal_code","text":"bench"}'::jsonb, now(), now()
         FROM generate_series(1, $1::int)`,
        [Math.min(BATCH, CUSTOMERS - done)],
      );
    }
    const baselineMs = performance.now() - start;

    const incidentId = uuidv7();
    await raw.query(
      `INSERT INTO incidents (id, number, title, category, level, areas, ticket_categories, started_at, notify_customers, public_message)
       VALUES ($1, 'INC-BENCH', '光缆中断', 'network_performance', 'II', ARRAY['压测区'], ARRAY['fault-network'], now(), true, '光缆中断，正在抢修。')`,
      [incidentId],
    );
    const deps = {
      db: database.db,
      clock: systemClock,
      indexText: (s: string) => s,
      timeZone: 'Asia/Shanghai',
      incidents: { ...DEFAULT_INCIDENT_SETTINGS, quietHours: { start: '00:00', end: '00:00' } },
    };
    const runner = async () => {
      let queued = 0;
      for (let idle = 0; idle < 3;) {
        const r = await sendIncidentNotices(deps, { batch: BATCH });
        queued += r.queued;
        idle = r.busy ? 0 : idle + 1;
      }
      return queued;
    };
    start = performance.now();
    const queued = await Promise.all([runner(), runner(), runner()]);
    const noticeMs = performance.now() - start;
    const [facts] = await queryRows<{ notices: number; messages: number; recipients: number }>(
      database.db,
      sql`SELECT (SELECT count(*)::int FROM incident_notices) AS notices,
                 (SELECT count(*)::int FROM outbox WHERE payload->>'incidentId' = ${incidentId}) AS messages,
                 (SELECT count(DISTINCT recipient)::int FROM outbox WHERE payload->>'incidentId' = ${incidentId}) AS recipients`,
    );
    printTable([
      {
        measurement: `plain outbox inserts ×${CUSTOMERS} (baseline)`,
        ms: baselineMs,
        'per second': (CUSTOMERS / baselineMs) * 1000,
        'vs baseline': 1,
      },
      {
        measurement: `incident notices ×${CUSTOMERS}, 3 runners (${queued.join(' + ')})`,
        ms: noticeMs,
        'per second': (CUSTOMERS / noticeMs) * 1000,
        'vs baseline': noticeMs / baselineMs,
      },
    ]);
    printTable([
      { notices: facts!.notices, messages: facts!.messages, duplicates: facts!.messages - facts!.recipients },
    ]);
    if (facts!.notices !== CUSTOMERS || facts!.messages !== CUSTOMERS || facts!.recipients !== CUSTOMERS)
      throw new Error('incident notices told a customer twice or missed one');

    // Delivery: DELIVERED of them made due now (the rate limit spread them over hours), sent by three
    // outbox workers to a stub SMS gateway on loopback (signed webhook, one HTTP request each).
    let received = 0;
    const gateway = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received++;
        res.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
    const senders = {
      sms: webhookSender({
        url: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/sms`,
        secret: 'bench-gateway-secret-0001',
      }),
    };
    await raw.query(`UPDATE outbox SET state = 'sent' WHERE payload->>'incidentId' IS NULL`);
    await raw.query(
      `UPDATE outbox SET next_attempt_at = now() - interval '1 minute'
        WHERE id IN (SELECT id FROM outbox WHERE payload->>'incidentId' = $1 ORDER BY id LIMIT $2)`,
      [incidentId, DELIVERED],
    );
    const worker = async () => {
      let sent = 0;
      for (;;) {
        const r = await deliverOutbox(deps, senders, { batch: 100 });
        sent += r.sent;
        if (r.sent + r.failed === 0) return sent;
      }
    };
    start = performance.now();
    const sent = await Promise.all([worker(), worker(), worker()]);
    const deliveryMs = performance.now() - start;
    await new Promise((r) => gateway.close(r));
    printTable([
      {
        measurement: `outbox delivery ×${DELIVERED} to a stub gateway, 3 workers (${sent.join(' + ')})`,
        ms: deliveryMs,
        'per second': (DELIVERED / deliveryMs) * 1000,
        'gateway requests': received,
      },
    ]);
    if (received !== DELIVERED) throw new Error(`the gateway got ${received} requests for ${DELIVERED} notices`);
  } finally {
    await raw.end();
    await database.close();
    await scratch.drop();
  }
}
