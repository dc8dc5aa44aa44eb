import { z } from 'zod';
import { CALLBACK_OUTCOMES, CALLBACK_STATUSES, ROOT_CAUSES } from '../core/callbacks/callbacks.js';
import { PageQuery, StaffRef } from './common.js';

// Callbacks for dissatisfied customers (issue 13): the callback queue, one task, its attempts and
// outcome.

export const CallbacksQuery = z.strictObject({ ...PageQuery });

export const CallbackScores = z.object({
  csat: z.number().int().nullable(),
  nps: z.number().int().nullable(),
  speed: z.number().int().nullable(),
  quality: z.number().int().nullable(),
  attitude: z.number().int().nullable(),
  convenience: z.number().int().nullable(),
  comment: z.string().nullable().describe("The customer's own words from the survey"),
});

export const CallbackAttemptView = z.object({
  id: z.uuid(),
  at: z.iso.datetime(),
  by: StaffRef,
  reached: z.boolean(),
  note: z.string(),
});

export const CallbackSummary = z
  .object({
    id: z.uuid(),
    ticket: z.object({ id: z.uuid(), number: z.string(), subject: z.string(), status: z.string() }),
    customerName: z.string().nullable(),
    status: z.enum(CALLBACK_STATUSES),
    dueAt: z.iso.datetime().nullable(),
    attempts: z.number().int(),
    low: z.array(z.string()).describe('Scores at or below the low-rating threshold (csat or dimension names)'),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'CallbackSummary' });

export const CallbackPage = z.object({ items: z.array(CallbackSummary), nextCursor: z.string().nullable() });

export const CallbackDetail = CallbackSummary.extend({
  scores: CallbackScores,
  attemptList: z.array(CallbackAttemptView),
  maxAttempts: z.number().int(),
  rootCause: z.enum(ROOT_CAUSES).nullable(),
  remedy: z.string().nullable(),
  outcome: z.enum(CALLBACK_OUTCOMES).nullable(),
  completedAt: z.iso.datetime().nullable(),
}).meta({ id: 'CallbackDetail' });

export const CallbackAttemptBody = z.strictObject({
  reached: z.boolean(),
  note: z.string().trim().max(2000).default(''),
});

export const CallbackOutcomeBody = z.strictObject({
  rootCause: z.enum(ROOT_CAUSES),
  remedy: z.string().trim().min(1).max(2000),
  outcome: z.enum(CALLBACK_OUTCOMES),
});

export type CallbackSummary = z.infer<typeof CallbackSummary>;
export type CallbackDetail = z.infer<typeof CallbackDetail>;
