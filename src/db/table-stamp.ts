import { sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

/**
 * A scalar subquery that changes whenever a row of `table` (of those `where` keeps) is inserted,
 * updated or deleted, or enters or leaves that set: the row count and the sum of the rows'
 * transaction ids (xmin), which every write renews, so even two saves within one millisecond change
 * it. For the small configuration tables that caches follow, and the small live part of a growing
 * table (its `where` matching a partial index, with constants rather than parameters, so that a
 * prepared statement's generic plan may use it).
 */
export const tableStamp = (table: PgTable, where?: SQL) =>
  sql<string>`(select count(*)::text || ':' || coalesce(sum(xmin::text::bigint), 0)::text from ${table}${where ? sql` where ${where}` : sql``})`;
