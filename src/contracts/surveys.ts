import { z } from 'zod';
import { SURVEY_TEMPLATE_KINDS, TEMPLATE_MAX_CHARS } from '../core/surveys/templates.js';
import { SURVEY_SKIP_REASONS, SURVEY_STATUSES } from '../core/surveys/rules.js';
import { SURVEY_PROBLEM_STATUSES } from '../core/surveys/problems.js';
import { PageQuery, StaffRef } from './common.js';

// The public survey page (portal, /portal/?survey=TOKEN): what it shows and what it sends back.
// The token in the path is the only credential: one-time, bound to one ticket's survey.

export const SurveyTokenParams = z.strictObject({
  token: z
    .string()
    .min(16)
    .max(100)
    .regex(/^[A-Za-z0-9_-]+$/, 'a survey link token'),
});

const Rating = z.number().int().min(1).max(5);

export const SurveyPageView = z
  .discriminatedUnion('state', [
    z.object({
      state: z.literal('open'),
      ticketNumber: z.string(),
      subject: z.string(),
      expiresAt: z.iso.datetime({ offset: true }),
    }),
    z.object({ state: z.literal('answered'), ticketNumber: z.string() }),
    z.object({ state: z.literal('expired'), ticketNumber: z.string() }),
  ])
  .meta({ id: 'SurveyPageView' });
export type SurveyPageView = z.infer<typeof SurveyPageView>;

export const SurveyAnswer = z
  .strictObject({
    csat: Rating.describe('Overall satisfaction, 1 (very dissatisfied) to 5 (very satisfied)'),
    nps: z.number().int().min(0).max(10).nullable().optional().describe('How likely to recommend us, 0–10'),
    speed: Rating.nullable().optional(),
    quality: Rating.nullable().optional(),
    attitude: Rating.nullable().optional(),
    convenience: Rating.nullable().optional(),
    comment: z.string().max(2000).nullable().optional(),
  })
  .meta({ id: 'SurveyAnswer' });
export type SurveyAnswer = z.infer<typeof SurveyAnswer>;

/** A ticket's survey as the desk shows it (GET /api/v1/tickets/:id/survey); null: none (not resolved yet). */
export const TicketSurveyView = z
  .object({
    survey: z
      .object({
        status: z.enum(SURVEY_STATUSES),
        skipReason: z.enum(SURVEY_SKIP_REASONS).nullable(),
        channel: z.string().nullable(),
        sendAfter: z.iso.datetime(),
        sentAt: z.iso.datetime().nullable(),
        answeredAt: z.iso.datetime().nullable(),
        expiresAt: z.iso.datetime().nullable(),
        answeredVia: z.enum(['sms', 'link']).nullable(),
        csat: z.number().int().nullable(),
        nps: z.number().int().nullable(),
        speed: z.number().int().nullable(),
        quality: z.number().int().nullable(),
        attitude: z.number().int().nullable(),
        convenience: z.number().int().nullable(),
        comment: z.string().nullable().describe('The customer’s own words'),
      })
      .nullable(),
  })
  .meta({ id: 'TicketSurveyView' });
export type TicketSurveyView = z.infer<typeof TicketSurveyView>;

/** Survey texts per kind, both languages, and whether SMS surveys ask the NPS question (admin console). */
export const SurveyTemplatesView = z
  .object({
    items: z.array(
      z.object({
        kind: z.enum(SURVEY_TEMPLATE_KINDS),
        zh: z.string(),
        en: z.string(),
      }),
    ),
    smsNps: z.boolean().describe('After the CSAT digit by SMS, ask the NPS question (0–10)'),
  })
  .meta({ id: 'SurveyTemplates' });

export const SurveyTemplateParams = z.strictObject({ kind: z.enum(SURVEY_TEMPLATE_KINDS) });

export const SurveyTemplateBody = z.strictObject({
  zh: z
    .string()
    .max(TEMPLATE_MAX_CHARS)
    .describe('Placeholders {ticketNumber} and, in link texts, {link}; empty: left out'),
  en: z.string().max(TEMPLATE_MAX_CHARS),
});

export const SurveySettingsBody = z.strictObject({ smsNps: z.boolean() });

/** Problems raised in surveys, tracked to their close (issue 13). */
export const SurveyProblemsQuery = z.strictObject({
  ...PageQuery,
  status: z
    .enum([...SURVEY_PROBLEM_STATUSES, 'active', 'all'])
    .default('active')
    .describe('active: open or being handled (default)'),
});

export const SurveyProblemView = z
  .object({
    id: z.uuid(),
    ticket: z.object({ id: z.uuid(), number: z.string(), subject: z.string() }),
    customerName: z.string().nullable(),
    topics: z
      .array(z.string())
      .describe('What the customer complained of: speed, quality, attitude, convenience (rated low), or comment'),
    csat: z.number().int().nullable(),
    comment: z.string().nullable().describe("The customer's own words from the survey"),
    status: z.enum(SURVEY_PROBLEM_STATUSES),
    respondDueAt: z.iso.datetime().nullable().describe('First handling due (24 h by default)'),
    resolveDueAt: z.iso.datetime().nullable().describe('Resolution due (48 h by default)'),
    firstHandledAt: z.iso.datetime().nullable(),
    closedAt: z.iso.datetime().nullable(),
    handler: StaffRef,
    handlingNote: z.string().nullable(),
    resolution: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'SurveyProblem' });

export const SurveyProblemPage = z.object({ items: z.array(SurveyProblemView), nextCursor: z.string().nullable() });

export const SurveyProblemAction = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('handle'),
    note: z.string().trim().min(1).max(2000).describe('What is being done'),
  }),
  z.strictObject({
    action: z.literal('close'),
    resolution: z.string().trim().min(1).max(2000).describe('What was done about it'),
  }),
]);
