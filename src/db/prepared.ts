import { getTableColumns, is, SQL, sql, type Placeholder } from 'drizzle-orm';
import type { PgInsertValue, PgTable } from 'drizzle-orm/pg-core';
import type { Db, DbOrTx } from './client.js';

// Named prepared statements for the hottest queries: drizzle builds their SQL once per process
// instead of on every request (building a 100-parameter INSERT costs more than sending it), and
// PostgreSQL parses and plans them once per connection.
const cache = new WeakMap<Db, Map<string, unknown>>();

export function prepared<T>(db: Db, name: string, build: (db: Db) => T): T {
  let byName = cache.get(db);
  if (!byName) cache.set(db, (byName = new Map<string, unknown>()));
  if (!byName.has(name)) byName.set(name, build(db));
  return byName.get(name) as T;
}

type PreparedQuery<R> = { execute(values?: Record<string, unknown>): Promise<R> };

// The shapes of each family of statements, numbered in order of first use: a statement's name must
// stay with one text on a connection, and names are at most 63 bytes.
const shapeNumbers = new Map<string, number>();

/**
 * A query prepared once per `shape` (built on the database by `build`, its varying values as
 * `sql.placeholder`s) and executed on `on`: the database, or a transaction's connection. drizzle ties
 * a prepared query to the session that built it, and a transaction's session lives for one
 * transaction; the query is the same on any connection, so it is run on the transaction's
 * (`session.client`: drizzle's own field, on both engines; test/integration/prepared-in-transaction
 * checks that the statement is part of the transaction).
 *
 * `shape`: whatever changes the SQL text (which columns a row has, how many rows); values that are
 * not placeholders are frozen into the first build, so they must be part of the shape too.
 */
export function preparedOn<R>(
  db: Db,
  on: DbOrTx,
  family: string,
  shape: string,
  build: (db: Db, name: string) => PreparedQuery<R>,
): PreparedQuery<R> {
  const key = `${family}\n${shape}`;
  let n = shapeNumbers.get(key);
  if (n === undefined) shapeNumbers.set(key, (n = shapeNumbers.size + 1));
  const name = `${family}_${n}`;
  const query = prepared(db, name, (d) => build(d, name));
  if (on === db) return query;
  const client = (on as unknown as { session: { client: unknown } }).session.client;
  return Object.assign(Object.create(query) as PreparedQuery<R>, { client });
}

type ColumnDefaults = { defaultFn?: unknown; onUpdateFn?: unknown };
const tableColumns = new WeakMap<PgTable, [string, ColumnDefaults][]>();
const columnsOf = (table: PgTable) => {
  let columns = tableColumns.get(table);
  if (!columns)
    tableColumns.set(table, (columns = Object.entries(getTableColumns(table) as Record<string, ColumnDefaults>)));
  return columns;
};

/**
 * Placeholders for the columns a row to insert sets, named `prefix` + column key, their values,
 * and the row's shape (its columns, and which are null). A
 * column the row leaves out takes its SQL default; one with a default computed in JavaScript
 * (`$defaultFn`) would be computed once for every later insert, so it is refused.
 */
export function rowPlaceholders<T extends PgTable>(
  table: T,
  row: Record<string, unknown>,
  prefix: string,
): { placeholders: PgInsertValue<T>; values: Record<string, unknown>; shape: string } {
  const columns = columnsOf(table);
  const placeholders: Record<string, Placeholder | SQL> = {};
  const values: Record<string, unknown> = {};
  const keys: string[] = [];
  for (const [key, column] of columns) {
    const value = row[key];
    if (value === undefined) {
      if (column.defaultFn || column.onUpdateFn) throw new Error(`a prepared insert must set ${key}`);
      continue;
    }
    if (is(value, SQL)) throw new Error(`a prepared insert takes values, not SQL, for ${key}`);
    // A placeholder's value goes through the column's mapping, which null would not survive (a
    // jsonb column would get JSON null): a null is written as SQL NULL, and is part of the shape.
    if (value === null) {
      placeholders[key] = sql`null`;
      keys.push(`${key}=null`);
    } else {
      placeholders[key] = sql.placeholder(prefix + key);
      values[prefix + key] = value;
      keys.push(key);
    }
  }
  return { placeholders: placeholders as PgInsertValue<T>, values, shape: keys.join(',') };
}
