import { z } from 'zod';

// Contact-centre figures (issue 20): the settings and the supervisors' wallboard.

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM');
const PeakRange = z.strictObject({ from: HHMM, to: HHMM });

export const ContactCentreSettingsBody = z
  .strictObject({
    serviceLevelSeconds: z
      .int()
      .min(1)
      .max(3600)
      .optional()
      .describe('An answer within this many seconds meets the service level'),
    shortAbandonSeconds: z
      .int()
      .min(0)
      .max(60)
      .optional()
      .describe('Abandons within this many seconds are left out of the answer rate (0: every abandon counts)'),
    peakHours: z.array(PeakRange).max(12).optional().describe('Local peak hours for the peak-hour answer rate'),
    chatFirstResponseSeconds: z.int().min(1).max(3600).optional().describe('Chat first human response target'),
  })
  .meta({ id: 'ContactCentreSettingsBody' });

export const ContactCentreSettingsView = z
  .object({
    serviceLevelSeconds: z.number(),
    shortAbandonSeconds: z.number(),
    peakHours: z.array(z.object({ from: z.string(), to: z.string() })),
    chatFirstResponseSeconds: z.number(),
  })
  .meta({ id: 'ContactCentreSettings' });

export const WallboardQuery = z.strictObject({
  day: z.iso.date().optional().describe('Local day (YYYY-MM-DD); today when left out'),
  queue: z.string().trim().min(1).max(100).optional().describe('One ACD queue (calls) or team id (chats)'),
});

const Counts = z.object({ offered: z.number(), answered: z.number(), abandoned: z.number() });
const Target = z.object({ value: z.number(), direction: z.enum(['min', 'max']) }).nullable();

export const WallboardView = z
  .object({
    day: z.string(),
    timeZone: z.string(),
    asOf: z.iso.datetime(),
    settings: ContactCentreSettingsView,
    intervals: z.array(
      z.object({
        start: z.iso.datetime(),
        label: z.string().describe('Local HH:MM'),
        peak: z.boolean(),
        voice: Counts.extend({ shortAbandoned: z.number(), answerRate: z.number().nullable() }),
        chat: Counts,
      }),
    ),
    voice: z.object({
      offered: z.number(),
      answered: z.number(),
      abandoned: z.number(),
      shortAbandoned: z.number(),
      answerRate: z.number().nullable(),
      serviceLevel: z.number().nullable(),
      abandonRate: z.number().nullable(),
      asaMs: z.number().nullable(),
      peak: z.object({
        offered: z.number(),
        answered: z.number(),
        answerRate: z.number().nullable(),
        target: Target,
        met: z.boolean().nullable(),
      }),
      asaTarget: Target,
      waiting: z.number(),
      longestWaitMs: z.number().nullable(),
    }),
    chat: z.object({
      conversations: z.number(),
      offered: z.number(),
      answered: z.number(),
      abandoned: z.number(),
      ended: z.number(),
      contained: z.number(),
      containment: z.number().nullable(),
      containmentTarget: Target,
      firstResponseMs: z.number().nullable(),
      firstResponseInTarget: z.number().nullable(),
      firstResponseTarget: Target,
      asaMs: z.number().nullable(),
      waiting: z.number(),
      concurrent: z.number(),
    }),
  })
  .meta({ id: 'Wallboard' });
export type WallboardView = z.infer<typeof WallboardView>;
