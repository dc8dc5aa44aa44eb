import { eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../core/auth/policy.js';
import { subtasks, teams, tickets } from '../../db/schema.js';

// `canReadTicket` (core/auth/policy.ts) expressed in SQL, so lists, queue counts and the board
// are filtered in the database by the same rule a single ticket is read by. Queries using it
// left-join `teams` on the ticket's team.

/** Department staff see the tickets with an open sub-task for their department. */
export const handedTo = (actor: Actor): SQL =>
  actor.role === 'department' && actor.teamId
    ? sql`EXISTS (SELECT 1 FROM ${subtasks} WHERE ${subtasks.ticketId} = ${tickets.id} AND ${subtasks.teamId} = ${actor.teamId} AND ${subtasks.status} = 'open')`
    : sql`false`;

/** The tickets the actor may read; undefined: all of them. */
export function visibleTo(actor: Actor): SQL | undefined {
  if (actor.role === 'admin') return undefined;
  const mine = or(eq(tickets.assigneeId, actor.id), eq(tickets.firstContactOwnerId, actor.id))!;
  const myTeam = actor.teamId ? eq(tickets.teamId, actor.teamId) : sql`false`;
  if (actor.role === 'department') return or(mine, myTeam, handedTo(actor));
  // Duty supervisors also see restricted queues that are open to them (the team's setting).
  const restrictedForMe = actor.role === 'supervisor' ? eq(teams.supervisorsSeeRestricted, true) : sql`false`;
  return or(mine, myTeam, isNull(tickets.teamId), eq(teams.restricted, false), restrictedForMe);
}
