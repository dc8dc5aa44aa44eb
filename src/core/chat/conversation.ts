import type { ChatOutcome, ChatState } from './types.js';

// A chat's moves and the rules around them: who may take it (a per-agent limit of concurrent
// chats), where a customer stands in the queue, and the first human response clock (30 s).

export const CHAT_ACTIONS = ['handoff', 'accept', 'transfer_agent', 'transfer_team', 'end', 'leave_message'] as const;
export type ChatAction = (typeof CHAT_ACTIONS)[number];

const MOVES: Record<ChatAction, Partial<Record<ChatState, ChatState>>> = {
  handoff: { bot: 'queued' },
  accept: { queued: 'assigned' },
  transfer_agent: { assigned: 'assigned', queued: 'assigned' },
  transfer_team: { assigned: 'queued', queued: 'queued' },
  end: { bot: 'ended', queued: 'ended', assigned: 'ended' },
  leave_message: { bot: 'ended', queued: 'ended' },
};

/** The state after `action`, or null when it is not allowed from `state`. */
export function chatTransition(state: ChatState, action: ChatAction): ChatState | null {
  return MOVES[action][state] ?? null;
}

/**
 * The outcome when a chat ends without a ticket. Served by a person (an agent answered): settled
 * on the spot, whoever closes it. Waiting in the queue, or with an agent who never answered: the
 * customer was not served (abandoned). Only the bot served: no outcome (contained by the bot).
 */
export function outcomeOnEnd(state: ChatState, humanResponded: boolean): ChatOutcome | null {
  if (state === 'bot') return null;
  if (state === 'assigned' && humanResponded) return 'settled';
  return 'abandoned';
}

/** Whether an agent with `active` chats may take another one (the limit is a setting, default 3). */
export const canTakeChat = (active: number, limit: number): boolean => active < limit;

/**
 * Only an agent who is online takes a chat from the queue: offline (as everyone starts) or away
 * (on a break), they go online first — as for tickets, which are handed only to those online.
 */
export const readyForChats = (presence: string): boolean => presence === 'online';

/**
 * The customer's place in the queue (1 = next): the chats of the same team queued before it,
 * earlier `queuedAt` first, ties broken by id.
 */
export function queuePosition(
  me: { id: string; queuedAt: Date },
  queued: readonly { id: string; queuedAt: Date }[],
): number {
  const ahead = queued.filter(
    (q) =>
      q.id !== me.id &&
      (q.queuedAt.getTime() < me.queuedAt.getTime() ||
        (q.queuedAt.getTime() === me.queuedAt.getTime() && q.id < me.id)),
  );
  return ahead.length + 1;
}

/**
 * The first human response clock: starts when the chat enters the queue, stops at the first
 * agent message; warns once when it runs past the target (a setting, 30 s).
 */
export function firstResponseClock(
  c: { queuedAt: Date | null; firstHumanResponseAt: Date | null; firstResponseWarnedAt: Date | null },
  targetSeconds: number,
  now: Date,
): { dueAt: Date | null; state: 'none' | 'running' | 'overdue' | 'met' | 'missed'; warn: boolean } {
  if (!c.queuedAt) return { dueAt: null, state: 'none', warn: false };
  const dueAt = new Date(c.queuedAt.getTime() + targetSeconds * 1000);
  if (c.firstHumanResponseAt) return { dueAt, state: c.firstHumanResponseAt <= dueAt ? 'met' : 'missed', warn: false };
  const overdue = now >= dueAt;
  return { dueAt, state: overdue ? 'overdue' : 'running', warn: overdue && !c.firstResponseWarnedAt };
}

/** What the customer-inactivity limit looks at: the chat's state and the last signs of either side. */
export type ChatIdleFacts = {
  state: ChatState;
  queuedAt: Date | null;
  customerMessageAt: Date | null;
  agentMessageAt: Date | null;
  /** The last moment the customer's stream was known open (nodes refresh it while it is). */
  customerStreamAt: Date | null;
};

/** Why the system ends an idle chat: the customer left the queue, or stopped answering the agent. */
export type IdleEnding = 'abandoned' | 'timed_out';

const latest = (...dates: (Date | null)[]): number =>
  Math.max(...dates.filter((d): d is Date => d !== null).map((d) => d.getTime()));

/**
 * Whether the system ends a chat whose customer went away (the customer-inactivity limit, a chat
 * setting, 10 minutes). Queued: nothing from the customer — no message, no open stream — for the
 * limit since the hand-off (abandoned: they closed the page). Served: the agent wrote last and the
 * customer has not answered for the limit (timed out), which frees the agent's slot. A chat where
 * the customer waits for the agent's answer is never ended on the customer.
 */
export function idleEnding(c: ChatIdleFacts, limitSeconds: number, now: Date): IdleEnding | null {
  const limitMs = limitSeconds * 1000;
  switch (c.state) {
    case 'queued': {
      if (!c.queuedAt) return null;
      return now.getTime() - latest(c.queuedAt, c.customerMessageAt, c.customerStreamAt) >= limitMs
        ? 'abandoned'
        : null;
    }
    case 'assigned': {
      if (!c.agentMessageAt) return null;
      if (c.customerMessageAt && c.customerMessageAt >= c.agentMessageAt) return null;
      return now.getTime() - c.agentMessageAt.getTime() >= limitMs ? 'timed_out' : null;
    }
    case 'bot':
    case 'ended':
      return null;
    default:
      return c.state satisfies never;
  }
}

/**
 * Whether the customer may leave a message instead of waiting: outside service hours, or after
 * waiting `waitSeconds` in the queue (a setting) without an agent.
 */
export function canLeaveMessage(
  c: { state: ChatState; queuedAt: Date | null },
  inServiceHours: boolean,
  waitSeconds: number,
  now: Date,
): boolean {
  if (c.state === 'ended' || c.state === 'assigned') return false;
  if (!inServiceHours) return true;
  return c.state === 'queued' && c.queuedAt !== null && now.getTime() - c.queuedAt.getTime() >= waitSeconds * 1000;
}

/** What a staff member knows about a chat to decide what they may do with it. */
export type ChatAccessFacts = { state: ChatState; agentId: string | null; teamId: string | null };
type StaffActor = { id: string; role: string };

const WORKER_ROLES = new Set(['agent', 'expert', 'supervisor']);
const OVERSEERS = new Set(['supervisor', 'admin']);

/**
 * Who sees a chat: supervisors and admins all; the agent it is assigned to; members of its team
 * (or anyone who takes chats, for a chat on no team) while it waits or is served.
 */
export function canSeeChat(actor: StaffActor, chat: ChatAccessFacts, myTeams: readonly string[]): boolean {
  if (OVERSEERS.has(actor.role)) return true;
  if (chat.agentId === actor.id) return true;
  if (!WORKER_ROLES.has(actor.role)) return false;
  return chat.teamId === null || myTeams.includes(chat.teamId);
}

/** Who may take a queued chat: someone who takes chats and works its team's queue (supervisors any). */
export function canAcceptChat(actor: StaffActor, chat: ChatAccessFacts, myTeams: readonly string[]): boolean {
  if (chat.state !== 'queued' || !WORKER_ROLES.has(actor.role)) return false;
  return actor.role === 'supervisor' || chat.teamId === null || myTeams.includes(chat.teamId);
}

/** Who may write, transfer, end or turn into a ticket: the assigned agent, or a supervisor. */
export function canWorkChat(actor: StaffActor, chat: ChatAccessFacts): boolean {
  if (chat.state === 'ended') return false;
  return chat.agentId === actor.id || (actor.role === 'supervisor' && chat.state === 'assigned');
}
