import { eq, inArray, sql } from 'drizzle-orm';
import { ACTIVE_INCIDENT_STATUSES, type LinkableIncident } from '../../core/incidents/incidents.js';
import type { Db, DbOrTx } from '../../db/client.js';
import { tableStamp } from '../../db/table-stamp.js';
import { incidentLevels, incidents } from '../../db/schema.js';

// The active incidents every new ticket is checked against, cached per database like the routing
// rules: the stamp (count and xmin sum of the incidents and levels) comes back in the query ticket
// creation already makes, so an unchanged set costs no round trip, and a change on any node (a new
// incident, a status move, an edit) is seen by every node's next ticket. The stamp reads only the
// active incidents (a partial index): years of closed ones cost the next ticket nothing.

export type ActiveIncident = LinkableIncident & {
  number: string;
  title: string;
  level: string;
  expectedRepairAt: Date | null;
  agentScript: string;
  publicMessage: string;
};

type Cached = { stamp: string; incidents: ActiveIncident[] };
const cache = new WeakMap<Db, Cached>();

const ACTIVE = sql.raw(ACTIVE_INCIDENT_STATUSES.map((s) => `'${s}'`).join(', '));

/** A scalar subquery that changes whenever an active incident or a level is written, or an incident becomes or stops being active. */
export const activeIncidentsStamp = sql<string>`(${tableStamp(incidents, sql`${incidents.status} IN (${ACTIVE})`)} || '/' || ${tableStamp(incidentLevels)})`;

export async function loadActiveIncidents(db: Db, executor: DbOrTx, stamp: string): Promise<ActiveIncident[]> {
  const cached = cache.get(db);
  if (cached?.stamp === stamp) return cached.incidents;
  const rows = await executor
    .select({ i: incidents, priority: incidentLevels.priority })
    .from(incidents)
    .innerJoin(incidentLevels, eq(incidentLevels.code, incidents.level))
    .where(inArray(incidents.status, [...ACTIVE_INCIDENT_STATUSES]));
  const list = rows.map(({ i, priority }) => ({
    id: i.id,
    number: i.number,
    title: i.title,
    level: i.level,
    status: i.status,
    areas: i.areas,
    ticketCategories: i.ticketCategories,
    matchWords: i.matchWords,
    priority,
    startedAt: i.startedAt,
    expectedRepairAt: i.expectedRepairAt,
    agentScript: i.agentScript,
    publicMessage: i.publicMessage,
  }));
  cache.set(db, { stamp, incidents: list });
  return list;
}

/** The active incidents now, outside a ticket's transaction (banners, detection). */
export async function currentActiveIncidents(db: Db, executor: DbOrTx = db): Promise<ActiveIncident[]> {
  const [row] = await executor.select({ stamp: activeIncidentsStamp }).from(sql`(select 1) as one`);
  return loadActiveIncidents(db, executor, row!.stamp);
}
