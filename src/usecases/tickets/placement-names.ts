import { sql } from 'drizzle-orm';
import { queryRows, type DbOrTx } from '../../db/client.js';
import { staff, teams } from '../../db/schema.js';

/**
 * The names an assignment's timeline line says (“assigned to 王芳 in 二线专家组”), read in the
 * assigning transaction so the line keeps the names as they were: the assignee's, and the team's
 * when `withTeam` (the step changed the queue). One round trip whatever is asked.
 */
export async function placementNames(
  tx: DbOrTx,
  placement: { assigneeId: string | null; teamId: string | null },
  withTeam: boolean,
): Promise<{ assigneeName?: string; teamName?: string }> {
  const teamId = withTeam ? placement.teamId : null;
  if (!placement.assigneeId && !teamId) return {};
  const [row] = await queryRows<{ assignee_name: string | null; team_name: string | null }>(
    tx,
    sql`SELECT (SELECT ${staff.displayName} FROM ${staff} WHERE ${staff.id} = ${placement.assigneeId}) AS assignee_name,
               (SELECT ${teams.name} FROM ${teams} WHERE ${teams.id} = ${teamId}) AS team_name`,
  );
  return {
    ...(row?.assignee_name ? { assigneeName: row.assignee_name } : {}),
    ...(row?.team_name ? { teamName: row.team_name } : {}),
  };
}
