import { eq, sql } from 'drizzle-orm';
import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type Database } from '../../src/db/client.js';
import { preparedOn, rowPlaceholders } from '../../src/db/prepared.js';
import { ENGINES, openTestDatabase } from '../helpers/engines.js';

// The hot paths' prepared statements (src/db/prepared.ts) are built once on the database and run
// on a transaction's connection by taking drizzle's own session field: this checks that they are
// part of the transaction on both engines, and that a row's nulls and defaults stay what drizzle's
// own INSERT would write.

const probe = pgTable('prepared_probe', {
  id: text('id').primaryKey(),
  doc: jsonb('doc'),
  at: timestamp('at', { withTimezone: true, mode: 'date' }),
  note: text('note').notNull().default('unset'),
});

describe.each(ENGINES)('prepared statements in transactions on %s', (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    await database.db.execute(
      sql`CREATE TABLE prepared_probe (id text PRIMARY KEY, doc jsonb, at timestamptz, note text NOT NULL DEFAULT 'unset')`,
    );
  });
  afterAll(() => database?.close());

  const insert = (on: Parameters<typeof preparedOn>[1], row: typeof probe.$inferInsert) => {
    const r = rowPlaceholders(probe, row, 'p_');
    return preparedOn(database.db, on, 'probe_insert', r.shape, (db, name) =>
      db.insert(probe).values(r.placeholders).returning().prepare(name),
    ).execute(r.values);
  };
  const read = async (id: string) => (await database.db.select().from(probe).where(eq(probe.id, id)))[0];

  it('runs on the transaction’s connection: rolled back with it, committed with it', async () => {
    const at = new Date('2026-11-28T02:00:00Z');
    await expect(
      database.db.transaction(async (tx) => {
        expect(await insert(tx, { id: 'a', doc: { 区域: '广州' }, at })).toEqual([
          { id: 'a', doc: { 区域: '广州' }, at, note: 'unset' },
        ]);
        // Seen inside the transaction, through it.
        expect(await tx.select().from(probe).where(eq(probe.id, 'a'))).toHaveLength(1);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await read('a')).toBeUndefined();

    await database.db.transaction(async (tx) => {
      await insert(tx, { id: 'b', doc: [1, 2], at, note: '备注' });
    });
    expect(await read('b')).toEqual({ id: 'b', doc: [1, 2], at, note: '备注' });
  });

  it('writes a null as SQL NULL (not JSON null), a left-out column as its default, each shape with its own statement', async () => {
    await insert(database.db, { id: 'c', doc: null, at: null });
    await database.db.transaction((tx) => insert(tx, { id: 'd', doc: { n: 1 }, at: new Date(0) }));
    await insert(database.db, { id: 'e', doc: null, at: null, note: '再次' });
    const nulls = await queryRows<{ id: string; doc_is_null: boolean }>(
      database.db,
      sql`SELECT id, doc IS NULL AS doc_is_null FROM prepared_probe WHERE id IN ('c', 'd', 'e') ORDER BY id`,
    );
    expect(nulls.map((r) => [r.id, r.doc_is_null])).toEqual([
      ['c', true],
      ['d', false],
      ['e', true],
    ]);
    expect(await read('c')).toEqual({ id: 'c', doc: null, at: null, note: 'unset' });
    expect(await read('d')).toEqual({ id: 'd', doc: { n: 1 }, at: new Date(0), note: 'unset' });
    expect(await read('e')).toMatchObject({ note: '再次' });
  });
});

describe('prepared insert rows', () => {
  it('refuses a row that leaves out a column whose default is computed in JavaScript, which one build would freeze', () => {
    const t = pgTable('defaults_probe', {
      id: text('id').primaryKey(),
      token: text('token').$defaultFn(() => Math.random().toString(36)),
    });
    expect(() => rowPlaceholders(t, { id: 'x' }, '')).toThrow('a prepared insert must set token');
    expect(rowPlaceholders(t, { id: 'x', token: 'y' }, 'p_')).toMatchObject({
      values: { p_id: 'x', p_token: 'y' },
      shape: 'id,token',
    });
  });
});
