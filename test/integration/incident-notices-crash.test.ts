import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, queryRows, type Database } from '../../src/db/client.js';
import { createScratchDatabase, ENGINES } from '../helpers/engines.js';

// Proactive notices survive a node killed mid-send: a worker running only the notice job is
// SIGKILLed while it works through the customers of an area; a second worker finishes. Every
// customer has exactly one notice and one outbox message.

const CUSTOMERS = 5000;

function startWorker(url: string, dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/jobs/worker-cli.ts', 'incident-notices'], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      LOOPDESK_DATA_DIR: dataDir,
      LOOPDESK_DEMO_DATA: 'false',
      LOG_LEVEL: 'silent',
      LOOPDESK_INCIDENT_NOTICE_SECONDS: '1',
      LOOPDESK_INCIDENT_NOTICE_BATCH: '20',
      // No quiet hours, so the run does not depend on the time of day.
      LOOPDESK_QUIET_HOURS: '00:00-00:00',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  return { child, stderr: () => stderr };
}

describe.runIf(ENGINES.includes('postgres'))('incident notices under a crash', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let database: Database;
  let dataDir: string;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    scratch = await createScratchDatabase();
    database = await openPostgres(scratch.url, 2);
    dataDir = mkdtempSync(join(tmpdir(), 'loopdesk-notice-crash-'));
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await database?.close();
    await scratch?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const count = async (q: ReturnType<typeof sql>) => (await queryRows<{ n: number }>(database.db, q))[0]!.n;
  const notices = () => count(sql`SELECT count(*)::int AS n FROM incident_notices`);

  it('tells each customer of the area exactly once after the worker is SIGKILLed mid-run and restarted', async () => {
    const db = database.db;
    const incidentId = uuidv7();
    await db.execute(
      sql`INSERT INTO incident_levels (code, name_zh, name_en, rank, priority) VALUES ('II', '重大', 'Major', 30, 1)`,
    );
    await db.execute(sql`
      INSERT INTO incidents (id, number, title, category, level, areas, ticket_categories, started_at,
                             notify_customers, public_message)
      VALUES (${incidentId}, 'INC-CRASH-1', '光缆中断', 'network_performance', 'II', ARRAY['崩溃区'],
              ARRAY['fault-network'], now(), true, '光缆中断，正在抢修。')`);
    await db.execute(sql`
      INSERT INTO customers (id, name, region)
      SELECT gen_random_uuid(), '客户' || g, '崩溃区' FROM generate_series(1, ${CUSTOMERS}) g`);
    await db.execute(sql`
      INSERT INTO customer_numbers (msisdn, customer_id)
      SELECT '139' || lpad((row_number() OVER (ORDER BY id))::text, 8, '0'), id FROM customers`);

    const first = startWorker(scratch.url, join(dataDir, 'a'));
    children.push(first.child);
    let atKill = 0;
    for (let i = 0; i < 3000 && first.child.exitCode === null; i++) {
      atKill = await notices();
      if (atKill >= 400) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    expect(atKill, first.stderr()).toBeGreaterThanOrEqual(400);
    const afterKill = await notices();
    expect(afterKill).toBeLessThan(CUSTOMERS); // killed mid-run, not after the end

    const second = startWorker(scratch.url, join(dataDir, 'b'));
    children.push(second.child);
    for (let i = 0; i < 3000 && (await notices()) < CUSTOMERS; i++) {
      if (second.child.exitCode !== null) throw new Error(`worker exited:\n${second.stderr()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));

    expect(await notices()).toBe(CUSTOMERS);
    const messages = sql`SELECT * FROM outbox WHERE payload->>'incidentId' = ${incidentId}`;
    expect(await count(sql`SELECT count(*)::int AS n FROM (${messages}) m`)).toBe(CUSTOMERS);
    expect(await count(sql`SELECT count(DISTINCT recipient)::int AS n FROM (${messages}) m`)).toBe(CUSTOMERS);
    // Every notice has its message: the batch that died left neither.
    expect(
      await count(
        sql`SELECT count(*)::int AS n FROM incident_notices n JOIN outbox o ON o.id = n.outbox_id AND o.recipient = n.msisdn`,
      ),
    ).toBe(CUSTOMERS);
  }, 240_000);
});
