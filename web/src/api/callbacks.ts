// Callbacks for dissatisfied customers and their root-cause list (src/contracts/callbacks.ts).
import type { z } from 'zod';
import type {
  CallbackAssigneeList,
  CallbackAttemptBody,
  CallbackDetail,
  CallbackOutcomeBody,
  CallbackSummary,
  RootCauseCreate,
  RootCauseUpdate,
  RootCauseView,
} from '../../../src/contracts/callbacks';
import { get, patch, post, put, query } from './client';

const base = '/api/v1/callbacks';
const causes = '/api/v1/root-causes';

export type RootCause = z.infer<typeof RootCauseView>;
export type { CallbackDetail, CallbackSummary };
export type CallbackAssignee = z.infer<typeof CallbackAssigneeList>['items'][number];
/** `me`: the callbacks I hold; `unassigned`: nobody's yet. */
export type CallbackHolder = 'me' | 'unassigned';

export const callbacksApi = {
  list: (cursor?: string, assignee?: CallbackHolder) =>
    get<{ items: CallbackSummary[]; nextCursor: string | null }>(`${base}${query({ limit: 50, cursor, assignee })}`),
  /** The agents of the callback team a supervisor may give a callback to. */
  assignees: () => get<{ items: CallbackAssignee[] }>(`${base}/assignees`),
  assign: (id: string, assigneeId: string | null) => put<CallbackDetail>(`${base}/${id}/assignee`, { assigneeId }),
  get: (id: string) => get<CallbackDetail>(`${base}/${id}`),
  attempt: (id: string, body: z.input<typeof CallbackAttemptBody>) =>
    post<CallbackDetail>(`${base}/${id}/attempts`, body),
  outcome: (id: string, body: z.input<typeof CallbackOutcomeBody>) =>
    post<CallbackDetail>(`${base}/${id}/outcome`, body),
  /** The active root causes (the outcome form); `all` also the deactivated ones (admins). */
  rootCauses: (all = false) => get<{ items: RootCause[] }>(`${causes}${query({ all: all ? 'true' : undefined })}`),
  createRootCause: (body: z.input<typeof RootCauseCreate>) => post<RootCause>(causes, body),
  updateRootCause: (code: string, body: z.input<typeof RootCauseUpdate>) =>
    patch<RootCause>(`${causes}/${encodeURIComponent(code)}`, body),
};
