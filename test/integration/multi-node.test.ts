import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { sql } from 'drizzle-orm';
import { openPostgres, queryRows, type Database } from '../../src/db/client.js';
import { ensureReferenceData } from '../../src/db/reference-data.js';
import { staff, teams } from '../../src/db/schema.js';
import { buildApp } from '../../src/http/app.js';
import { diskStorage } from '../../src/storage/attachment-storage.js';
import { tokenizeForSearch } from '../../src/text/segmenter.js';
import { hashPassword } from '../../src/usecases/auth/passwords.js';
import { createCustomer } from '../../src/usecases/customers/customers.js';
import { createScratchDatabase, ENGINES } from '../helpers/engines.js';

// Several stateless app nodes behind a load balancer, one PostgreSQL.
describe.runIf(ENGINES.includes('postgres'))('several app nodes on one PostgreSQL', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  const databases: Database[] = [];
  const apps: Awaited<ReturnType<typeof buildApp>>[] = [];

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    // Three nodes start at the same moment on an empty database: one migrates, the others wait.
    databases.push(...(await Promise.all([1, 2, 3].map(() => openPostgres(scratch.url, 5)))));
    await ensureReferenceData(databases[0]!.db);
    const config = loadConfig({ LOOPDESK_DATA_DIR: join(tmpdir(), `loopdesk-nodes-${uuidv7()}`), LOG_LEVEL: 'silent' });
    for (const database of databases.slice(0, 2)) {
      const app = await buildApp({
        database,
        config,
        clock: { now: () => new Date() },
        storage: diskStorage(config.attachmentDir),
        indexText: tokenizeForSearch,
        log: false,
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      apps.push(app);
    }
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const d of databases) await d.close();
    await scratch?.drop();
  });

  it('starts three nodes together on an empty database, applying each migration exactly once', async () => {
    const journal = JSON.parse(readFileSync('src/db/migrations/meta/_journal.json', 'utf8')) as { entries: unknown[] };
    const rows = await queryRows<{ n: number }>(
      databases[0]!.db,
      sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`,
    );
    expect(rows[0]!.n).toBe(journal.entries.length);
  });

  it('signs in on one node and is recognised on the other, and a change on one reaches a page on the other', async () => {
    const db = databases[0]!.db;
    const teamId = uuidv7();
    await db.insert(teams).values({ id: teamId, code: `nodes-${teamId.slice(-6)}`, name: '多节点', kind: 'frontline' });
    await db.insert(staff).values({
      id: uuidv7(),
      username: 'node-agent',
      displayName: '节点',
      role: 'agent',
      teamId,
      passwordHash: await hashPassword('node password 1'),
    });
    const customerId = await createCustomer(
      { db, clock: { now: () => new Date() }, indexText: (s) => s, timeZone: 'Asia/Shanghai' },
      { id: uuidv7(), role: 'admin', teamId: null },
      { name: '客户', numbers: ['13355556666'], tier: 'regular', plans: [] },
    );
    const [a, b] = apps.map((app) => `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`);

    const login = await fetch(`${a}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'node-agent', password: 'node password 1' }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };

    const controller = new AbortController();
    const stream = await fetch(`${a}/api/v1/events`, { headers: { cookie }, signal: controller.signal });
    const reader = stream.body!.getReader();
    const created = await fetch(`${b}/api/v1/tickets`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'fault',
        channel: 'hotline',
        subject: '无信号',
        description: '家里没有信号',
        customerId,
      }),
    });
    expect(created.status).toBe(201);
    const ticketId = ((await created.json()) as { id: string }).id;
    let received = '';
    const deadline = Date.now() + 5000;
    while (!received.includes(ticketId) && Date.now() < deadline) {
      const { value } = await Promise.race([
        reader.read(),
        new Promise<{ value: undefined }>((r) => setTimeout(() => r({ value: undefined }), 500)),
      ]);
      if (value) received += new TextDecoder().decode(value);
    }
    controller.abort();
    expect(received).toContain(ticketId);
  });
});
