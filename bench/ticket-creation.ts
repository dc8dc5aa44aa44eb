import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { staff, teams } from '../src/db/schema.js';
import { hashPassword } from '../src/usecases/auth/passwords.js';
import { createCustomer } from '../src/usecases/customers/customers.js';
import { httpRate, loopRate, printTable, SECONDS, startServer } from './harness.js';

/**
 * Tickets created per second through POST /api/v1/tickets (auth, CSRF, validation, priority,
 * numbering, segmentation, timeline, response view) against a raw single-row INSERT into a table
 * of similar width, both on the same PostgreSQL in the same run.
 */
export async function ticketCreation() {
  const server = await startServer();
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
    const customerId = await createCustomer(
      { db, clock: { now: () => new Date() }, indexText: (s) => s, timeZone: 'Asia/Shanghai' },
      { id: uuidv7(), role: 'admin', teamId: null },
      { name: '压测客户', numbers: ['13900000000'], tier: 'regular', plans: [] },
    );
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench', password: 'bench-password' }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const description = '家里宽带每天掉线十几次，光猫指示灯闪红，重启后仍然掉线，要求尽快上门维修。';
    const body = JSON.stringify({
      type: 'fault',
      channel: 'hotline',
      subject: '宽带频繁掉线',
      description,
      customerId,
    });

    const raw = new pg.Pool({ connectionString: server.scratch.url, max: 32 });
    await raw.query(`CREATE TABLE bench_raw (
      id uuid PRIMARY KEY, number text UNIQUE NOT NULL, type text NOT NULL, status text NOT NULL, subject text NOT NULL,
      description text NOT NULL, customer_id uuid NOT NULL, owner_id uuid NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
    const insertRaw = () =>
      raw.query(
        'INSERT INTO bench_raw (id, number, type, status, subject, description, customer_id, owner_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        [randomUUID(), randomUUID(), 'fault', 'new', '宽带频繁掉线', description, customerId, teamId],
      );

    const rows = [];
    for (const concurrency of [1, 32]) {
      const baseline = await loopRate(concurrency, insertRaw);
      const api = await httpRate({
        url: `${server.url}/api/v1/tickets`,
        connections: concurrency,
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrfToken },
        body,
      });
      rows.push({
        concurrency,
        'raw INSERT/s (baseline)': baseline,
        'API tickets/s': api,
        'API / baseline': api / baseline,
      });
    }
    await raw.end();
    console.log(`PostgreSQL at ${new URL(server.scratch.url).host}, ${SECONDS} s per measurement`);
    printTable(rows);
  } finally {
    await server.close();
  }
}
