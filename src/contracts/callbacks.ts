import { z } from 'zod';
import { CALLBACK_OUTCOMES, CALLBACK_STATUSES, ROOT_CAUSE_CODE } from '../core/callbacks/callbacks.js';
import { PageQuery, StaffRef } from './common.js';

// Callbacks for dissatisfied customers (issue 13): the callback queue, one task, its attempts and
// outcome.

export const CallbacksQuery = z.strictObject({
  ...PageQuery,
  assignee: z
    .union([z.enum(['me', 'unassigned']), z.uuid()])
    .optional()
    .describe('Only the callbacks of this person (`me`: mine), or those nobody holds yet'),
});

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
    assignee: StaffRef.describe('Who holds the callback: given by a supervisor, or taken by the first attempt'),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'CallbackSummary' });

export const CallbackPage = z.object({ items: z.array(CallbackSummary), nextCursor: z.string().nullable() });

export const CallbackDetail = CallbackSummary.extend({
  scores: CallbackScores,
  attemptList: z.array(CallbackAttemptView),
  maxAttempts: z.number().int(),
  rootCause: z.string().nullable().describe('A code of the root-cause list'),
  rootCauseLabel: z
    .object({ zh: z.string(), en: z.string() })
    .nullable()
    .describe("The root cause's labels, also for a cause deactivated since"),
  remedy: z.string().nullable(),
  outcome: z.enum(CALLBACK_OUTCOMES).nullable(),
  complaint: z
    .object({ id: z.uuid(), number: z.string(), status: z.string() })
    .nullable()
    .describe('The complaint this callback opened (outcome complaint_opened)'),
  firstReachedAt: z.iso.datetime().nullable(),
  completedAt: z.iso.datetime().nullable(),
  canAssign: z.boolean().describe('Whether you may give this callback to someone (supervisors, while it is open)'),
}).meta({ id: 'CallbackDetail' });

export const CallbackAssignBody = z.strictObject({
  assigneeId: z
    .uuid()
    .nullable()
    .describe('An active agent of the callback team (422 callback.invalid_assignee); null puts it back in the queue'),
});

export const CallbackAssigneeList = z.object({
  items: z.array(z.object({ id: z.uuid(), displayName: z.string(), open: z.number().int() })),
});

export const CallbackAttemptBody = z.strictObject({
  reached: z.boolean(),
  note: z.string().trim().max(2000).default(''),
});

export const RootCauseCode = z.string().regex(ROOT_CAUSE_CODE, 'lower-case letters, digits and _, from a letter');

export const CallbackOutcomeBody = z
  .strictObject({
    rootCause: RootCauseCode.describe('An active code of the root-cause list (422 callback.unknown_root_cause)'),
    remedy: z.string().trim().min(1).max(2000),
    outcome: z.enum(CALLBACK_OUTCOMES),
    notes: z
      .string()
      .trim()
      .max(4000)
      .default('')
      .describe('What the customer said; with complaint_opened it describes the new complaint (then required)'),
  })
  .refine((b) => b.outcome !== 'complaint_opened' || b.notes.length > 0, {
    path: ['notes'],
    message: 'Say what the complaint is about',
  });

export const RootCauseView = z
  .object({
    code: z.string(),
    nameZh: z.string(),
    nameEn: z.string(),
    position: z.number().int(),
    active: z.boolean(),
  })
  .meta({ id: 'RootCause' });

export const RootCauseList = z.object({ items: z.array(RootCauseView) });

export const RootCauseCreate = z.strictObject({
  code: RootCauseCode,
  nameZh: z.string().trim().min(1).max(60),
  nameEn: z.string().trim().min(1).max(80),
  position: z.number().int().min(0).max(10_000).optional(),
});

export const RootCauseUpdate = z.strictObject({
  nameZh: z.string().trim().min(1).max(60).optional(),
  nameEn: z.string().trim().min(1).max(80).optional(),
  position: z.number().int().min(0).max(10_000).optional(),
  active: z.boolean().optional(),
});

export const RootCauseParams = z.strictObject({ code: RootCauseCode });

export const RootCauseQuery = z.strictObject({
  all: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('Also the deactivated ones (admins)'),
});

export type CallbackSummary = z.infer<typeof CallbackSummary>;
export type CallbackDetail = z.infer<typeof CallbackDetail>;
