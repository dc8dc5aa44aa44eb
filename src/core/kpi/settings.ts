import { TICKET_TYPES, type TicketType } from '../tickets/types.js';

// KPI targets and appraisal weights (domain §7): every figure the handbooks give is a default an
// administrator can change. Pure data and the rules that check it.

/** Every KPI the dashboard shows, in display order. */
export const KPI_IDS = [
  'fcr',
  'repeat_rate',
  'timeout_rate',
  'sla_compliance',
  'handling_time',
  'first_response',
  'csat_share',
  'csat_mean',
  'nps',
  'survey_response_rate',
  'callbacks_24h',
  'complaint_rate',
  'appeals_per_million',
  'qa_score',
  'script_compliance',
  'process_compliance',
  'dispute_rate',
  // Contact-centre figures (issue 20), from the 15-minute interval facts of calls and chats.
  'answer_rate_peak',
  'asa',
  'chat_first_response',
  'bot_containment',
] as const;
export type KpiId = (typeof KPI_IDS)[number];

/** Whether higher values are better (`min` target) or lower ones (`max` target). */
export type TargetDirection = 'min' | 'max';
export type KpiTarget = { value: number; direction: TargetDirection };

/** Appraisal components (the handbooks' weighted KPIs). */
export const APPRAISAL_COMPONENTS = [
  'satisfaction',
  'response_time',
  'resolution_rate',
  'handling_time',
  'complaint_rate',
  'qa_score',
] as const;
export type AppraisalComponent = (typeof APPRAISAL_COMPONENTS)[number];

export type KpiSettings = {
  /** A later contact of the same customer on the same category within this many days of the resolution undoes first-contact resolution. */
  fcrWindowDays: number;
  /** Handling-time targets per ticket type, in hours of clock time (creation → resolution). */
  handlingTargetHours: Record<TicketType, number>;
  /** Targets of the ratio KPIs (rates as fractions 0–1, CSAT mean on 1–5, NPS on −100…100). */
  targets: Partial<Record<KpiId, KpiTarget>>;
  /** Appraisal weights in percent; components with weight 0 are left out. */
  weights: Record<AppraisalComponent, number>;
};

export const DEFAULT_KPI_SETTINGS: KpiSettings = {
  fcrWindowDays: 7,
  // fault ≤ 24 h, inquiry ≤ 2 h (domain §3, §7); complaints: finish within 48 h (one handbook);
  // service requests: the handbooks give no figure, 48 h like complaints.
  handlingTargetHours: { inquiry: 2, fault: 24, complaint: 48, service_request: 48 },
  targets: {
    fcr: { value: 0.85, direction: 'min' },
    repeat_rate: { value: 0.1, direction: 'max' },
    timeout_rate: { value: 0.05, direction: 'max' },
    sla_compliance: { value: 0.95, direction: 'min' },
    handling_time: { value: 0.9, direction: 'min' },
    csat_share: { value: 0.85, direction: 'min' },
    csat_mean: { value: 4.5, direction: 'min' },
    nps: { value: 30, direction: 'min' },
    callbacks_24h: { value: 0.95, direction: 'min' },
    complaint_rate: { value: 0.005, direction: 'max' },
    script_compliance: { value: 0.98, direction: 'min' },
    process_compliance: { value: 0.95, direction: 'min' },
    // domain §1/§7: hotline answer rate at peak ≥ 95 %; online human response ≤ 30 s; "general
    // service response ≤ 30 s" taken as the average speed of answer. Bot containment: no figure.
    answer_rate_peak: { value: 0.95, direction: 'min' },
    asa: { value: 30_000, direction: 'max' },
    chat_first_response: { value: 30_000, direction: 'max' },
  },
  // One handbook gives QA 30 % of the performance score; the other splits the rest as
  // satisfaction 30, response time 25, resolution rate 20, handling time 15, complaints 10: here
  // those five share the remaining 70 % in the same proportions.
  weights: {
    satisfaction: 21,
    response_time: 17.5,
    resolution_rate: 14,
    handling_time: 10.5,
    complaint_rate: 7,
    qa_score: 30,
  },
};

/** Whether `value` meets `target`; null when there is no value or no target. */
export function meetsTarget(value: number | null, target: KpiTarget | undefined): boolean | null {
  if (value === null || target === undefined) return null;
  return target.direction === 'min' ? value >= target.value : value <= target.value;
}

/** Any part of the settings; what is left out keeps its value. */
export type KpiSettingsPatch = {
  fcrWindowDays?: number | undefined;
  handlingTargetHours?: Partial<Record<TicketType, number | undefined>> | undefined;
  targets?: Partial<Record<KpiId, KpiTarget | undefined>> | undefined;
  weights?: Partial<Record<AppraisalComponent, number | undefined>> | undefined;
};

const defined = <T extends object>(o: T | undefined) =>
  Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined));

/** `patch` laid over `base` (by default the handbook's): a part not given keeps its value. */
export function mergeKpiSettings(
  patch: KpiSettingsPatch | null | undefined,
  base: KpiSettings = DEFAULT_KPI_SETTINGS,
): KpiSettings {
  const s = patch ?? {};
  return {
    fcrWindowDays: s.fcrWindowDays ?? base.fcrWindowDays,
    handlingTargetHours: { ...base.handlingTargetHours, ...defined(s.handlingTargetHours) },
    targets: { ...base.targets, ...defined(s.targets) },
    weights: { ...base.weights, ...defined(s.weights) },
  };
}

/** Problems with the weights (they must add up to 100 and leave at least one component). */
export function weightProblems(weights: Record<AppraisalComponent, number>): string[] {
  const total = APPRAISAL_COMPONENTS.reduce((sum, c) => sum + weights[c], 0);
  const problems: string[] = [];
  if (total !== 100) problems.push(`weights must add up to 100 (they add up to ${total})`);
  if (APPRAISAL_COMPONENTS.some((c) => weights[c] < 0)) problems.push('weights cannot be negative');
  return problems;
}

export const isTicketType = (t: string): t is TicketType => (TICKET_TYPES as readonly string[]).includes(t);
