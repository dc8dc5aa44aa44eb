import { and, count, desc, eq, inArray, isNull, lt, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../../core/auth/policy.js';
import { notFound } from '../../core/errors/app-error.js';
import { notifications, teams, tickets } from '../../db/schema.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { Deps } from '../deps.js';
import { visibleTo } from '../tickets/visibility.js';

// The notifications inbox: what was written for me, newest first, about tickets I may still read.
// A ticket that moved to a restricted queue, or away from a department, takes its notifications
// out of the inbox and out of the unread count with it (they come back if it comes back).

const Cursor = z.object({ i: z.number().int() });

/** Mine, and either about no ticket or about one the read rules (in SQL) let me see. */
function mine(actor: Actor): SQL {
  const readable = visibleTo(actor);
  return and(
    eq(notifications.recipientId, actor.id),
    readable ? or(isNull(notifications.ticketId), readable) : undefined,
  )!;
}

const fromNotifications = (deps: Deps) =>
  deps.db
    .select({
      note: notifications,
      ticket: { id: tickets.id, number: tickets.number, subject: tickets.subject, status: tickets.status },
    })
    .from(notifications)
    .leftJoin(tickets, eq(tickets.id, notifications.ticketId))
    .leftJoin(teams, eq(teams.id, tickets.teamId));

async function unreadCount(deps: Deps, actor: Actor): Promise<number> {
  const [row] = await deps.db
    .select({ n: count() })
    .from(notifications)
    .leftJoin(tickets, eq(tickets.id, notifications.ticketId))
    .leftJoin(teams, eq(teams.id, tickets.teamId))
    .where(and(mine(actor), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

export async function listNotifications(
  deps: Deps,
  actor: Actor,
  q: { limit: number; cursor?: string | undefined; unreadOnly?: boolean },
) {
  const cursor = decodeCursor(q.cursor, Cursor);
  const rows = await fromNotifications(deps)
    .where(
      and(
        mine(actor),
        q.unreadOnly ? isNull(notifications.readAt) : undefined,
        cursor ? lt(notifications.id, cursor.i) : undefined,
      ),
    )
    .orderBy(desc(notifications.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({ ...r.note, ticket: r.ticket?.id ? r.ticket : null })),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ i: last.note.id }) : null,
    unread: await unreadCount(deps, actor),
  };
}

export const countUnreadNotifications = unreadCount;

/** Marks one of my notifications read (again a no-op when it already is); others' look missing. */
export async function markNotificationRead(deps: Deps, actor: Actor, id: number): Promise<number> {
  const [row] = await deps.db
    .select({ id: notifications.id, readAt: notifications.readAt })
    .from(notifications)
    .leftJoin(tickets, eq(tickets.id, notifications.ticketId))
    .leftJoin(teams, eq(teams.id, tickets.teamId))
    .where(and(mine(actor), eq(notifications.id, id)));
  if (!row) throw notFound('Notification');
  if (!row.readAt)
    await deps.db
      .update(notifications)
      .set({ readAt: deps.clock.now() })
      .where(and(eq(notifications.id, id), isNull(notifications.readAt)));
  return unreadCount(deps, actor);
}

/** Marks every unread notification I can see read; returns how many were marked. */
export async function markAllNotificationsRead(deps: Deps, actor: Actor): Promise<number> {
  const visible = deps.db
    .select({ id: notifications.id })
    .from(notifications)
    .leftJoin(tickets, eq(tickets.id, notifications.ticketId))
    .leftJoin(teams, eq(teams.id, tickets.teamId))
    .where(and(mine(actor), isNull(notifications.readAt)));
  const marked = await deps.db
    .update(notifications)
    .set({ readAt: deps.clock.now() })
    .where(and(inArray(notifications.id, visible), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return marked.length;
}
