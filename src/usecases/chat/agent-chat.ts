import { and, count, desc, eq, gte, inArray, or, sql, type SQL } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import type { ChatDetailView as ChatDetailShape, ChatSummaryView, ChatToTicket } from '../../contracts/chat.js';
import type { Actor } from '../../core/auth/policy.js';
import {
  canAcceptChat,
  canSeeChat,
  canTakeChat,
  canWorkChat,
  chatTransition,
  firstResponseClock,
  outcomeOnEnd,
  readyForChats,
  type ChatAction,
} from '../../core/chat/conversation.js';
import { TICKET_CHANNEL_OF } from '../../core/chat/types.js';
import { AppError } from '../../core/errors/app-error.js';
import { maskPhone } from '../../core/privacy/masking.js';
import type { DbOrTx, Tx } from '../../db/client.js';
import {
  agentProfiles,
  chatConversations,
  chatMessages,
  customerNumbers,
  customers,
  queueMembers,
  staff,
  teams,
  ticketMessages,
  tickets,
} from '../../db/schema.js';
import { findOrCreateCustomer } from '../customers/find-or-create-customer.js';
import { normaliseMsisdn } from '../customers/customers.js';
import type { Deps } from '../deps.js';
import { insertNewTicket, routeNewTicket } from '../tickets/new-ticket.js';
import { recordEvent } from '../tickets/record-event.js';
import { applyTransition } from '../tickets/transition-ticket.js';
import { chatSettingsOf } from './chat-settings.js';
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

/** A chat for the desk, its messages as stored (the route presents them). */
export type ChatDetailView = Omit<ChatDetailShape, 'messages'> & { messages: MessageRow[] };
import { endConversation, transcriptOf } from './customer-chat.js';
import { subjectFromText } from '../../core/tickets/subject.js';

// The agent's side of a chat: the queue, accepting within the per-agent limit (the agent's row is
// locked first, so the limit holds however many nodes accept at once), replies, transfers to a
// colleague or a team (tier 2), ending (settled on the spot: a contact on the customer's history
// that counts for first-contact resolution) and turning the chat into a ticket.

const notFound = () => new AppError('chat.not_found', 'No such chat');

/** The teams whose queues a person works: their own and their queue memberships. */
export async function teamsOf(db: DbOrTx, actor: Actor): Promise<string[]> {
  const rows = await db
    .select({ teamId: queueMembers.teamId })
    .from(queueMembers)
    .where(eq(queueMembers.staffId, actor.id));
  return [...new Set([...(actor.teamId ? [actor.teamId] : []), ...rows.map((r) => r.teamId)])];
}

const invalid = (c: ConversationRow, action: ChatAction) =>
  new AppError('chat.invalid_transition', `Cannot ${action.replace('_', ' ')} a chat that is ${c.state}`, {
    action,
    state: c.state,
  });

/**
 * Locks a staff member's row (before any conversation row: one lock order everywhere) and counts
 * their open chats, which every accept and transfer to them does under the same lock.
 */
async function lockAgentLoad(
  tx: Tx,
  staffId: string,
): Promise<{ active: number; displayName: string; role: string; active_: boolean } | null> {
  const [person] = await tx
    .select({ id: staff.id, displayName: staff.displayName, role: staff.role, active: staff.active })
    .from(staff)
    .where(eq(staff.id, staffId))
    .for('no key update');
  if (!person) return null;
  const [n] = await tx
    .select({ n: count() })
    .from(chatConversations)
    .where(and(eq(chatConversations.agentId, staffId), eq(chatConversations.state, 'assigned')));
  return { active: n?.n ?? 0, displayName: person.displayName, role: person.role, active_: person.active };
}

const limitReached = (active: number, limit: number) =>
  new AppError('chat.limit_reached', `Already ${active} chats at once (limit ${limit})`, { active, limit });

async function summaries(
  db: DbOrTx,
  rows: ConversationRow[],
  targetSeconds: number,
  now: Date,
): Promise<ChatSummaryView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  // One query at a time: a transaction's queries share its connection.
  const people = await db
    .select({ id: staff.id, displayName: staff.displayName })
    .from(staff)
    .where(
      inArray(
        staff.id,
        rows.flatMap((r) => (r.agentId ? [r.agentId] : [])).concat(['00000000-0000-0000-0000-000000000000']),
      ),
    );
  const teamRows = await db
    .select({ id: teams.id, name: teams.name })
    .from(teams)
    .where(
      inArray(
        teams.id,
        rows.flatMap((r) => (r.teamId ? [r.teamId] : [])).concat(['00000000-0000-0000-0000-000000000000']),
      ),
    );
  const customerRows = await db
    .select({
      id: customers.id,
      name: customers.name,
      tier: customers.tier,
      phone: sql<
        string | null
      >`(select ${customerNumbers.msisdn} from ${customerNumbers} where ${customerNumbers.customerId} = ${customers.id} order by ${customerNumbers.position} limit 1)`,
    })
    .from(customers)
    .where(
      inArray(
        customers.id,
        rows.flatMap((r) => (r.customerId ? [r.customerId] : [])).concat(['00000000-0000-0000-0000-000000000000']),
      ),
    );
  const ticketRows = await db
    .select({ id: tickets.id, number: tickets.number })
    .from(tickets)
    .where(
      inArray(
        tickets.id,
        rows.flatMap((r) => (r.ticketId ? [r.ticketId] : [])).concat(['00000000-0000-0000-0000-000000000000']),
      ),
    );
  const last = await db
    .select({ conversationId: chatMessages.conversationId, body: chatMessages.body })
    .from(chatMessages)
    .innerJoin(
      chatConversations,
      and(eq(chatConversations.id, chatMessages.conversationId), eq(chatConversations.lastSeq, chatMessages.seq)),
    )
    .where(inArray(chatMessages.conversationId, ids));
  const byId = <T extends { id: string }>(list: T[]) => new Map(list.map((x) => [x.id, x]));
  const p = byId(people);
  const t = byId(teamRows);
  const cu = byId(customerRows);
  const tk = byId(ticketRows);
  const preview = new Map(last.map((l) => [l.conversationId, l.body]));
  return rows.map((r) => {
    const clock = firstResponseClock(r, targetSeconds, now);
    const c = r.customerId ? cu.get(r.customerId) : undefined;
    const a = r.agentId ? p.get(r.agentId) : undefined;
    const tm = r.teamId ? t.get(r.teamId) : undefined;
    const ticket = r.ticketId ? tk.get(r.ticketId) : undefined;
    return {
      id: r.id,
      channel: r.channel,
      state: r.state,
      language: r.language,
      customer: c ? { id: c.id, name: c.name, phone: c.phone ? maskPhone(c.phone) : '', tier: c.tier } : null,
      signedIn: r.customerVerified,
      agent: a ? { id: a.id, displayName: a.displayName } : null,
      team: tm ? { id: tm.id, name: tm.name } : null,
      handoffReason: r.handoffReason,
      preview: (preview.get(r.id) ?? '').slice(0, 80),
      lastSeq: r.lastSeq,
      queuedAt: r.queuedAt?.toISOString() ?? null,
      acceptedAt: r.acceptedAt?.toISOString() ?? null,
      endedAt: r.endedAt?.toISOString() ?? null,
      outcome: r.outcome,
      ticket: ticket ? { id: ticket.id, number: ticket.number } : null,
      clock: {
        targetSeconds,
        dueAt: clock.dueAt?.toISOString() ?? null,
        state: clock.state,
        warnedAt: r.firstResponseWarnedAt?.toISOString() ?? null,
        firstHumanResponseAt: r.firstHumanResponseAt?.toISOString() ?? null,
      },
      createdAt: r.createdAt.toISOString(),
    };
  });
}

export async function listChats(deps: Deps, actor: Actor, view: 'queue' | 'mine' | 'active' | 'recent') {
  const now = deps.clock.now();
  const settings = await chatSettingsOf(deps.db);
  const mine = await teamsOf(deps.db, actor);
  const overseer = actor.role === 'supervisor' || actor.role === 'admin';
  const teamFilter: SQL | undefined = overseer
    ? undefined
    : or(sql`${chatConversations.teamId} IS NULL`, mine.length ? inArray(chatConversations.teamId, mine) : sql`false`);
  const where: Record<typeof view, SQL | undefined> = {
    queue: and(eq(chatConversations.state, 'queued'), teamFilter),
    mine: and(eq(chatConversations.state, 'assigned'), eq(chatConversations.agentId, actor.id)),
    active: and(inArray(chatConversations.state, ['queued', 'assigned']), overseer ? undefined : teamFilter),
    recent: and(
      eq(chatConversations.state, 'ended'),
      gte(chatConversations.endedAt, new Date(now.getTime() - 86_400_000)),
      overseer ? undefined : or(eq(chatConversations.agentId, actor.id), teamFilter),
    ),
  };
  const rows = await deps.db
    .select()
    .from(chatConversations)
    .where(where[view])
    .orderBy(view === 'queue' ? chatConversations.queuedAt : desc(chatConversations.updatedAt))
    .limit(200);
  const [active] = await deps.db
    .select({ n: count() })
    .from(chatConversations)
    .where(and(eq(chatConversations.agentId, actor.id), eq(chatConversations.state, 'assigned')));
  return {
    items: await summaries(deps.db, rows, settings.firstResponseSeconds, now),
    mine: { active: active?.n ?? 0, limit: settings.agentChatLimit },
  };
}

async function visibleChat(db: DbOrTx, actor: Actor, id: string): Promise<ConversationRow> {
  const [c] = await db.select().from(chatConversations).where(eq(chatConversations.id, id));
  if (!c || !canSeeChat(actor, c, await teamsOf(db, actor))) throw notFound();
  return c;
}

export async function readChat(deps: Deps, actor: Actor, id: string): Promise<ChatDetailView> {
  const c = await visibleChat(deps.db, actor, id);
  return detailOf(deps.db, actor, c, deps.clock.now());
}

async function detailOf(db: DbOrTx, actor: Actor, c: ConversationRow, now: Date): Promise<ChatDetailView> {
  const settings = await chatSettingsOf(db);
  const [summary] = await summaries(db, [c], settings.firstResponseSeconds, now);
  const rows = await messagesAfter(db, c.id, 0, 10_000);
  const myTeams = await teamsOf(db, actor);
  const abilities: ChatDetailView['abilities'] = [];
  if (canAcceptChat(actor, c, myTeams)) abilities.push('accept');
  if (canWorkChat(actor, c) && c.state === 'assigned') abilities.push('reply', 'transfer', 'end', 'ticket');
  return {
    chat: summary!,
    messages: rows,
    botTried: rows
      .filter((r) => r.author === 'bot' && r.payload.kind && r.payload.kind !== 'greeting')
      .map((r) => ({
        seq: r.seq,
        kind: r.payload.kind!,
        intent: r.payload.intent ?? null,
        articles: r.payload.articles ?? [],
        confidence: r.payload.confidence ?? null,
        helpful: r.payload.helpful ?? null,
      })),
    abilities,
  };
}

export async function chatMessagesFor(deps: Deps, actor: Actor, id: string, after: number, limit: number) {
  const c = await visibleChat(deps.db, actor, id);
  const rows = await messagesAfter(deps.db, c.id, after, limit);
  return { items: rows, lastSeq: c.lastSeq };
}

/** Takes a queued chat, within the per-agent limit (one lock on the agent's row decides, on any node). */
export async function acceptChat(deps: Deps, actor: Actor, id: string): Promise<ChatDetailView> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const load = await lockAgentLoad(tx, actor.id);
    if (!load) throw notFound();
    const c = await lockConversation(tx, id);
    const myTeams = await teamsOf(tx, actor);
    if (!canSeeChat(actor, c, myTeams)) throw notFound();
    if (!chatTransition(c.state, 'accept')) throw invalid(c, 'accept');
    if (!canAcceptChat(actor, c, myTeams)) throw new AppError('auth.forbidden', 'This chat waits in another queue');
    const [profile] = await tx
      .select({ presence: agentProfiles.presence })
      .from(agentProfiles)
      .where(eq(agentProfiles.staffId, actor.id));
    const presence = profile?.presence ?? 'offline';
    if (!readyForChats(presence))
      throw new AppError('chat.not_online', `You are ${presence}: go online to accept chats`, { presence });
    const settings = await chatSettingsOf(tx);
    if (!canTakeChat(load.active, settings.agentChatLimit)) throw limitReached(load.active, settings.agentChatLimit);
    const patch = { state: 'assigned' as const, agentId: actor.id, acceptedAt: now, updatedAt: now };
    Object.assign(c, patch);
    await tx.update(chatConversations).set(patch).where(eq(chatConversations.id, c.id));
    await appendMessage(
      tx,
      c,
      { author: 'system', body: load.displayName, payload: { kind: 'accepted', toAgentId: actor.id } },
      now,
    );
    await announceChat(tx, changeOf(c, 'accepted'));
    return detailOf(tx, actor, c, now);
  });
}

/** The agent's message; the first one stops the first-response clock. A retry returns the stored one. */
export async function agentReply(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { clientMessageId: string; body: string; articleId?: string | undefined; replyId?: string | undefined },
) {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const c = await lockConversation(tx, id);
    if (!canSeeChat(actor, c, await teamsOf(tx, actor))) throw notFound();
    const earlier = await findByClientId(tx, c.id, input.clientMessageId);
    if (earlier) {
      if (earlier.agentId !== actor.id || earlier.body !== input.body)
        throw new AppError('chat.message_conflict', 'This clientMessageId was used for another message');
      return { message: earlier, replayed: true };
    }
    if (c.state === 'ended') throw new AppError('chat.ended', 'This chat has ended');
    if (!canWorkChat(actor, c) || c.state !== 'assigned')
      throw new AppError('chat.not_yours', 'Only the agent serving this chat writes in it');
    const [me] = await tx.select({ name: staff.displayName }).from(staff).where(eq(staff.id, actor.id));
    const message = await appendMessage(
      tx,
      c,
      {
        author: 'agent',
        agentId: actor.id,
        agentName: me?.name ?? null,
        body: input.body,
        clientMessageId: input.clientMessageId,
        payload: {
          ...(input.articleId ? { articleId: input.articleId } : {}),
          ...(input.replyId ? { replyId: input.replyId } : {}),
        },
      },
      now,
    );
    if (!c.firstHumanResponseAt) {
      c.firstHumanResponseAt = now;
      await tx.update(chatConversations).set({ firstHumanResponseAt: now }).where(eq(chatConversations.id, c.id));
    }
    return { message, replayed: false };
  });
}

export async function agentTyping(deps: Deps, actor: Actor, id: string, typing: boolean): Promise<void> {
  const c = await visibleChat(deps.db, actor, id);
  if (!canWorkChat(actor, c)) throw new AppError('chat.not_yours', 'Only the agent serving this chat writes in it');
  await announceChat(deps.db, changeOf(c, 'typing', { typing, author: 'agent' }));
}

/** Hands the chat to a colleague (within their limit, if they are online) or to a team's queue (tier 2). */
export async function transferChat(
  deps: Deps,
  actor: Actor,
  id: string,
  to: { toAgentId: string; note?: string | undefined } | { toTeamId: string; note?: string | undefined },
): Promise<ChatDetailView> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const target = 'toAgentId' in to ? await lockAgentLoad(tx, to.toAgentId) : null;
    const c = await lockConversation(tx, id);
    if (!canSeeChat(actor, c, await teamsOf(tx, actor))) throw notFound();
    if (!canWorkChat(actor, c)) throw new AppError('chat.not_yours', 'Only the agent serving this chat transfers it');
    const settings = await chatSettingsOf(tx);
    const fromAgentId = c.agentId;
    if ('toAgentId' in to) {
      if (!target || !target.active_ || !['agent', 'expert', 'supervisor'].includes(target.role))
        throw new AppError('chat.unknown_reference', 'No such colleague who takes chats', { field: 'toAgentId' });
      if (to.toAgentId === c.agentId) throw invalid(c, 'transfer_agent');
      const [profile] = await tx
        .select({ presence: agentProfiles.presence })
        .from(agentProfiles)
        .where(eq(agentProfiles.staffId, to.toAgentId));
      if (profile && profile.presence !== 'online')
        throw new AppError('chat.agent_unavailable', `The colleague is ${profile.presence}`, {
          presence: profile.presence,
        });
      if (!canTakeChat(target.active, settings.agentChatLimit))
        throw limitReached(target.active, settings.agentChatLimit);
      const patch = { state: 'assigned' as const, agentId: to.toAgentId, transfers: c.transfers + 1, updatedAt: now };
      Object.assign(c, patch);
      await tx.update(chatConversations).set(patch).where(eq(chatConversations.id, c.id));
      await appendMessage(
        tx,
        c,
        {
          author: 'system',
          body: target.displayName,
          payload: {
            kind: 'transferred',
            fromAgentId: fromAgentId ?? undefined,
            toAgentId: to.toAgentId,
            ...(to.note ? { note: to.note } : {}),
          },
        },
        now,
      );
    } else {
      const [team] = await tx.select({ id: teams.id, name: teams.name }).from(teams).where(eq(teams.id, to.toTeamId));
      if (!team) throw new AppError('chat.unknown_reference', 'No such team', { field: 'toTeamId' });
      const patch = {
        state: 'queued' as const,
        agentId: null,
        teamId: team.id,
        transfers: c.transfers + 1,
        queuedAt: c.queuedAt ?? now,
        updatedAt: now,
      };
      Object.assign(c, patch);
      await tx.update(chatConversations).set(patch).where(eq(chatConversations.id, c.id));
      await appendMessage(
        tx,
        c,
        {
          author: 'system',
          body: team.name,
          payload: {
            kind: 'transferred',
            fromAgentId: fromAgentId ?? undefined,
            toTeamId: team.id,
            ...(to.note ? { note: to.note } : {}),
          },
        },
        now,
      );
    }
    await announceChat(tx, changeOf(c, 'transferred', { fromAgentId }));
    if (c.state === 'queued') await announceChat(tx, changeOf(c, 'queued'));
    return detailOf(tx, actor, c, now);
  });
}

/**
 * Ends the chat. Served by a person: settled on the spot, recorded as a contact on the customer's
 * history (an inquiry ticket the agent resolved, with the transcript), which counts for
 * first-contact resolution in the KPI facts like any ticket resolved at the first contact.
 */
export async function endChat(deps: Deps, actor: Actor, id: string, note?: string): Promise<ChatDetailView> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const c = await lockConversation(tx, id);
    if (!canSeeChat(actor, c, await teamsOf(tx, actor))) throw notFound();
    if (!chatTransition(c.state, 'end')) throw invalid(c, 'end');
    if (!canWorkChat(actor, c)) throw new AppError('chat.not_yours', 'Only the agent serving this chat ends it');
    const outcome = outcomeOnEnd(c.state, c.firstHumanResponseAt !== null);
    let ticketId: string | null = null;
    if (outcome === 'settled' && c.customerId) {
      const agent = { ...actor, id: c.agentId ?? actor.id };
      const opened = await openTicketFromChat(
        tx,
        deps,
        agent,
        c,
        { type: 'inquiry', subject: summaryLine(await firstCustomerLine(tx, c.id)), description: note },
        now,
      );
      const [row] = await tx.select().from(tickets).where(eq(tickets.id, opened.ticketId));
      await applyTransition(
        tx,
        row!,
        { action: 'resolve', note: note ?? 'chat settled' },
        { actorId: agent.id },
        now,
        deps.surveys,
      );
      ticketId = opened.ticketId;
    }
    await endConversation(tx, c, { outcome, by: 'agent', ticketId }, now);
    return detailOf(tx, actor, c, now);
  });
}

const summaryLine = (s: string) => subjectFromText(s, 60) || '在线咨询 Online chat';

async function firstCustomerLine(tx: Tx, conversationId: string): Promise<string> {
  const [m] = await tx
    .select({ body: chatMessages.body })
    .from(chatMessages)
    .where(and(eq(chatMessages.conversationId, conversationId), eq(chatMessages.author, 'customer')))
    .orderBy(chatMessages.seq)
    .limit(1);
  return m?.body ?? '';
}

/**
 * A ticket from a chat: the agent is its first-contact owner (首问负责制) and assignee, the
 * transcript is its first public message (the conversation the customer had; nothing is sent).
 */
async function openTicketFromChat(
  tx: Tx,
  deps: Deps,
  agent: Actor,
  c: ConversationRow,
  input: {
    type: z.output<typeof ChatToTicket>['type'];
    subject: string;
    description?: string | undefined;
    categoryId?: string | undefined;
    grade?: string | undefined;
  },
  now: Date,
): Promise<{ ticketId: string; number: string }> {
  const channel = TICKET_CHANNEL_OF[c.channel];
  const transcript = await transcriptOf(tx, c.id);
  const description = input.description?.trim() ? input.description.trim() : input.subject;
  const draft = {
    customerId: c.customerId!,
    type: input.type,
    categoryId: input.categoryId ?? null,
    grade: input.grade ?? 'general',
    channel,
    tags: ['chat'],
    subject: input.subject,
    description,
  };
  const { number, routed, facts } = await routeNewTicket(tx, deps, draft, now, agent.teamId);
  const ticketId = uuidv7();
  await insertNewTicket(
    tx,
    deps,
    {
      id: ticketId,
      number,
      type: input.type,
      categoryId: draft.categoryId,
      grade: routed.grade,
      priority: routed.priority,
      status: 'assigned',
      channel,
      subject: input.subject,
      description,
      details: {},
      tags: routed.tags,
      slaPolicyHint: routed.slaPolicyHint,
      customerId: draft.customerId,
      teamId: routed.teamId,
      assigneeId: agent.id,
      firstContactOwnerId: agent.id,
      createdById: agent.id,
      searchText: deps.indexText(`${input.subject} ${description} ${transcript}`),
      createdAt: now,
      updatedAt: now,
    },
    routed,
    facts,
    { actorId: agent.id, data: { firstContactOwnerId: agent.id, assigneeId: agent.id } },
    now,
  );
  const messageId = uuidv7();
  await tx.insert(ticketMessages).values({
    id: messageId,
    ticketId,
    authorStaffId: agent.id,
    kind: 'other',
    visibility: 'public',
    channel,
    body: `在线客服对话记录 / Chat transcript\n${transcript}`,
    bodyFormat: 'text',
    createdAt: now,
  });
  await tx.update(tickets).set({ hasPublicReply: true }).where(eq(tickets.id, ticketId));
  await recordEvent(tx, {
    ticketId,
    actorId: agent.id,
    kind: 'message_added',
    at: now,
    data: { messageId, visibility: 'public', sentVia: null },
  });
  return { ticketId, number };
}

/** Turns the chat into a ticket for follow-up: transcript attached, first-contact owner = the agent; the chat ends. */
export async function chatToTicket(
  deps: Deps,
  actor: Actor,
  id: string,
  input: z.output<typeof ChatToTicket>,
): Promise<{ ticketId: string; number: string }> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const c = await lockConversation(tx, id);
    if (!canSeeChat(actor, c, await teamsOf(tx, actor))) throw notFound();
    if (c.state === 'ended') throw new AppError('chat.ended', 'This chat has ended');
    if (!canWorkChat(actor, c))
      throw new AppError('chat.not_yours', 'Only the agent serving this chat opens its ticket');
    if (!c.customerId) {
      if (!input.phone)
        throw new AppError('chat.unknown_reference', 'An anonymous customer: ask for the number and give it as phone', {
          field: 'phone',
        });
      c.customerId = await findOrCreateCustomer(tx, { msisdn: normaliseMsisdn(input.phone) }, null, now);
    }
    const opened = await openTicketFromChat(tx, deps, actor, c, input, now);
    await appendMessage(
      tx,
      c,
      { author: 'system', body: opened.number, payload: { kind: 'ticket', ticketNumber: opened.number } },
      now,
    );
    await endConversation(
      tx,
      c,
      { outcome: 'ticket', by: 'agent', ticketId: opened.ticketId, customerId: c.customerId },
      now,
    );
    return opened;
  });
}
