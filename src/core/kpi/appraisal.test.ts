import { describe, expect, it } from 'vitest';
import { appraise, componentScores, rank } from './appraisal.js';
import { DEFAULT_KPI_SETTINGS } from './settings.js';

const W = DEFAULT_KPI_SETTINGS.weights;

describe('agent appraisal', () => {
  it('weights the component scores with the handbook weights', () => {
    const scores = {
      satisfaction: 80,
      response_time: 60,
      resolution_rate: 90,
      handling_time: 100,
      complaint_rate: 50,
      qa_score: null,
    };
    // 0.3×80 + 0.25×60 + 0.2×90 + 0.15×100 + 0.1×50 = 24 + 15 + 18 + 15 + 5 = 77
    const a = appraise(scores, W);
    expect(a.score).toBe(77);
    expect(a.redistributed).toEqual([]);
    expect(a.parts.map((p) => p.component)).toEqual([
      'satisfaction',
      'response_time',
      'resolution_rate',
      'handling_time',
      'complaint_rate',
    ]);
  });

  it('shares a missing component’s weight among the others in proportion and says so', () => {
    const scores = {
      satisfaction: 80,
      response_time: 60,
      resolution_rate: 90,
      handling_time: 100,
      complaint_rate: null,
      qa_score: null,
    };
    const a = appraise(scores, W);
    // (24 + 15 + 18 + 15) / 0.9 = 80
    expect(a.score).toBe(80);
    expect(a.redistributed).toEqual(['complaint_rate']);
    expect(a.parts.find((p) => p.component === 'satisfaction')).toMatchObject({ weight: 30, effectiveWeight: 33.33 });
    expect(a.parts.find((p) => p.component === 'complaint_rate')).toMatchObject({
      score: null,
      effectiveWeight: 0,
      points: 0,
    });
  });

  it('has no score when no component has data', () => {
    const none = {
      satisfaction: null,
      response_time: null,
      resolution_rate: null,
      handling_time: null,
      complaint_rate: null,
      qa_score: null,
    };
    expect(appraise(none, W).score).toBeNull();
  });

  it('maps KPI values to 0–100 scores (CSAT 1–5 onto 0–100)', () => {
    expect(
      componentScores({
        csatMean: 4.5,
        firstResponseCompliance: 0.9,
        fcr: 0.85,
        handlingWithinTarget: 1,
        complaintFree: null,
        qaScore: 88,
      }),
    ).toEqual({
      satisfaction: 87.5,
      response_time: 90,
      resolution_rate: 85,
      handling_time: 100,
      complaint_rate: null,
      qa_score: 88,
    });
  });

  it('ranks highest first, equal scores share a rank, no score is unranked and last', () => {
    const ranked = rank([
      { name: '李', score: 70 },
      { name: '王', score: null },
      { name: '张', score: 90 },
      { name: '赵', score: 70 },
    ]);
    expect(ranked.map((r) => [r.name, r.rank])).toEqual([
      ['张', 1],
      ['李', 2],
      ['赵', 2],
      ['王', null],
    ]);
  });
});
