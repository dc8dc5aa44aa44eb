import { z } from 'zod';
import { ASSIGNMENT_STRATEGIES, PRESENCES } from '../core/routing/assignment.js';
import { CHANNELS, CUSTOMER_TIERS, TICKET_TYPES } from '../core/tickets/types.js';

const Codes = z.array(z.string().trim().min(1).max(100)).max(200);

export const RoutingRuleBody = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, - and _'),
    name: z.string().trim().min(1).max(200),
    enabled: z.boolean().default(true),
    when: z.strictObject({
      types: z.array(z.enum(TICKET_TYPES)).optional(),
      categories: Codes.optional().describe('Category codes; a parent category covers its children'),
      grades: Codes.optional(),
      channels: z.array(z.enum(CHANNELS)).optional(),
      customerTiers: z.array(z.enum(CUSTOMER_TIERS)).optional(),
      regions: Codes.optional(),
      tags: Codes.optional().describe('Any of these tags'),
      keywords: Codes.optional().describe(
        'Any of these words or phrases in subject or description, matched on segmented words',
      ),
    }),
    then: z.strictObject({
      queue: z.string().trim().min(1).max(100).optional().describe('Team code'),
      priority: z
        .union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)])
        .optional()
        .describe('Raises the priority to at least this (1 = highest)'),
      grade: z.string().trim().min(1).max(50).optional().describe('Raises the grade to at least this'),
      tags: Codes.optional(),
      slaPolicyHint: z.string().trim().min(1).max(100).optional().describe('SLA policy id to use instead of matching'),
    }),
    stop: z.boolean().optional().describe('Evaluate no further rules after this one matches'),
  })
  .meta({ id: 'RoutingRule' });

const RuleId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, - and _');

export const RuleParams = z.strictObject({ id: RuleId });

/** One rule as the admin console saves it; the id is in the URL. */
export const RoutingRuleEdit = RoutingRuleBody.omit({ id: true }).meta({ id: 'RoutingRuleEdit' });

export const RuleOrder = z
  .strictObject({
    ids: z.array(RuleId).max(1000).describe('Every rule id, once, in the new evaluation order'),
  })
  .meta({ id: 'RoutingRuleOrder' });

export const RoutingRuleList = z.object({ rules: z.array(RoutingRuleBody) }).meta({ id: 'RoutingRuleList' });

export const RoutingRuleSet = z
  .strictObject({ rules: z.array(RoutingRuleBody).max(1000) })
  .meta({ id: 'RoutingRuleSet' });

export const DryRunBody = z
  .union([
    z.strictObject({ ticketId: z.uuid().describe('An existing ticket, routed as if it were new') }),
    z.strictObject({
      type: z.enum(TICKET_TYPES),
      categoryId: z.uuid().optional(),
      grade: z.string().max(50).default('general'),
      channel: z.enum(CHANNELS).default('hotline'),
      customerId: z.uuid().optional(),
      customerTier: z.enum(CUSTOMER_TIERS).optional().describe('Without customerId; default regular'),
      region: z.string().max(100).optional(),
      tags: z.array(z.string().max(100)).max(50).default([]),
      subject: z.string().max(200).default(''),
      description: z.string().max(20000).default(''),
    }),
  ])
  .and(
    z.object({
      rules: z.array(RoutingRuleBody).max(1000).optional().describe('Try an unsaved rule set instead of the saved one'),
    }),
  );

const RuleEffectView = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('queue'), queue: z.string() }),
    z.object({ kind: z.literal('grade'), from: z.string(), to: z.string() }),
    z.object({ kind: z.literal('priority'), priority: z.number().int() }),
    z.object({ kind: z.literal('tag'), tag: z.string() }),
    z.object({ kind: z.literal('sla_policy'), policy: z.string() }),
  ])
  .meta({ id: 'RuleEffect' });

export const DryRunResult = z
  .object({
    explanation: z.array(z.string()),
    matched: z.array(z.object({ ruleId: z.string(), name: z.string(), effects: z.array(RuleEffectView) })),
    queue: z.object({ code: z.string(), teamId: z.uuid().nullable() }).nullable(),
    grade: z.string(),
    priority: z.number().int(),
    tags: z.array(z.string()),
    slaPolicyHint: z.string().nullable(),
    slaPolicy: z
      .object({ id: z.string(), name: z.string() })
      .nullable()
      .describe('The SLA policy the ticket would get: the one a rule named, or the first that matches'),
    words: z.array(z.string()).describe('The segmented words the keyword conditions saw'),
  })
  .meta({ id: 'RoutingDryRun' });

export const AgentSkills = z.strictObject({
  categories: Codes.default([]).describe('Category codes (empty: all)'),
  languages: z.array(z.string().min(2).max(10)).max(10).default(['zh']),
  regions: Codes.default([]).describe('Regions (empty: all)'),
});

export const AgentProfileBody = z.strictObject({
  tier: z.union([z.literal(1), z.literal(2), z.literal(3)]).describe('Support level: 1 frontline, 2 expert, 3 senior'),
  skills: AgentSkills,
  capacity: z.number().int().min(1).max(500).describe('Most open tickets at once'),
});

export const Certification = z.strictObject({
  code: z.string().trim().min(1).max(100),
  expiresAt: z.iso.datetime().nullable().default(null),
});

export const AgentView = z
  .object({
    id: z.uuid(),
    displayName: z.string(),
    role: z.string(),
    teamId: z.uuid().nullable(),
    tier: z.number().int(),
    skills: z.object({ categories: z.array(z.string()), languages: z.array(z.string()), regions: z.array(z.string()) }),
    capacity: z.number().int(),
    presence: z.enum(PRESENCES),
    openCount: z.number().int(),
    queues: z.array(z.uuid()),
    certifications: z.array(z.object({ code: z.string(), expiresAt: z.iso.datetime().nullable() })),
  })
  .meta({ id: 'Agent' });

/** A person a supervisor may name as one ticket's assignee, and what the certification rule finds missing. */
export const AssigneeView = AgentView.extend({
  /** The certifications this ticket needs that the person does not hold valid now; empty: assignable. */
  missingCertifications: z.array(z.string()),
}).meta({ id: 'Assignee' });
export const AssigneeList = z.object({
  /** What this ticket needs of whoever holds it (VIP and urgent complaints, regulator cases). */
  required: z.array(z.string()),
  items: z.array(AssigneeView),
});
/** Of several tickets (the board's list), whom the certification rule rules out of each. */
export const BlockedAssigneesQuery = z.strictObject({
  ids: z
    .string()
    .transform((v) => v.split(',').filter(Boolean))
    .pipe(z.array(z.uuid()).min(1).max(100)),
});
export const BlockedAssignees = z.object({
  items: z.array(
    z.object({
      ticketId: z.uuid(),
      required: z.array(z.string()),
      blocked: z.array(z.object({ staffId: z.uuid(), missingCertifications: z.array(z.string()) })),
    }),
  ),
});

export const PresenceBody = z.strictObject({ presence: z.enum(PRESENCES) });
export const QueueSettings = z.strictObject({ assignmentStrategy: z.enum(ASSIGNMENT_STRATEGIES) });
export const QueueMembers = z.strictObject({ staffIds: z.array(z.uuid()).max(1000) });
