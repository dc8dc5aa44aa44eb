import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { staff } from '../../db/schema.js';

/**
 * The supervisors responsible for an agent: the active supervisors of the agent's team, or, when
 * the team has none, every active supervisor (the duty supervisors), by username.
 */
export async function supervisorsOf(
  db: DbOrTx,
  teamId: string | null,
): Promise<{ id: string; teamId: string | null }[]> {
  const all = await db
    .select({ id: staff.id, teamId: staff.teamId })
    .from(staff)
    .where(and(eq(staff.role, 'supervisor'), eq(staff.active, true)))
    .orderBy(asc(staff.username));
  const own = all.filter((s) => teamId !== null && s.teamId === teamId);
  return own.length > 0 ? own : all;
}
