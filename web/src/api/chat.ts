// Live chat (issue 20): the customer's side (/api/chat/v1, a conversation token) and the agent's
// side (/api/v1/chats). Shapes as src/contracts/chat.ts (see /work/coord/chat-api.md).
import type { z } from 'zod';
import type {
  AgentChatMessageCreate,
  ChatClockView,
  ChatCustomerView as ChatCustomerViewSchema,
  ChatDetailView,
  ChatList as ChatListSchema,
  ChatMessageStored as ChatMessageStoredSchema,
  ChatMessageView,
  ChatStarted as ChatStartedSchema,
  ChatSummaryView,
  ChatTicketRef,
  ChatToTicket,
  ChatTransfer,
} from '../../../src/contracts/chat';
import type { LiveChatEvent } from '../../../src/contracts/events';
import { api, get, post, query } from './client';

export type { LiveChatEvent };
export type ChatMessage = z.output<typeof ChatMessageView>;
export type ChatAuthor = ChatMessage['author'];
/** The conversation as the customer sees it. */
export type ChatCustomerView = z.output<typeof ChatCustomerViewSchema>;
export type ChatStarted = z.output<typeof ChatStartedSchema>;
export type ChatMessageStored = z.output<typeof ChatMessageStoredSchema>;
export type ChatClock = z.output<typeof ChatClockView>;
export type ChatSummary = z.output<typeof ChatSummaryView>;
export type ChatList = z.output<typeof ChatListSchema>;
export type ChatDetail = z.output<typeof ChatDetailView>;
export type ChatTicketType = z.input<typeof ChatToTicket>['type'];

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
    post<z.output<typeof ChatTicketRef>>(
      `${customerBase}/${id}/leave-message`,
      { body, ...(phone ? { phone } : {}) },
      auth(token),
    ),
  end: (id: string, token: string) => post<ChatCustomerView>(`${customerBase}/${id}/end`, {}, auth(token)),
};

const v1 = '/api/v1/chats';

export const deskChatApi = {
  list: (view: 'queue' | 'mine' | 'active' | 'recent') => get<ChatList>(`${v1}${query({ view })}`),
  get: (id: string) => get<ChatDetail>(`${v1}/${id}`),
  accept: (id: string) => post<ChatDetail>(`${v1}/${id}/accept`),
  send: (id: string, message: z.input<typeof AgentChatMessageCreate>) =>
    post<ChatMessage>(`${v1}/${id}/messages`, message),
  typing: (id: string) => post<void>(`${v1}/${id}/typing`, { typing: true }),
  transfer: (id: string, to: z.input<typeof ChatTransfer>) => post<ChatDetail>(`${v1}/${id}/transfer`, to),
  end: (id: string) => post<ChatDetail>(`${v1}/${id}/end`),
  toTicket: (id: string, ticket: z.input<typeof ChatToTicket>) =>
    post<z.output<typeof ChatTicketRef>>(`${v1}/${id}/ticket`, ticket),
};
