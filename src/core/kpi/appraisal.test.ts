import { describe, expect, it } from 'vitest';
import { agentBases, appraise, componentScores, rank, scoresFromBases } from './appraisal.js';
import { DEFAULT_KPI_SETTINGS, weightProblems } from './settings.js';

// The first handbook's weights (no QA component).
const W = {
  satisfaction: 30,
  response_time: 25,
  resolution_rate: 20,
  handling_time: 15,
  complaint_rate: 10,
  qa_score: 0,
};

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

  it('defaults to QA 30 % with the other handbook’s weights sharing the other 70 % in proportion', () => {
    const d = DEFAULT_KPI_SETTINGS.weights;
    expect(d.qa_score).toBe(30);
    expect(weightProblems(d)).toEqual([]);
    expect(d.satisfaction / d.response_time).toBeCloseTo(30 / 25);
    const scores = {
      satisfaction: 80,
      response_time: 60,
      resolution_rate: 90,
      handling_time: 100,
      complaint_rate: 50,
      qa_score: 90,
    };
    // 0.7 × 77 + 0.3 × 90 = 53.9 + 27 = 80.9
    expect(appraise(scores, d).score).toBe(80.9);
  });

  it('computes each component from the agent’s facts, and leaves out a component without facts', () => {
    const bases = agentBases({
      measures: { resolved: 10, fcr: 8, within_target: 9 },
      firstResponse: { met: 3, breached: 1 },
      csat: { sum: 18, answers: 4 },
      complaints: 1,
      quality: { reviews: 0, score_tenths: 0 },
    });
    expect(bases.satisfaction).toEqual({ value: 4.5, numerator: 18, denominator: 4 });
    expect(bases.complaint_rate).toEqual({ value: 0.1, numerator: 1, denominator: 10 });
    expect(scoresFromBases(bases)).toEqual({
      satisfaction: 87.5,
      response_time: 75,
      resolution_rate: 80,
      handling_time: 90,
      complaint_rate: 90,
      qa_score: null,
    });
    const a = appraise(scoresFromBases(bases), DEFAULT_KPI_SETTINGS.weights);
    // (21·87.5 + 17.5·75 + 14·80 + 10.5·90 + 7·90) / 70 = (1837.5 + 1312.5 + 1120 + 945 + 630) / 70 = 83.5
    expect(a.score).toBe(83.5);
    expect(a.redistributed).toEqual(['qa_score']);
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
