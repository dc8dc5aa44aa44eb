import nodemailer from 'nodemailer';
import { v7 as uuidv7 } from 'uuid';
import { startSmtpListener } from '../src/channels/email/smtp-listener.js';
import { sign } from '../src/core/channels/webhook-signature.js';
import { customerNumbers, customers, staff, teams } from '../src/db/schema.js';
import { hashPassword } from '../src/usecases/auth/passwords.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diskStorage } from '../src/storage/attachment-storage.js';
import { tokenizeForSearch } from '../src/text/segmenter.js';
import { loopRate, printTable, SECONDS, startServer } from './harness.js';

const SMS_SECRET = 'bench-sms-secret-000001';
const CONCURRENCY = 32;
const CUSTOMERS = 2_000;

/**
 * Inbound channel messages per second through the signed SMS webhook (signature check,
 * idempotency claim, customer lookup, threading onto an open ticket or a new routed ticket) and
 * through the SMTP listener (MIME parsing, Message-ID claim, customer by address, new ticket),
 * beside tickets created through the plain API by an agent, same machine, same run.
 */
export async function intake() {
  const server = await startServer({ LOOPDESK_WEBHOOK_SECRETS: `sms=${SMS_SECRET}` });
  try {
    const { db } = server.database;
    const teamId = uuidv7();
    await db.insert(teams).values({ id: teamId, code: 'bench', name: '压测组', kind: 'frontline' });
    await db.insert(staff).values({
      id: uuidv7(),
      username: 'bench',
      displayName: '压测',
      role: 'agent',
      teamId,
      passwordHash: await hashPassword('bench-password'),
    });
    const ids = Array.from({ length: CUSTOMERS }, () => uuidv7());
    await db.insert(customers).values(ids.map((id, i) => ({ id, name: `客户${i}` })));
    await db
      .insert(customerNumbers)
      .values(ids.map((customerId, i) => ({ msisdn: String(13_600_000_000 + i), customerId })));

    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench', password: 'bench-password' }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const text = '家里宽带每天掉线十几次，光猫指示灯闪红，重启后仍然掉线，要求尽快上门维修。';

    const post = async (url: string, body: string, headers: Record<string, string>) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
      if (!res.ok) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    };
    const viaApi = (worker: number, i: number) =>
      post(
        `${server.url}/api/v1/tickets`,
        JSON.stringify({
          type: 'fault',
          channel: 'hotline',
          subject: '宽带频繁掉线',
          description: text,
          customerId: ids[(worker * 997 + i) % CUSTOMERS],
        }),
        { cookie, 'x-csrf-token': csrfToken },
      );
    const viaWebhook = (worker: number, i: number) => {
      const body = JSON.stringify({
        messageId: `bench-${worker}-${i}-${uuidv7()}`,
        from: { msisdn: String(13_600_000_000 + ((worker * 997 + i) % CUSTOMERS)) },
        text,
      });
      return post(`${server.url}/api/v1/channels/sms/messages`, body, {
        'x-loopdesk-signature': sign(SMS_SECRET, Math.floor(Date.now() / 1000), body),
      });
    };

    const smtp = await startSmtpListener(
      {
        db,
        clock: { now: () => new Date() },
        indexText: tokenizeForSearch,
        timeZone: 'Asia/Shanghai',
        storage: diskStorage(join(tmpdir(), 'loopdesk-bench-mail')),
        maxBytes: 20 * 1024 * 1024,
      },
      { host: '127.0.0.1', port: 0, maxBytes: 25 * 1024 * 1024 },
    );
    const subject = `=?UTF-8?B?${Buffer.from('宽带频繁掉线').toString('base64')}?=`;
    // One pooled connection per client, as an MTA delivering to us keeps them open.
    const transports = Array.from({ length: CONCURRENCY }, () =>
      nodemailer.createTransport({
        host: '127.0.0.1',
        port: smtp.port,
        secure: false,
        ignoreTLS: true,
        pool: true,
        maxConnections: 1,
      }),
    );
    const viaSmtp = async (worker: number, i: number) => {
      const from = `c${(worker * 997 + i) % CUSTOMERS}@example.cn`;
      const raw = [
        `From: ${from}`,
        'To: kf@loopdesk.example',
        `Subject: ${subject}`,
        `Message-ID: <bench-${uuidv7()}@example.cn>`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        text,
      ].join('\r\n');
      await transports[worker]!.sendMail({ envelope: { from, to: ['kf@loopdesk.example'] }, raw });
    };

    const api = await loopRate(CONCURRENCY, viaApi);
    const webhook = await loopRate(CONCURRENCY, viaWebhook);
    const mail = await loopRate(CONCURRENCY, viaSmtp);
    for (const t of transports) t.close();
    await smtp.close();
    console.log(
      `PostgreSQL at ${new URL(server.scratch.url).host}, ${SECONDS} s per measurement, concurrency ${CONCURRENCY}, ${CUSTOMERS} customers`,
    );
    printTable([
      { path: 'tickets through the plain API (baseline)', 'per second': api, 'ratio to baseline': 1 },
      { path: 'signed SMS webhook messages', 'per second': webhook, 'ratio to baseline': webhook / api },
      { path: 'mail over SMTP (parse, thread, store)', 'per second': mail, 'ratio to baseline': mail / api },
    ]);
  } finally {
    await server.close();
  }
}
