// Callbacks for dissatisfied customers (src/contracts/callbacks.ts).
import type { z } from 'zod';
import type {
  CallbackAttemptBody,
  CallbackDetail,
  CallbackOutcomeBody,
  CallbackSummary,
} from '../../../src/contracts/callbacks';
import { get, post, query } from './client';

const base = '/api/v1/callbacks';

export type { CallbackDetail, CallbackSummary };

export const callbacksApi = {
  list: (cursor?: string) =>
    get<{ items: CallbackSummary[]; nextCursor: string | null }>(`${base}${query({ limit: 50, cursor })}`),
  get: (id: string) => get<CallbackDetail>(`${base}/${id}`),
  attempt: (id: string, body: z.input<typeof CallbackAttemptBody>) =>
    post<CallbackDetail>(`${base}/${id}/attempts`, body),
  outcome: (id: string, body: z.input<typeof CallbackOutcomeBody>) =>
    post<CallbackDetail>(`${base}/${id}/outcome`, body),
};
