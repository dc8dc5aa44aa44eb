import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import { openPostgres } from '../src/db/client.js';
import { ensureReferenceData } from '../src/db/reference-data.js';
import { buildApp } from '../src/http/app.js';
import { diskStorage } from '../src/storage/attachment-storage.js';
import { tokenizeForSearch } from '../src/text/segmenter.js';
import { createScratchDatabase } from '../test/helpers/engines.js';

export const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

/** A server on a scratch PostgreSQL database, listening on loopback. */
export async function startServer(env: Record<string, string> = {}) {
  const scratch = await createScratchDatabase();
  const database = await openPostgres(scratch.url, 40);
  await ensureReferenceData(database.db);
  const config = loadConfig({ LOOPDESK_DATA_DIR: join(tmpdir(), 'loopdesk-bench'), LOG_LEVEL: 'silent', ...env });
  const app = await buildApp({
    database,
    config,
    clock: { now: () => new Date() },
    storage: diskStorage(config.attachmentDir),
    indexText: tokenizeForSearch,
    log: false,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    scratch,
    database,
    async close() {
      await app.close();
      await database.close();
      await scratch.drop();
    },
  };
}

/** Requests per second of one endpoint, for SECONDS, with `connections` in flight. */
export async function httpRate(opts: {
  url: string;
  connections: number;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
}) {
  const result = await autocannon({
    ...opts,
    duration: SECONDS,
    headers: { 'content-type': 'application/json', ...opts.headers },
  });
  const ok = result['2xx'];
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`benchmark requests failed: ${result.non2xx} non-2xx, ${result.errors} errors`);
  }
  return ok / (result.duration || SECONDS);
}

/** Runs `op` in `concurrency` loops for SECONDS; returns completed operations per second. */
export async function loopRate(concurrency: number, op: (worker: number, i: number) => Promise<unknown>) {
  const end = Date.now() + SECONDS * 1000;
  let done = 0;
  const start = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = 0; Date.now() < end; i++) {
        await op(worker, i);
        done++;
      }
    }),
  );
  return done / ((Date.now() - start) / 1000);
}

export function printTable(rows: Record<string, string | number>[]) {
  console.table(
    rows.map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? Number(v.toFixed(2)) : v])),
    ),
  );
}
