// KPIs, dashboard, appraisal and exports (src/contracts/kpi.ts).
import type { z } from 'zod';
import type {
  AppraisalView,
  DashboardView,
  ExportView,
  KpiSettingsView,
  ReportScheduleBody,
  ReportScheduleView,
} from '../../../src/contracts/kpi';
import { del, get, patch, post, put, query } from './client';

const base = '/api/v1/kpi';

export type Dashboard = z.output<typeof DashboardView>;
export type KpiTile = Dashboard['kpis'][number];
export type KpiSettings = z.output<typeof KpiSettingsView>;
export type Appraisals = z.output<typeof AppraisalView>;
export type AppraisalSheet = Appraisals['sheets'][number];
export type KpiExport = z.output<typeof ExportView>;
export type ExportRequest = {
  kind: 'tickets' | 'dashboard';
  format: 'csv' | 'xlsx';
  lang: 'zh' | 'en';
  query: Record<string, string>;
};
export type ReportSchedule = z.output<typeof ReportScheduleView>;
export type NewReportSchedule = z.input<typeof ReportScheduleBody>;
export type AppraisalParams = { period: 'month' | 'quarter' | 'year'; key: string; teamId?: string };

export type DashboardParams = {
  /** Without from and to, the server's last 30 days in the installation's time zone. */
  from?: string;
  to?: string;
  granularity: 'day' | 'week' | 'month';
  teamId?: string;
  agentId?: string;
  type?: string;
  channel?: string;
};

export const kpiApi = {
  dashboard: (p: DashboardParams) => get<Dashboard>(`${base}/dashboard${query(p)}`),
  settings: () => get<KpiSettings>(`${base}/settings`),
  saveSettings: (body: Partial<KpiSettings['settings']>) => put<KpiSettings>(`${base}/settings`, body),
  setSubscriberBase: (region: string, subscribers: number | null) =>
    put<KpiSettings>(`${base}/subscriber-base`, { region, subscribers }),
  appraisals: (p: AppraisalParams) => get<Appraisals>(`${base}/appraisals${query(p)}`),
  requestExport: (body: ExportRequest) => post<KpiExport>(`${base}/exports`, body),
  export: (id: string) => get<KpiExport>(`${base}/exports/${id}`),
  downloadHref: (id: string) => `${base}/exports/${id}/download`,
  schedules: () => get<{ items: ReportSchedule[]; timeZone: string }>(`${base}/report-schedules`),
  createSchedule: (body: NewReportSchedule) => post<ReportSchedule>(`${base}/report-schedules`, body),
  updateSchedule: (id: string, body: Partial<NewReportSchedule> & { active?: boolean }) =>
    patch<ReportSchedule>(`${base}/report-schedules/${id}`, body),
  deleteSchedule: (id: string) => del(`${base}/report-schedules/${id}`),
  deactivateSchedule: (id: string) => post<ReportSchedule>(`${base}/report-schedules/${id}/deactivate`),
  sendScheduleNow: (id: string) =>
    post<{ runId: string; from: string; to: string }>(`${base}/report-schedules/${id}/send-now`),
  myAppraisal: (p: Omit<AppraisalParams, 'teamId'>) => get<Appraisals>(`${base}/appraisals/me${query(p)}`),
};
