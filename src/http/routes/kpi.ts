import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponses } from '../../contracts/common.js';
import { z } from 'zod';
import {
  AppraisalQuery,
  ExportBody,
  ExportView,
  AppraisalView,
  DashboardRequest,
  DashboardView,
  KpiSettingsBody,
  KpiSettingsView,
  ReportScheduleBody,
  ReportScheduleUpdate,
  ReportScheduleView,
  SubscriberBaseBody,
} from '../../contracts/kpi.js';
import { presentAppraisals, presentDashboard, presentExport, presentReportSchedule } from '../../presenters/kpi.js';
import {
  createSchedule,
  deactivateSchedule,
  deleteSchedule,
  listSchedules,
  sendScheduleNow,
  updateSchedule,
} from '../../usecases/kpi/report-schedules.js';
import { readAppraisals, readOwnAppraisal } from '../../usecases/kpi/read-appraisals.js';
import { downloadExport, listExports, readExport, requestExport } from '../../usecases/kpi/exports.js';
import { readKpiSettings, setKpiSettings, setSubscriberBase } from '../../usecases/kpi/kpi-settings.js';
import { dashboardQueryOf, readDashboard, requireSupervisor } from '../../usecases/kpi/read-dashboard.js';
import { requireActor } from '../auth.js';
import type { RouteDeps } from './route-deps.js';

const tags = ['kpi'];

const sendFile = (reply: FastifyReply, file: Awaited<ReturnType<typeof downloadExport>>) =>
  reply
    .header(
      'content-type',
      file.format === 'xlsx'
        ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
        : 'text/csv; charset=utf-8',
    )
    .header('cache-control', 'no-store')
    .header('content-disposition', `attachment; filename="${file.fileName}"`)
    .send(file.stream); // a byte stream; the schema lists only the error shapes

/** KPIs, dashboard and their settings (supervisors read, administrators change). */
export function kpiRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/kpi/dashboard',
    {
      schema: {
        tags,
        summary:
          'KPIs against their targets, trend, breakdowns, SLA compliance, backlog and hot issues for local days from…to (supervisors; 403 for others)',
        querystring: DashboardRequest,
        response: { 200: DashboardView, ...errorResponses },
      },
    },
    async (request) =>
      presentDashboard(await readDashboard(deps, requireActor(request), dashboardQueryOf(deps, request.query))),
  );
  r.get(
    '/api/v1/kpi/appraisals',
    {
      schema: {
        tags,
        summary:
          'Agent appraisal of a month, quarter or year: each active agent of the team (a supervisor’s own team unless teamId is given) with a weighted score, rank and how it was made (supervisors; 403 for others)',
        querystring: AppraisalQuery,
        response: { 200: AppraisalView, ...errorResponses },
      },
    },
    async (request) => presentAppraisals(await readAppraisals(deps, requireActor(request), request.query)),
  );
  r.get(
    '/api/v1/kpi/appraisals/me',
    {
      schema: {
        tags,
        summary: 'The caller’s own appraisal sheet for a month, quarter or year',
        querystring: AppraisalQuery.omit({ teamId: true }),
        response: { 200: AppraisalView, ...errorResponses },
      },
    },
    async (request) => presentAppraisals(await readOwnAppraisal(deps, requireActor(request), request.query)),
  );
  r.post(
    '/api/v1/kpi/exports',
    {
      schema: {
        tags,
        summary:
          'Ask for an export of the dashboard’s figures or of the ticket list behind a figure, as CSV (UTF-8 with BOM) or XLSX; the kpi-export job builds it (supervisors)',
        body: ExportBody,
        response: { 202: ExportView, ...errorResponses },
      },
    },
    async (request, reply) => {
      const row = await requestExport(deps, requireActor(request), request.body);
      return reply.code(202).send(presentExport(row));
    },
  );
  r.get(
    '/api/v1/kpi/exports',
    {
      schema: {
        tags,
        summary: 'The caller’s latest exports with their progress',
        response: { 200: z.object({ items: z.array(ExportView) }), ...errorResponses },
      },
    },
    async (request) => ({ items: (await listExports(deps, requireActor(request))).map(presentExport) }),
  );
  r.get(
    '/api/v1/kpi/exports/:id',
    {
      schema: {
        tags,
        summary: 'One of the caller’s exports: status, rows done of total',
        params: z.object({ id: z.uuid() }),
        response: { 200: ExportView, ...errorResponses },
      },
    },
    async (request) => presentExport(await readExport(deps, requireActor(request), request.params.id)),
  );
  r.get(
    '/api/v1/kpi/exports/:id/download',
    {
      schema: {
        tags,
        summary: 'Download a finished export (its owner; every download is logged); 409 `export.not_ready` before',
        params: z.object({ id: z.uuid() }),
        response: { ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const file = await downloadExport(deps, actor, request.params.id);
      request.log.info({ exportId: request.params.id, staffId: actor.id }, 'kpi export downloaded');
      return sendFile(reply, file);
    },
  );
  r.get(
    '/api/v1/kpi/settings',
    {
      schema: {
        tags,
        summary: 'KPI targets, FCR window, handling-time targets, appraisal weights and subscriber bases (supervisors)',
        response: { 200: KpiSettingsView, ...errorResponses },
      },
    },
    async (request) => {
      requireSupervisor(requireActor(request));
      return readKpiSettings(deps);
    },
  );
  r.put(
    '/api/v1/kpi/settings',
    {
      schema: {
        tags,
        summary:
          'Change KPI settings (admin); parts left out keep their value; weights must add up to 100 (400 `kpi.invalid_weights`)',
        body: KpiSettingsBody,
        response: { 200: KpiSettingsView, ...errorResponses },
      },
    },
    async (request) => setKpiSettings(deps, requireActor(request), request.body),
  );
  r.put(
    '/api/v1/kpi/subscriber-base',
    {
      schema: {
        tags,
        summary: 'Set the subscribers of a region, the base of the complaint rate (admin); null removes it',
        body: SubscriberBaseBody,
        response: { 200: KpiSettingsView, ...errorResponses },
      },
    },
    async (request) => setSubscriberBase(deps, requireActor(request), request.body.region, request.body.subscribers),
  );

  const IdParams = z.object({ id: z.uuid() });
  r.post(
    '/api/v1/kpi/report-schedules',
    {
      schema: {
        tags,
        summary:
          'Schedule a report: the dashboard’s figures or the ticket list behind a figure, as CSV or XLSX, daily / weekly (Monday) / monthly (the 1st) at a local time, mailed to at most 20 addresses (supervisors; 400 `request.invalid` for bad recipients)',
        body: ReportScheduleBody,
        response: { 201: ReportScheduleView, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(presentReportSchedule(await createSchedule(deps, requireActor(request), request.body))),
  );
  r.get(
    '/api/v1/kpi/report-schedules',
    {
      schema: {
        tags,
        summary:
          'The caller’s report schedules with their last run, next run and last error, and the time zone their send times are in',
        response: {
          200: z.object({
            items: z.array(ReportScheduleView),
            timeZone: z.string().describe('The installation’s time zone (LOOPDESK_TIME_ZONE) of every sendTime'),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => ({
      items: (await listSchedules(deps, requireActor(request))).map(presentReportSchedule),
      timeZone: deps.timeZone,
    }),
  );
  r.patch(
    '/api/v1/kpi/report-schedules/:id',
    {
      schema: {
        tags,
        summary:
          'Change a report schedule (its owner, or an administrator; 404 for anyone else); parts left out keep their value',
        params: IdParams,
        body: ReportScheduleUpdate,
        response: { 200: ReportScheduleView, ...errorResponses },
      },
    },
    async (request) =>
      presentReportSchedule(await updateSchedule(deps, requireActor(request), request.params.id, request.body)),
  );
  r.delete(
    '/api/v1/kpi/report-schedules/:id',
    {
      schema: {
        tags,
        summary:
          'Delete a report schedule and its run history (its owner, or an administrator; 404 for anyone else): nothing more is sent',
        params: IdParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await deleteSchedule(deps, requireActor(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
  r.post(
    '/api/v1/kpi/report-schedules/:id/deactivate',
    {
      schema: {
        tags,
        summary: 'Stop one of the caller’s report schedules (it stays listed, inactive)',
        params: IdParams,
        response: { 200: ReportScheduleView, ...errorResponses },
      },
    },
    async (request) => presentReportSchedule(await deactivateSchedule(deps, requireActor(request), request.params.id)),
  );
  r.post(
    '/api/v1/kpi/report-schedules/:id/send-now',
    {
      schema: {
        tags,
        summary:
          'Send the report of the last complete period now, outside the regular sends (the scheduled-reports job mails it once the export is built)',
        params: IdParams,
        response: { 202: z.object({ runId: z.uuid(), from: z.string(), to: z.string() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const run = await sendScheduleNow(deps, requireActor(request), request.params.id);
      return reply.code(202).send({ runId: run.id, from: run.periodFrom, to: run.periodTo });
    },
  );
}
