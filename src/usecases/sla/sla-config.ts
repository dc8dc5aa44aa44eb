import { asc, eq, sql } from 'drizzle-orm';
import type { SlaPolicy } from '../../core/sla/sla-policy.js';
import { SlaPolicySchema } from '../../contracts/sla.js';
import type { CalendarMath } from '../../core/sla/target-clock.js';
import type { Db, DbOrTx } from '../../db/client.js';
import { businessCalendars, slaPolicies } from '../../db/schema.js';
import { tableStamp } from '../../db/table-stamp.js';
import { loadCalendarMath } from './calendars.js';

export async function loadPolicies(db: DbOrTx): Promise<SlaPolicy[]> {
  const rows = await db
    .select()
    .from(slaPolicies)
    .where(eq(slaPolicies.active, true))
    .orderBy(asc(slaPolicies.position));
  return rows.flatMap((r) => {
    const parsed = SlaPolicySchema.safeParse(r.definition);
    return parsed.success ? [parsed.data] : [];
  });
}

/** Active policies and every calendar's math, as of `stamp`. */
export type SlaConfig = { stamp: string; policies: SlaPolicy[]; calendar: (id: string) => CalendarMath };

/** A scalar subquery that changes whenever a policy or a calendar is saved. */
export const slaConfigStamp = sql<string>`(${tableStamp(slaPolicies)} || '/' || ${tableStamp(businessCalendars)})`;

// Cached per database like the routing rules: new tickets read the stamp in the query they already
// make, and calendar math keeps its per-day spans between tickets.
const cache = new WeakMap<Db, SlaConfig>();

/** The configuration for `stamp`, from the cache or read through `executor` (the caller's transaction). */
export async function loadSlaConfig(db: Db, executor: DbOrTx, stamp: string): Promise<SlaConfig> {
  const cached = cache.get(db);
  if (cached?.stamp === stamp) return cached;
  const policies = await loadPolicies(executor);
  const ids = await executor.select({ id: businessCalendars.id }).from(businessCalendars);
  const config = {
    stamp,
    policies,
    calendar: await loadCalendarMath(
      executor,
      ids.map((r) => r.id),
    ),
  };
  cache.set(db, config);
  return config;
}
