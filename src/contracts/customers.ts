import { z } from 'zod';
import { CUSTOMER_TIERS } from '../core/tickets/types.js';
import { PII_FIELDS } from '../core/privacy/masking.js';
import { CHURN_COUNT_FACTORS, CHURN_LEVELS } from '../core/customers/churn-risk.js';

export const Msisdn = z
  .string()
  .trim()
  .regex(/^(\+?86)?1\d{10}$|^0\d{9,11}$/, 'must be a mainland mobile number (11 digits) or a landline with area code');

const customerFields = {
  name: z.string().trim().min(1).max(100),
  numbers: z.array(Msisdn).min(1).max(10),
  idNumber: z
    .string()
    .regex(/^\d{17}[\dXx]$/, 'must be an 18-character resident ID number')
    .optional(),
  address: z.string().max(300).optional(),
  tier: z.enum(CUSTOMER_TIERS),
  region: z.string().max(50).optional(),
  plans: z.array(z.string().max(100)).max(20),
};

export const CustomerCreate = z.strictObject({
  ...customerFields,
  tier: customerFields.tier.default('regular'),
  plans: customerFields.plans.default([]),
});

/** A correction: only the fields given change (no defaults, so an omitted tier or plan list is kept). */
export const CustomerUpdate = z
  .strictObject(customerFields)
  .partial()
  .extend({
    accountManagerId: z
      .uuid()
      .nullable()
      .optional()
      .describe('A VIP or gold customer’s dedicated account manager (supervisors and admins); null removes them'),
  });

export const CustomerView = z
  .object({
    id: z.uuid(),
    name: z.string(),
    numbers: z.array(z.string()).describe('Masked unless revealed'),
    emails: z.array(z.string()).describe('Addresses the customer wrote from; masked unless revealed'),
    idNumber: z.string().nullable(),
    address: z.string().nullable(),
    tier: z.enum(CUSTOMER_TIERS),
    region: z.string().nullable(),
    plans: z.array(z.string()),
    accountManager: z
      .object({ id: z.uuid(), name: z.string() })
      .nullable()
      .describe('The dedicated account manager: offered the customer’s waiting tickets first'),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Customer' });

export const CustomerSearchQuery = z.strictObject({
  q: z.string().trim().max(100).optional().describe('Full number, last 4+ digits, or name'),
  tier: z.enum(CUSTOMER_TIERS).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const RevealBody = z.strictObject({
  field: z.enum(PII_FIELDS),
  reason: z.string().trim().min(2).max(500).describe('Why the agent needs the value; kept in the access log'),
  ticketId: z.uuid().optional(),
});

export const RevealView = z.object({ field: z.enum(PII_FIELDS), values: z.array(z.string()) });

const ChurnReasonView = z.discriminatedUnion('code', [
  z.object({
    code: z.enum(CHURN_COUNT_FACTORS),
    count: z.number().int().min(1),
    points: z.number().int().min(1),
  }),
  z.object({ code: z.literal('tier'), tier: z.enum(CUSTOMER_TIERS), points: z.number().int().min(1) }),
  z.object({ code: z.literal('new_customer'), tenureDays: z.number().int().min(0), points: z.number().int().min(1) }),
]);

export const CustomerCareView = z
  .object({
    customerId: z.uuid(),
    windowDays: z.number().int().describe('How far back repeat complaints, breaches and reopened tickets count'),
    counts: z.object({
      complaints: z.number().int().describe('Complaints in the window (merged duplicates not counted)'),
      repeatComplaints: z.number().int().describe('Complaints in the window after the first one'),
      openComplaints: z.number().int().describe('Complaints not yet resolved or closed'),
      slaBreaches: z.number().int().describe('Tickets with a time limit breached in the window'),
      reopenedTickets: z.number().int().describe('Tickets reopened at least once, touched in the window'),
    }),
    satisfaction: z
      .object({
        answered: z.number().int().describe('Answered surveys in the window'),
        averageCsat: z.number().nullable().describe('Mean CSAT (1–5) of those, one decimal; null when none'),
        recent: z.array(
          z.object({
            csat: z.number().int().min(1).max(5),
            nps: z.number().int().min(0).max(10).nullable(),
            answeredAt: z.iso.datetime(),
          }),
        ),
      })
      .describe('Satisfaction history: answered surveys in the window, newest first (the latest five)'),
    churnRisk: z.object({
      score: z.number().int().min(0).max(100),
      level: z.enum(CHURN_LEVELS),
      reasons: z.array(ChurnReasonView).describe('Exactly the factors that added points, with their counts'),
    }),
  })
  .meta({ id: 'CustomerCare' });
