import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextProblemStatus, problemMetric, surveyProblemTopics } from './problems.js';
import { lowRatings, SURVEY_DIMENSIONS } from './rules.js';

const S = { lowRating: 2 };

describe('surveyProblemTopics', () => {
  it('names each low dimension, and the comment when a rating is low', () => {
    expect(surveyProblemTopics({ csat: 2, attitude: 1, speed: 4 }, '态度冷淡', S)).toEqual(['attitude', 'comment']);
    expect(surveyProblemTopics({ csat: 4, convenience: 2 }, null, S)).toEqual(['convenience']);
  });

  it('raises nothing for a low overall score alone, or a comment under good scores', () => {
    expect(surveyProblemTopics({ csat: 1 }, '', S)).toEqual([]);
    expect(surveyProblemTopics({ csat: 1 }, '   ', S)).toEqual([]);
    expect(surveyProblemTopics({ csat: 5, quality: 4 }, '师傅很专业', S)).toEqual([]);
  });

  it('raises a problem only for an answer that is a low rating (so it always comes with a callback)', () => {
    const score = fc.option(fc.integer({ min: 1, max: 5 }), { nil: null });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.record(Object.fromEntries(SURVEY_DIMENSIONS.map((d) => [d, score]))),
        fc.option(fc.string(), { nil: null }),
        (csat, dims, comment) => {
          const scores = { csat, ...dims };
          const topics = surveyProblemTopics(scores, comment, S);
          if (topics.length > 0) expect(lowRatings(scores, S).length).toBeGreaterThan(0);
          expect(new Set(topics).size).toBe(topics.length);
        },
      ),
    );
  });
});

describe('nextProblemStatus', () => {
  it('moves open → handling → closed, and closes straight from open', () => {
    expect(nextProblemStatus('open', 'handle')).toBe('handling');
    expect(nextProblemStatus('handling', 'handle')).toBe('handling');
    expect(nextProblemStatus('handling', 'close')).toBe('closed');
    expect(nextProblemStatus('open', 'close')).toBe('closed');
  });

  it('refuses anything on a closed problem', () => {
    expect(() => nextProblemStatus('closed', 'handle')).toThrow(
      expect.objectContaining({ code: 'survey_problem.closed' }),
    );
  });

  it('names its two clocks apart from the ticket’s own', () => {
    expect(problemMetric('p1', 'response')).toBe('survey_problem:p1:response');
    expect(problemMetric('p1', 'resolution')).toBe('survey_problem:p1:resolution');
  });
});
