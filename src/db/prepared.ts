import type { Db } from './client.js';

// Named prepared statements for the hottest reads: PostgreSQL plans them once per connection
// instead of on every request (planning a 7-table join costs more than running it).
const cache = new WeakMap<Db, Map<string, unknown>>();

export function prepared<T>(db: Db, name: string, build: (db: Db) => T): T {
  let byName = cache.get(db);
  if (!byName) cache.set(db, (byName = new Map<string, unknown>()));
  if (!byName.has(name)) byName.set(name, build(db));
  return byName.get(name) as T;
}
