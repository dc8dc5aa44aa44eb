import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beginWithFirstStatement } from '../../src/db/client.js';
import { ENGINES } from '../helpers/engines.js';
import { wireClient } from '../helpers/wire-client.js';

// The PostgreSQL pool's connections send a transaction's BEGIN with its first statement
// (src/db/client.ts): one round trip fewer per transaction. PGlite has no pool and no round trips.
describe.skipIf(!ENGINES.includes('postgres'))('BEGIN with the first statement on PostgreSQL', () => {
  let client: pg.Client;
  let sent: string[];
  let writes: number[];
  beforeAll(async () => {
    ({ client, sent, writes } = await wireClient(beginWithFirstStatement));
    await client.query('CREATE TEMP TABLE begin_probe (id int PRIMARY KEY)');
  });
  afterAll(() => client?.end());

  it('answers BEGIN at once and sends it just before the next statement, which runs inside the transaction', async () => {
    sent.length = 0;
    await client.query('begin');
    expect(sent).toEqual([]);
    const insert = client.query('INSERT INTO begin_probe VALUES (1)');
    // Both written before either is answered: no round trip for BEGIN alone.
    expect(sent).toEqual(['begin', 'INSERT INTO begin_probe VALUES (1)']);
    await insert;
    expect((await client.query('SELECT count(*)::int AS n FROM begin_probe')).rows).toEqual([{ n: 1 }]);
    await client.query('rollback');
    // Rolled back with the transaction: the insert was part of it.
    expect((await client.query('SELECT count(*)::int AS n FROM begin_probe')).rows).toEqual([{ n: 0 }]);
  });

  it('writes BEGIN and the statement to the socket in one write', async () => {
    writes.length = 0;
    await client.query('begin');
    await client.query('INSERT INTO begin_probe VALUES (3)');
    await client.query('rollback');
    // BEGIN and the INSERT's messages in one, then ROLLBACK.
    expect(writes).toHaveLength(2);
    expect(writes[0]).toBeGreaterThan(1);
  });

  it('sends an empty transaction’s BEGIN with its COMMIT, and every other statement as it comes', async () => {
    sent.length = 0;
    await client.query('begin');
    await client.query('commit');
    await client.query('INSERT INTO begin_probe VALUES (2)');
    expect(sent).toEqual(['begin', 'commit', 'INSERT INTO begin_probe VALUES (2)']);
    expect((await client.query('SELECT count(*)::int AS n FROM begin_probe')).rows).toEqual([{ n: 1 }]);
  });
});
