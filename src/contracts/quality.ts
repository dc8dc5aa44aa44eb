import { z } from 'zod';
import { PHRASE_LISTS, REQUIRED_SLOTS } from '../core/quality/phrases.js';
import { TRAINING_TIERS } from '../core/quality/training.js';
import { CHANNELS } from '../core/tickets/types.js';

// Phrase lists, script compliance, risk alerts and training records: what crosses the API.

const Text = (max: number) => z.string().trim().min(1).max(max);

export const PhraseEntryBody = z
  .strictObject({
    list: z.enum(PHRASE_LISTS),
    phrase: Text(60),
    synonyms: z.array(Text(60)).max(20).default([]),
    slot: z.enum(REQUIRED_SLOTS).nullable().default(null).describe('Required phrases: greeting or closing'),
    channels: z
      .array(z.enum(CHANNELS))
      .max(CHANNELS.length)
      .default([])
      .describe('Required and forbidden phrases: the channels it applies to (empty: all)'),
    raiseGrade: z.string().max(40).nullable().default(null).describe('Risk words: grade a hit raises the ticket to'),
    enabled: z.boolean().default(true),
  })
  .superRefine((e, ctx) => {
    if ((e.list === 'required') !== (e.slot !== null))
      ctx.addIssue({ code: 'custom', path: ['slot'], message: 'a required phrase has a slot; other lists have none' });
    if (e.raiseGrade !== null && e.list !== 'risk')
      ctx.addIssue({ code: 'custom', path: ['raiseGrade'], message: 'only a risk word raises the grade' });
    if (e.list === 'risk' && e.channels.length > 0)
      ctx.addIssue({ code: 'custom', path: ['channels'], message: 'risk words apply to every channel' });
  });

export const PhraseEntryView = z
  .object({
    id: z.uuid(),
    list: z.enum(PHRASE_LISTS),
    phrase: z.string(),
    synonyms: z.array(z.string()),
    slot: z.enum(REQUIRED_SLOTS).nullable(),
    channels: z.array(z.enum(CHANNELS)),
    raiseGrade: z.string().nullable(),
    enabled: z.boolean(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'PhraseEntry' });

export const PhraseListQuery = z.strictObject({
  list: z.enum(PHRASE_LISTS),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const PhrasePage = z.object({ items: z.array(PhraseEntryView), total: z.number().int() });

export const PhraseTestBody = z.strictObject({
  text: Text(5000),
  channel: z.enum(CHANNELS).default('hotline'),
});
export const PhraseTestResult = z.object({
  words: z.array(z.string()).describe('The text as segmented words'),
  risk: z.array(z.string()),
  reply: z.object({
    compliant: z.boolean(),
    missing: z.array(z.enum(REQUIRED_SLOTS)),
    forbidden: z.array(z.string()),
  }),
});

export const MonthQuery = z.strictObject({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
    .optional()
    .describe('YYYY-MM in the service time zone; default the current month'),
});

export const ComplianceView = z.object({
  month: z.string(),
  target: z.number(),
  agents: z.array(
    z.object({
      staffId: z.uuid(),
      displayName: z.string(),
      replies: z.number().int(),
      compliant: z.number().int(),
      share: z.number().nullable(),
      meetsTarget: z.boolean().nullable(),
      missingGreeting: z.number().int(),
      missingClosing: z.number().int(),
      forbidden: z.number().int(),
    }),
  ),
});

export const RiskAlertsQuery = z.strictObject({
  hours: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 31)
    .default(24),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const RiskAlertView = z.object({
  id: z.uuid(),
  ticketId: z.uuid(),
  number: z.string(),
  subject: z.string(),
  status: z.string(),
  channel: z.enum(CHANNELS),
  words: z.array(z.string()),
  gradeFrom: z.string(),
  gradeTo: z.string(),
  createdAt: z.iso.datetime(),
});
export const RiskAlertList = z.object({ items: z.array(RiskAlertView) });

export const TrainingTierEnum = z.enum(TRAINING_TIERS);

export const CourseBody = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9_-]{1,39}$/, 'lower-case letters, digits, - and _'),
  title: Text(100),
  description: z.string().max(2000).default(''),
  certificationCode: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9_-]{1,39}$/)
    .nullable()
    .default(null)
    .describe('Passing the exam grants this certification (e.g. complaint_specialist)'),
  passScore: z.number().int().min(0).max(100).default(80),
  validityMonths: z.number().int().min(1).max(120).default(12),
  active: z.boolean().default(true),
});
export const CourseView = z.object({
  id: z.uuid(),
  code: z.string(),
  title: z.string(),
  description: z.string(),
  certificationCode: z.string().nullable(),
  passScore: z.number().int(),
  validityMonths: z.number().int(),
  active: z.boolean(),
});
export const CourseList = z.object({ items: z.array(CourseView) });

export const SessionBody = z.strictObject({
  courseId: z.uuid(),
  startsAt: z.iso.datetime({ offset: true }),
  location: z.string().max(200).default(''),
  trainer: z.string().max(100).default(''),
});
export const SessionsQuery = z.strictObject({
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const SessionPage = z.object({
  items: z.array(
    z.object({
      id: z.uuid(),
      course: CourseView,
      startsAt: z.iso.datetime(),
      location: z.string(),
      trainer: z.string(),
      records: z.array(
        z.object({
          staffId: z.uuid(),
          displayName: z.string(),
          attended: z.boolean(),
          examScore: z.number().int().nullable(),
          passed: z.boolean().nullable(),
        }),
      ),
    }),
  ),
  hasMore: z.boolean(),
});

export const AttendanceBody = z.strictObject({
  staffId: z.uuid(),
  attended: z.boolean(),
  examScore: z.number().int().min(0).max(100).nullable().default(null),
});
export const AttendanceResult = z.object({
  passed: z.boolean().nullable(),
  certification: z.object({ code: z.string(), issuedAt: z.iso.datetime(), expiresAt: z.iso.datetime() }).nullable(),
});

export const TierBody = z.strictObject({ trainingTier: TrainingTierEnum });

export const TrainingRecordView = z.object({
  staffId: z.uuid(),
  displayName: z.string(),
  trainingTier: TrainingTierEnum,
  certifications: z.array(
    z.object({
      code: z.string(),
      issuedAt: z.iso.datetime().nullable(),
      expiresAt: z.iso.datetime().nullable(),
      state: z.enum(['valid', 'expiring', 'expired']),
      fromTraining: z.boolean(),
    }),
  ),
  sessions: z.array(
    z.object({
      sessionId: z.uuid(),
      courseTitle: z.string(),
      courseCode: z.string(),
      startsAt: z.iso.datetime(),
      attended: z.boolean(),
      examScore: z.number().int().nullable(),
      passed: z.boolean().nullable(),
    }),
  ),
});
export const TraineeList = z.object({
  items: z.array(z.object({ id: z.uuid(), displayName: z.string(), role: z.string(), trainingTier: TrainingTierEnum })),
});
