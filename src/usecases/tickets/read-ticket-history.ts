import { asc, eq, inArray } from 'drizzle-orm';
import type { Actor } from '../../core/auth/policy.js';
import type { OutboxState } from '../../core/channels/outbound.js';
import type { DbOrTx } from '../../db/client.js';
import { outbox, staff, teams, ticketEvents, ticketMessages } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { referencedTicketIds } from '../../core/tickets/ticket-references.js';
import { loadTicketFor, readableTicketIds } from './load-ticket.js';

/** The ticket's events, and which of the other tickets they name `actor` may read. */
export async function readTimeline(deps: Deps, actor: Actor, ticketId: string) {
  await loadTicketFor(deps.db, actor, ticketId);
  const rows = await deps.db
    .select({ event: ticketEvents, actor: { id: staff.id, displayName: staff.displayName } })
    .from(ticketEvents)
    .leftJoin(staff, eq(staff.id, ticketEvents.actorId))
    .where(eq(ticketEvents.ticketId, ticketId))
    .orderBy(asc(ticketEvents.id));
  const named = rows.flatMap(({ event }) => referencedTicketIds(event.kind, event.data));
  return { rows: await withPlacementNames(deps.db, rows), readable: await readableTicketIds(deps.db, actor, named) };
}

type Placement = { assigneeId?: unknown; teamId?: unknown; assigneeName?: unknown; teamName?: unknown };

/** What an assignment entry written without names would name: its assignee, and its queue if it changed. */
function unnamedPlacement(event: { kind: string; data: Record<string, unknown> }) {
  if (event.kind !== 'assigned') return null;
  const before = event.data.before as Placement | undefined;
  const after = event.data.after as Placement | undefined;
  if (!after || 'assigneeName' in after || 'teamName' in after) return null;
  const assigneeId = typeof after.assigneeId === 'string' ? after.assigneeId : null;
  const teamId = typeof after.teamId === 'string' && after.teamId !== before?.teamId ? after.teamId : null;
  return assigneeId || teamId ? { after, assigneeId, teamId } : null;
}

/**
 * Assignments recorded before their entries carried names (the line then said only “assigned the
 * ticket”): the names the assignee and a changed queue have today, so the line still says to whom.
 * Entries that carry their names keep them as they were.
 */
async function withPlacementNames<R extends { event: { kind: string; data: Record<string, unknown> } }>(
  db: DbOrTx,
  rows: R[],
): Promise<R[]> {
  const old = rows.flatMap(({ event }) => unnamedPlacement(event) ?? []);
  if (old.length === 0) return rows;
  const staffIds = [...new Set(old.flatMap((o) => (o.assigneeId ? [o.assigneeId] : [])))];
  const teamIds = [...new Set(old.flatMap((o) => (o.teamId ? [o.teamId] : [])))];
  const [people, queues] = await Promise.all([
    staffIds.length
      ? db.select({ id: staff.id, name: staff.displayName }).from(staff).where(inArray(staff.id, staffIds))
      : [],
    teamIds.length ? db.select({ id: teams.id, name: teams.name }).from(teams).where(inArray(teams.id, teamIds)) : [],
  ]);
  const personName = new Map(people.map((p) => [p.id, p.name]));
  const teamName = new Map(queues.map((q) => [q.id, q.name]));
  return rows.map((row) => {
    const unnamed = unnamedPlacement(row.event);
    if (!unnamed) return row;
    const assigneeName = unnamed.assigneeId ? personName.get(unnamed.assigneeId) : undefined;
    const team = unnamed.teamId ? teamName.get(unnamed.teamId) : undefined;
    const after = { ...unnamed.after, ...(assigneeName ? { assigneeName } : {}), ...(team ? { teamName: team } : {}) };
    return { ...row, event: { ...row.event, data: { ...row.event.data, after } } };
  });
}

export async function readMessages(deps: Deps, actor: Actor, ticketId: string) {
  await loadTicketFor(deps.db, actor, ticketId);
  const [rows, sent] = await Promise.all([
    deps.db
      .select({ message: ticketMessages, author: { id: staff.id, displayName: staff.displayName } })
      .from(ticketMessages)
      .leftJoin(staff, eq(staff.id, ticketMessages.authorStaffId))
      .where(eq(ticketMessages.ticketId, ticketId))
      .orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id)),
    // How far each reply to the customer got (the outbox row its reply wrote).
    deps.db
      .select({ payload: outbox.payload, channel: outbox.channel, state: outbox.state })
      .from(outbox)
      .where(eq(outbox.ticketId, ticketId))
      .orderBy(asc(outbox.createdAt)),
  ]);
  const delivery = new Map(
    sent.flatMap((o) =>
      o.payload.kind === 'reply' ? [[o.payload.messageId, { channel: o.channel, state: o.state as OutboxState }]] : [],
    ),
  );
  return rows.map((row) => ({ ...row, delivery: delivery.get(row.message.id) ?? null }));
}
