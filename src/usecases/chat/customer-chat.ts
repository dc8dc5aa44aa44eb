import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { ChatCustomerView } from '../../contracts/chat.js';
import { BOT_TEXTS } from '../../core/chat/bot.js';
import { chatTransition, outcomeOnEnd, type IdleEnding } from '../../core/chat/conversation.js';
import { TICKET_CHANNEL_OF, type ChatChannel, type ChatLanguage } from '../../core/chat/types.js';
import { AppError } from '../../core/errors/app-error.js';
import type { Tx } from '../../db/client.js';
import { chatConversations, chatMessages } from '../../db/schema.js';
import { openCustomerTicket } from '../channels/open-customer-ticket.js';
import { findOrCreateCustomer } from '../customers/find-or-create-customer.js';
import { normaliseMsisdn } from '../customers/customers.js';
import type { Deps } from '../deps.js';
import { demoAccountLookup, type AccountLookup } from './account-lookup.js';
import { chatSettingsOf } from './chat-settings.js';
import { botTurn, customerViewOf, handOff, serviceOpenAt } from './chat-rules.js';
import {
  announceChat,
  appendMessage,
  changeOf,
  findByClientId,
  lockConversation,
  messagesAfter,
  type ConversationRow,
  type MessageRow,
} from './chat-store.js';
import { subjectFromText } from '../../core/tickets/subject.js';

// The customer's side of a chat (portal, app, WeChat): start, write (the bot answers in the same
// transaction, so the 201 means stored and answered), ask for a person, rate the bot's answer,
// leave a message, leave. Anonymous customers hold the conversation's token; only its hash is kept.

export type ChatDeps = Deps & { accountLookup?: AccountLookup };

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

const invalidToken = () => new AppError('chat.token_invalid', 'Send the conversation token as X-Chat-Token');
const chatNotFound = () => new AppError('chat.not_found', 'No such chat');
const ended = () => new AppError('chat.ended', 'This chat has ended; start a new one');

/** Who the customer is: a portal sign-in (verified), a gateway's verified number, or nobody yet. */
export type ChatCustomer = { customerId: string | null; verified: boolean; externalUserId?: string | null };

export async function startChat(
  deps: ChatDeps,
  input: { channel: ChatChannel; language: ChatLanguage } & ChatCustomer,
  tx?: Tx,
): Promise<{
  conversation: ChatCustomerView;
  token: string;
  messages: MessageRow[];
  id: string;
}> {
  const now = deps.clock.now();
  const token = randomBytes(24).toString('base64url');
  const run = async (t: Tx) => {
    const settings = await chatSettingsOf(t);
    const row: ConversationRow = {
      id: uuidv7(),
      channel: input.channel,
      customerId: input.customerId,
      customerVerified: input.verified && input.customerId !== null,
      externalUserId: input.externalUserId ?? null,
      tokenHash: sha256(token),
      state: 'bot',
      language: input.language,
      agentId: null,
      teamId: null,
      lastSeq: 0,
      botLowConfidenceCount: 0,
      handoffReason: null,
      queuedAt: null,
      acceptedAt: null,
      firstHumanResponseAt: null,
      firstResponseWarnedAt: null,
      customerMessageAt: null,
      agentMessageAt: null,
      customerStreamAt: null,
      endedAt: null,
      endedBy: null,
      outcome: null,
      ticketId: null,
      transfers: 0,
      anonymisedAt: null,
      createdAt: now,
      updatedAt: now,
    };
    await t.insert(chatConversations).values(row);
    const texts = BOT_TEXTS[input.language];
    const greeting = await appendMessage(
      t,
      row,
      { author: 'bot', body: texts.greeting, payload: { kind: 'greeting' } },
      now,
    );
    const messages = [greeting];
    if (!(await serviceOpenAt(t, settings, now)))
      messages.push(
        await appendMessage(t, row, { author: 'bot', body: texts.closedHours, payload: { kind: 'closed_hours' } }, now),
      );
    return {
      id: row.id,
      conversation: await customerViewOf(t, row, settings, now),
      token,
      messages,
    };
  };
  return tx ? run(tx) : deps.db.transaction(run);
}

/** The conversation a token opens: no token 401; a wrong one answers like a missing chat (404). */
export async function chatByToken(deps: Deps, id: string, token: string | undefined): Promise<ConversationRow> {
  if (!token) throw invalidToken();
  const [row] = await deps.db.select().from(chatConversations).where(eq(chatConversations.id, id));
  if (!row) throw chatNotFound();
  const a = Buffer.from(row.tokenHash);
  const b = Buffer.from(sha256(token));
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw chatNotFound();
  return row;
}

export async function readCustomerChat(deps: Deps, c: ConversationRow): Promise<ChatCustomerView> {
  return customerViewOf(deps.db, c, await chatSettingsOf(deps.db), deps.clock.now());
}

export async function customerMessages(deps: Deps, c: ConversationRow, after: number, limit: number) {
  const rows = await messagesAfter(deps.db, c.id, after, limit);
  return { items: rows, lastSeq: c.lastSeq };
}

export type StoredMessage = {
  message: MessageRow;
  replies: MessageRow[];
  conversation: ChatCustomerView;
  replayed: boolean;
};

/**
 * Stores the customer's message (a retry with the same client id returns the stored one and
 * changes nothing) and, while the bot serves, its answer; all in one transaction.
 */
export async function postCustomerMessage(
  deps: ChatDeps,
  conversationId: string,
  input: { clientMessageId: string; body: string },
  tx?: Tx,
): Promise<StoredMessage> {
  const now = deps.clock.now();
  const run = async (t: Tx): Promise<StoredMessage> => {
    const c = await lockConversation(t, conversationId);
    const settings = await chatSettingsOf(t);
    const earlier = await findByClientId(t, c.id, input.clientMessageId);
    if (earlier) {
      if (earlier.author !== 'customer' || earlier.body !== input.body)
        throw new AppError('chat.message_conflict', 'This clientMessageId was used for another message');
      return {
        message: earlier,
        replies: [],
        conversation: await customerViewOf(t, c, settings, now),
        replayed: true,
      };
    }
    if (c.state === 'ended') throw ended();
    const message = await appendMessage(
      t,
      c,
      { author: 'customer', body: input.body, clientMessageId: input.clientMessageId },
      now,
    );
    const replies: MessageRow[] =
      c.state === 'bot'
        ? await botTurn(deps, t, c, input.body, settings, deps.accountLookup ?? demoAccountLookup, now)
        : [];
    return {
      message,
      replies,
      conversation: await customerViewOf(t, c, settings, now),
      replayed: false,
    };
  };
  return tx ? run(tx) : deps.db.transaction(run);
}

/** The customer pressed "talk to a person". */
export async function requestPerson(deps: Deps, conversationId: string): Promise<ChatCustomerView> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const c = await lockConversation(tx, conversationId);
    if (c.state === 'ended') throw ended();
    if (!chatTransition(c.state, 'handoff'))
      throw new AppError('chat.invalid_transition', `The chat is already ${c.state}`, { state: c.state });
    const settings = await chatSettingsOf(tx);
    await handOff(tx, c, 'asked', [], settings, now);
    return customerViewOf(tx, c, settings, now);
  });
}

/** "Did this help?" on a bot answer; the article's feedback counts as the FAQ's does. */
export async function rateBotAnswer(
  deps: Deps,
  conversationId: string,
  input: { seq: number; helpful: boolean },
): Promise<{ articleId: string }> {
  return deps.db.transaction(async (tx) => {
    const c = await lockConversation(tx, conversationId);
    const [m] = await tx
      .select()
      .from(chatMessages)
      .where(eq(chatMessages.conversationId, c.id))
      .then((rows) => rows.filter((r) => r.seq === input.seq));
    const article = m?.author === 'bot' && m.payload.kind === 'answer' ? m.payload.articles?.[0] : undefined;
    if (!m || !article) throw new AppError('resource.not_found', 'No bot answer with this seq');
    if (m.payload.helpful !== null && m.payload.helpful !== undefined)
      throw new AppError('request.conflict', 'This answer was rated already');
    await tx
      .update(chatMessages)
      .set({ payload: { ...m.payload, helpful: input.helpful } })
      .where(eq(chatMessages.id, m.id));
    return { articleId: article.id };
  });
}

/** Typing (not stored): announced to the chat's agent. */
export async function customerTyping(deps: Deps, c: ConversationRow, typing: boolean): Promise<void> {
  if (c.state === 'ended') throw ended();
  await announceChat(deps.db, changeOf(c, 'typing', { typing, author: 'customer' }));
}

/**
 * Outside service hours, or after waiting past the setting: the customer leaves a message, which
 * becomes a ticket (the conversation's transcript with it), and the chat ends.
 */
export async function leaveMessage(
  deps: Deps,
  conversationId: string,
  input: { body: string; phone?: string | undefined },
): Promise<{ ticketId: string; number: string }> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const c = await lockConversation(tx, conversationId);
    if (c.state === 'ended') throw ended();
    const settings = await chatSettingsOf(tx);
    const view = await customerViewOf(tx, c, settings, now);
    if (!view.canLeaveMessage)
      throw new AppError('chat.leave_message_unavailable', 'A person can answer now; please wait in the queue', {
        state: c.state,
      });
    const phone = input.phone ? normaliseMsisdn(input.phone) : null;
    const customerId =
      c.customerId ??
      (phone || c.externalUserId
        ? await findOrCreateCustomer(
            tx,
            {
              msisdn: phone ?? undefined,
              identity:
                c.externalUserId && c.channel !== 'portal'
                  ? { channel: c.channel, externalUserId: c.externalUserId }
                  : undefined,
            },
            null,
            now,
          )
        : null);
    if (!customerId)
      throw new AppError('request.invalid', 'Leave a phone number so that we can answer', { field: 'phone' });
    const transcript = await transcriptOf(tx, c.id);
    const ticket = await openCustomerTicket(
      tx,
      deps,
      {
        channel: TICKET_CHANNEL_OF[c.channel],
        customerId,
        description: `${input.body}\n\n---\n${transcript}`,
        subject: subjectFromText(input.body),
        contactNumber: phone,
      },
      now,
    );
    await endConversation(tx, c, { outcome: 'left_message', by: 'customer', ticketId: ticket.id, customerId }, now);
    return { ticketId: ticket.id, number: ticket.number };
  });
}

/** The customer leaves. */
export async function endByCustomer(deps: Deps, conversationId: string): Promise<ChatCustomerView> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const c = await lockConversation(tx, conversationId);
    if (c.state === 'ended') throw ended();
    const outcome = outcomeOnEnd(c.state, c.firstHumanResponseAt !== null);
    await endConversation(tx, c, { outcome, by: 'customer' }, now);
    return customerViewOf(tx, c, await chatSettingsOf(tx), now);
  });
}

/** Ends a locked conversation with its outcome and a system note; announced to desks and stream. */
export async function endConversation(
  tx: Tx,
  c: ConversationRow,
  e: {
    outcome: ConversationRow['outcome'];
    by: 'customer' | 'agent' | 'system';
    ticketId?: string | null;
    customerId?: string | null;
    /** The system line's kind: `ended`, or why the system ended an idle chat. */
    kind?: 'ended' | IdleEnding;
  },
  now: Date,
): Promise<void> {
  const patch = {
    state: 'ended' as const,
    endedAt: now,
    endedBy: e.by,
    outcome: e.outcome,
    ...(e.ticketId ? { ticketId: e.ticketId } : {}),
    ...(e.customerId ? { customerId: e.customerId } : {}),
    updatedAt: now,
  };
  Object.assign(c, patch);
  await tx.update(chatConversations).set(patch).where(eq(chatConversations.id, c.id));
  const kind = e.kind ?? 'ended';
  await appendMessage(tx, c, { author: 'system', body: kind, payload: { kind } }, now);
  await announceChat(tx, changeOf(c, 'ended'));
}

/** The conversation as text (who, when, what), for the ticket it becomes. */
export async function transcriptOf(tx: Tx, conversationId: string): Promise<string> {
  const rows = await messagesAfter(tx, conversationId, 0, 10_000);
  const who = (r: MessageRow) =>
    r.author === 'customer'
      ? '客户 Customer'
      : r.author === 'bot'
        ? '机器人 Bot'
        : r.author === 'agent'
          ? `坐席 ${r.agentName ?? 'Agent'}`
          : '系统 System';
  return rows
    .filter((r) => r.payload.kind !== 'ended' && r.payload.kind !== 'abandoned' && r.payload.kind !== 'timed_out')
    .map((r) => `[${r.createdAt.toISOString()}] ${who(r)}: ${r.body}`)
    .join('\n');
}
