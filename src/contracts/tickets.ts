import { KPI_DRILLS } from './kpi.js';
import { z } from 'zod';
import { CHANNELS, CUSTOMER_TIERS, MESSAGE_KINDS, TICKET_STATUSES, TICKET_TYPES } from '../core/tickets/types.js';
import { TICKET_ACTIONS } from '../core/tickets/state-machine.js';
import { TICKET_ABILITIES } from '../core/auth/abilities.js';
import { StaffRef } from './common.js';
import { Msisdn } from './customers.js';
import { OUTBOX_STATES } from '../core/channels/outbound.js';

const Tags = z.array(z.string().trim().min(1).max(40)).max(20);

export const FaultDetails = z.strictObject({
  location: z.string().max(300).optional(),
  symptom: z.string().max(500).optional(),
  scope: z.enum(['single_user', 'building', 'area']).optional(),
  onsetAt: z.iso.datetime({ offset: true }).optional(),
});

export const TicketCreate = z.strictObject({
  type: z.enum(TICKET_TYPES),
  categoryId: z.uuid().optional(),
  grade: z.string().max(40).default('general'),
  channel: z.enum(CHANNELS),
  subject: z.string().trim().min(1).max(200),
  description: z.string().min(1).max(20_000),
  customerId: z.uuid(),
  contactNumber: Msisdn.optional(),
  details: FaultDetails.default({}),
  tags: Tags.default([]),
  assignToMe: z.boolean().default(false).describe('Take the ticket yourself, e.g. to solve it on the spot'),
});

export const TicketUpdate = z.strictObject({
  type: z.enum(TICKET_TYPES).optional(),
  categoryId: z.uuid().nullable().optional(),
  grade: z.string().max(40).optional(),
  subject: z.string().trim().min(1).max(200).optional(),
  description: z.string().min(1).max(20_000).optional(),
  details: FaultDetails.optional(),
  tags: Tags.optional(),
  contactNumber: Msisdn.nullable().optional().describe('The number to call back on; null removes it'),
  version: z.number().int().positive().describe('The version you read; a stale one is refused with 409'),
});

export const TransitionBody = z.strictObject({
  action: z.enum(TICKET_ACTIONS),
  note: z.string().max(2000).optional(),
});

export const ConfirmationBody = z
  .strictObject({
    solved: z.boolean().describe('The customer says the problem is solved (closes) or not (reopens)'),
    note: z.string().trim().max(2000).optional().describe('What the customer said'),
  })
  .meta({ id: 'CustomerConfirmation' });

export const AssignBody = z.strictObject({
  assigneeId: z.uuid().nullable(),
  teamId: z.uuid().optional(),
  override: z.boolean().optional().describe('supervisors: assign to someone away or offline (never beyond capacity)'),
});

/** `?status=new,assigned` or `?status=new&status=assigned` */
const csv = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',') : v), z.array(item).max(20)).optional();

export const TICKET_SORTS = ['created_desc', 'created_asc', 'priority', 'due'] as const;

export const TicketListQuery = z.strictObject({
  status: csv(z.enum(TICKET_STATUSES)),
  type: csv(z.enum(TICKET_TYPES)),
  grade: csv(z.string().max(40)),
  assigneeId: z.union([z.uuid(), z.literal('none'), z.literal('me')]).optional(),
  teamId: z.uuid().optional(),
  customerId: z.uuid().optional(),
  customerTier: csv(z.enum(CUSTOMER_TIERS)).describe('e.g. vip: the VIP view'),
  createdFrom: z.iso.datetime({ offset: true }).optional(),
  createdTo: z.iso.datetime({ offset: true }).optional(),
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe('Words from subject or description (Chinese segmented) or a ticket number'),
  sla: z
    .enum(['breached', 'due_soon'])
    .optional()
    .describe('breached: a running limit has passed; due_soon: the earliest limit falls within the next hour'),
  sort: z
    .enum(TICKET_SORTS)
    .default('created_desc')
    .describe('due: earliest SLA due time first (tickets with a running limit only)'),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  // Drill-down from the KPI dashboard (issue 16): the tickets behind a figure.
  categoryId: z.uuid().optional(),
  channel: z.enum(CHANNELS).optional(),
  region: z.string().trim().min(1).max(60).optional().describe("The customer's region"),
  kpi: z
    .enum(KPI_DRILLS)
    .optional()
    .describe(
      'Tickets behind a KPI figure for local days factsFrom…factsTo: contacts/repeat/breached by creation day; resolved/fcr/not_fcr/outside_target/reopened by resolution day',
    ),
  factsFrom: z.iso.date().optional(),
  factsTo: z.iso.date().optional(),
});

export const TicketSummary = z
  .object({
    id: z.uuid(),
    number: z.string(),
    type: z.enum(TICKET_TYPES),
    grade: z.string(),
    priority: z.number().int(),
    status: z.enum(TICKET_STATUSES),
    channel: z.enum(CHANNELS),
    subject: z.string(),
    customer: z.object({ id: z.uuid(), name: z.string(), tier: z.enum(CUSTOMER_TIERS) }),
    teamId: z.uuid().nullable(),
    assignee: StaffRef,
    firstContactOwner: StaffRef,
    tags: z.array(z.string()),
    isRepeat: z.boolean().describe('the customer had a ticket of the same category within the repeat window'),
    slaDueAt: z.iso
      .datetime()
      .nullable()
      .describe('earliest due time of the running SLA limits; in the past = breached'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    abilities: z
      .array(z.enum(TICKET_ABILITIES))
      .describe(
        'What you may do to this ticket now, from the access rules and the lifecycle together: the lifecycle moves (start … reopen) and edit, reply, add_note, attach, take, assign, escalate, de_escalate, add_subtask, merge, link. Offer nothing else: anything missing here is refused.',
      ),
  })
  .meta({ id: 'TicketSummary' });

export const TicketView = TicketSummary.extend({
  description: z.string().describe('As received; render as text'),
  category: z.object({ id: z.uuid(), code: z.string(), nameZh: z.string(), nameEn: z.string() }).nullable(),
  details: FaultDetails,
  contactNumber: z.string().nullable().describe('Masked'),
  team: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  createdBy: StaffRef,
  hasPublicReply: z.boolean(),
  reopenCount: z.number().int(),
  supportLevel: z.number().int().describe('1 frontline, 2 experts'),
  mergedIntoId: z.uuid().nullable(),
  openBlockingSubtasks: z.number().int(),
  version: z.number().int(),
  resolvedAt: z.iso.datetime().nullable(),
  closedAt: z.iso.datetime().nullable(),
  availableActions: z
    .array(z.enum(TICKET_ACTIONS))
    .describe(
      'The lifecycle moves legal from this status for anyone who may work the ticket; what you may do is `abilities`',
    ),
}).meta({ id: 'Ticket' });

export const MessageCreate = z
  .strictObject({
    visibility: z.enum(['public', 'internal']),
    body: z.string().min(1).max(50_000),
    format: z.enum(['text', 'html']).default('text'),
    sendVia: z
      .enum(CHANNELS)
      .optional()
      .describe('Public replies: send through this channel instead of the one the customer used'),
    kind: z
      .enum(MESSAGE_KINDS)
      .optional()
      .describe(
        'Public replies: what the message is (default answer); the SLA policy says which clocks each kind meets — an acknowledgement does not meet the handling-plan clock. Not allowed on an internal note',
      ),
  })
  .refine((m) => m.visibility === 'public' || m.kind === undefined, {
    path: ['kind'],
    message: 'Only a public reply has a kind; an internal note meets no clock',
  });

export const MessageView = z
  .object({
    id: z.uuid(),
    visibility: z.enum(['public', 'internal']),
    channel: z.enum(CHANNELS),
    author: StaffRef,
    fromCustomer: z.boolean(),
    bodyHtml: z.string().describe('Sanitised HTML (allow-list); safe to render'),
    kind: z
      .enum(MESSAGE_KINDS)
      .nullable()
      .describe(
        "A staff reply to the customer: what it is (which SLA clocks it met); null for notes and the customer's messages",
      ),
    createdAt: z.iso.datetime(),
    delivery: z
      .object({ channel: z.enum(CHANNELS), state: z.enum(OUTBOX_STATES) })
      .nullable()
      .describe(
        'For a reply sent to the customer: through which channel and how far it got (logged: only written to the server log, not delivered); null otherwise',
      ),
  })
  .meta({ id: 'Message' });

/** One schema per kind: see events.ts. */
export { TimelineEvent } from './events.js';

export const AttachmentView = z
  .object({
    id: z.uuid(),
    fileName: z.string(),
    contentType: z.string(),
    size: z.number().int(),
    sha256: z.string(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Attachment' });

/** The text to classify (the new-ticket form's subject and description). */
export const ClassificationText = z.strictObject({
  subject: z.string().max(200).default(''),
  description: z.string().max(20_000).default(''),
});

/** Suggested type, categories and grade with their evidence (issue 15); null when the words give none. */
export const ClassificationSuggestionView = z.strictObject({
  suggestion: z
    .strictObject({
      type: z.strictObject({ value: z.enum(TICKET_TYPES), confidence: z.number(), cues: z.array(z.string()) }),
      categories: z.array(
        z.strictObject({
          id: z.uuid(),
          code: z.string(),
          confidence: z.number(),
          keywords: z.array(z.string()).describe('the category keywords found in the text'),
          similar: z.number().int().describe('how many of the ten most similar resolved tickets were filed under it'),
        }),
      ),
      grade: z.strictObject({ value: z.string(), cues: z.array(z.string()) }),
      confidence: z.number(),
    })
    .nullable(),
  /** From this confidence a channel ticket takes the suggestion by itself. */
  applyAt: z.number(),
});
