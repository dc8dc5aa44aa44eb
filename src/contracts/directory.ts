import { z } from 'zod';
import { ASSIGNMENT_STRATEGIES } from '../core/routing/assignment.js';
import { CHANNELS, CUSTOMER_TIERS, ROLES, TICKET_TYPES } from '../core/tickets/types.js';

const Code = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'lower-case letters, digits, - and _ (max 40)');

export const TEAM_KINDS = ['frontline', 'expert', 'vip', 'supervisor', 'department'] as const;

export const TeamCreate = z.strictObject({
  code: Code,
  name: z.string().trim().min(1).max(100),
  kind: z.enum(TEAM_KINDS),
  restricted: z.boolean().default(false),
  supervisorsSeeRestricted: z.boolean().default(true),
});
/** What an administrator changes about a team; the code stays (rules and settings name it). */
export const TeamUpdate = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    kind: z.enum(TEAM_KINDS).optional(),
    restricted: z.boolean().optional().describe('Only its members (and the people on a ticket) see its tickets'),
    supervisorsSeeRestricted: z
      .boolean()
      .optional()
      .describe('While restricted: whether duty supervisors see its tickets too (default on)'),
    assignmentStrategy: z.enum(ASSIGNMENT_STRATEGIES).optional(),
  })
  .meta({ id: 'TeamUpdate' });
export const TeamView = z
  .object({
    id: z.uuid(),
    code: z.string(),
    name: z.string(),
    kind: z.string(),
    restricted: z.boolean(),
    supervisorsSeeRestricted: z.boolean(),
    assignmentStrategy: z.enum(ASSIGNMENT_STRATEGIES),
  })
  .meta({ id: 'Team' });

export const StaffCreate = z.strictObject({
  username: z.string().regex(/^[a-zA-Z0-9._-]{2,64}$/, 'letters, digits, . _ - (2 to 64)'),
  displayName: z.string().trim().min(1).max(100),
  password: z.string().min(10, 'at least 10 characters').max(256),
  role: z.enum(ROLES),
  teamId: z.uuid().nullable().default(null),
  locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
});
export const StaffView = z
  .object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    teamId: z.uuid().nullable(),
    locale: z.string(),
    active: z.boolean(),
  })
  .meta({ id: 'Staff' });

/** Deactivating ends the person's sessions at once; they can no longer sign in. */
export const StaffUpdate = z
  .strictObject({
    displayName: z.string().trim().min(1).max(100).optional(),
    role: z.enum(ROLES).optional(),
    teamId: z.uuid().nullable().optional(),
    locale: z.enum(['zh-CN', 'en']).optional(),
    active: z.boolean().optional(),
  })
  .meta({ id: 'StaffUpdate' });

/** Without a password the server makes a temporary one and answers it once. */
export const PasswordReset = z
  .strictObject({ password: z.string().min(10, 'at least 10 characters').max(256).optional() })
  .meta({ id: 'PasswordReset' });
export const PasswordResetResult = z
  .object({
    temporaryPassword: z
      .string()
      .nullable()
      .describe('The generated password, shown this once and stored only as a hash; null when one was given'),
  })
  .meta({ id: 'PasswordResetResult' });

/** Words that suggest a category (classification suggestions); each is segmented like the ticket's text. */
const Keywords = z
  .array(z.string().trim().min(1).max(20))
  .max(50)
  .describe('Words or short phrases that suggest the category (classification suggestions)');
export const CategoryCreate = z.strictObject({
  code: Code,
  parentId: z.uuid().nullable().default(null),
  nameZh: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().min(1).max(100),
  ticketType: z.enum(TICKET_TYPES).nullable().default(null),
  sort: z.number().int().default(0),
  keywords: Keywords.default([]),
});
export const CategoryView = z
  .object({
    id: z.uuid(),
    parentId: z.uuid().nullable(),
    code: z.string(),
    nameZh: z.string(),
    nameEn: z.string(),
    ticketType: z.enum(TICKET_TYPES).nullable(),
    sort: z.number().int(),
    active: z.boolean(),
    keywords: z.array(z.string()),
  })
  .meta({ id: 'Category' });

/** Rename (both languages), move under another parent (or to the top), reorder, deactivate. */
export const CategoryUpdate = z
  .strictObject({
    nameZh: z.string().trim().min(1).max(100).optional(),
    nameEn: z.string().trim().min(1).max(100).optional(),
    parentId: z.uuid().nullable().optional(),
    ticketType: z.enum(TICKET_TYPES).nullable().optional(),
    sort: z.number().int().min(-10000).max(10000).optional(),
    active: z.boolean().optional().describe('Inactive categories are not offered; tickets keep theirs'),
    keywords: Keywords.optional(),
  })
  .meta({ id: 'CategoryUpdate' });

export const CategoryListQuery = z.strictObject({
  includeInactive: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('Also deactivated categories (the admin console)'),
});

export const GradeCreate = z.strictObject({
  code: Code,
  nameZh: z.string().trim().min(1).max(40),
  nameEn: z.string().trim().min(1).max(40),
  rank: z.number().int().min(0).max(100),
});
export const GradeView = GradeCreate.meta({ id: 'Grade' });

export const AccessLogEntry = z
  .object({
    id: z.number().int(),
    staff: z.object({ id: z.uuid(), displayName: z.string() }),
    customerId: z.uuid(),
    ticketId: z.uuid().nullable(),
    field: z.string(),
    reason: z.string(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'AccessLogEntry' });

const Weight = z.number().int().min(0).max(100);

/** Priority = grade + type + customer tier weights, against the thresholds of P1, P2, P3. */
export const PriorityWeightsBody = z
  .strictObject({
    grade: z.record(Code, Weight).describe('Weight per grade code'),
    type: z.strictObject(
      Object.fromEntries(TICKET_TYPES.map((t) => [t, Weight])) as Record<(typeof TICKET_TYPES)[number], typeof Weight>,
    ),
    tier: z.strictObject(
      Object.fromEntries(CUSTOMER_TIERS.map((t) => [t, Weight])) as Record<
        (typeof CUSTOMER_TIERS)[number],
        typeof Weight
      >,
    ),
    thresholds: z
      .tuple([Weight, Weight, Weight])
      .refine(([p1, p2, p3]) => p1 > p2 && p2 > p3, 'thresholds for P1, P2, P3 must be strictly descending'),
  })
  .meta({ id: 'PriorityWeights' });

export const PriorityWeightsView = z
  .object({
    weights: PriorityWeightsBody,
    source: z
      .enum(['database', 'environment'])
      .describe('database: set in the console; environment: LOOPDESK_PRIORITY_WEIGHTS or the handbook defaults'),
  })
  .meta({ id: 'PriorityWeightsSetting' });

export const ChannelParams = z.strictObject({ channel: z.enum(CHANNELS) });

export const IntakeQueueBody = z
  .strictObject({ teamId: z.uuid().nullable().describe('null: such tickets wait on no queue') })
  .meta({ id: 'IntakeQueue' });

const HostOnly = z.string().nullable().describe('Host name only; null when not configured');

export const ChannelSettingsView = z
  .object({
    channels: z.array(
      z.object({
        channel: z.enum(CHANNELS),
        intakeQueue: z.object({ teamId: z.uuid(), code: z.string(), name: z.string() }).nullable(),
        source: z.enum(['database', 'environment']),
        /** The environment's team code when the database has no setting. */
        environmentCode: z.string().nullable(),
      }),
    ),
    environment: z.object({
      webhookSecrets: z.record(z.string(), z.boolean()).describe('Inbound webhook channels: whether a secret is set'),
      outboundGateways: z.record(z.string(), HostOnly),
      outboundSecretSet: z.boolean(),
      smtpRelay: HostOnly.describe('Outbound mail relay; without one replies by email are only logged'),
      smtpListener: z.object({ host: z.string(), port: z.number().int() }).nullable(),
      imap: HostOnly,
      mailFrom: z.string(),
      publicUrl: z.string(),
    }),
  })
  .meta({ id: 'ChannelSettings' });
