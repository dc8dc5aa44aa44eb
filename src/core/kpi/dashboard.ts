import type { Channel, TicketType } from '../tickets/types.js';
import type { SlaMetric } from '../sla/sla-policy.js';
import type { handlingByType, KpiResult } from './formulas.js';
import type { HotIssue } from './hot-issues.js';
import type { Granularity } from './periods.js';
import type { KpiSettings } from './settings.js';
import type { Measures } from './ticket-facts.js';

// The dashboard's data as the use case hands it to the presenter: plain values, no I/O.

export const BREAKDOWN_DIMS = ['team', 'agent', 'type', 'category', 'channel', 'region'] as const;
export type BreakdownDim = (typeof BREAKDOWN_DIMS)[number];

export type DashboardScope = {
  from: string;
  to: string;
  granularity: Granularity;
  teamId?: string | undefined;
  agentId?: string | undefined;
  type?: TicketType | undefined;
  categoryId?: string | undefined;
  channel?: Channel | undefined;
  region?: string | undefined;
};

export type BreakdownRow = { key: string; measures: Measures };
export type AgeBucket = 'lt1d' | '1to3d' | '3to7d' | 'gt7d';

export type DashboardData = {
  query: DashboardScope;
  timeZone: string;
  factsAsOf: Date | null;
  settings: KpiSettings;
  kpis: KpiResult[];
  meanHandling: { clockMs: number | null; businessMs: number | null };
  handlingByType: ReturnType<typeof handlingByType>;
  trend: { bucket: string; measures: Measures }[];
  breakdown: Record<BreakdownDim, BreakdownRow[]>;
  sla: { metric: SlaMetric; met: number; breached: number }[];
  backlog: { open: number; ageing: { bucket: AgeBucket; count: number }[] };
  hotIssues: { weekFrom: string; weekTo: string; categories: HotIssue[]; words: HotIssue[] };
  labels: {
    teams: Map<string, string>;
    agents: Map<string, string>;
    categories: Map<string, { zh: string; en: string }>;
  };
};
