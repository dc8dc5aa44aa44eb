import type { TicketType } from '../tickets/types.js';
import { meetsTarget, type KpiId, type KpiSettings, type KpiTarget } from './settings.js';
import type { QualityMeasures } from './quality.js';
import { emptyMeasures, MEASURES, type Measures } from './ticket-facts.js';
import {
  answerRate,
  averageSpeedOfAnswer,
  containment,
  meanFirstResponse,
  type CcMeasures,
} from '../contact-centre/figures.js';

// The KPI formulas (README "KPIs"): each result carries its numerator and denominator, its target
// and whether it is met. A KPI without facts is `null` ("no data"), never zero.

export type KpiUnit = 'ratio' | 'score' | 'ms' | 'nps' | 'per_million';

export type KpiResult = {
  id: KpiId;
  unit: KpiUnit;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  target: KpiTarget | null;
  met: boolean | null;
  /** Why there is no value: no facts in the period. */
  noData?: 'no_facts';
};

/** Survey answers and callbacks of a period (from the surveys and callbacks tables). */
export type SurveyFacts = {
  sent: number;
  answered: number;
  /** Count of answers per CSAT score 1–5. */
  csat: Record<1 | 2 | 3 | 4 | 5, number>;
  /** Count of answers per NPS score 0–10 (index = score). */
  nps: number[];
  callbacks: number;
  callbacksWithin24h: number;
};

export const emptySurveyFacts = (): SurveyFacts => ({
  sent: 0,
  answered: 0,
  csat: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 },
  nps: Array.from({ length: 11 }, () => 0),
  callbacks: 0,
  callbacksWithin24h: 0,
});

/** Sums measures (roll-up rows) into one set. */
export function sumMeasures(rows: readonly Partial<Measures>[]): Measures {
  const total = emptyMeasures();
  for (const r of rows) for (const m of MEASURES) total[m] += r[m] ?? 0;
  return total;
}

const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);

function result(
  id: KpiId,
  unit: KpiUnit,
  numerator: number | null,
  denominator: number | null,
  settings: KpiSettings,
  value: number | null = numerator !== null && denominator !== null ? ratio(numerator, denominator) : null,
): KpiResult {
  const target = settings.targets[id] ?? null;
  return {
    id,
    unit,
    value,
    numerator,
    denominator,
    target,
    met: meetsTarget(value, target ?? undefined),
    ...(value === null ? { noData: 'no_facts' as const } : {}),
  };
}

/** FCR = tickets resolved without transfer, reopening or a repeat contact within N days ÷ tickets resolved. */
export const firstContactResolution = (m: Measures, s: KpiSettings) => result('fcr', 'ratio', m.fcr, m.resolved, s);

/** Repeat-contact rate = contacts flagged repeat ÷ contacts. */
export const repeatRate = (m: Measures, s: KpiSettings) => result('repeat_rate', 'ratio', m.repeats, m.contacts, s);

/** Timeout rate = tickets with any breached limit ÷ tickets with limits. */
export const timeoutRate = (m: Measures, s: KpiSettings) =>
  result('timeout_rate', 'ratio', m.breached, m.with_limits, s);

/** SLA compliance of one target (or all) = met ÷ (met + breached); running clocks do not count. */
export const slaCompliance = (m: Measures, s: KpiSettings) =>
  result('sla_compliance', 'ratio', m.sla_met, m.sla_met + m.sla_breached, s);

/** Handling time: share of resolved tickets within their type's target (the mean is beside it). */
export const handlingWithinTarget = (m: Measures, s: KpiSettings) =>
  result('handling_time', 'ratio', m.within_target, m.resolved, s);

/** Mean handling time (clock and business) of resolved tickets, in ms. */
export function meanHandling(m: Measures): { clockMs: number | null; businessMs: number | null } {
  return {
    clockMs: m.resolved > 0 ? m.handling_ms / m.resolved : null,
    businessMs: m.handling_business_n > 0 ? m.handling_business_ms / m.handling_business_n : null,
  };
}

/** Mean first response time, in ms. */
export const firstResponse = (m: Measures, s: KpiSettings) =>
  result(
    'first_response',
    'ms',
    m.first_response_ms,
    m.first_responses,
    s,
    m.first_responses > 0 ? m.first_response_ms / m.first_responses : null,
  );

/** CSAT share = answers scoring 4–5 ÷ answers. */
export function csatShare(f: SurveyFacts, s: KpiSettings): KpiResult {
  const answers = f.csat[1] + f.csat[2] + f.csat[3] + f.csat[4] + f.csat[5];
  return result('csat_share', 'ratio', f.csat[4] + f.csat[5], answers, s);
}

/** CSAT mean on the 1–5 scale. */
export function csatMean(f: SurveyFacts, s: KpiSettings): KpiResult {
  const answers = f.csat[1] + f.csat[2] + f.csat[3] + f.csat[4] + f.csat[5];
  const sum = f.csat[1] + 2 * f.csat[2] + 3 * f.csat[3] + 4 * f.csat[4] + 5 * f.csat[5];
  return result('csat_mean', 'score', sum, answers, s, answers > 0 ? sum / answers : null);
}

/** NPS = % of 9–10 − % of 0–6 (−100…100). */
export function netPromoterScore(f: SurveyFacts, s: KpiSettings): KpiResult {
  const answers = f.nps.reduce((a, b) => a + b, 0);
  const promoters = (f.nps[9] ?? 0) + (f.nps[10] ?? 0);
  const detractors = f.nps.slice(0, 7).reduce((a, b) => a + b, 0);
  const value = answers > 0 ? (100 * (promoters - detractors)) / answers : null;
  return result('nps', 'nps', promoters - detractors, answers, s, value);
}

/** Survey response rate = answered ÷ sent. */
export const surveyResponseRate = (f: SurveyFacts, s: KpiSettings) =>
  result('survey_response_rate', 'ratio', f.answered, f.sent, s);

/** Callbacks within 24 h = callbacks completed within 24 h of opening ÷ callbacks opened. */
export const callbacksWithin24h = (f: SurveyFacts, s: KpiSettings) =>
  result('callbacks_24h', 'ratio', f.callbacksWithin24h, f.callbacks, s);

/**
 * Complaint rate = complaints ÷ subscribers (the base an administrator entered for the regions in
 * view); no base entered: no data.
 */
export const complaintRate = (m: Measures, subscribers: number | null, s: KpiSettings) =>
  result('complaint_rate', 'ratio', m.complaints, subscribers && subscribers > 0 ? subscribers : null, s);

/** Appeals to the regulator per million subscribers (the MIIT's measure). */
export const appealsPerMillion = (m: Measures, subscribers: number | null, s: KpiSettings) =>
  result(
    'appeals_per_million',
    'per_million',
    m.appeals,
    subscribers && subscribers > 0 ? subscribers : null,
    s,
    subscribers && subscribers > 0 ? (m.appeals * 1_000_000) / subscribers : null,
  );

/** QA score = mean final score (after dispute decisions) of the counted reviews, 0–100. */
export const qaScore = (q: QualityMeasures, s: KpiSettings) =>
  result(
    'qa_score',
    'score',
    q.score_tenths / 10,
    q.reviews,
    s,
    q.reviews > 0 ? q.score_tenths / 10 / q.reviews : null,
  );

/** Script compliance = public replies that passed the script check ÷ checked public replies. */
export const scriptCompliance = (q: QualityMeasures, s: KpiSettings) =>
  result('script_compliance', 'ratio', q.compliant_replies, q.replies, s);

/** Process compliance = reviews whose process item got full marks ÷ reviews that scored it. */
export const processCompliance = (q: QualityMeasures, s: KpiSettings) =>
  result('process_compliance', 'ratio', q.process_ok, q.process_scored, s);

/** Dispute rate = reviews the agent disputed ÷ counted reviews. */
export const disputeRate = (q: QualityMeasures, s: KpiSettings) =>
  result('dispute_rate', 'ratio', q.disputed, q.reviews, s);

/** Contact-centre facts of a period: calls (all day and peak intervals) and chats; null: none apply. */
export type ContactCentreFacts = { voice: CcMeasures; voicePeak: CcMeasures; chat: CcMeasures };

/** Hotline answer rate at peak hours = answered ÷ (offered − short abandons) in the peak intervals. */
export function answerRatePeak(c: ContactCentreFacts | null, s: KpiSettings): KpiResult {
  const r = c ? answerRate(c.voicePeak) : null;
  return result('answer_rate_peak', 'ratio', r?.numerator ?? null, r?.denominator ?? null, s);
}

/** Average speed of answer of calls (ms). */
export const averageSpeedOfAnswerKpi = (c: ContactCentreFacts | null, s: KpiSettings) =>
  result(
    'asa',
    'ms',
    c?.voice.answer_wait_ms ?? null,
    c?.voice.answered ?? null,
    s,
    c ? averageSpeedOfAnswer(c.voice) : null,
  );

/** Mean first human response of chats (ms). */
export const chatFirstResponse = (c: ContactCentreFacts | null, s: KpiSettings) =>
  result(
    'chat_first_response',
    'ms',
    c?.chat.first_response_ms ?? null,
    c?.chat.first_responses ?? null,
    s,
    c ? meanFirstResponse(c.chat) : null,
  );

/** Bot containment = conversations ended without a person ÷ conversations ended. */
export const botContainment = (c: ContactCentreFacts | null, s: KpiSettings) =>
  result(
    'bot_containment',
    'ratio',
    c?.chat.contained ?? null,
    c?.chat.ended ?? null,
    s,
    c ? containment(c.chat) : null,
  );

/** Every KPI of a period, in display order. */
export function allKpis(
  m: Measures,
  surveys: SurveyFacts,
  quality: QualityMeasures,
  subscribers: number | null,
  s: KpiSettings,
  contact: ContactCentreFacts | null = null,
): KpiResult[] {
  return [
    firstContactResolution(m, s),
    repeatRate(m, s),
    timeoutRate(m, s),
    slaCompliance(m, s),
    handlingWithinTarget(m, s),
    firstResponse(m, s),
    csatShare(surveys, s),
    csatMean(surveys, s),
    netPromoterScore(surveys, s),
    surveyResponseRate(surveys, s),
    callbacksWithin24h(surveys, s),
    complaintRate(m, subscribers, s),
    appealsPerMillion(m, subscribers, s),
    qaScore(quality, s),
    scriptCompliance(quality, s),
    processCompliance(quality, s),
    disputeRate(quality, s),
    answerRatePeak(contact, s),
    averageSpeedOfAnswerKpi(contact, s),
    chatFirstResponse(contact, s),
    botContainment(contact, s),
  ];
}

/** Mean handling time per type against the type's target. */
export function handlingByType(
  byType: Partial<Record<TicketType, Measures>>,
  s: KpiSettings,
): { type: TicketType; meanMs: number | null; businessMs: number | null; targetMs: number; met: boolean | null }[] {
  return (Object.keys(s.handlingTargetHours) as TicketType[]).map((type) => {
    const m = byType[type] ?? emptyMeasures();
    const { clockMs, businessMs } = meanHandling(m);
    const targetMs = s.handlingTargetHours[type] * 3_600_000;
    return { type, meanMs: clockMs, businessMs, targetMs, met: clockMs === null ? null : clockMs <= targetMs };
  });
}
