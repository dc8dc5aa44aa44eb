import { z } from 'zod';
import { DISPUTE_DECISIONS, REVIEW_ABILITIES, REVIEW_STATUSES } from '../core/quality/reviews.js';
import { SAMPLE_STRATA } from '../core/quality/sampling.js';
import { ITEM_KINDS, MAX_BONUS_POINTS } from '../core/quality/scorecard.js';
import { CHANNELS } from '../core/tickets/types.js';
import { PageQuery, StaffRef } from './common.js';

// Quality inspection (issue 14): scorecards, samples, reviews, disputes, coaching, calibration.

const Label = z.strictObject({ zh: z.string().trim().min(1).max(200), en: z.string().trim().min(1).max(200) });
const Code = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and _ (start with a letter)')
  .describe('Stable id of a section or item');

export const ScorecardItem = z.strictObject({
  id: Code,
  label: Label,
  kind: z.enum(ITEM_KINDS),
  weight: z.number().min(0).max(100),
  maxPoints: z.number().int().min(1).max(100),
  threshold: z.number().gt(0).max(100).optional().describe('Critical items: the review fails below this (0–100)'),
  bonusPoints: z.number().gt(0).max(MAX_BONUS_POINTS).optional().describe('Bonus items: points added at full marks'),
});
export const ScorecardDefinition = z
  .strictObject({
    sections: z
      .array(z.strictObject({ id: Code, label: Label, items: z.array(ScorecardItem).min(1).max(40) }))
      .min(1)
      .max(20),
  })
  .meta({ id: 'ScorecardDefinition' });

export const ScorecardVersion = z
  .object({
    id: z.uuid(),
    version: z.number().int(),
    name: z.string(),
    status: z.enum(['draft', 'published']),
    inUse: z.boolean().describe('The newest published version: new reviews are scored on it'),
    definition: ScorecardDefinition,
    createdAt: z.iso.datetime(),
    publishedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ScorecardVersion' });
export const ScorecardList = z.object({ items: z.array(ScorecardVersion), passMark: z.number() });

export const ScorecardDraftBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  definition: ScorecardDefinition,
});

const TicketRef = z.object({ id: z.uuid(), number: z.string(), subject: z.string(), channel: z.enum(CHANNELS) });

export const SamplesQuery = z.strictObject({ ...PageQuery, status: z.enum(['open', 'reviewed']).default('open') });
export const SampleView = z
  .object({
    id: z.uuid(),
    ticket: TicketRef,
    agent: StaffRef,
    stratum: z.enum(SAMPLE_STRATA),
    status: z.enum(['open', 'reviewed']),
    runDay: z.string(),
    reviewId: z.uuid().nullable(),
  })
  .meta({ id: 'QaSample' });
export const SamplePage = z.object({ items: z.array(SampleView), nextCursor: z.string().nullable() });
export const SampleDetail = z.object({ sample: SampleView, scorecard: ScorecardVersion, passMark: z.number() });

export const ItemScoreBody = z.strictObject({
  itemId: Code,
  points: z.number().min(0).max(100),
  comment: z.string().trim().max(1000).optional(),
});
export const ReviewBody = z.strictObject({
  items: z.array(ItemScoreBody).min(1).max(400),
  comment: z.string().trim().max(4000).default(''),
});

const ScoredItemView = z.object({
  itemId: z.string(),
  points: z.number(),
  normalised: z.number(),
  comment: z.string(),
  criticalFailed: z.boolean(),
});

export const ReviewView = z
  .object({
    id: z.uuid(),
    ticket: TicketRef,
    agent: StaffRef,
    inspector: StaffRef,
    kind: z.enum(['sample', 'calibration']),
    scorecard: ScorecardVersion,
    items: z.array(ScoredItemView),
    comment: z.string(),
    weighted: z.number(),
    bonus: z.number(),
    score: z.number(),
    finalScore: z.number(),
    criticalFailed: z.boolean(),
    passed: z.boolean(),
    status: z.enum(REVIEW_STATUSES),
    lapsed: z.boolean(),
    submittedAt: z.iso.datetime(),
    respondBy: z.iso.datetime().nullable(),
    respondedAt: z.iso.datetime().nullable(),
    disputeComment: z.string().nullable(),
    decideBy: z.iso.datetime().nullable(),
    decidedAt: z.iso.datetime().nullable(),
    decidedBy: StaffRef,
    decision: z.enum(DISPUTE_DECISIONS).nullable(),
    decisionComment: z.string().nullable(),
    coaching: z
      .object({ id: z.uuid(), status: z.enum(['open', 'coached', 'done']), dueAt: z.iso.datetime() })
      .nullable(),
    abilities: z.array(z.enum(REVIEW_ABILITIES)).describe('What the viewer may do with this review now'),
  })
  .meta({ id: 'QaReview' });

export const ReviewSummary = ReviewView.pick({
  id: true,
  ticket: true,
  agent: true,
  inspector: true,
  finalScore: true,
  passed: true,
  criticalFailed: true,
  status: true,
  submittedAt: true,
  respondBy: true,
  decideBy: true,
  decision: true,
  abilities: true,
}).meta({ id: 'QaReviewSummary' });
export const ReviewPage = z.object({ items: z.array(ReviewSummary), nextCursor: z.string().nullable() });
export const ReviewsQuery = z.strictObject({ ...PageQuery });

export const DisputeBody = z.strictObject({ comment: z.string().trim().min(1).max(4000) });
export const DecisionBody = z.strictObject({
  decision: z.enum(DISPUTE_DECISIONS),
  adjustedScore: z.number().min(0).max(100).nullable().default(null),
  comment: z.string().trim().min(1).max(4000),
});

export const CoachingView = z
  .object({
    id: z.uuid(),
    reviewId: z.uuid(),
    ticket: TicketRef,
    agent: StaffRef,
    coach: StaffRef,
    status: z.enum(['open', 'coached', 'done']),
    dueAt: z.iso.datetime(),
    overdue: z.boolean(),
    score: z.number(),
    note: z.string().nullable(),
    coachedAt: z.iso.datetime().nullable(),
    acknowledgedAt: z.iso.datetime().nullable(),
    abilities: z.array(z.enum(['record', 'acknowledge'])),
  })
  .meta({ id: 'QaCoaching' });
export const CoachingNoteBody = z.strictObject({ note: z.string().trim().min(1).max(4000) });

export const OverviewQuery = z.strictObject({
  from: z.iso.date().optional().describe('First day (default: 30 days ago)'),
  to: z.iso.date().optional().describe('Last day (default: today)'),
});
export const QualityOverview = z
  .object({
    from: z.string(),
    to: z.string(),
    passMark: z.number(),
    agents: z.array(
      z.object({
        agent: StaffRef,
        reviews: z.number().int(),
        averageScore: z.number(),
        passRate: z.number(),
        disputes: z.number().int(),
      }),
    ),
    items: z.array(z.object({ itemId: z.string(), label: Label, reviews: z.number().int(), averageScore: z.number() })),
    openDisputes: z.array(ReviewSummary),
    coaching: z.array(CoachingView),
  })
  .meta({ id: 'QualityOverview' });

export const CalibrationBody = z.strictObject({
  ticketId: z.uuid(),
  title: z.string().trim().min(1).max(200),
});
export const CalibrationView = z
  .object({
    id: z.uuid(),
    ticket: TicketRef,
    title: z.string(),
    status: z.enum(['open', 'closed']),
    scorecard: ScorecardVersion,
    reviews: z.array(z.object({ inspector: StaffRef, score: z.number(), items: z.array(ScoredItemView) })),
    spread: z.object({
      items: z.array(
        z.object({ itemId: z.string(), min: z.number(), max: z.number(), range: z.number(), mean: z.number() }),
      ),
      score: z.object({ min: z.number(), max: z.number(), range: z.number(), mean: z.number() }).nullable(),
    }),
    scoredByMe: z.boolean(),
  })
  .meta({ id: 'QaCalibration' });
export const CalibrationList = z.object({ items: z.array(CalibrationView.omit({ reviews: true, spread: true })) });

export const RemedialSettingsBody = z
  .strictObject({
    failures: z.number().int().min(1).max(20).describe('Failed reviews within the window that assign the course'),
    windowDays: z.number().int().min(1).max(365).describe('The window in days'),
    courseCode: z
      .string()
      .trim()
      .min(1)
      .max(40)
      .nullable()
      .describe('Code of the training course assigned; null: repeated failures assign nothing'),
  })
  .meta({ id: 'QaRemedialTraining' });
