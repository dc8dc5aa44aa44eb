// Managed replies and macros: typed endpoints (shapes from src/contracts/replies.ts).
import type { z } from 'zod';
import type {
  MacroActionsSchema,
  ReplyCreate,
  ReplyPage,
  ReplyUpdate,
  ReplyView,
} from '../../../src/contracts/replies';
import { del, get, patch, post, query } from './client';

export type Reply = z.output<typeof ReplyView>;
export type ReplyList = z.output<typeof ReplyPage>;
export type MacroActions = z.output<typeof MacroActionsSchema>;
export type NewReply = z.input<typeof ReplyCreate>;
export type ReplyChanges = z.input<typeof ReplyUpdate>;
export type ReplyScope = Reply['scope'];

export const listReplies = (params: {
  q?: string | undefined;
  scope?: ReplyScope | undefined;
  kind?: 'reply' | 'macro' | undefined;
  cursor?: string | undefined;
  limit?: number;
}) => get<ReplyList>(`/api/v1/replies${query({ ...params, limit: params.limit ?? 30 })}`);
export const createReply = (reply: NewReply) => post<{ id: string }>('/api/v1/replies', reply);
export const updateReply = (id: string, changes: ReplyChanges) => patch<void>(`/api/v1/replies/${id}`, changes);
export const deleteReply = (id: string) => del(`/api/v1/replies/${id}`);

export type MacroApplied = { applied: { edit: boolean; message: boolean; note: boolean; status: string | null } };
export const applyMacro = (
  ticketId: string,
  macroId: string,
  message?: { visibility: 'public' | 'internal'; body: string },
) => post<MacroApplied>(`/api/v1/tickets/${ticketId}/macros`, { macroId, ...(message ? { message } : {}) });
