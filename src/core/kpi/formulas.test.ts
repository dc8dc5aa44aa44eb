import { describe, expect, it } from 'vitest';
import {
  allKpis,
  appealsPerMillion,
  callbacksWithin24h,
  complaintRate,
  csatMean,
  csatShare,
  disputeRate,
  emptySurveyFacts,
  firstContactResolution,
  firstResponse,
  handlingByType,
  netPromoterScore,
  processCompliance,
  qaScore,
  repeatRate,
  scriptCompliance,
  slaCompliance,
  sumMeasures,
  surveyResponseRate,
  timeoutRate,
} from './formulas.js';
import { emptyQuality, reviewQuality } from './quality.js';
import { DEFAULT_KPI_SETTINGS as S } from './settings.js';
import { emptyMeasures } from './ticket-facts.js';

const m = (over: Partial<ReturnType<typeof emptyMeasures>>) => ({ ...emptyMeasures(), ...over });

describe('KPI formulas', () => {
  it('first-contact resolution: 17 of 20 resolved is 85 %, which meets the 85 % target', () => {
    const r = firstContactResolution(m({ fcr: 17, resolved: 20 }), S);
    expect(r).toMatchObject({ value: 0.85, numerator: 17, denominator: 20, met: true });
    expect(firstContactResolution(m({ fcr: 16, resolved: 20 }), S).met).toBe(false);
  });

  it('says "no data" rather than zero when nothing was resolved', () => {
    expect(firstContactResolution(m({}), S)).toMatchObject({ value: null, met: null, noData: 'no_facts' });
  });

  it('repeat-contact rate: 3 repeats in 20 contacts is 15 %, above the 10 % ceiling', () => {
    expect(repeatRate(m({ repeats: 3, contacts: 20 }), S)).toMatchObject({ value: 0.15, met: false });
  });

  it('timeout rate counts tickets with limits only: 1 breached of 25 with limits is 4 %', () => {
    expect(timeoutRate(m({ breached: 1, with_limits: 25, contacts: 40 }), S)).toMatchObject({ value: 0.04, met: true });
  });

  it('SLA compliance = met ÷ (met + breached)', () => {
    expect(slaCompliance(m({ sla_met: 19, sla_breached: 1 }), S).value).toBe(0.95);
  });

  it('first response time is the mean over tickets that had one', () => {
    expect(firstResponse(m({ first_responses: 4, first_response_ms: 4_000 }), S).value).toBe(1_000);
  });

  it('mean handling time per type against the type’s target', () => {
    const rows = handlingByType(
      {
        inquiry: m({ resolved: 2, handling_ms: 2 * 3 * 3_600_000 }),
        fault: m({ resolved: 1, handling_ms: 3_600_000 }),
      },
      S,
    );
    expect(rows.find((r) => r.type === 'inquiry')).toMatchObject({ meanMs: 3 * 3_600_000, met: false });
    expect(rows.find((r) => r.type === 'fault')).toMatchObject({ meanMs: 3_600_000, met: true });
    expect(rows.find((r) => r.type === 'complaint')).toMatchObject({ meanMs: null, met: null });
  });

  it('CSAT: share of 4–5 and the mean', () => {
    const f = { ...emptySurveyFacts(), csat: { 1: 1, 2: 0, 3: 1, 4: 2, 5: 6 } };
    expect(csatShare(f, S).value).toBe(0.8);
    expect(csatMean(f, S)).toMatchObject({ value: 4.2, met: false }); // (1+3+8+30)/10
  });

  it('NPS = % of 9–10 − % of 0–6: 5 promoters, 3 passives, 2 detractors of 10 is 30', () => {
    const nps = Array.from({ length: 11 }, () => 0);
    nps[10] = 3;
    nps[9] = 2;
    nps[8] = 3;
    nps[6] = 1;
    nps[0] = 1;
    expect(netPromoterScore({ ...emptySurveyFacts(), nps }, S)).toMatchObject({ value: 30, met: true });
  });

  it('survey response rate and callbacks within 24 hours', () => {
    const f = { ...emptySurveyFacts(), sent: 8, answered: 2, callbacks: 4, callbacksWithin24h: 3 };
    expect(surveyResponseRate(f, S).value).toBe(0.25);
    expect(callbacksWithin24h(f, S)).toMatchObject({ value: 0.75, met: false });
  });

  it('complaint rate over the subscriber base, and no data without a base', () => {
    expect(complaintRate(m({ complaints: 40 }), 10_000, S)).toMatchObject({ value: 0.004, met: true });
    expect(complaintRate(m({ complaints: 40 }), null, S)).toMatchObject({ value: null, noData: 'no_facts' });
    expect(appealsPerMillion(m({ appeals: 3 }), 2_000_000, S).value).toBe(1.5);
  });

  it('QA score is the mean final score, dispute rate disputed ÷ reviews, from the quality roll-up', () => {
    // Reviews of 80, 90.5 and 100: (80 + 90.5 + 100) / 3 = 90.1666…; one of three disputed.
    const q = { ...emptyQuality(), reviews: 3, score_tenths: 2705, disputed: 1 };
    expect(qaScore(q, S)).toMatchObject({ value: 270.5 / 3, numerator: 270.5, denominator: 3 });
    expect(disputeRate(q, S)).toMatchObject({ value: 1 / 3, numerator: 1, denominator: 3 });
  });

  it('script compliance is compliant replies ÷ checked replies, against 98 %', () => {
    const q = { ...emptyQuality(), replies: 50, compliant_replies: 49 };
    expect(scriptCompliance(q, S)).toMatchObject({ value: 0.98, met: true, target: { value: 0.98 } });
    expect(scriptCompliance({ ...q, compliant_replies: 48 }, S)).toMatchObject({ value: 0.96, met: false });
  });

  it('process compliance counts only reviews that scored the process item, against 95 %', () => {
    const q = { ...emptyQuality(), reviews: 5, process_scored: 4, process_ok: 3 };
    expect(processCompliance(q, S)).toMatchObject({ value: 0.75, numerator: 3, denominator: 4, met: false });
  });

  it('shows the quality KPIs as no data, with their targets, when there are no reviews or checked replies', () => {
    const results = allKpis(sumMeasures([]), emptySurveyFacts(), emptyQuality(), null, S);
    for (const id of ['qa_score', 'script_compliance', 'process_compliance', 'dispute_rate'])
      expect(results.find((r) => r.id === id)).toMatchObject({ value: null, met: null, noData: 'no_facts' });
    expect(results.find((r) => r.id === 'script_compliance')?.target).toEqual({ value: 0.98, direction: 'min' });
  });

  it('a review adds its final score, its dispute and its process item at full marks or not', () => {
    const items = (process: number | null) => [
      { itemId: 'greeting', normalised: 100 },
      ...(process === null ? [] : [{ itemId: 'process', normalised: process }]),
    ];
    expect(reviewQuality({ finalScore: 88.5, disputed: true, items: items(100) })).toMatchObject({
      reviews: 1,
      score_tenths: 885,
      disputed: 1,
      process_scored: 1,
      process_ok: 1,
    });
    expect(reviewQuality({ finalScore: 70, disputed: false, items: items(80) })).toMatchObject({
      process_scored: 1,
      process_ok: 0,
      disputed: 0,
    });
    expect(reviewQuality({ finalScore: 70, disputed: false, items: items(null) })).toMatchObject({
      process_scored: 0,
      process_ok: 0,
    });
  });

  it('sums roll-up rows measure by measure', () => {
    expect(sumMeasures([{ contacts: 2, fcr: 1 }, { contacts: 3 }])).toMatchObject({ contacts: 5, fcr: 1, resolved: 0 });
  });
});
