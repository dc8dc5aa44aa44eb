import type { HotIssue } from '../core/kpi/hot-issues.js';
import { firstContactResolution, meanHandling, repeatRate, timeoutRate, type KpiResult } from '../core/kpi/formulas.js';
import type { Measures } from '../core/kpi/ticket-facts.js';
import type { KpiId } from '../core/kpi/settings.js';
import { OPEN_STATUSES } from '../core/tickets/state-machine.js';
import type { z } from 'zod';
import type { ExportView, KpiDrill, ReportScheduleView } from '../contracts/kpi.js';
import type { BreakdownDim, DashboardData } from '../core/kpi/dashboard.js';
import type { AppraisalsData } from '../core/kpi/appraisal.js';

// What the dashboard shows a supervisor: every figure with the ticket-list filters that list the
// tickets behind it (the desk's queue page reads them from its address).

type Drill = Record<string, string>;

/** The dashboard's filters as ticket-list filters. */
function scope(d: DashboardData): Drill {
  const q = d.query;
  return Object.fromEntries(
    Object.entries({
      teamId: q.teamId,
      assigneeId: q.agentId,
      type: q.type,
      categoryId: q.categoryId,
      channel: q.channel,
      region: q.region,
    }).filter(([, v]) => v !== undefined),
  ) as Drill;
}

const drillOf = (
  d: DashboardData,
  kpi: KpiDrill,
  extra: Drill = {},
  days = { from: d.query.from, to: d.query.to },
): Drill => ({
  ...scope(d),
  kpi,
  factsFrom: days.from,
  factsTo: days.to,
  ...extra,
});

/** Which tickets stand behind each KPI (the ones that miss it, where that is a list of tickets). */
const KPI_DRILL: Partial<Record<KpiId, { kpi: KpiDrill; extra?: Drill }>> = {
  fcr: { kpi: 'not_fcr' },
  repeat_rate: { kpi: 'repeat' },
  timeout_rate: { kpi: 'breached' },
  sla_compliance: { kpi: 'breached' },
  handling_time: { kpi: 'outside_target' },
  first_response: { kpi: 'contacts' },
  complaint_rate: { kpi: 'contacts', extra: { type: 'complaint' } },
  appeals_per_million: { kpi: 'contacts', extra: { channel: 'regulator' } },
};

const DIM_FILTER: Record<BreakdownDim, string> = {
  team: 'teamId',
  agent: 'assigneeId',
  type: 'type',
  category: 'categoryId',
  channel: 'channel',
  region: 'region',
};

export function presentDashboard(d: DashboardData) {
  const { settings } = d;
  const label = (dim: BreakdownDim, key: string): { label: string | null; labelEn: string | null } => {
    if (key === '') return { label: null, labelEn: null };
    if (dim === 'team') return { label: d.labels.teams.get(key) ?? null, labelEn: null };
    if (dim === 'agent') return { label: d.labels.agents.get(key) ?? null, labelEn: null };
    if (dim === 'category') {
      const c = d.labels.categories.get(key);
      return { label: c?.zh ?? null, labelEn: c?.en ?? null };
    }
    return { label: key, labelEn: null };
  };
  const row = (dim: BreakdownDim, key: string, m: Measures) => ({
    key,
    ...label(dim, key),
    contacts: m.contacts,
    resolved: m.resolved,
    fcr: firstContactResolution(m, settings).value,
    repeatRate: repeatRate(m, settings).value,
    timeoutRate: timeoutRate(m, settings).value,
    meanHandlingMs: meanHandling(m).clockMs,
    // "No team" / "no region" have no list filter; "no agent" is the unassigned list.
    drill:
      key === '' && dim !== 'agent' ? null : drillOf(d, 'contacts', { [DIM_FILTER[dim]]: key === '' ? 'none' : key }),
  });
  const hot = (h: HotIssue, kind: 'category' | 'word') => {
    const c = kind === 'category' ? d.labels.categories.get(h.key) : undefined;
    const days = { from: d.hotIssues.weekFrom, to: d.hotIssues.weekTo };
    return {
      ...h,
      label: kind === 'category' ? (c?.zh ?? null) : h.key,
      labelEn: c?.en ?? null,
      drill:
        kind === 'category'
          ? drillOf(d, 'contacts', { categoryId: h.key }, days)
          : drillOf(d, 'contacts', { q: h.key }, days),
    };
  };
  return {
    from: d.query.from,
    to: d.query.to,
    granularity: d.query.granularity,
    timeZone: d.timeZone,
    factsAsOf: d.factsAsOf?.toISOString() ?? null,
    kpis: d.kpis.map((k: KpiResult) => {
      const drill = KPI_DRILL[k.id];
      return { ...k, drill: drill && k.value !== null ? drillOf(d, drill.kpi, drill.extra) : null };
    }),
    meanHandling: d.meanHandling,
    handlingByType: d.handlingByType,
    trend: d.trend.map((t) => ({
      bucket: t.bucket,
      contacts: t.measures.contacts,
      resolved: t.measures.resolved,
      fcr: firstContactResolution(t.measures, settings).value,
      timeoutRate: timeoutRate(t.measures, settings).value,
      repeatRate: repeatRate(t.measures, settings).value,
    })),
    breakdown: Object.fromEntries(
      (Object.keys(d.breakdown) as BreakdownDim[]).map((dim) => [
        dim,
        d.breakdown[dim].map((r) => row(dim, r.key, r.measures)),
      ]),
    ) as Record<BreakdownDim, ReturnType<typeof row>[]>,
    sla: d.sla.map((s) => ({
      ...s,
      compliance: s.met + s.breached > 0 ? s.met / (s.met + s.breached) : null,
      target: settings.targets.sla_compliance?.value ?? null,
    })),
    backlog: { ...d.backlog, drill: { ...scope(d), status: OPEN_STATUSES.join(',') } },
    hotIssues: {
      weekFrom: d.hotIssues.weekFrom,
      weekTo: d.hotIssues.weekTo,
      categories: d.hotIssues.categories.map((h) => hot(h, 'category')),
      words: d.hotIssues.words.map((h) => hot(h, 'word')),
    },
  };
}

/** The appraisal table (or one agent's sheet): each part with the KPI it was scored from. */
export function presentAppraisals(d: AppraisalsData) {
  return {
    period: d.period,
    key: d.key,
    from: d.from,
    to: d.to,
    weights: d.settings.weights,
    sheets: d.sheets.map((s) => ({
      agent: s.agent,
      score: s.score,
      rank: s.rank,
      parts: s.parts.map((p) => ({ ...p, basis: s.bases[p.component] })),
      redistributed: s.redistributed,
    })),
  };
}

type ExportRow = {
  id: string;
  kind: string;
  format: 'csv' | 'xlsx';
  status: 'queued' | 'running' | 'done' | 'failed' | 'expired';
  total: number | null;
  done: number;
  fileName: string | null;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
};

/** An export as its owner sees it: status and progress (rows done of total). */
export function presentExport(row: ExportRow): z.output<typeof ExportView> {
  return {
    id: row.id,
    kind: row.kind as 'tickets' | 'dashboard',
    format: row.format,
    status: row.status,
    total: row.total,
    done: row.done,
    fileName: row.fileName,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

type ScheduleRow = {
  id: string;
  name: string;
  kind: 'dashboard' | 'tickets';
  filters: Record<string, string>;
  format: 'csv' | 'xlsx';
  lang: 'zh' | 'en';
  frequency: 'daily' | 'weekly' | 'monthly';
  sendTime: string;
  recipients: string[];
  active: boolean;
  nextRunAt: Date | null;
  lastRunAt: Date | null;
  lastError: string | null;
  createdAt: Date;
};

/** A report schedule as its owner sees it. */
export function presentReportSchedule(row: ScheduleRow): ReportScheduleView {
  return {
    id: row.id,
    name: row.name,
    what: { ...row.filters, kind: row.kind } as ReportScheduleView['what'],
    format: row.format,
    lang: row.lang,
    frequency: row.frequency,
    sendTime: row.sendTime,
    recipients: row.recipients,
    active: row.active,
    nextRunAt: row.nextRunAt?.toISOString() ?? null,
    lastRunAt: row.lastRunAt?.toISOString() ?? null,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
  };
}
