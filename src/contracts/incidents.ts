import { z } from 'zod';
import { INCIDENT_CATEGORIES, INCIDENT_STATUSES, REGION_TYPES, REMEDY_KINDS } from '../core/incidents/incidents.js';
import { PageQuery, StaffRef } from './common.js';

// Network incidents (issue 17): requests and views of incidents, candidates, linked tickets,
// updates, notices, remedies and the review.

const Text = (max: number) => z.string().trim().max(max);
const Names = z.array(Text(60).min(1)).max(200);
const Time = z.iso.datetime({ offset: true });

export const IncidentCreate = z.strictObject({
  title: Text(200).min(1),
  category: z.enum(INCIDENT_CATEGORIES),
  level: Text(20).min(1).describe('An incident level code (GET /incident-levels), e.g. II'),
  areas: Names.min(1).describe("Regions or districts, matched against the customers' registered region"),
  locations: Names.default([]).describe('Optional cell ids, streets or buildings'),
  services: Names.default([]).describe('Affected services, e.g. 5G data, broadband, voice'),
  ticketCategories: z
    .array(Text(60).min(1))
    .max(50)
    .optional()
    .describe("Ticket category codes it covers; default: the category's defaults"),
  matchWords: Text(500).default('').describe('Optional words a ticket must contain one of (matched on jieba words)'),
  regionType: z.enum(REGION_TYPES).default('city'),
  publicMessage: Text(1000).default(''),
  agentScript: Text(2000).default('').describe('Suggested words for agents to say to callers'),
  startedAt: Time.optional().describe('Default: now'),
  expectedRepairAt: Time.nullable().optional(),
  notifyCustomers: z.boolean().default(false).describe("Send proactive SMS notices to the areas' customers"),
});
export type IncidentCreate = z.output<typeof IncidentCreate>;

export const IncidentEdit = z.strictObject({
  title: Text(200).min(1).optional(),
  level: Text(20).min(1).optional(),
  areas: Names.min(1).optional(),
  locations: Names.optional(),
  services: Names.optional(),
  matchWords: Text(500).optional(),
  regionType: z.enum(REGION_TYPES).optional(),
  publicMessage: Text(1000).optional(),
  agentScript: Text(2000).optional(),
  expectedRepairAt: Time.nullable().optional(),
  notifyCustomers: z.boolean().optional(),
});
export type IncidentEdit = z.output<typeof IncidentEdit>;

export const IncidentStatusBody = z.strictObject({
  status: z.enum(INCIDENT_STATUSES),
  note: Text(2000).optional().describe('Required to resolve: the resolution every linked customer is told'),
});

export const IncidentUpdateBody = z.strictObject({ body: Text(1000).min(1) });
export const IncidentLinkBody = z.strictObject({ ticketId: z.uuid() });
export const IncidentTicketParams = z.strictObject({ id: z.uuid(), ticketId: z.uuid() });
export const IncidentReviewBody = z.strictObject({ lessons: Text(10_000).min(1) });

export const RemedyGrantBody = z.strictObject({
  kind: z.enum(REMEDY_KINDS),
  amount: z.number().int().min(1).max(100_000_000).describe('MB for a data pack, fen (0.01 CNY) for a fee waiver'),
  note: Text(500).default(''),
  customerId: z.uuid().optional().describe('One customer; without it every customer with a linked ticket'),
  ticketId: z.uuid().optional(),
});
export const RemedyDecisionBody = z.strictObject({ approve: z.boolean() });
export const RemedyBulkDecisionBody = z.strictObject({
  remedyIds: z.array(z.uuid()).min(1).max(5000),
  approve: z.boolean(),
});
export const RemedyParams = z.strictObject({ id: z.uuid(), remedyId: z.uuid() });

export const IncidentsQuery = z.strictObject({
  ...PageQuery,
  status: z.enum(['active', 'closed', 'all']).default('all'),
});

export const IncidentLevelView = z.object({
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  rank: z.number().int(),
  priority: z.number().int(),
});

export const IncidentSummary = z
  .object({
    id: z.uuid(),
    number: z.string(),
    title: z.string(),
    category: z.enum(INCIDENT_CATEGORIES),
    level: z.string(),
    areas: z.array(z.string()),
    status: z.enum(INCIDENT_STATUSES),
    startedAt: z.iso.datetime(),
    expectedRepairAt: z.iso.datetime().nullable(),
    linkedTickets: z.number().int(),
    openTickets: z.number().int(),
  })
  .meta({ id: 'IncidentSummary' });
export const IncidentPage = z.object({ items: z.array(IncidentSummary), nextCursor: z.string().nullable() });

export const RepairView = z.object({
  limitHours: z.number(),
  elapsedHours: z.number(),
  overLimit: z.boolean(),
  proposeFeeWaiver: z.boolean(),
});

/** A remedy as the customer's page shows it: what, how much, its status, and the incident it was for. */
export const CustomerRemedyView = z.object({
  id: z.uuid(),
  kind: z.enum(REMEDY_KINDS),
  amount: z.number().int(),
  unit: z.string(),
  status: z.enum(['approved', 'pending_approval', 'rejected']),
  incident: z.object({ id: z.uuid(), number: z.string() }),
  ticketId: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
});

export const RemedyView = z.object({
  id: z.uuid(),
  customerId: z.uuid(),
  customerName: z.string().nullable(),
  ticketId: z.uuid().nullable(),
  kind: z.enum(REMEDY_KINDS),
  amount: z.number().int(),
  unit: z.string(),
  status: z.enum(['approved', 'pending_approval', 'rejected']),
  note: z.string(),
  grantedBy: StaffRef,
  decidedBy: StaffRef,
  createdAt: z.iso.datetime(),
  canDecide: z.boolean(),
});

export const IncidentDetail = IncidentSummary.extend({
  locations: z.array(z.string()),
  services: z.array(z.string()),
  ticketCategories: z.array(z.string()),
  matchWords: z.array(z.string()),
  regionType: z.enum(REGION_TYPES),
  team: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  publicMessage: z.string(),
  agentScript: z.string(),
  detectedAt: z.iso.datetime().nullable(),
  restoredAt: z.iso.datetime().nullable(),
  resolutionNote: z.string().nullable(),
  lessons: z.string().nullable(),
  reviewedAt: z.iso.datetime().nullable(),
  notifyCustomers: z.boolean(),
  createdAt: z.iso.datetime(),
  createdBy: StaffRef,
  repair: RepairView,
  notices: z.object({
    notified: z.number().int(),
    delivered: z.number().int(),
    contactedAfter: z.number().int().describe('Notified customers who still opened a ticket afterwards'),
  }),
  tickets: z.array(
    z.object({
      id: z.uuid(),
      number: z.string(),
      subject: z.string(),
      status: z.string(),
      priority: z.number().int(),
      customerId: z.uuid(),
      customerName: z.string().nullable(),
      createdAt: z.iso.datetime(),
    }),
  ),
  updates: z.array(
    z.object({
      id: z.uuid(),
      body: z.string(),
      recipients: z.number().int(),
      by: StaffRef,
      createdAt: z.iso.datetime(),
    }),
  ),
  remedies: z.array(RemedyView),
  remedyApprovalAbove: z
    .object({ data_pack: z.number().int(), fee_waiver: z.number().int() })
    .describe('A remedy above this (MB of data, fen of fees) waits for a supervisor other than the grantor'),
  timeline: z.array(
    z.object({
      id: z.number().int(),
      kind: z.string(),
      data: z.record(z.string(), z.unknown()),
      by: StaffRef,
      createdAt: z.iso.datetime(),
    }),
  ),
  /** What the viewer may do now. */
  abilities: z.array(z.enum(['edit', 'move', 'update', 'link', 'remedy', 'review', 'export'])),
  nextStatuses: z.array(z.enum(INCIDENT_STATUSES)),
  review: z
    .object({ timeToDetectMinutes: z.number().nullable(), timeToRestoreHours: z.number().nullable() })
    .describe(
      'Time to detect (outage start, or the first ticket of its candidate → incident opened) and to restore (start → resolved)',
    ),
}).meta({ id: 'IncidentDetail' });
export type IncidentDetail = z.infer<typeof IncidentDetail>;

export const CandidateView = z
  .object({
    id: z.uuid(),
    categoryCode: z.string(),
    categoryName: z.object({ zh: z.string(), en: z.string() }).nullable(),
    region: z.string(),
    ticketCount: z.number().int(),
    firstAt: z.iso.datetime(),
    lastAt: z.iso.datetime(),
    proposedCategory: z.enum(INCIDENT_CATEGORIES),
  })
  .meta({ id: 'IncidentCandidate' });
export const CandidateConfirmBody = z.strictObject({
  title: Text(200).min(1).optional(),
  level: Text(20).min(1).default('III'),
  expectedRepairAt: Time.nullable().optional(),
  publicMessage: Text(1000).default(''),
  agentScript: Text(2000).default(''),
  notifyCustomers: z.boolean().default(false),
});

/** The banner agents see: the active incidents of a region or a ticket. */
export const IncidentBanner = z.object({
  id: z.uuid(),
  number: z.string(),
  title: z.string(),
  status: z.enum(INCIDENT_STATUSES),
  level: z.string(),
  areas: z.array(z.string()),
  expectedRepairAt: z.iso.datetime().nullable(),
  agentScript: z.string(),
  publicMessage: z.string(),
  /** Whether the ticket asked about is linked to it. */
  linked: z.boolean(),
});
export const BannerQuery = z.strictObject({
  customerId: z.uuid().optional(),
  ticketId: z.uuid().optional(),
});

export const ResolveOutcome = z.object({
  resolved: z.number().int(),
  skipped: z.number().int(),
  told: z.number().int(),
  /** Open tickets nobody holds whose owner and resolver both lack a certification they need: customer told, left in the queue. */
  awaitingSpecialist: z.number().int(),
});
