import { and, asc, eq, gte, sql } from 'drizzle-orm';
import { conversationFacts } from '../../core/contact-centre/figures.js';
import { chatConversations, contactFactCursors } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { applyContactFacts } from './contact-facts.js';
import { contactCentreSettingsOf } from './settings.js';

// Chat figures (first human response, hand-offs, bot containment) follow the conversations: the
// kpi-facts job reads the conversations changed since its cursor (chat_conversations.updated_at),
// recomputes what each contributes and adds the difference to its 15-minute interval. One node at
// a time holds the cursor (SKIP LOCKED). Each run reads again the last `marginMs` before the
// cursor, so a change whose transaction committed late is not missed; recomputing a conversation
// that did not change writes nothing.

export async function rollUpChatFacts(
  deps: Deps,
  opts: { batch: number; marginMs: number },
): Promise<{ conversations: number; changed: number; more: boolean }> {
  return deps.db.transaction(async (tx) => {
    const [cursor] = await tx
      .select()
      .from(contactFactCursors)
      .where(eq(contactFactCursors.name, 'chat'))
      .for('update', { skipLocked: true });
    if (!cursor) return { conversations: 0, changed: 0, more: false };
    const since = new Date(cursor.readTo.getTime() - opts.marginMs);
    const rows = await tx
      .select({
        id: chatConversations.id,
        createdAt: chatConversations.createdAt,
        queuedAt: chatConversations.queuedAt,
        acceptedAt: chatConversations.acceptedAt,
        firstHumanResponseAt: chatConversations.firstHumanResponseAt,
        endedAt: chatConversations.endedAt,
        outcome: chatConversations.outcome,
        teamId: chatConversations.teamId,
        updatedAt: chatConversations.updatedAt,
      })
      .from(chatConversations)
      .where(and(gte(chatConversations.updatedAt, since)))
      .orderBy(asc(chatConversations.updatedAt), asc(chatConversations.id))
      .limit(opts.batch);
    if (rows.length === 0) return { conversations: 0, changed: 0, more: false };
    const settings = await contactCentreSettingsOf(tx);
    const now = deps.clock.now();
    let changed = 0;
    for (const c of rows)
      changed += await applyContactFacts(tx, `chat:${c.id}`, conversationFacts(c, settings, deps.timeZone), now);
    const last = rows[rows.length - 1]!.updatedAt;
    if (last > cursor.readTo)
      await tx
        .update(contactFactCursors)
        .set({ readTo: last, updatedAt: now })
        .where(eq(contactFactCursors.name, 'chat'));
    return { conversations: rows.length, changed, more: rows.length === opts.batch && last > cursor.readTo };
  });
}

/** Chats waiting for a person and chats with a person now (optionally of one team). */
export async function liveChatCounts(db: Deps['db'], queue: string | undefined) {
  const [row] = await db
    .select({
      waiting: sql<number>`count(*) FILTER (WHERE ${chatConversations.state} = 'queued')::int`.mapWith(Number),
      concurrent: sql<number>`count(*) FILTER (WHERE ${chatConversations.state} = 'assigned')::int`.mapWith(Number),
    })
    .from(chatConversations)
    .where(
      and(
        sql`${chatConversations.state} IN ('queued', 'assigned')`,
        queue ? sql`${chatConversations.teamId}::text = ${queue}` : undefined,
      ),
    );
  return { waiting: row?.waiting ?? 0, concurrent: row?.concurrent ?? 0 };
}
