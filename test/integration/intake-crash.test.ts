import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../src/core/channels/webhook-signature.js';
import { openPostgres, queryRows, type Database } from '../../src/db/client.js';
import { createScratchDatabase, ENGINES } from '../helpers/engines.js';

// Accepted work is never lost and a retry never duplicates it, even when the server dies mid-stream.

const SECRET = 'crash-test-sms-secret-01';
const TOTAL = 1000;

/** The HTTP port; the SMTP listener is on the next one. */
function startServer(url: string, port: number, dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOOPDESK_SMTP_PORT: String(port + 1),
      LOOPDESK_DATA_DIR: dataDir,
      LOOPDESK_DEMO_DATA: 'false',
      LOOPDESK_WEBHOOK_SECRETS: `sms=${SECRET}`,
      LOG_LEVEL: 'silent',
      LOOPDESK_SLA_SWEEP_SECONDS: '0',
      LOOPDESK_ASSIGN_SECONDS: '0',
      LOOPDESK_OUTBOX_SECONDS: '0',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  return { child, stderr: () => stderr };
}

/** Ready when /readyz answers and the SMTP listener (started after the HTTP server) accepts connections. */
async function waitReady(server: ReturnType<typeof startServer>, port: number) {
  for (let i = 0; i < 300; i++) {
    if (server.child.exitCode !== null) break;
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok && (await accepts(port + 1))) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `server on port ${port} did not become ready (exit code ${server.child.exitCode}):\n${server.stderr()}`,
  );
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('error', () => resolve(false));
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
  });
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/**
 * Two free adjacent ports (HTTP, SMTP) below Linux's ephemeral range (32768+). Inside that range a
 * port can be taken at any moment as the local end of an outgoing connection (this test alone opens
 * hundreds), and the server then fails to bind.
 */
async function freePortPair(): Promise<number> {
  for (;;) {
    const port = 20_000 + 2 * Math.floor(Math.random() * 6_000);
    if ((await canListen(port)) && (await canListen(port + 1))) return port;
  }
}

/** Even messages come by SMS webhook, odd ones by SMTP; resolves when acknowledged, saying whether it was new. */
async function deliver(port: number, i: number): Promise<'accepted' | 'duplicate'> {
  if (i % 2 === 1) {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: port + 1, secure: false, ignoreTLS: true });
    const from = `customer${i % 50}@example.cn`;
    const raw = [
      `From: ${from}`,
      'To: kf@loopdesk.example',
      `Subject: 第${i}封邮件`,
      `Message-ID: <crash-${i}@mail.example.cn>`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      '宽带断网，请处理。',
    ].join('\r\n');
    const info = (await transport.sendMail({ envelope: { from, to: ['kf@loopdesk.example'] }, raw })) as {
      response: string;
    };
    transport.close();
    return /already/i.test(info.response) ? 'duplicate' : 'accepted';
  }
  const res = await deliverSms(port, i);
  if (res.status === 201) return 'accepted';
  if (res.status === 200) return 'duplicate';
  throw new Error(`status ${res.status}`);
}

function deliverSms(port: number, i: number) {
  const body = JSON.stringify({
    messageId: `crash-${i}`,
    from: { msisdn: `1370000${String(i % 50).padStart(4, '0')}` },
    text: `第${i}条消息：宽带断网`,
  });
  return fetch(`http://127.0.0.1:${port}/api/v1/channels/sms/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-loopdesk-signature': sign(SECRET, Math.floor(Date.now() / 1000), body),
    },
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

  it('keeps every message acknowledged by the SMS webhook or SMTP exactly once after SIGKILL, and a full retry adds only what was lost', async () => {
    const port = await freePortPair();
    const first = startServer(scratch.url, port, dataDir);
    children.push(first.child);
    await waitReady(first, port);

    const acknowledged = new Set<number>();
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (next < TOTAL) {
        const i = next++;
        try {
          await deliver(port, i);
          acknowledged.add(i);
        } catch {
          /* connection died with the server */
        }
        if (!killed && acknowledged.size >= 300) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));
    expect(killed).toBe(true);
    expect(acknowledged.size).toBeLessThan(TOTAL);

    const stored = async () =>
      new Map(
        (
          await queryRows<{ external_id: string; n: number }>(
            database.db,
            sql`SELECT external_id, count(*)::int AS n FROM channel_messages WHERE direction = 'in' GROUP BY external_id`,
          )
        ).map((r) => [r.external_id, r.n]),
      );
    const key = (i: number) => (i % 2 === 1 ? `crash-${i}@mail.example.cn` : `crash-${i}`);
    let rows = await stored();
    for (const i of acknowledged) expect(rows.get(key(i)), `acknowledged message ${i}`).toBe(1);

    // The gateway retries everything; the restarted server accepts what was lost, once.
    const secondPort = await freePortPair();
    const second = startServer(scratch.url, secondPort, dataDir);
    children.push(second.child);
    await waitReady(second, secondPort);
    const outcomes: string[] = [];
    for (let start = 0; start < TOTAL; start += 50) {
      outcomes.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(50, TOTAL - start) }, (_, k) => deliver(secondPort, start + k)),
        )),
      );
    }
    second.child.kill('SIGTERM');
    for (const i of acknowledged)
      expect(outcomes[i], `message ${i} was acknowledged before, so it is a duplicate now`).toBe('duplicate');
    rows = await stored();
    expect(rows.size).toBe(TOTAL);
    expect([...rows.values()].every((n) => n === 1)).toBe(true);
    const [messages] = await queryRows<{ n: number }>(
      database.db,
      sql`SELECT count(*)::int AS n FROM ticket_messages WHERE from_customer`,
    );
    expect(messages!.n).toBe(TOTAL);
  }, 180_000);
});
