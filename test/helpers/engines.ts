import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPglite, openPostgres, type Database } from '../../src/db/client.js';

export const ENGINES = (process.env.LOOPDESK_TEST_ENGINES ?? 'pglite,postgres').split(',') as ('pglite' | 'postgres')[];

/** The server the PostgreSQL runs use; each test file gets its own database there. */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function createScratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `loopdesk_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_SERVER_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: TEST_SERVER_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A migrated, empty database on the given engine; `close` also removes it. */
export async function openTestDatabase(engine: 'pglite' | 'postgres'): Promise<Database> {
  if (engine === 'pglite') return openPglite();
  const scratch = await createScratchDatabase();
  const database = await openPostgres(scratch.url, 20);
  return {
    ...database,
    async close() {
      await database.close();
      await scratch.drop();
    },
  };
}
