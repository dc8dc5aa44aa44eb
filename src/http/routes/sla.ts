import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../core/errors/app-error.js';
import { parseIcsHolidays } from '../../core/sla/ics-holidays.js';
import { errorResponses, IdParams } from '../../contracts/common.js';
import {
  BusinessCalendarSchema,
  CalendarCoverage,
  CalendarDay,
  CalendarDayParams,
  CalendarDaySaved,
  CalendarParams,
  HolidayImport,
  HolidayImportPreview,
  SlaPolicySchema,
  SlaPolicySet,
  SlaReport,
  SlaReportQuery,
  TicketSlaView,
} from '../../contracts/sla.js';
import {
  calendarCoverage,
  listCalendars,
  listPolicies,
  mergeHolidays,
  previewHolidays,
  replacePolicies,
  saveCalendar,
  savePolicy,
  setCalendarDay,
} from '../../usecases/sla/configure-sla.js';
import { readTicketSla, slaReport } from '../../usecases/sla/read-sla.js';
import { requireActor } from '../auth.js';
import type { RouteDeps } from './route-deps.js';

/** The holidays and make-up working days of an import, from JSON lists or iCalendar text. */
function scheduleOf(body: z.output<typeof HolidayImport>): { holidays: string[]; workdays: { date: string }[] } {
  if (body.format === 'json') return body;
  const parsed = parseIcsHolidays(body.content);
  if (!parsed.ok)
    throw new AppError('request.invalid', `The iCalendar file could not be read: ${parsed.errors.join('; ')}`, {
      errors: parsed.errors,
    });
  return parsed.value;
}

export function slaRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/tickets/:id/sla',
    {
      schema: {
        tags: ['sla'],
        summary: 'The ticket’s time limits: due times, remaining business time and state',
        params: IdParams,
        response: { 200: TicketSlaView, ...errorResponses },
      },
    },
    async (request) => readTicketSla(deps, requireActor(request), request.params.id),
  );

  r.get(
    '/api/v1/sla/calendars',
    {
      schema: {
        tags: ['sla'],
        summary: 'Business calendars',
        response: { 200: z.object({ items: z.array(BusinessCalendarSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      requireActor(request);
      return { items: (await listCalendars(deps)).map((c) => BusinessCalendarSchema.parse(c.definition)) };
    },
  );
  r.put(
    '/api/v1/sla/calendars/:id',
    {
      schema: {
        tags: ['sla'],
        summary: 'Create or replace a calendar (admin)',
        params: CalendarParams,
        body: BusinessCalendarSchema,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      if (request.body.id !== request.params.id)
        throw new AppError('request.invalid', 'The body id must match the URL', { field: 'id' });
      await saveCalendar(deps, requireActor(request), request.body);
      return reply.status(204).send(null);
    },
  );
  r.post(
    '/api/v1/sla/calendars/:id/holidays',
    {
      schema: {
        tags: ['sla'],
        summary:
          'Load a year’s public holidays and make-up working days (JSON lists or iCalendar text) into a calendar (admin)',
        params: CalendarParams,
        body: HolidayImport,
        response: { 200: BusinessCalendarSchema, ...errorResponses },
      },
    },
    async (request) => mergeHolidays(deps, requireActor(request), request.params.id, scheduleOf(request.body)),
  );
  r.post(
    '/api/v1/sla/calendars/:id/holidays/preview',
    {
      schema: {
        tags: ['sla'],
        summary: 'What loading these holidays and make-up working days would change; saves nothing (admin)',
        params: CalendarParams,
        body: HolidayImport,
        response: { 200: HolidayImportPreview, ...errorResponses },
      },
    },
    async (request) => previewHolidays(deps, requireActor(request), request.params.id, scheduleOf(request.body)),
  );
  r.put(
    '/api/v1/sla/calendars/:id/days/:date',
    {
      schema: {
        tags: ['sla'],
        summary:
          'Make one date a public holiday, a make-up working day (调休) or ordinary again (admin); open tickets’ due times on this calendar are recomputed',
        params: CalendarDayParams,
        body: CalendarDay,
        response: { 200: CalendarDaySaved, ...errorResponses },
      },
    },
    async (request) =>
      setCalendarDay(deps, requireActor(request), request.params.id, request.params.date, request.body.kind),
  );
  r.get(
    '/api/v1/sla/calendar-coverage',
    {
      schema: {
        tags: ['sla'],
        summary:
          'Business calendars with no holidays loaded for a year the next 60 days reach (their holidays and make-up days would not count)',
        response: { 200: CalendarCoverage, ...errorResponses },
      },
    },
    async (request) => {
      requireActor(request);
      return calendarCoverage(deps);
    },
  );

  r.get(
    '/api/v1/sla/policies',
    {
      schema: {
        tags: ['sla'],
        summary: 'SLA policies in match order',
        response: { 200: z.object({ items: z.array(SlaPolicySchema) }), ...errorResponses },
      },
    },
    async (request) => {
      requireActor(request);
      return { items: (await listPolicies(deps)).map((p) => SlaPolicySchema.parse(p.definition)) };
    },
  );
  r.put(
    '/api/v1/sla/policies',
    {
      schema: {
        tags: ['sla'],
        summary: 'Replace the policy set (admin); applies to tickets created or reclassified from now on',
        body: SlaPolicySet,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const ids = request.body.items.map((p) => p.id);
      if (new Set(ids).size !== ids.length) throw new AppError('request.invalid', 'Policy ids must be unique');
      await replacePolicies(deps, requireActor(request), request.body.items);
      return reply.status(204).send(null);
    },
  );

  r.put(
    '/api/v1/sla/policies/:id',
    {
      schema: {
        tags: ['sla'],
        summary:
          'Create or change one policy (admin); applies to tickets created or reclassified from now on. Answers every policy in match order.',
        params: CalendarParams,
        body: SlaPolicySchema,
        response: { 200: z.object({ items: z.array(SlaPolicySchema) }), ...errorResponses },
      },
    },
    async (request) => {
      if (request.body.id !== request.params.id)
        throw new AppError('request.invalid', 'The body id must match the URL', { field: 'id' });
      await savePolicy(deps, requireActor(request), request.body);
      return { items: (await listPolicies(deps)).map((p) => SlaPolicySchema.parse(p.definition)) };
    },
  );
  r.get(
    '/api/v1/reports/sla',
    {
      schema: {
        tags: ['sla', 'reports'],
        summary: 'Timeout rate and SLA compliance per policy, team and agent',
        querystring: SlaReportQuery,
        response: { 200: SlaReport, ...errorResponses },
      },
    },
    async (request) =>
      slaReport(deps, requireActor(request), { from: new Date(request.query.from), to: new Date(request.query.to) }),
  );
}
