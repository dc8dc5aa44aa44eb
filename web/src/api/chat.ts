// Live chat (issue 20): the customer's side (/api/chat/v1, a conversation token) and the agent's
// side (/api/v1/chats). Shapes as src/contracts/chat.ts (see /work/coord/chat-api.md).
import { api, get, post, query } from './client';

export type ChatAuthor = 'customer' | 'bot' | 'agent' | 'system';
export type ChatState = 'bot' | 'queued' | 'assigned' | 'ended';
export type ChatOutcome = 'settled' | 'ticket' | 'left_message' | 'abandoned';
export type HandoffReason = 'asked' | 'low_confidence' | 'risk';
export type ChatChannel = 'portal' | 'app' | 'wechat';
export type OfferedArticle = { id: string; title: string; confidence: number };
export type ChatMessage = {
  id: string;
  seq: number;
  author: ChatAuthor;
  agentName: string | null;
  clientMessageId: string | null;
  body: string;
  payload: {
    kind?: string;
    articles?: OfferedArticle[];
    intent?: string;
    confidence?: number;
    helpful?: boolean | null;
    handoffReason?: HandoffReason;
    words?: string[];
    articleId?: string;
    ticketNumber?: string;
  };
  createdAt: string;
};
/** The conversation as the customer sees it. */
export type ChatCustomerView = {
  id: string;
  channel: ChatChannel;
  state: ChatState;
  language: 'zh' | 'en';
  signedIn: boolean;
  /** 1 = next; null when not queued. */
  queuePosition: number | null;
  agentName: string | null;
  outcome: ChatOutcome | null;
  ticketNumber: string | null;
  serviceOpen: boolean;
  canLeaveMessage: boolean;
  lastSeq: number;
  createdAt: string;
};
export type ChatStarted = { conversation: ChatCustomerView; token: string; messages: ChatMessage[] };
export type ChatMessageStored = { message: ChatMessage; replies: ChatMessage[]; conversation: ChatCustomerView };

const customerBase = '/api/chat/v1/conversations';
const auth = (token: string) => ({ 'x-chat-token': token });

export const customerChatApi = {
  start: (language: 'zh' | 'en') => post<ChatStarted>(customerBase, { language }),
  get: (id: string, token: string) => api<ChatCustomerView>('GET', `${customerBase}/${id}`, undefined, auth(token)),
  /** The live stream from `after` (EventSource cannot send headers: the token goes in the address). */
  streamUrl: (id: string, token: string, after: number) => `${customerBase}/${id}/stream${query({ after, token })}`,
  send: (id: string, token: string, clientMessageId: string, body: string) =>
    post<ChatMessageStored>(`${customerBase}/${id}/messages`, { clientMessageId, body }, auth(token)),
  typing: (id: string, token: string) => post<void>(`${customerBase}/${id}/typing`, { typing: true }, auth(token)),
  handoff: (id: string, token: string) => post<ChatCustomerView>(`${customerBase}/${id}/handoff`, {}, auth(token)),
  feedback: (id: string, token: string, seq: number, helpful: boolean) =>
    post<void>(`${customerBase}/${id}/feedback`, { seq, helpful }, auth(token)),
  leaveMessage: (id: string, token: string, body: string, phone: string) =>
    post<{ ticketId: string; number: string }>(
      `${customerBase}/${id}/leave-message`,
      { body, ...(phone ? { phone } : {}) },
      auth(token),
    ),
  end: (id: string, token: string) => post<ChatCustomerView>(`${customerBase}/${id}/end`, {}, auth(token)),
};

export type ChatClock = {
  targetSeconds: number;
  dueAt: string | null;
  state: 'none' | 'running' | 'overdue' | 'met' | 'missed';
  warnedAt: string | null;
  firstHumanResponseAt: string | null;
};
export type ChatSummary = {
  id: string;
  channel: ChatChannel;
  state: ChatState;
  language: 'zh' | 'en';
  customer: { id: string; name: string; phone: string; tier: string } | null;
  signedIn: boolean;
  agent: { id: string; displayName: string } | null;
  team: { id: string; name: string } | null;
  handoffReason: HandoffReason | null;
  preview: string;
  lastSeq: number;
  queuedAt: string | null;
  acceptedAt: string | null;
  endedAt: string | null;
  outcome: ChatOutcome | null;
  ticket: { id: string; number: string } | null;
  clock: ChatClock;
  createdAt: string;
};
export type ChatList = { items: ChatSummary[]; mine: { active: number; limit: number } };
export type BotTried = {
  seq: number;
  kind: string;
  intent: string | null;
  articles: OfferedArticle[];
  confidence: number | null;
  helpful: boolean | null;
};
export type ChatAbility = 'accept' | 'reply' | 'transfer' | 'end' | 'ticket';
export type ChatDetail = { chat: ChatSummary; messages: ChatMessage[]; botTried: BotTried[]; abilities: ChatAbility[] };
export type ChatTicketType = 'inquiry' | 'fault' | 'complaint' | 'service_request';

const v1 = '/api/v1/chats';

export const deskChatApi = {
  list: (view: 'queue' | 'mine' | 'active' | 'recent') => get<ChatList>(`${v1}${query({ view })}`),
  get: (id: string) => get<ChatDetail>(`${v1}/${id}`),
  accept: (id: string) => post<ChatDetail>(`${v1}/${id}/accept`),
  send: (id: string, message: { clientMessageId: string; body: string; articleId?: string; replyId?: string }) =>
    post<ChatMessage>(`${v1}/${id}/messages`, message),
  typing: (id: string) => post<void>(`${v1}/${id}/typing`, { typing: true }),
  transfer: (id: string, to: { toAgentId: string } | { toTeamId: string }, note: string) =>
    post<ChatDetail>(`${v1}/${id}/transfer`, { ...to, ...(note ? { note } : {}) }),
  end: (id: string) => post<ChatDetail>(`${v1}/${id}/end`),
  toTicket: (id: string, ticket: { type: ChatTicketType; subject: string; description?: string }) =>
    post<{ ticketId: string; number: string }>(`${v1}/${id}/ticket`, ticket),
};

/** A `chat` event on the desk's live stream (/api/v1/events). */
export type LiveChatEvent = {
  conversationId: string;
  kind: 'queued' | 'accepted' | 'message' | 'transferred' | 'ended' | 'typing' | 'first_response_warning';
  seq?: number;
  author?: ChatAuthor;
  typing?: boolean;
};
