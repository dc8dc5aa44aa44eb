// The desk's API calls other than one ticket's own editing (see tickets.ts): sign-in, presence,
// queues and the board, saved views, and the panels of the ticket page. Components call these,
// never a URL; the types come from the server's contracts through ./types.
import type { z } from 'zod';
import type { SubtaskCreate } from '../../../src/contracts/collaboration';
import { api, del, get, post, put, query } from './client';
import type {
  Agent,
  Attachment,
  BlockedAssignees,
  Board,
  Grade,
  Page,
  SavedView,
  Session,
  SlaTarget,
  Subtask,
  Team,
} from './types';
import type { TicketSummary } from './types';

const v1 = '/api/v1';

/** List filters as the list API takes them (the queue, the board, saved views). */
export type TicketListParams = Record<string, string | number | undefined | null>;
export type TicketCounts = {
  views: Record<'mine' | 'unassigned' | 'due_soon' | 'breached' | 'vip' | 'all', number>;
  /** The queues this person may open. */
  teams: { teamId: string; name: string; open: number }[];
};

export const deskApi = {
  session: () => get<Session>(`${v1}/auth/session`),
  signIn: (username: string, password: string) => post<Session>(`${v1}/auth/login`, { username, password }),
  signOut: () => post(`${v1}/auth/logout`),
  /** The live stream (server-sent events) of this session. */
  eventsUrl: `${v1}/events`,

  agents: () => get<{ items: Agent[] }>(`${v1}/agents`),
  setPresence: (presence: Agent['presence']) => put(`${v1}/me/presence`, { presence }),
  board: () => get<Board>(`${v1}/board`),
  teams: () => get<{ items: Team[] }>(`${v1}/teams`),
  grades: () => get<{ items: Grade[] }>(`${v1}/grades`),

  tickets: (params: TicketListParams) => get<Page<TicketSummary>>(`${v1}/tickets${query(params)}`),
  ticketCounts: () => get<TicketCounts>(`${v1}/tickets/counts`),
  /** Of these tickets, whom the certification rule rules out of each (the board's reassign lists). */
  blockedAssignees: (ticketIds: string[]) =>
    get<BlockedAssignees>(`${v1}/tickets/assignees${query({ ids: ticketIds.join(',') })}`),
  /** A supervisor's reassignment, past capacity and presence if need be. */
  reassign: (ticketId: string, assigneeId: string) =>
    post(`${v1}/tickets/${ticketId}/assignment`, { assigneeId, override: true }),

  savedViews: () => get<{ items: SavedView[] }>(`${v1}/saved-views`),
  saveView: (name: string, filters: SavedView['filters']) =>
    post<{ id: string }>(`${v1}/saved-views`, { name, filters }),
  deleteView: (id: string) => del(`${v1}/saved-views/${id}`),

  sla: (ticketId: string) => get<{ asOf: string; items: SlaTarget[] }>(`${v1}/tickets/${ticketId}/sla`),
  subtasks: (ticketId: string) => get<{ items: Subtask[] }>(`${v1}/tickets/${ticketId}/subtasks`),
  createSubtask: (ticketId: string, body: z.input<typeof SubtaskCreate>) =>
    post(`${v1}/tickets/${ticketId}/subtasks`, body),
  completeSubtask: (id: string, result: string) => post(`${v1}/subtasks/${id}/complete`, { result }),
  cancelSubtask: (id: string, reason: string) => post(`${v1}/subtasks/${id}/cancel`, { reason }),
  attachments: (ticketId: string) => get<{ items: Attachment[] }>(`${v1}/tickets/${ticketId}/attachments`),
  attach: (ticketId: string, file: File) => {
    const form = new FormData();
    form.append('file', file);
    return api<Attachment>('POST', `${v1}/tickets/${ticketId}/attachments`, form);
  },
  attachmentUrl: (id: string) => `${v1}/attachments/${id}`,
};
