import { z } from 'zod';
import {
  AGENT_IDENTITY_CHECKS,
  CONSENT_PURPOSES,
  EXPORT_STATES,
  IDENTITY_CHECKS,
  LEGAL_HOLD_REASONS,
  PRIVACY_ACTIONS,
  PRIVACY_REQUEST_KINDS,
  PRIVACY_REQUEST_STATUSES,
} from '../core/privacy/requests.js';
import { PageQuery, StaffRef } from './common.js';

// Personal-data rights (issue 18): requests from the portal and the desk, their queue, the copy a
// customer downloads, consents and the retention job's runs.

const requestFields = {
  kind: z.enum(PRIVACY_REQUEST_KINDS),
  details: z
    .string()
    .trim()
    .min(1)
    .max(2000)
    .optional()
    .describe('What to correct (required for a correction), or anything else the customer wants to say'),
  consentPurpose: z.enum(CONSENT_PURPOSES).optional().describe('Required for a withdrawal of consent'),
};

type RequestFields = { kind: string; details?: string | undefined; consentPurpose?: string | undefined };
const requestRules = (v: RequestFields, ctx: z.RefinementCtx) => {
  if (v.kind === 'correction' && !v.details)
    ctx.addIssue({ code: 'custom', path: ['details'], message: 'Say what should be corrected' });
  if (v.kind === 'consent_withdrawal' && !v.consentPurpose)
    ctx.addIssue({ code: 'custom', path: ['consentPurpose'], message: 'Say which consent is withdrawn' });
  if (v.kind !== 'consent_withdrawal' && v.consentPurpose)
    ctx.addIssue({ code: 'custom', path: ['consentPurpose'], message: 'Only a withdrawal of consent names a purpose' });
};

export const PortalPrivacyRequestCreate = z.strictObject(requestFields).superRefine(requestRules);

export const DeskPrivacyRequestCreate = z
  .strictObject({
    ...requestFields,
    customerId: z.uuid(),
    identityCheck: z.enum(AGENT_IDENTITY_CHECKS).describe('How the agent verified who is asking'),
  })
  .superRefine(requestRules);

const ExportView = z.object({
  state: z.enum(EXPORT_STATES).nullable(),
  progress: z.number().int().min(0).max(100),
  size: z.number().int().nullable(),
  expiresAt: z.iso.datetime().nullable(),
});

const common = {
  id: z.uuid(),
  kind: z.enum(PRIVACY_REQUEST_KINDS),
  status: z.enum(PRIVACY_REQUEST_STATUSES),
  consentPurpose: z.enum(CONSENT_PURPOSES).nullable(),
  receivedAt: z.iso.datetime(),
  dueAt: z.iso.datetime().describe('The statutory deadline (working days on the business calendar)'),
  holdReasons: z.array(z.enum(LEGAL_HOLD_REASONS)),
  holdUntil: z.iso.datetime().nullable().describe('When a held deletion can be done'),
  answer: z.string().nullable().describe('What the customer is told (a refusal gives its reasons)'),
  completedAt: z.iso.datetime().nullable(),
  export: ExportView,
};

export const PortalPrivacyRequest = z.object(common).meta({ id: 'PortalPrivacyRequest' });

export const PrivacyRequestView = z
  .object({
    ...common,
    customer: z.object({
      id: z.uuid(),
      name: z.string().describe('Masked unless the viewer may reveal personal data'),
    }),
    source: z.enum(['portal', 'agent']),
    identityCheck: z.enum(IDENTITY_CHECKS),
    details: z.string().nullable(),
    overdue: z.boolean(),
    recordedBy: StaffRef,
    preview: z.record(z.string(), z.number().int()).nullable().describe('Deletion: rows that will change, per table'),
    previewedBy: StaffRef,
    approvedBy: StaffRef,
    closedBy: StaffRef,
    actions: z.array(z.enum(PRIVACY_ACTIONS)).describe('What the viewer may do now'),
  })
  .meta({ id: 'PrivacyRequestView' });

export const PrivacyRequestsQuery = z.strictObject({
  ...PageQuery,
  status: z.enum(['open', 'closed']).default('open').describe('open: open, awaiting approval, on hold'),
});
export const PrivacyRequestPage = z.object({ items: z.array(PrivacyRequestView), nextCursor: z.string().nullable() });

export const PrivacyRefuseBody = z.strictObject({
  answer: z.string().trim().min(1).max(2000).describe('The reasons given to the customer (PIPL Art. 50)'),
});
export const PrivacyCompleteBody = z.strictObject({
  answer: z.string().trim().min(1).max(2000).optional().describe('What was done, for the customer'),
});

export const ConsentsView = z.object({
  surveys: z.boolean(),
  notices: z.boolean(),
  marketing: z.boolean(),
  history: z.array(
    z.object({ purpose: z.enum(CONSENT_PURPOSES), granted: z.boolean(), channel: z.string(), at: z.iso.datetime() }),
  ),
});
export const ConsentChange = z.strictObject({ purpose: z.enum(CONSENT_PURPOSES), granted: z.boolean() });

export const RetentionRunView = z
  .object({
    id: z.uuid(),
    runDate: z.string(),
    startedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().nullable(),
    counts: z.record(z.string(), z.number().int()),
    settings: z.record(z.string(), z.number()),
    error: z.string().nullable(),
  })
  .meta({ id: 'RetentionRunView' });
export const RetentionRunPage = z.object({ items: z.array(RetentionRunView), nextCursor: z.string().nullable() });
