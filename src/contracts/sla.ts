import { IANAZone } from 'luxon';
import { z } from 'zod';
import { ISO_WEEKDAYS, type BusinessCalendar } from '../core/sla/business-calendar.js';
import { SLA_METRICS, SLA_POLICY_DEFAULTS, type SlaPolicy } from '../core/sla/sla-policy.js';
import { ESCALATION_ACTIONS } from '../core/sla/target-clock.js';
import { CHANNELS, CUSTOMER_TIERS, MESSAGE_KINDS, TICKET_STATUSES, TICKET_TYPES } from '../core/tickets/types.js';

// SLA configuration as it crosses a boundary (a request, a calendar file, a row's JSON): business
// calendars and policies. What they mean, and the defaults filled in here, are the core's.

const HHMM = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'HH:MM, 00:00 to 24:00');
const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const Interval = z.strictObject({ start: HHMM, end: HHMM }).refine((i) => i.start < i.end, 'start must be before end');
const Day = z.array(Interval).max(8);

export const BusinessCalendarSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/),
    name: z.string().min(1).max(100),
    timeZone: z
      .string()
      .default('Asia/Shanghai')
      .refine((tz) => IANAZone.isValidZone(tz), 'unknown time zone'),
    alwaysOpen: z.boolean().default(false),
    /** ISO weekday 1 (Monday) … 7 (Sunday) → open intervals. */
    weekly: z.partialRecord(z.enum(ISO_WEEKDAYS), Day).default({}),
    /** Closed dates. */
    holidays: z.array(LocalDate).default([]),
    /** Make-up working days: open although a weekend; with no intervals they follow Monday's hours. */
    workdays: z.array(z.strictObject({ date: LocalDate, intervals: Day.optional() })).default([]),
  })
  .meta({ id: 'BusinessCalendar' });

const list = <T extends z.ZodType>(item: T) => z.array(item).min(1).optional();

export const SlaPolicySchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/),
    name: z.string().min(1).max(100),
    position: z.number().int(),
    active: z.boolean().default(SLA_POLICY_DEFAULTS.active),
    conditions: z
      .strictObject({
        types: list(z.enum(TICKET_TYPES)),
        categoryCodes: list(z.string()).describe('matches the category or any of its descendants'),
        grades: list(z.string()),
        tiers: list(z.enum(CUSTOMER_TIERS)),
        channels: list(z.enum(CHANNELS)),
        regions: list(z.string()),
      })
      .default({}),
    targets: z
      .array(
        z.strictObject({
          metric: z.enum(SLA_METRICS),
          limitMinutes: z
            .number()
            .positive()
            .max(60 * 24 * 365),
          calendarId: z.string(),
          pauseOn: z
            .array(z.enum(TICKET_STATUSES))
            .optional()
            .describe('overrides the policy’s pauseOn for this clock'),
        }),
      )
      .min(1)
      .refine((ts) => new Set(ts.map((t) => t.metric)).size === ts.length, 'one target per metric'),
    pauseOn: z.array(z.enum(TICKET_STATUSES)).default(() => [...SLA_POLICY_DEFAULTS.pauseOn]),
    warnAt: z
      .array(z.number().gt(0).lt(1))
      .max(5)
      .default(() => [...SLA_POLICY_DEFAULTS.warnAt]),
    escalation: z
      .array(
        z
          .strictObject({
            afterMinutes: z.number().min(0).describe('after the breach'),
            actions: z.array(z.enum(ESCALATION_ACTIONS)).min(1),
            queue: z.string().optional().describe('team code for reassign_queue'),
          })
          .refine((s) => !s.actions.includes('reassign_queue') || s.queue, 'reassign_queue needs a queue (team code)'),
      )
      .default(() => SLA_POLICY_DEFAULTS.escalation.map((s) => ({ ...s, actions: [...s.actions] }))),
    messageKindMeets: z
      .partialRecord(z.enum(MESSAGE_KINDS), z.array(z.enum(SLA_METRICS)))
      .optional()
      .describe(
        'Which targets a public message of each kind meets (acknowledgement, handling_plan, answer, other); a kind not listed: acknowledgement → first_response; handling_plan and answer → first_response, handling_plan, diagnosis; other → first_response',
      ),
  })
  .meta({ id: 'SlaPolicy' });

// The schemas produce exactly the core's types (a change to one side without the other fails typecheck).
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const calendarsAgree: Same<z.output<typeof BusinessCalendarSchema>, BusinessCalendar> = true;
const policiesAgree: Same<z.output<typeof SlaPolicySchema>, SlaPolicy> = true;
void [calendarsAgree, policiesAgree];

// A ticket's clocks, the holiday import, the compliance report and the notifications the sweepers send.

export const SlaTargetView = z
  .object({
    metric: z.string(),
    policyId: z.string(),
    calendarId: z.string(),
    limitMinutes: z.number(),
    state: z.enum(['ok', 'warning', 'breached', 'paused', 'met']),
    dueAt: z.iso.datetime().nullable().describe('null while paused or met'),
    elapsedMs: z.number().describe('business time used'),
    remainingMs: z.number().describe('business time left; negative once breached'),
    breachedAt: z.iso.datetime().nullable(),
    metAt: z.iso.datetime().nullable(),
    counting: z.boolean().describe('the limit is running and its calendar is open now, so remainingMs is going down'),
    countingChangesAt: z.iso
      .datetime()
      .nullable()
      .describe('when counting next starts or stops (calendar opens or closes); null: not running, or no change ahead'),
  })
  .meta({ id: 'SlaTarget' });

export const TicketSlaView = z
  .object({
    asOf: z.iso.datetime().describe('the server time the figures are for'),
    items: z.array(SlaTargetView),
  })
  .meta({ id: 'TicketSla' });

export const CalendarParams = z.strictObject({ id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/) });

export const HolidayImport = z
  .discriminatedUnion('format', [
    z.strictObject({
      format: z.literal('json'),
      holidays: z.array(LocalDate).max(400),
      workdays: z
        .array(z.strictObject({ date: LocalDate }))
        .max(100)
        .default([]),
    }),
    z.strictObject({ format: z.literal('ics'), content: z.string().min(1).max(500_000) }),
  ])
  .meta({ id: 'HolidayImport' });

export const CalendarDayParams = z.strictObject({
  id: CalendarParams.shape.id,
  date: LocalDate,
});

/** One day of a calendar set by hand: a public holiday, a make-up working day (调休), or ordinary again. */
export const CalendarDay = z
  .strictObject({ kind: z.enum(['holiday', 'workday', 'normal']) })
  .meta({ id: 'CalendarDay' });

export const CalendarDaySaved = z
  .object({
    calendar: BusinessCalendarSchema,
    recomputedTickets: z.number().int().describe('Open tickets whose due times were recomputed on the new calendar'),
  })
  .meta({ id: 'CalendarDaySaved' });

export const HolidayImportPreview = z
  .object({
    calendar: BusinessCalendarSchema.describe('The calendar as it would be after the import'),
    addedHolidays: z.array(z.string()),
    addedWorkdays: z.array(z.string()),
    years: z.array(z.number().int()).describe('The years the import covers'),
  })
  .meta({ id: 'HolidayImportPreview' });

export const CalendarCoverage = z
  .object({
    asOf: z.iso.datetime(),
    horizonDays: z.number().int(),
    gaps: z.array(
      z.object({
        calendarId: z.string(),
        name: z.string(),
        missingYears: z.array(z.number().int()),
        from: z.string().describe('The first date (YYYY-MM-DD) outside every loaded year'),
      }),
    ),
  })
  .meta({ id: 'CalendarCoverage' });

export const SlaPolicySet = z.object({ items: z.array(SlaPolicySchema).max(500) });

export const SlaRate = z
  .object({
    key: z.string().nullable(),
    targets: z.number(),
    breached: z.number(),
    compliance: z.number(),
  })
  .meta({ id: 'SlaRate' });

export const SlaReportQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
});

export const SlaReport = z
  .object({
    from: z.string(),
    to: z.string(),
    tickets: z.number(),
    ticketsBreached: z.number(),
    timeoutRate: z.number(),
    byPolicy: z.array(SlaRate),
    byTeam: z.array(SlaRate),
    byAgent: z.array(SlaRate),
  })
  .meta({ id: 'SlaReport' });
