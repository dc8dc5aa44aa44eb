import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { queryRows } from '../src/db/client.js';
import { categoryId } from '../src/db/reference-data.js';
import { staff, teams } from '../src/db/schema.js';
import { hashPassword } from '../src/usecases/auth/passwords.js';
import { createCustomer } from '../src/usecases/customers/customers.js';
import { httpRate, printTable, SECONDS, startServer } from './harness.js';

const CONCURRENCY = 8;

async function session(url: string, username: string) {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'bench-password' }),
  });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return { cookie, 'x-csrf-token': csrfToken };
}

/**
 * Fault tickets created per second through POST /api/v1/tickets for a customer of an area, with
 * no incident, then while an active incident covers the area and the category (every new ticket
 * is matched against the active incidents, linked and its priority raised), in the same run.
 */
export async function incidentLinking() {
  const server = await startServer();
  try {
    const { db } = server.database;
    const teamId = uuidv7();
    await db.insert(teams).values({ id: teamId, code: 'bench', name: '压测组', kind: 'frontline' });
    const passwordHash = await hashPassword('bench-password');
    for (const role of ['agent', 'supervisor'] as const)
      await db
        .insert(staff)
        .values({ id: uuidv7(), username: `bench-${role}`, displayName: role, role, teamId, passwordHash });
    const customerId = await createCustomer(
      { db, clock: { now: () => new Date() }, indexText: (s) => s, timeZone: 'Asia/Shanghai' },
      { id: uuidv7(), role: 'admin', teamId: null },
      { name: '压测客户', numbers: ['13900000000'], tier: 'regular', plans: [], region: '压测区' },
    );
    const agent = await session(server.url, 'bench-agent');
    const body = JSON.stringify({
      type: 'fault',
      channel: 'hotline',
      subject: '手机没有信号',
      description: '从上午开始手机一直没有信号，打不了电话。',
      customerId,
      categoryId: categoryId('fault-network-no-signal'),
    });
    const rate = () =>
      httpRate({
        url: `${server.url}/api/v1/tickets`,
        connections: CONCURRENCY,
        method: 'POST',
        headers: agent,
        body,
      });
    await rate(); // warm-up: the first seconds of a fresh server are slower (JIT, pools, caches)
    const without = await rate();
    const supervisor = await session(server.url, 'bench-supervisor');
    const opened = await fetch(`${server.url}/api/v1/incidents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...supervisor },
      body: JSON.stringify({ title: '基站故障', category: 'network_performance', level: 'II', areas: ['压测区'] }),
    });
    if (opened.status !== 201) throw new Error(`could not open the incident: ${await opened.text()}`);
    const linking = await rate();
    const [facts] = await queryRows<{ linked: number }>(
      db,
      sql`SELECT count(*)::int AS linked FROM tickets WHERE incident_id IS NOT NULL`,
    );
    console.log(`PostgreSQL at ${new URL(server.scratch.url).host}, ${SECONDS} s per measurement`);
    printTable([
      {
        measurement: `fault tickets, no incident, concurrency ${CONCURRENCY} (baseline)`,
        'per second': without,
        ratio: 1,
      },
      {
        measurement: `fault tickets auto-linked to an active incident (${facts!.linked} linked)`,
        'per second': linking,
        ratio: linking / without,
      },
    ]);
    if (facts!.linked === 0) throw new Error('no ticket was linked to the incident');
  } finally {
    await server.close();
  }
}
