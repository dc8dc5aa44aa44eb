// KPIs, dashboard, appraisal and exports (src/contracts/kpi.ts).
import type { z } from 'zod';
import type { AppraisalView, DashboardView, ExportView, KpiSettingsView } from '../../../src/contracts/kpi';
import { get, post, put, query } from './client';

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
export type AppraisalParams = { period: 'month' | 'quarter' | 'year'; key: string; teamId?: string };

export type DashboardParams = {
  from: string;
  to: string;
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
  myAppraisal: (p: Omit<AppraisalParams, 'teamId'>) => get<Appraisals>(`${base}/appraisals/me${query(p)}`),
};
