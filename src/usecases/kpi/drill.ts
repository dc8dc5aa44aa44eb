import { and, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import type { KpiDrill } from '../../contracts/kpi.js';
import { kpiTicketFacts, tickets } from '../../db/schema.js';

/**
 * The tickets behind a dashboard figure: an EXISTS on the per-ticket facts the roll-up was made
 * from, so the list shows exactly the tickets the figure counted (as of the facts job's last run).
 */
export function kpiDrillFilter(kpi: KpiDrill, from: string | undefined, to: string | undefined): SQL {
  const f = kpiTicketFacts;
  const byResolution = ['resolved', 'fcr', 'not_fcr', 'outside_target', 'reopened'].includes(kpi);
  const day = byResolution ? f.resolvedDay : f.createdDay;
  const flag: Record<KpiDrill, SQL | undefined> = {
    contacts: undefined,
    resolved: undefined,
    fcr: eq(f.fcr, true),
    not_fcr: eq(f.fcr, false),
    repeat: eq(f.repeat, true),
    breached: eq(f.breached, true),
    outside_target: eq(f.withinTarget, false),
    reopened: eq(f.reopened, true),
  };
  const cond = and(
    eq(f.ticketId, tickets.id),
    byResolution ? sql`${f.resolvedDay} IS NOT NULL` : undefined,
    from ? gte(day, from) : undefined,
    to ? lte(day, to) : undefined,
    flag[kpi],
  );
  return sql`EXISTS (SELECT 1 FROM ${f} WHERE ${cond})`;
}
