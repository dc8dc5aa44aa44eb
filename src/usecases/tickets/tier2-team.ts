import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { teams } from '../../db/schema.js';

/**
 * "Tier 2" (二线): the expert team, the first by code when there are several. The one place that
 * says which team that is, for a manual escalation without a named team and for the SLA step.
 */
export async function findTier2Team(db: DbOrTx): Promise<{ id: string; name: string } | undefined> {
  const [team] = await db
    .select({ id: teams.id, name: teams.name })
    .from(teams)
    .where(eq(teams.kind, 'expert'))
    .orderBy(asc(teams.code))
    .limit(1);
  return team;
}
