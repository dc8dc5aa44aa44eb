import { z } from 'zod';
import { APPRAISAL_COMPONENTS, KPI_IDS } from '../core/kpi/settings.js';
import { APPRAISAL_PERIODS, GRANULARITIES } from '../core/kpi/periods.js';
import { REPORT_FREQUENCIES, SEND_TIME } from '../core/kpi/report-schedule.js';
import { SLA_METRICS } from '../core/sla/sla-policy.js';
import { CHANNELS, TICKET_TYPES } from '../core/tickets/types.js';

// KPIs, dashboard, appraisal and exports (issue 16): what crosses the HTTP boundary.

const Day = z.iso.date().describe('A local calendar day (YYYY-MM-DD) in the installation’s time zone');
const Ratio = z.number().min(0).max(1);

/** Which tickets stand behind a figure (the ticket list's `kpi` filter, with factsFrom/factsTo). */
export const KPI_DRILLS = [
  'contacts',
  'resolved',
  'fcr',
  'not_fcr',
  'repeat',
  'breached',
  'outside_target',
  'reopened',
] as const;
export type KpiDrill = (typeof KPI_DRILLS)[number];

export const DashboardFilters = {
  teamId: z.uuid().optional(),
  agentId: z.uuid().optional(),
  type: z.enum(TICKET_TYPES).optional(),
  categoryId: z.uuid().optional(),
  channel: z.enum(CHANNELS).optional(),
  region: z.string().trim().min(1).max(60).optional(),
};

export const DashboardQuery = z
  .strictObject({
    from: Day,
    to: Day,
    granularity: z.enum(GRANULARITIES).default('day'),
    ...DashboardFilters,
  })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 3 * 366 * 86_400_000, {
    message: 'at most three years at a time',
    path: ['to'],
  });
export type DashboardQuery = z.output<typeof DashboardQuery>;
/** What the dashboard is asked: without from and to, the last 30 local days up to today. */
export const DashboardRequest = z
  .strictObject({
    from: Day.optional(),
    to: Day.optional(),
    granularity: z.enum(GRANULARITIES).default('day'),
    ...DashboardFilters,
  })
  .refine((q) => (q.from === undefined) === (q.to === undefined), {
    message: 'give both from and to, or neither (the last 30 days)',
    path: ['from'],
  });

const Target = z.object({ value: z.number(), direction: z.enum(['min', 'max']) });

export const KpiResultView = z.object({
  id: z.enum(KPI_IDS),
  unit: z.enum(['ratio', 'score', 'ms', 'nps', 'per_million']),
  value: z.number().nullable(),
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
  target: Target.nullable(),
  met: z.boolean().nullable(),
  noData: z.enum(['no_facts']).optional(),
  /** Ticket-list filters that show the tickets behind the figure; null when it has none. */
  drill: z.record(z.string(), z.string()).nullable(),
});

const BreakdownRow = z.object({
  key: z.string(),
  label: z.string().nullable(),
  labelEn: z.string().nullable(),
  contacts: z.number(),
  resolved: z.number(),
  fcr: Ratio.nullable(),
  repeatRate: Ratio.nullable(),
  timeoutRate: Ratio.nullable(),
  meanHandlingMs: z.number().nullable(),
  drill: z.record(z.string(), z.string()).nullable(),
});

const HotIssueView = z.object({
  key: z.string(),
  label: z.string().nullable(),
  labelEn: z.string().nullable(),
  thisWeek: z.number(),
  lastWeek: z.number(),
  increase: z.number(),
  growth: z.number().nullable(),
  share: z.number(),
  drill: z.record(z.string(), z.string()).nullable(),
});

export const DashboardView = z
  .object({
    from: Day,
    to: Day,
    granularity: z.enum(GRANULARITIES),
    timeZone: z.string(),
    /** When the facts were last brought up to date (the facts job), null before its first run. */
    factsAsOf: z.iso.datetime().nullable(),
    kpis: z.array(KpiResultView),
    meanHandling: z.object({ clockMs: z.number().nullable(), businessMs: z.number().nullable() }),
    handlingByType: z.array(
      z.object({
        type: z.enum(TICKET_TYPES),
        meanMs: z.number().nullable(),
        businessMs: z.number().nullable(),
        targetMs: z.number(),
        met: z.boolean().nullable(),
      }),
    ),
    trend: z.array(
      z.object({
        bucket: z.string(),
        contacts: z.number(),
        resolved: z.number(),
        fcr: Ratio.nullable(),
        timeoutRate: Ratio.nullable(),
        repeatRate: Ratio.nullable(),
      }),
    ),
    breakdown: z.object({
      team: z.array(BreakdownRow),
      agent: z.array(BreakdownRow),
      type: z.array(BreakdownRow),
      category: z.array(BreakdownRow),
      channel: z.array(BreakdownRow),
      region: z.array(BreakdownRow),
    }),
    sla: z.array(
      z.object({
        metric: z.enum(SLA_METRICS),
        met: z.number(),
        breached: z.number(),
        compliance: Ratio.nullable(),
        target: z.number().nullable(),
      }),
    ),
    backlog: z.object({
      open: z.number(),
      ageing: z.array(z.object({ bucket: z.enum(['lt1d', '1to3d', '3to7d', 'gt7d']), count: z.number() })),
      drill: z.record(z.string(), z.string()),
    }),
    hotIssues: z.object({
      weekFrom: Day,
      weekTo: Day,
      categories: z.array(HotIssueView),
      words: z.array(HotIssueView),
    }),
  })
  .meta({ id: 'KpiDashboard' });

export const AppraisalQuery = z.strictObject({
  period: z.enum(APPRAISAL_PERIODS).default('month'),
  key: z
    .string()
    .regex(/^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]))?$/, 'YYYY-MM (month), YYYY-Qn (quarter) or YYYY (year)')
    .describe('2026-11, 2026-Q4 or 2026'),
  teamId: z.uuid().optional(),
});

const AppraisalPartView = z.object({
  component: z.enum(APPRAISAL_COMPONENTS),
  score: z.number().nullable(),
  weight: z.number(),
  effectiveWeight: z.number(),
  points: z.number(),
  /** The KPI value the score came from (ratio, or CSAT mean). */
  basis: z.object({
    value: z.number().nullable(),
    numerator: z.number().nullable(),
    denominator: z.number().nullable(),
  }),
});

export const AppraisalSheet = z.object({
  agent: z.object({ id: z.uuid(), displayName: z.string(), teamId: z.uuid().nullable() }),
  score: z.number().nullable(),
  rank: z.number().int().nullable(),
  parts: z.array(AppraisalPartView),
  redistributed: z.array(z.enum(APPRAISAL_COMPONENTS)),
});

export const AppraisalView = z
  .object({
    period: z.enum(APPRAISAL_PERIODS),
    key: z.string(),
    from: Day,
    to: Day,
    weights: z.record(z.enum(APPRAISAL_COMPONENTS), z.number()),
    sheets: z.array(AppraisalSheet),
  })
  .meta({ id: 'KpiAppraisal' });

const TargetBody = z.strictObject({ value: z.number().finite(), direction: z.enum(['min', 'max']) });
export const KpiSettingsBody = z.strictObject({
  fcrWindowDays: z.number().int().min(1).max(90).optional(),
  handlingTargetHours: z
    .strictObject(
      Object.fromEntries(
        TICKET_TYPES.map((t) => [
          t,
          z
            .number()
            .positive()
            .max(24 * 90)
            .optional(),
        ]),
      ) as Record<(typeof TICKET_TYPES)[number], z.ZodOptional<z.ZodNumber>>,
    )
    .optional(),
  targets: z.partialRecord(z.enum(KPI_IDS), TargetBody).optional(),
  weights: z
    .strictObject(
      Object.fromEntries(
        APPRAISAL_COMPONENTS.map((c) => [c, z.number().min(0).max(100).multipleOf(0.5).optional()]),
      ) as Record<(typeof APPRAISAL_COMPONENTS)[number], z.ZodOptional<z.ZodNumber>>,
    )
    .optional(),
});

export const KpiSettingsView = z
  .object({
    settings: z.object({
      fcrWindowDays: z.number(),
      handlingTargetHours: z.record(z.enum(TICKET_TYPES), z.number()),
      targets: z.partialRecord(z.enum(KPI_IDS), Target),
      weights: z.record(z.enum(APPRAISAL_COMPONENTS), z.number()),
    }),
    subscriberBase: z.array(z.object({ region: z.string(), subscribers: z.number() })),
  })
  .meta({ id: 'KpiSettings' });

export const SubscriberBaseBody = z.strictObject({
  region: z.string().trim().min(1).max(60),
  subscribers: z.number().int().positive().max(2_000_000_000).nullable(),
});

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export const ExportFormat = z.enum(EXPORT_FORMATS);
export const ExportBody = z.strictObject({
  kind: z.enum(['tickets', 'dashboard']),
  format: ExportFormat,
  lang: z.enum(['zh', 'en']).default('zh').describe('Language of the column headers'),
  query: z
    .record(z.string().max(60), z.string().max(200))
    .describe('Ticket-list filters (kind tickets, as in GET /api/v1/tickets) or the dashboard query (kind dashboard)'),
});

export const ExportView = z
  .object({
    id: z.uuid(),
    kind: z.enum(['tickets', 'dashboard']),
    format: ExportFormat,
    status: z.enum(['queued', 'running', 'done', 'failed', 'expired']),
    total: z.number().int().nullable(),
    done: z.number().int(),
    fileName: z.string().nullable(),
    error: z.string().nullable(),
    createdAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'KpiExport' });

/** Scheduled reports (issue 16): what a schedule sends, how often, to whom. */
export const REPORT_RECIPIENTS_MAX = 20;
const ReportFilters = {
  teamId: DashboardFilters.teamId,
  agentId: DashboardFilters.agentId,
  type: DashboardFilters.type,
  categoryId: DashboardFilters.categoryId,
  channel: DashboardFilters.channel,
  region: DashboardFilters.region,
};
export const ReportWhat = z.discriminatedUnion('kind', [
  z
    .strictObject({ kind: z.literal('dashboard'), granularity: z.enum(GRANULARITIES).default('day'), ...ReportFilters })
    .describe('The dashboard’s figures and trend for the period, with its filters'),
  z
    .strictObject({ kind: z.literal('tickets'), kpi: z.enum(KPI_DRILLS), ...ReportFilters })
    .describe('The ticket list behind a figure for the period'),
]);
export type ReportWhat = z.output<typeof ReportWhat>;

const Recipients = z
  .array(z.email().max(254))
  .min(1)
  .max(REPORT_RECIPIENTS_MAX)
  .refine((r) => new Set(r.map((a) => a.toLowerCase())).size === r.length, { message: 'each address once' })
  .describe(`Email addresses, at most ${REPORT_RECIPIENTS_MAX}; each gets one mail with the file attached`);

export const ReportScheduleBody = z.strictObject({
  name: z.string().trim().min(1).max(120),
  what: ReportWhat,
  format: ExportFormat,
  lang: z.enum(['zh', 'en']).default('zh'),
  frequency: z.enum(REPORT_FREQUENCIES),
  sendTime: z
    .string()
    .regex(SEND_TIME, 'HH:MM, 24 h')
    .describe('Local time of day (the installation’s time zone) the report is sent'),
  recipients: Recipients,
});
export type ReportScheduleBody = z.output<typeof ReportScheduleBody>;
export const ReportScheduleUpdate = ReportScheduleBody.partial().extend({ active: z.boolean().optional() });
export type ReportScheduleUpdate = z.output<typeof ReportScheduleUpdate>;

export const ReportScheduleView = z
  .object({
    id: z.uuid(),
    name: z.string(),
    what: ReportWhat,
    format: ExportFormat,
    lang: z.enum(['zh', 'en']),
    frequency: z.enum(REPORT_FREQUENCIES),
    sendTime: z.string(),
    recipients: z.array(z.string()),
    active: z.boolean(),
    nextRunAt: z.iso.datetime().nullable(),
    lastRunAt: z.iso.datetime().nullable(),
    lastError: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'ReportSchedule' });
export type ReportScheduleView = z.infer<typeof ReportScheduleView>;
