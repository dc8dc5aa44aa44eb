import { and, count, eq, inArray, isNotNull, min } from 'drizzle-orm';
import { canOpenQueue, type Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import { OPEN_STATUSES } from '../../core/tickets/state-machine.js';
import type { TicketStatus } from '../../core/tickets/types.js';
import { staff, teams, tickets } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { visibleTo } from '../tickets/visibility.js';

/** The supervisor's live board: open work per team and status, and each person's open load. */
export async function readBoard(deps: Deps, actor: Actor) {
  if (actor.role !== 'supervisor' && actor.role !== 'admin') {
    throw new AppError('auth.forbidden', 'The board is for supervisors and administrators');
  }
  const open = inArray(tickets.status, [...OPEN_STATUSES]);
  const [byTeam, byAssignee, teamRows, people] = await Promise.all([
    deps.db
      .select({ teamId: tickets.teamId, status: tickets.status, n: count(), oldest: min(tickets.createdAt) })
      .from(tickets)
      .leftJoin(teams, eq(teams.id, tickets.teamId))
      .where(and(open, visibleTo(actor)))
      .groupBy(tickets.teamId, tickets.status),
    // Load is everyone's open work, visible or not: capacity counts it all.
    deps.db
      .select({ assigneeId: tickets.assigneeId, n: count() })
      .from(tickets)
      .where(and(open, isNotNull(tickets.assigneeId)))
      .groupBy(tickets.assigneeId),
    deps.db.select().from(teams),
    deps.db
      .select({ id: staff.id, displayName: staff.displayName, role: staff.role, teamId: staff.teamId })
      .from(staff)
      .where(and(eq(staff.active, true), inArray(staff.role, ['agent', 'expert', 'supervisor', 'department']))),
  ]);

  const now = deps.clock.now().getTime();
  const teamEntry = (id: string | null, name: string, kind: string) => {
    const rows = byTeam.filter((r) => r.teamId === id);
    const counts = Object.fromEntries(OPEN_STATUSES.map((s) => [s, 0])) as Record<TicketStatus, number>;
    for (const r of rows) counts[r.status] = r.n;
    const oldest = rows.map((r) => r.oldest?.getTime() ?? now).reduce((a, b) => Math.min(a, b), now);
    return {
      id,
      name,
      kind,
      counts,
      open: rows.reduce((a, r) => a + r.n, 0),
      oldestOpenAgeMinutes: Math.round((now - oldest) / 60_000),
    };
  };
  const loads = new Map(byAssignee.map((r) => [r.assigneeId, r.n]));
  return {
    teams: [
      // A restricted queue closed to this viewer is not on their board at all.
      ...teamRows.filter((t) => canOpenQueue(actor, t)).map((t) => teamEntry(t.id, t.name, t.kind)),
      ...(byTeam.some((r) => r.teamId === null) ? [teamEntry(null, '', 'none')] : []),
    ],
    agents: people.map((p) => ({ ...p, openCount: loads.get(p.id) ?? 0 })),
  };
}
