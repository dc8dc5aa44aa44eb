import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  beginWithFirstStatement,
  commitWithLastStatement,
  commitWithNextStatement,
  queryRows,
  type Database,
  type Db,
} from '../../src/db/client.js';
import { errorCode } from '../../src/db/errors.js';
import { ENGINES, openTestDatabase } from '../helpers/engines.js';
import { wireClient } from '../helpers/wire-client.js';

// A transaction's code may declare its next statement the last (commitWithNextStatement): on
// PostgreSQL, COMMIT is then written with that statement instead of a round trip after it
// (src/db/client.ts). What the transaction does must stay the same on both engines.

const count = async (db: Db, id: number) =>
  (await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM last_probe WHERE id = ${id}`))[0]!.n;

describe.each(ENGINES)('a declared last statement on %s', (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    await database.db.execute(sql`CREATE TABLE last_probe (id int PRIMARY KEY)`);
    // A constraint checked at COMMIT: the statement succeeds, its COMMIT fails.
    await database.db.execute(sql`CREATE TABLE last_deferred (id int UNIQUE DEFERRABLE INITIALLY DEFERRED)`);
    await database.db.execute(sql`INSERT INTO last_deferred VALUES (1)`);
  });
  afterAll(() => database?.close());

  it('commits the transaction with that statement, answering what the statement answered', async () => {
    const answer = await database.db.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO last_probe VALUES (1)`);
      commitWithNextStatement(tx);
      return queryRows<{ id: number }>(tx, sql`INSERT INTO last_probe VALUES (2) RETURNING id`);
    });
    expect(answer).toEqual([{ id: 2 }]);
    expect([await count(database.db, 1), await count(database.db, 2)]).toEqual([1, 1]);
  });

  it('rolls the whole transaction back when that statement fails', async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO last_probe VALUES (3)`);
        commitWithNextStatement(tx);
        await tx.execute(sql`INSERT INTO last_probe VALUES (1)`); // taken
      }),
    ).rejects.toSatisfy((err) => errorCode(err) === '23505');
    expect(await count(database.db, 3)).toBe(0);
    // The connection is usable for the next transaction.
    await database.db.transaction((tx) => tx.execute(sql`INSERT INTO last_probe VALUES (3)`));
    expect(await count(database.db, 3)).toBe(1);
  });

  it('fails the transaction when its COMMIT fails, keeping nothing', async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO last_probe VALUES (4)`);
        commitWithNextStatement(tx);
        await tx.execute(sql`INSERT INTO last_deferred VALUES (1)`); // a duplicate, found at COMMIT
      }),
    ).rejects.toSatisfy((err) => errorCode(err) === '23505');
    expect(await count(database.db, 4)).toBe(0);
  });

  it('changes nothing inside a nested transaction: the outer one goes on and commits as usual', async () => {
    await database.db.transaction(async (tx) => {
      await tx.transaction(async (nested) => {
        commitWithNextStatement(nested);
        await nested.execute(sql`INSERT INTO last_probe VALUES (5)`);
      });
      await tx.execute(sql`INSERT INTO last_probe VALUES (6)`);
    });
    expect([await count(database.db, 5), await count(database.db, 6)]).toEqual([1, 1]);
  });
});

describe.skipIf(!ENGINES.includes('postgres'))('COMMIT with the last statement on the wire', () => {
  let client: pg.Client;
  let db: Db;
  let sent: string[];
  let writes: number[];
  beforeAll(async () => {
    ({ client, sent, writes } = await wireClient(beginWithFirstStatement, commitWithLastStatement));
    await client.query('CREATE TEMP TABLE last_probe (id int PRIMARY KEY)');
    db = drizzle(client) as unknown as Db;
  });
  afterAll(() => client?.end());

  it('writes BEGIN, a lone statement and COMMIT at once, and nothing when the transaction ends', async () => {
    sent.length = 0;
    writes.length = 0;
    await db.transaction(async (tx) => {
      commitWithNextStatement(tx);
      await tx.execute(sql`INSERT INTO last_probe VALUES (1)`);
    });
    expect(sent).toEqual(['begin', 'INSERT INTO last_probe VALUES (1)', 'commit']);
    // All three in one write to the socket: one round trip for the whole transaction.
    expect(writes).toHaveLength(1);
    expect((await client.query('SELECT count(*)::int AS n FROM last_probe')).rows).toEqual([{ n: 1 }]);
  });

  it('refuses a statement after the declared last, which would run outside the transaction', async () => {
    await expect(
      db.transaction(async (tx) => {
        commitWithNextStatement(tx);
        await tx.execute(sql`INSERT INTO last_probe VALUES (2)`);
        await tx.execute(sql`INSERT INTO last_probe VALUES (3)`);
      }),
    ).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/after the one declared the transaction's last/) },
    });
    // The declared last was committed with its COMMIT; the one after it never ran.
    expect((await client.query('SELECT array_agg(id ORDER BY id) AS ids FROM last_probe')).rows).toEqual([
      { ids: [1, 2] },
    ]);
  });

  it('keeps a declaration that no statement used from reaching the next transaction', async () => {
    sent.length = 0;
    await db.transaction(async (tx) => {
      commitWithNextStatement(tx);
    });
    await db.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO last_probe VALUES (4)`);
      await tx.execute(sql`INSERT INTO last_probe VALUES (5)`);
    });
    expect(sent).toEqual([
      'begin',
      'commit',
      'begin',
      'INSERT INTO last_probe VALUES (4)',
      'INSERT INTO last_probe VALUES (5)',
      'commit',
    ]);
  });
});
