import { createServer, type Server, type Socket, connect } from 'node:net';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import Fastify, { type FastifyInstance } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openPostgres, type Database } from '../../src/db/client.js';
import { buildApp } from '../../src/http/app.js';
import { registerErrorHandling } from '../../src/http/errors.js';
import { diskStorage } from '../../src/storage/attachment-storage.js';
import { tokenizeForSearch } from '../../src/text/segmenter.js';
import { createScratchDatabase, ENGINES, TEST_SERVER_URL } from '../helpers/engines.js';

// Failures only a PostgreSQL server has: conflicts between transactions, and the server going away.

const raise = (sqlState: string) =>
  sql.raw(`DO $$ BEGIN RAISE EXCEPTION 'simulated' USING ERRCODE = '${sqlState}'; END $$`);

/** A TCP hop between the app and the server that the test can cut, as a failed database would. */
async function startCuttableProxy(target: URL): Promise<{ port: number; cut(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    cut: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

describe.runIf(ENGINES.includes('postgres'))('database failures on postgres', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let database: Database;
  beforeAll(async () => {
    scratch = await createScratchDatabase();
    database = await openPostgres(scratch.url, 4);
  });
  afterAll(async () => {
    await database?.close();
    await scratch?.drop();
  });

  it('runs a transaction that hit a serialization failure once more', async () => {
    let attempts = 0;
    const result = await database.db.transaction(async (tx) => {
      attempts++;
      if (attempts === 1) await tx.execute(raise('40001'));
      return 'committed';
    });
    expect({ result, attempts }).toEqual({ result: 'committed', attempts: 2 });
  });

  it('answers a deadlock that happens twice with 409 and Retry-After, not 500', async () => {
    let attempts = 0;
    const app: FastifyInstance = Fastify();
    registerErrorHandling(app);
    app.get('/deadlock', async () =>
      database.db.transaction(async (tx) => {
        attempts++;
        await tx.execute(raise('40P01'));
      }),
    );
    const res = await app.inject({ method: 'GET', url: '/deadlock' });
    await app.close();
    expect(attempts).toBe(2);
    expect(res.statusCode).toBe(409);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json().error.code).toBe('request.conflict');
  });

  it('answers 503 with Retry-After while the database cannot be reached', async () => {
    const proxy = await startCuttableProxy(new URL(TEST_SERVER_URL));
    const viaProxy = new URL(scratch.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const proxied = await openPostgres(viaProxy.toString(), 4);
    const config = loadConfig({ LOOPDESK_DATA_DIR: join(tmpdir(), `loopdesk-test-${uuidv7()}`), LOG_LEVEL: 'silent' });
    const app = await buildApp({
      database: proxied,
      config,
      clock: { now: () => new Date() },
      storage: diskStorage(config.attachmentDir),
      indexText: tokenizeForSearch,
      log: false,
    });
    try {
      const login = () =>
        app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'nobody', password: 'x' } });
      expect((await login()).statusCode).toBe(401);

      await proxy.cut();
      for (const res of [
        await login(),
        await app.inject({ method: 'GET', url: '/api/v1/tickets', headers: { cookie: 'loopdesk_session=abc' } }),
      ]) {
        expect(res.statusCode, res.body).toBe(503);
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        expect(res.json().error.code).toBe('service.unavailable');
      }
    } finally {
      await app.close();
      await proxied.close().catch(() => undefined);
      rmSync(config.dataDir, { recursive: true, force: true });
    }
  });
});
