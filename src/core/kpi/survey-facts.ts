import { emptySurveyFacts, type SurveyFacts } from './formulas.js';
import { localDay } from './ticket-facts.js';

// What one satisfaction survey contributes to the KPIs (CSAT, NPS, response rate), by local day and
// by the dimensions the dashboard filters on. The facts job keeps the record each survey was last
// counted with and adds the difference to the survey roll-up (kpi_daily_surveys and its
// per-dimension sums), so the dashboard never counts raw surveys. Counted as the dashboard counted
// them from the surveys table: sent on the day of `sentAt`; answered (when it was sent) and its
// scores on the day of `answeredAt`.

export const SURVEY_MEASURES = [
  'sent',
  'answered',
  'csat_1',
  'csat_2',
  'csat_3',
  'csat_4',
  'csat_5',
  'nps_0',
  'nps_1',
  'nps_2',
  'nps_3',
  'nps_4',
  'nps_5',
  'nps_6',
  'nps_7',
  'nps_8',
  'nps_9',
  'nps_10',
] as const;
export type SurveyMeasure = (typeof SURVEY_MEASURES)[number];
export type SurveyMeasures = Record<SurveyMeasure, number>;

/** The dimensions a survey is counted under: its own team and agent, its ticket's type, category and channel, its customer's region ('' = none). */
export type SurveyDims = {
  teamId: string;
  agentId: string;
  type: string;
  categoryId: string;
  channel: string;
  region: string;
};

/** What the facts job reads of a survey. */
export type SurveyRecord = SurveyDims & {
  sentAt: Date | null;
  answeredAt: Date | null;
  csat: number | null;
  nps: number | null;
};

/**
 * How a survey is counted: its dimensions, the local days it was sent and answered, and the scores
 * that count (CSAT 1–5, NPS 0–10). Kept per survey, so a recount subtracts exactly what was added.
 */
export type CountedSurvey = SurveyDims & {
  sentDay: string | null;
  answeredDay: string | null;
  csat: number | null;
  nps: number | null;
};

export type SurveyCell = SurveyDims & { day: string; measures: Partial<SurveyMeasures> };

const inRange = (v: number | null, lo: number, hi: number): number | null =>
  v !== null && Number.isInteger(v) && v >= lo && v <= hi ? v : null;

/** A survey as counted in the roll-up of `timeZone`'s local days. */
export const countSurvey = (s: SurveyRecord, timeZone: string): CountedSurvey => ({
  teamId: s.teamId,
  agentId: s.agentId,
  type: s.type,
  categoryId: s.categoryId,
  channel: s.channel,
  region: s.region,
  sentDay: s.sentAt === null ? null : localDay(s.sentAt, timeZone),
  answeredDay: s.answeredAt === null ? null : localDay(s.answeredAt, timeZone),
  csat: inRange(s.csat, 1, 5),
  nps: inRange(s.nps, 0, 10),
});

/** The roll-up cells a counted survey adds to. */
export function surveyCellsOf(s: CountedSurvey): SurveyCell[] {
  const dims: SurveyDims = {
    teamId: s.teamId,
    agentId: s.agentId,
    type: s.type,
    categoryId: s.categoryId,
    channel: s.channel,
    region: s.region,
  };
  const cells: SurveyCell[] = [];
  if (s.sentDay !== null) cells.push({ ...dims, day: s.sentDay, measures: { sent: 1 } });
  if (s.answeredDay !== null) {
    const m: Partial<SurveyMeasures> = {};
    if (s.sentDay !== null) m.answered = 1;
    const csat = inRange(s.csat, 1, 5);
    const nps = inRange(s.nps, 0, 10);
    if (csat !== null) m[`csat_${csat}` as SurveyMeasure] = 1;
    if (nps !== null) m[`nps_${nps}` as SurveyMeasure] = 1;
    if (Object.keys(m).length > 0) {
      const same = cells.find((c) => c.day === s.answeredDay);
      if (same) Object.assign(same.measures, m);
      else cells.push({ ...dims, day: s.answeredDay, measures: m });
    }
  }
  return cells;
}

const cellKey = (c: SurveyCell) => [c.day, c.teamId, c.agentId, c.type, c.categoryId, c.channel, c.region].join('|');

const nonZero = <T extends { measures: Partial<SurveyMeasures> }>(cells: Iterable<T>): T[] =>
  [...cells]
    .map((c) => ({ ...c, measures: Object.fromEntries(Object.entries(c.measures).filter(([, v]) => v !== 0)) }))
    .filter((c) => Object.keys(c.measures).length > 0);

function addInto(target: Partial<SurveyMeasures>, m: Partial<SurveyMeasures>, sign: number): void {
  for (const [k, v] of Object.entries(m) as [SurveyMeasure, number][]) target[k] = (target[k] ?? 0) + sign * v;
}

/** What to add to the roll-up to go from `before` to `after`; all-zero cells are left out. */
export function surveyCellDelta(before: readonly SurveyCell[], after: readonly SurveyCell[]): SurveyCell[] {
  const out = new Map<string, SurveyCell>();
  const apply = (cells: readonly SurveyCell[], sign: 1 | -1) => {
    for (const c of cells) {
      const key = cellKey(c);
      const cell = out.get(key) ?? { ...c, measures: {} };
      addInto(cell.measures, c.measures, sign);
      out.set(key, cell);
    }
  };
  apply(before, -1);
  apply(after, 1);
  return nonZero(out.values());
}

/** The dimensions the survey roll-up is also kept summed by, one at a time ('' = the whole centre). */
export const SURVEY_MARGINAL_DIMS = ['', 'team', 'agent', 'type', 'category', 'channel', 'region'] as const;
export type SurveyMarginalDim = (typeof SURVEY_MARGINAL_DIMS)[number];
export type SurveyMarginalCell = {
  dim: SurveyMarginalDim;
  key: string;
  day: string;
  measures: Partial<SurveyMeasures>;
};

export const SURVEY_DIM_OF: Record<Exclude<SurveyMarginalDim, ''>, keyof SurveyDims> = {
  team: 'teamId',
  agent: 'agentId',
  type: 'type',
  category: 'categoryId',
  channel: 'channel',
  region: 'region',
};

/** The same differences summed by each dimension alone, for the per-dimension survey roll-up. */
export function surveyMarginalsOf(cells: readonly SurveyCell[]): SurveyMarginalCell[] {
  const out = new Map<string, SurveyMarginalCell>();
  for (const c of cells)
    for (const dim of SURVEY_MARGINAL_DIMS) {
      const key = dim === '' ? '' : c[SURVEY_DIM_OF[dim]];
      const k = [dim, c.day, key].join('|');
      const cell = out.get(k) ?? { dim, key, day: c.day, measures: {} };
      addInto(cell.measures, c.measures, 1);
      out.set(k, cell);
    }
  return nonZero(out.values());
}

/** Summed roll-up rows as the survey figures the KPI formulas take (callbacks left at 0). */
export function surveyFactsOf(rows: readonly Partial<SurveyMeasures>[]): SurveyFacts {
  const f = emptySurveyFacts();
  for (const r of rows) {
    f.sent += r.sent ?? 0;
    f.answered += r.answered ?? 0;
    for (const score of [1, 2, 3, 4, 5] as const) f.csat[score] += r[`csat_${score}`] ?? 0;
    for (let score = 0; score <= 10; score++) f.nps[score]! += r[`nps_${score}` as SurveyMeasure] ?? 0;
  }
  return f;
}
