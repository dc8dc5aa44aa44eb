import { and, asc, count, eq, gt, lt, or, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { ChatLiveChange } from '../../contracts/events.js';
import type { ChatAuthor, ChatMessagePayload } from '../../core/chat/types.js';
import { notFound } from '../../core/errors/app-error.js';
import type { DbOrTx, Tx } from '../../db/client.js';
import { chatConversations, chatMessages, staff } from '../../db/schema.js';

// Storing chat messages: each takes the next seq under the conversation's row lock (no gaps, no
// two with one seq), a client's retry finds its stored message, and every change is announced at
// commit (NOTIFY, transactional): messages by a trigger on chat_messages, the rest here.

/** Chat changes for the desks (ChatLiveChange); each node filters them per signed-in staff member. */
export const CHAT_EVENTS_CHANNEL = 'loopdesk_chat_events';
/** A stored message (trigger on chat_messages, ChatMessageNotice): the customers' streams read from it. */
export const CHAT_MESSAGES_CHANNEL = 'loopdesk_chat_messages';

export type ConversationRow = typeof chatConversations.$inferSelect;
export type MessageRow = typeof chatMessages.$inferSelect & { agentName: string | null };

/** Announces a change at commit; the payload is checked against the contract first. */
export async function announceChat(tx: DbOrTx, change: ChatLiveChange): Promise<void> {
  const payload = JSON.stringify(ChatLiveChange.parse(change));
  await tx.execute(sql`SELECT pg_notify(${CHAT_EVENTS_CHANNEL}, ${payload})`);
}

export const changeOf = (
  c: ConversationRow,
  kind: ChatLiveChange['kind'],
  extra: Partial<ChatLiveChange> = {},
): ChatLiveChange => ({ conversationId: c.id, kind, teamId: c.teamId, agentId: c.agentId, ...extra });

/** The conversation, locked for the rest of the transaction; 404 when there is none. */
export async function lockConversation(tx: Tx, id: string): Promise<ConversationRow> {
  const [row] = await tx.select().from(chatConversations).where(eq(chatConversations.id, id)).for('update');
  if (!row) throw notFound('Chat');
  return row;
}

const messageColumns = {
  id: chatMessages.id,
  conversationId: chatMessages.conversationId,
  seq: chatMessages.seq,
  author: chatMessages.author,
  agentId: chatMessages.agentId,
  clientMessageId: chatMessages.clientMessageId,
  body: chatMessages.body,
  payload: chatMessages.payload,
  createdAt: chatMessages.createdAt,
  agentName: staff.displayName,
};

/** A message the client stored before under this id, if any (the caller holds the conversation's lock). */
export async function findByClientId(
  tx: DbOrTx,
  conversationId: string,
  clientMessageId: string,
): Promise<MessageRow | undefined> {
  const [row] = await tx
    .select(messageColumns)
    .from(chatMessages)
    .leftJoin(staff, eq(staff.id, chatMessages.agentId))
    .where(and(eq(chatMessages.conversationId, conversationId), eq(chatMessages.clientMessageId, clientMessageId)));
  return row;
}

export type NewChatMessage = {
  author: ChatAuthor;
  body: string;
  agentId?: string | null;
  agentName?: string | null;
  clientMessageId?: string | null;
  payload?: ChatMessagePayload;
};

/**
 * Appends a message to a conversation the caller has locked (`c` is updated in place: its
 * `lastSeq`), and announces it to the desks.
 */
export async function appendMessage(tx: Tx, c: ConversationRow, m: NewChatMessage, now: Date): Promise<MessageRow> {
  const seq = c.lastSeq + 1;
  // The last word of either side, for the customer-inactivity limit (core/chat idleEnding).
  const last =
    m.author === 'customer' ? { customerMessageAt: now } : m.author === 'agent' ? { agentMessageAt: now } : {};
  Object.assign(c, { lastSeq: seq, updatedAt: now, ...last });
  await tx
    .update(chatConversations)
    .set({ lastSeq: seq, updatedAt: now, ...last })
    .where(eq(chatConversations.id, c.id));
  const row = {
    id: uuidv7(),
    conversationId: c.id,
    seq,
    author: m.author,
    agentId: m.agentId ?? null,
    clientMessageId: m.clientMessageId ?? null,
    body: m.body,
    payload: m.payload ?? {},
    createdAt: now,
  };
  await tx.insert(chatMessages).values(row);
  await announceChat(tx, changeOf(c, 'message', { seq, author: m.author }));
  return { ...row, agentName: m.agentName ?? null };
}

/** Messages after `after` (seq), in order. */
export async function messagesAfter(db: DbOrTx, conversationId: string, after: number, limit = 500) {
  return db
    .select(messageColumns)
    .from(chatMessages)
    .leftJoin(staff, eq(staff.id, chatMessages.agentId))
    .where(and(eq(chatMessages.conversationId, conversationId), gt(chatMessages.seq, after)))
    .orderBy(asc(chatMessages.seq))
    .limit(limit);
}

/** The customer's place in the team's queue (1 = next), or null when not queued. */
export async function queuePositionOf(db: DbOrTx, c: ConversationRow): Promise<number | null> {
  if (c.state !== 'queued' || !c.queuedAt) return null;
  const [row] = await db
    .select({ n: count() })
    .from(chatConversations)
    .where(
      and(
        eq(chatConversations.state, 'queued'),
        c.teamId ? eq(chatConversations.teamId, c.teamId) : sql`${chatConversations.teamId} IS NULL`,
        or(
          lt(chatConversations.queuedAt, c.queuedAt),
          and(eq(chatConversations.queuedAt, c.queuedAt), lt(chatConversations.id, c.id)),
        ),
      ),
    );
  return (row?.n ?? 0) + 1;
}
