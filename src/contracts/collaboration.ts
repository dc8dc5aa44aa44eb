import { z } from 'zod';
import { SUBTASK_ABILITIES } from '../core/auth/abilities.js';

// Tiers, work handed to other departments (sub-tasks), duplicates and related tickets.

/** A handoff note, a sub-task's result or the reason to cancel it. */
export const HandoffNote = z.string().trim().min(2).max(5000);

export const EscalateBody = z
  .strictObject({ note: HandoffNote, teamId: z.uuid().optional(), assigneeId: z.uuid().optional() })
  .meta({ id: 'Escalate' });

export const DeEscalateBody = z.strictObject({ note: HandoffNote }).meta({ id: 'DeEscalate' });

export const SUBTASK_STATUSES = ['open', 'done', 'cancelled'] as const;

export const SubtaskView = z
  .object({
    id: z.uuid(),
    teamId: z.uuid(),
    teamName: z.string(),
    assigneeId: z.uuid().nullable(),
    title: z.string(),
    description: z.string(),
    blocking: z.boolean(),
    status: z.enum(SUBTASK_STATUSES),
    dueAt: z.iso.datetime().nullable(),
    result: z.string().nullable(),
    createdAt: z.iso.datetime(),
    completedAt: z.iso.datetime().nullable(),
    abilities: z.array(z.enum(SUBTASK_ABILITIES)).describe('What you may do to this sub-task now'),
  })
  .meta({ id: 'Subtask' });
export type SubtaskView = z.infer<typeof SubtaskView>;

export const SubtaskCreate = z
  .strictObject({
    teamId: z.uuid(),
    title: z.string().trim().min(1).max(200),
    description: z.string().max(5000).default(''),
    blocking: z.boolean().default(true),
    assigneeId: z.uuid().optional(),
    dueInMinutes: z
      .number()
      .int()
      .min(1)
      .max(60 * 24 * 30)
      .optional(),
  })
  .meta({ id: 'SubtaskCreate' });

export const SubtaskComplete = z.strictObject({ result: HandoffNote }).meta({ id: 'SubtaskComplete' });
export const SubtaskCancel = z.strictObject({ reason: HandoffNote }).meta({ id: 'SubtaskCancel' });

export const MergeBody = z.strictObject({ intoTicketId: z.uuid() }).meta({ id: 'Merge' });

export const LinkCreate = z.strictObject({ otherTicketId: z.uuid() }).meta({ id: 'LinkCreate' });

export const LinkView = z
  .object({
    ticketId: z.uuid(),
    number: z.string(),
    status: z.string(),
    subject: z.string(),
    kind: z.string(),
    direction: z.enum(['outgoing', 'incoming']),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'TicketLink' });
