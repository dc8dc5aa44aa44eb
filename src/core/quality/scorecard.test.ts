import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.js';
import { DEFAULT_SCORECARD, itemsOf, scorecardProblems, scoreReview, type ScorecardDefinition } from './scorecard.js';

const full = (def: ScorecardDefinition) => itemsOf(def).map((i) => ({ itemId: i.id, points: i.maxPoints }));
const withPoints = (def: ScorecardDefinition, points: Record<string, number>) =>
  full(def).map((s) => (s.itemId in points ? { ...s, points: points[s.itemId]! } : s));

const small: ScorecardDefinition = {
  sections: [
    {
      id: 's',
      label: { zh: '甲', en: 'A' },
      items: [
        { id: 'a', label: { zh: 'a', en: 'a' }, kind: 'normal', weight: 3, maxPoints: 10 },
        { id: 'b', label: { zh: 'b', en: 'b' }, kind: 'normal', weight: 1, maxPoints: 5 },
        { id: 'red', label: { zh: 'r', en: 'r' }, kind: 'critical', weight: 0, maxPoints: 1, threshold: 100 },
        { id: 'plus', label: { zh: 'p', en: 'p' }, kind: 'bonus', weight: 0, maxPoints: 2, bonusPoints: 10 },
      ],
    },
  ],
};

describe('the review score', () => {
  it('is Σ(normalised score × weight) / Σ weights', () => {
    // a: 6/10 = 60 × 3, b: 5/5 = 100 × 1 → (180 + 100) / 4 = 70
    const r = scoreReview(small, withPoints(small, { a: 6, plus: 0 }), 80);
    expect(r).toMatchObject({ weighted: 70, bonus: 0, score: 70, criticalFailed: false, passed: false });
    expect(r.items.find((i) => i.itemId === 'a')).toMatchObject({ points: 6, normalised: 60 });
  });

  it('adds bonus points pro rata on top of the weighted average, capped at 100', () => {
    expect(scoreReview(small, withPoints(small, { a: 6, plus: 1 }), 80)).toMatchObject({ bonus: 5, score: 75 });
    expect(scoreReview(small, withPoints(small, { a: 9, plus: 2 }), 80)).toMatchObject({
      weighted: 92.5,
      bonus: 10,
      score: 100,
      passed: true,
    });
  });

  it('is 0 and failed when a critical item is below its threshold, whatever the other items', () => {
    const r = scoreReview(small, withPoints(small, { red: 0, plus: 2 }), 80);
    expect(r).toMatchObject({ score: 0, criticalFailed: true, passed: false, weighted: 100 });
    expect(r.items.find((i) => i.itemId === 'red')?.criticalFailed).toBe(true);
  });

  it('passes at exactly the pass mark', () => {
    // a 8/10, b 4/5 → 80
    expect(scoreReview(small, withPoints(small, { a: 8, b: 4, plus: 0 }), 80)).toMatchObject({
      score: 80,
      passed: true,
    });
  });

  it('refuses scores that do not fit the scorecard, listing every problem', () => {
    const bad = [
      { itemId: 'a', points: 11 },
      { itemId: 'nope', points: 1 },
    ];
    try {
      scoreReview(small, bad, 80);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('qa.scores_invalid');
      expect((err as AppError).details).toEqual({
        problems: [
          'unknown item nope',
          'item a must be scored 0–10',
          'item b is not scored',
          'item red is not scored',
          'item plus is not scored',
        ],
      });
    }
  });

  it('gives 100 for full marks on the handbook scorecard and 0 when identity was not verified', () => {
    expect(scoreReview(DEFAULT_SCORECARD, withPoints(DEFAULT_SCORECARD, { beyond: 0 }), 80).score).toBe(100);
    expect(scoreReview(DEFAULT_SCORECARD, withPoints(DEFAULT_SCORECARD, { identity_check: 0 }), 80)).toMatchObject({
      score: 0,
      criticalFailed: true,
    });
  });
});

describe('scorecard definitions', () => {
  it('accepts the handbook scorecard', () => {
    expect(scorecardProblems(DEFAULT_SCORECARD)).toEqual([]);
  });

  it('names duplicate ids, critical items without threshold, bonus items without points and a card with no weight', () => {
    const def: ScorecardDefinition = {
      sections: [
        {
          id: 's',
          label: { zh: '甲', en: 'A' },
          items: [
            { id: 'x', label: { zh: 'x', en: 'x' }, kind: 'critical', weight: 0, maxPoints: 1 },
            { id: 'x', label: { zh: 'x', en: 'x' }, kind: 'bonus', weight: 0, maxPoints: 1 },
          ],
        },
      ],
    };
    expect(scorecardProblems(def)).toEqual([
      'duplicate id x',
      'item x: a critical item needs a threshold above 0 and at most 100',
      'item x: a bonus item needs bonusPoints above 0 and at most 20',
      'at least one normal or critical item needs a weight above 0',
    ]);
  });
});
