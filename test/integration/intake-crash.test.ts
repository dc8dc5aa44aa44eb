import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../src/core/channels/webhook-signature.js';
import { openPostgres, queryRows, type Database } from '../../src/db/client.js';
import { createScratchDatabase, ENGINES } from '../helpers/engines.js';

// Accepted work is never lost and a retry never duplicates it, even when the server dies mid-stream.

const SECRET = 'crash-test-sms-secret-01';
const TOTAL = 1000;

function startServer(url: string, port: number, dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', LOOPDESK_DATA_DIR: dataDir, LOOPDESK_DEMO_DATA: 'false', LOOPDESK_WEBHOOK_SECRETS: `sms=${SECRET}`, LOG_LEVEL: 'silent', LOOPDESK_SLA_SWEEP_SECONDS: '0' },
    stdio: 'ignore',
  });
  return child;
}

async function waitReady(port: number) {
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not become ready');
}

function deliver(port: number, i: number) {
  const body = JSON.stringify({ messageId: `crash-${i}`, from: { msisdn: `1370000${String(i % 50).padStart(4, '0')}` }, text: `第${i}条消息：宽带断网` });
  return fetch(`http://127.0.0.1:${port}/api/v1/channels/sms/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-loopdesk-signature': sign(SECRET, Math.floor(Date.now() / 1000), body) },
    body,
  });
}

describe.runIf(ENGINES.includes('postgres'))('intake under a crash', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let database: Database;
  let dataDir: string;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    scratch = await createScratchDatabase();
    database = await openPostgres(scratch.url, 2);
    dataDir = mkdtempSync(join(tmpdir(), 'loopdesk-crash-'));
  });
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await database?.close();
    await scratch?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged message exactly once after SIGKILL, and a full retry adds only what was lost', async () => {
    const port = 40_000 + Math.floor(Math.random() * 20_000);
    const first = startServer(scratch.url, port, dataDir);
    children.push(first);
    await waitReady(port);

    const acknowledged = new Set<number>();
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (next < TOTAL) {
        const i = next++;
        try {
          const res = await deliver(port, i);
          if (res.status === 200 || res.status === 201) acknowledged.add(i);
        } catch {
          /* connection died with the server */
        }
        if (!killed && acknowledged.size >= 300) {
          killed = true;
          first.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));
    expect(killed).toBe(true);
    expect(acknowledged.size).toBeLessThan(TOTAL);

    const stored = async () =>
      new Map((await queryRows<{ external_id: string; n: number }>(database.db, sql`SELECT external_id, count(*)::int AS n FROM channel_messages GROUP BY external_id`)).map((r) => [r.external_id, r.n]));
    let rows = await stored();
    for (const i of acknowledged) expect(rows.get(`crash-${i}`), `acknowledged message ${i}`).toBe(1);

    // The gateway retries everything; the restarted server accepts what was lost, once.
    const second = startServer(scratch.url, port + 1, dataDir);
    children.push(second);
    await waitReady(port + 1);
    const statuses: number[] = [];
    for (let start = 0; start < TOTAL; start += 50) {
      statuses.push(...(await Promise.all(Array.from({ length: Math.min(50, TOTAL - start) }, (_, k) => deliver(port + 1, start + k).then((r) => r.status)))));
    }
    second.kill('SIGTERM');
    expect(statuses.every((s) => s === 200 || s === 201)).toBe(true);
    for (const i of acknowledged) expect(statuses[i], `message ${i} was acknowledged before, so it is a duplicate now`).toBe(200);
    rows = await stored();
    expect(rows.size).toBe(TOTAL);
    expect([...rows.values()].every((n) => n === 1)).toBe(true);
    const [messages] = await queryRows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM ticket_messages WHERE from_customer`);
    expect(messages!.n).toBe(TOTAL);
  }, 180_000);
});
