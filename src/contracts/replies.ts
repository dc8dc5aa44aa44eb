import { z } from 'zod';
import { REPLY_SCOPES } from '../core/auth/replies.js';
import { TICKET_ACTIONS } from '../core/tickets/state-machine.js';
import { PageQuery } from './common.js';

// Managed replies and macros: what the composer searches and applies, and what their managers edit.

export const MacroActionsSchema = z
  .strictObject({
    status: z.enum(TICKET_ACTIONS).optional().describe('A lifecycle move (e.g. wait_customer, resolve)'),
    addTags: z.array(z.string().trim().min(1).max(40)).max(10).optional(),
    grade: z.string().trim().min(1).max(40).optional().describe('A grade code as configured'),
    note: z.string().trim().min(1).max(5000).optional().describe('An internal note; placeholders are filled'),
  })
  .meta({ id: 'MacroActions' });

const ReplyFields = {
  name: z.string().trim().min(1).max(60),
  body: z.string().max(5000).default('').describe('The text with {{placeholders}}; may be empty for a macro'),
  actions: MacroActionsSchema.default({}),
};

export const ReplyCreate = z
  .strictObject({
    scope: z.enum(REPLY_SCOPES),
    teamId: z.uuid().optional().describe('Team replies: the team (default: your own)'),
    ...ReplyFields,
  })
  .meta({ id: 'ReplyCreate' });

export const ReplyUpdate = z.strictObject({
  name: ReplyFields.name.optional(),
  body: z.string().max(5000).optional(),
  actions: MacroActionsSchema.optional(),
});

export const ReplyListQuery = z.strictObject({
  q: z.string().trim().max(100).optional().describe('Words to find in the name or text (Chinese is segmented)'),
  scope: z.enum(REPLY_SCOPES).optional(),
  kind: z.enum(['reply', 'macro']).optional(),
  ...PageQuery,
});

export const ReplyView = z
  .object({
    id: z.uuid(),
    scope: z.enum(REPLY_SCOPES),
    team: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    owner: z.object({ id: z.uuid(), displayName: z.string() }).nullable(),
    name: z.string(),
    body: z.string(),
    actions: MacroActionsSchema,
    isMacro: z.boolean(),
    updatedAt: z.iso.datetime(),
    abilities: z.array(z.enum(['edit', 'delete'])).describe('What you may do with it'),
  })
  .meta({ id: 'Reply' });

export const ReplyPage = z.object({
  items: z.array(ReplyView),
  nextCursor: z.string().nullable(),
  /** The scopes you may create replies in. */
  creatableScopes: z.array(z.enum(REPLY_SCOPES)),
});

export const MacroApply = z.strictObject({
  macroId: z.uuid(),
  message: z
    .strictObject({
      visibility: z.enum(['public', 'internal']),
      body: z.string().trim().min(1).max(50_000),
    })
    .optional()
    .describe('The reply or note the agent reviewed in the composer, sent in the same step before the status change'),
});
