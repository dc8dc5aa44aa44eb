import { sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

/**
 * A scalar subquery that changes whenever a row of `table` is inserted, updated or deleted: the
 * row count and the sum of the rows' transaction ids (xmin), which every write renews, so even two
 * saves within one millisecond change it. For the small configuration tables that caches follow.
 */
export const tableStamp = (table: PgTable) =>
  sql<string>`(select count(*)::text || ':' || coalesce(sum(xmin::text::bigint), 0)::text from ${table})`;
