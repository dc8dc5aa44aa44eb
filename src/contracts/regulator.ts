import { z } from 'zod';
import { APPEAL_CATEGORIES, ELIGIBILITY_HINTS, REFERRAL_STATUSES } from '../core/regulator/referrals.js';
import { PageQuery, StaffRef } from './common.js';

// Complaints referred by the regulator (issue 18): the referral form, the case as staff see it,
// the reply to the regulator, evidence packs and the monthly figures.

const Day = z.iso.date().describe('A calendar day, YYYY-MM-DD');
const Msisdn = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 -]{5,19}$/, 'a phone number');

export const ReferralCreate = z.strictObject({
  sourceCode: z.string().trim().min(1).max(40).describe('A source body code from GET /api/v1/regulator/sources'),
  referralNumber: z.string().trim().min(1).max(60).describe("The regulator's number; unique per source"),
  receivedOn: Day.describe('When we received the referral'),
  appealedOn: Day.optional().describe('When the customer appealed to the regulator (default: receivedOn)'),
  deadline: Day.describe("The regulator's deadline for our report (until the end of that day)"),
  matterOn: Day.optional().describe('When the disputed matter happened, if the referral says'),
  appellant: z.strictObject({
    name: z.string().trim().min(1).max(100),
    msisdn: Msisdn.describe('The appellant’s number: finds the customer, or creates one'),
  }),
  respondentUnit: z.string().trim().min(1).max(200).describe('The operator unit complained about'),
  category: z.enum(APPEAL_CATEGORIES).describe('用户服务 / 收费争议 / 网络质量'),
  claim: z.string().trim().min(1).max(4000),
  facts: z.string().trim().min(1).max(10000),
});
export type ReferralCreate = z.output<typeof ReferralCreate>;

export const ReferralsQuery = z.strictObject({
  ...PageQuery,
  status: z.enum(REFERRAL_STATUSES).optional(),
});

export const RegulatorSource = z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string() });
export const RegulatorSourceList = z.object({ items: z.array(RegulatorSource) });

const Clock = z.object({
  dueAt: z.iso.datetime().nullable(),
  metAt: z.iso.datetime().nullable(),
  breachedAt: z.iso.datetime().nullable(),
});

export const ReferralSummary = z
  .object({
    id: z.uuid(),
    source: RegulatorSource,
    referralNumber: z.string(),
    receivedOn: Day,
    deadline: Day,
    category: z.enum(APPEAL_CATEGORIES),
    status: z.enum(REFERRAL_STATUSES),
    customerName: z.string().describe('Masked for viewers who may not reveal personal data'),
    ticket: z.object({ id: z.uuid(), number: z.string(), status: z.string() }),
    reportDueAt: z.iso.datetime(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'ReferralSummary' });
export const ReferralPage = z.object({ items: z.array(ReferralSummary), nextCursor: z.string().nullable() });

export const EvidencePackView = z
  .object({
    id: z.uuid(),
    fileName: z.string(),
    size: z.number().int(),
    masked: z.boolean(),
    generatedBy: StaffRef,
    generatedAt: z.iso.datetime(),
    contents: z.object({
      messages: z.number().int(),
      events: z.number().int(),
      calls: z.number().int(),
      attachments: z.number().int(),
      linkedTickets: z.number().int(),
    }),
  })
  .meta({ id: 'EvidencePack' });

export const ReferralDetail = ReferralSummary.extend({
  appealedOn: Day,
  matterOn: Day.nullable(),
  respondentUnit: z.string(),
  claim: z.string(),
  facts: z.string(),
  contactNumber: z.string().nullable().describe('Masked for viewers who may not reveal personal data'),
  hints: z.array(z.enum(ELIGIBILITY_HINTS)).describe('Eligibility hints (not blocks), 电信用户申诉处理办法 Art. 10–11'),
  clocks: z.object({ firstContact: Clock, report: Clock }),
  firstContactAt: z.iso.datetime().nullable(),
  linkedTickets: z.array(
    z.object({
      id: z.uuid(),
      number: z.string(),
      subject: z.string(),
      status: z.string(),
      createdAt: z.iso.datetime(),
    }),
  ),
  reply: z.object({ text: z.string(), repliedOn: Day, recordedAt: z.iso.datetime(), recordedBy: StaffRef }).nullable(),
  evidencePacks: z.array(EvidencePackView),
  abilities: z.array(z.enum(['record_contact', 'record_reply', 'generate_pack', 'generate_unmasked_pack'])),
}).meta({ id: 'ReferralDetail' });
export type ReferralDetail = z.infer<typeof ReferralDetail>;

export const FirstContactBody = z.strictObject({
  note: z.string().trim().min(1).max(2000).describe('How and when the customer was reached (kept as an internal note)'),
});

export const ReplyBody = z.strictObject({
  text: z.string().trim().min(1).max(10000).describe('The reply sent to the regulator'),
  repliedOn: Day.describe('The day it was sent'),
});

export const EvidencePackBody = z.strictObject({
  masked: z.boolean().default(true).describe('Mask personal data (false needs the right to reveal it and a reason)'),
  reason: z.string().trim().min(2).max(500).optional().describe('Why unmasked data goes out (access log)'),
});

export const AppealsQuery = z.strictObject({
  from: z
    .string()
    .regex(/^\d{4}-\d{2}$/)
    .describe('First month, YYYY-MM'),
  to: z
    .string()
    .regex(/^\d{4}-\d{2}$/)
    .describe('Last month, YYYY-MM'),
});
export const AppealsByMonth = z.object({
  items: z.array(z.object({ month: z.string(), category: z.enum(APPEAL_CATEGORIES), appeals: z.number().int() })),
});
