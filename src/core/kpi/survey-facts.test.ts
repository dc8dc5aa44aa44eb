import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  countSurvey,
  SURVEY_MEASURES,
  surveyCellDelta,
  surveyCellsOf,
  surveyFactsOf,
  surveyMarginalsOf,
  type SurveyCell,
  type SurveyRecord,
} from './survey-facts.js';

const TZ = 'Asia/Shanghai';
const dims = {
  teamId: 'team-1',
  agentId: 'agent-1',
  type: 'fault',
  categoryId: 'cat-1',
  channel: 'hotline',
  region: '广州',
} as const;
const survey = (over: Partial<SurveyRecord> = {}): SurveyRecord => ({
  ...dims,
  sentAt: new Date('2026-11-02T02:00:00Z'),
  answeredAt: new Date('2026-11-02T05:00:00Z'),
  csat: 4,
  nps: 9,
  ...over,
});

/** Sums cells whose day falls in [from, to], as the dashboard sums roll-up rows. */
const sumDays = (cells: readonly SurveyCell[], from: string, to: string) =>
  surveyFactsOf(cells.filter((c) => c.day >= from && c.day <= to).map((c) => c.measures));

describe('survey facts', () => {
  it('counts a survey as sent on the local day it was sent and answered, with its scores, on the day of the answer', () => {
    // Sent 23:30 Beijing on the 2nd, answered 01:00 on the 3rd.
    const cells = surveyCellsOf(
      countSurvey(
        survey({ sentAt: new Date('2026-11-02T15:30:00Z'), answeredAt: new Date('2026-11-02T17:00:00Z') }),
        TZ,
      ),
    );
    expect(cells).toEqual([
      { ...dims, day: '2026-11-02', measures: { sent: 1 } },
      { ...dims, day: '2026-11-03', measures: { answered: 1, csat_4: 1, nps_9: 1 } },
    ]);
    expect(sumDays(cells, '2026-11-02', '2026-11-02')).toMatchObject({ sent: 1, answered: 0 });
    expect(sumDays(cells, '2026-11-03', '2026-11-03').csat).toEqual({ 1: 0, 2: 0, 3: 0, 4: 1, 5: 0 });
  });

  it('counts nothing for a survey not sent, and no answer without a send, as the raw count does', () => {
    expect(surveyCellsOf(countSurvey(survey({ sentAt: null, answeredAt: null, csat: null, nps: null }), TZ))).toEqual(
      [],
    );
    // An answer without a send still gives its scores, but no answered count (no response rate without a send).
    expect(surveyCellsOf(countSurvey(survey({ sentAt: null }), TZ))).toEqual([
      { ...dims, day: '2026-11-02', measures: { csat_4: 1, nps_9: 1 } },
    ]);
    // Scores out of range are not counted.
    expect(surveyCellsOf(countSurvey(survey({ csat: 7, nps: 11 }), TZ))).toEqual([
      { ...dims, day: '2026-11-02', measures: { sent: 1, answered: 1 } },
    ]);
  });

  it('moves a survey from nothing to sent to answered to answered with NPS by differences that sum to its final cells', () => {
    const steps = [
      null,
      survey({ answeredAt: null, csat: null, nps: null }),
      survey({ nps: null, answeredAt: new Date('2026-11-05T02:00:00Z') }),
      survey({ answeredAt: new Date('2026-11-05T02:00:00Z') }),
    ];
    const added: SurveyCell[] = [];
    for (let i = 1; i < steps.length; i++)
      added.push(
        ...surveyCellDelta(
          steps[i - 1] ? surveyCellsOf(countSurvey(steps[i - 1]!, TZ)) : [],
          surveyCellsOf(countSurvey(steps[i]!, TZ)),
        ),
      );
    const total = (cells: SurveyCell[]) => surveyFactsOf(cells.map((c) => c.measures));
    expect(total(added)).toEqual(total(surveyCellsOf(countSurvey(steps[3]!, TZ))));
    expect(sumDays(added, '2026-11-05', '2026-11-05')).toMatchObject({ sent: 0, answered: 1 });
  });

  it('keeps the per-dimension sums equal to the full cells for any set of surveys', () => {
    const arb = fc.record({
      teamId: fc.constantFrom('', 't1', 't2'),
      agentId: fc.constantFrom('', 'a1'),
      type: fc.constantFrom('fault', 'complaint'),
      categoryId: fc.constantFrom('', 'c1'),
      channel: fc.constantFrom('hotline', 'app'),
      region: fc.constantFrom('', '深圳'),
      sentAt: fc.option(fc.date({ min: new Date('2026-01-01'), max: new Date('2026-03-01'), noInvalidDate: true })),
      answeredAt: fc.option(fc.date({ min: new Date('2026-01-01'), max: new Date('2026-03-01'), noInvalidDate: true })),
      csat: fc.option(fc.integer({ min: 1, max: 5 })),
      nps: fc.option(fc.integer({ min: 0, max: 10 })),
    });
    fc.assert(
      fc.property(fc.array(arb, { maxLength: 20 }), (list) => {
        const cells = list.flatMap((s) => surveyCellsOf(countSurvey(s as SurveyRecord, TZ)));
        const marginals = surveyMarginalsOf(cells);
        const full = surveyFactsOf(cells.map((c) => c.measures));
        for (const dim of ['', 'team', 'agent', 'type', 'category', 'channel', 'region'] as const)
          expect(surveyFactsOf(marginals.filter((m) => m.dim === dim).map((m) => m.measures))).toEqual(full);
        const t1 = surveyFactsOf(cells.filter((c) => c.teamId === 't1').map((c) => c.measures));
        expect(
          surveyFactsOf(marginals.filter((m) => m.dim === 'team' && m.key === 't1').map((m) => m.measures)),
        ).toEqual(t1);
      }),
    );
  });

  it('names every CSAT and NPS score as a measure', () => {
    expect(SURVEY_MEASURES).toEqual([
      'sent',
      'answered',
      'csat_1',
      'csat_2',
      'csat_3',
      'csat_4',
      'csat_5',
      ...Array.from({ length: 11 }, (_, i) => `nps_${i}`),
    ]);
  });
});
