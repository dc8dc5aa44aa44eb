// The admin console's rules: routing rules and their dry run, SLA policies, business calendars.
// Types come from the server's contracts (types only: no zod in the bundle).
import type { z } from 'zod';
import type { DryRunBody, DryRunResult, RoutingRuleBody, RoutingRuleEdit } from '../../../src/contracts/routing';
import type {
  BusinessCalendarSchema,
  CalendarCoverage as CalendarCoverageSchema,
  CalendarDay as CalendarDaySchema,
  CalendarDaySaved as CalendarDaySavedSchema,
  HolidayImport as HolidayImportSchema,
  HolidayImportPreview as HolidayImportPreviewSchema,
  SlaPolicySchema,
} from '../../../src/contracts/sla';
import type { Category, Grade, Team } from './types';
import { del, get, post, put } from './client';

export type RoutingRule = z.output<typeof RoutingRuleBody>;
export type RoutingRuleInput = z.input<typeof RoutingRuleEdit>;
export type DryRunInput = z.input<typeof DryRunBody>;
export type DryRun = z.output<typeof DryRunResult>;
export type SlaPolicy = z.output<typeof SlaPolicySchema>;
export type BusinessCalendar = z.output<typeof BusinessCalendarSchema>;
export type CalendarCoverage = z.output<typeof CalendarCoverageSchema>;
export type CalendarDayKind = z.output<typeof CalendarDaySchema>['kind'];
export type CalendarDaySaved = z.output<typeof CalendarDaySavedSchema>;
export type HolidayImport = z.input<typeof HolidayImportSchema>;
export type HolidayImportPreview = z.output<typeof HolidayImportPreviewSchema>;

const rid = (id: string) => encodeURIComponent(id);

export const routingApi = {
  rules: () => get<{ rules: RoutingRule[] }>('/api/v1/routing/rules'),
  saveRule: (id: string, rule: RoutingRuleInput) =>
    put<{ rules: RoutingRule[] }>(`/api/v1/routing/rules/${rid(id)}`, rule),
  deleteRule: (id: string) => del(`/api/v1/routing/rules/${rid(id)}`),
  reorder: (ids: string[]) => put<{ rules: RoutingRule[] }>('/api/v1/routing/rule-order', { ids }),
  dryRun: (input: DryRunInput) => post<DryRun>('/api/v1/routing/dry-run', input),
};

/** The lists a rule or policy may name: only these values are offered. */
export const referenceApi = {
  teams: () => get<{ items: Team[] }>('/api/v1/teams'),
  grades: () => get<{ items: Grade[] }>('/api/v1/grades'),
  categories: () => get<{ items: Category[] }>('/api/v1/categories'),
};

export const slaApi = {
  policies: () => get<{ items: SlaPolicy[] }>('/api/v1/sla/policies'),
  savePolicy: (policy: SlaPolicy) => put<{ items: SlaPolicy[] }>(`/api/v1/sla/policies/${rid(policy.id)}`, policy),
  calendars: () => get<{ items: BusinessCalendar[] }>('/api/v1/sla/calendars'),
  coverage: () => get<CalendarCoverage>('/api/v1/sla/calendar-coverage'),
  saveCalendar: (calendar: BusinessCalendar) => put<void>(`/api/v1/sla/calendars/${rid(calendar.id)}`, calendar),
  setDay: (calendarId: string, date: string, kind: CalendarDayKind) =>
    put<CalendarDaySaved>(`/api/v1/sla/calendars/${rid(calendarId)}/days/${date}`, { kind }),
  previewImport: (calendarId: string, body: HolidayImport) =>
    post<HolidayImportPreview>(`/api/v1/sla/calendars/${rid(calendarId)}/holidays/preview`, body),
  importHolidays: (calendarId: string, body: HolidayImport) =>
    post<BusinessCalendar>(`/api/v1/sla/calendars/${rid(calendarId)}/holidays`, body),
};
