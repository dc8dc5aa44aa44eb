import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.js';
import { assertAgentMayRespond, calibrationSpread, decideDispute, needsCoaching, reviewAbilities } from './reviews.js';

const code = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return (err as AppError).code;
  }
  return null;
};
const due = new Date('2026-11-25T10:00:00Z');
const review = { status: 'submitted' as const, respondBy: due, decideBy: null, agentId: 'agent' };

describe('review responses and disputes', () => {
  it('lets the reviewed agent acknowledge or dispute until the window closes, and nobody else', () => {
    expect(reviewAbilities(review, { id: 'agent', supervises: false }, due)).toEqual(['acknowledge', 'dispute']);
    expect(reviewAbilities(review, { id: 'agent', supervises: false }, new Date(due.getTime() + 1))).toEqual([]);
    expect(reviewAbilities(review, { id: 'other', supervises: true }, due)).toEqual([]);
    expect(code(() => assertAgentMayRespond(review, new Date(due.getTime() + 1)))).toBe('qa.dispute_window_closed');
    expect(code(() => assertAgentMayRespond({ ...review, status: 'acknowledged' }, due))).toBe('qa.review_not_open');
  });

  it('lets a supervisor other than the agent decide an open dispute', () => {
    const disputed = { ...review, status: 'disputed' as const };
    expect(reviewAbilities(disputed, { id: 'sup', supervises: true }, due)).toEqual(['decide']);
    expect(reviewAbilities(disputed, { id: 'agent', supervises: true }, due)).toEqual([]);
  });

  it('keeps the score on reject and takes the adjusted score on accept or partly', () => {
    const original = { score: 62, passed: false };
    expect(decideDispute(original, 'reject', null, 80)).toEqual({ finalScore: 62, passed: false });
    expect(decideDispute(original, 'partly', 75, 80)).toEqual({ finalScore: 75, passed: false });
    expect(decideDispute(original, 'accept', 90, 80)).toEqual({ finalScore: 90, passed: true });
    expect(code(() => decideDispute(original, 'accept', 70, 80))).toBe('qa.adjusted_score_invalid');
    expect(code(() => decideDispute(original, 'partly', 60, 80))).toBe('qa.adjusted_score_invalid');
    expect(code(() => decideDispute(original, 'partly', null, 80))).toBe('qa.adjusted_score_invalid');
    expect(code(() => decideDispute(original, 'reject', 70, 80))).toBe('qa.adjusted_score_invalid');
  });

  it('opens coaching for a review below the pass mark or with a failed critical item', () => {
    expect(needsCoaching({ passed: true, criticalFailed: false })).toBe(false);
    expect(needsCoaching({ passed: false, criticalFailed: false })).toBe(true);
    expect(needsCoaching({ passed: false, criticalFailed: true })).toBe(true);
  });

  it('shows the spread of calibration scores per item', () => {
    const spread = calibrationSpread([
      {
        score: 80,
        items: [
          { itemId: 'a', normalised: 80 },
          { itemId: 'b', normalised: 100 },
        ],
      },
      {
        score: 70,
        items: [
          { itemId: 'a', normalised: 50 },
          { itemId: 'b', normalised: 100 },
        ],
      },
      {
        score: 90,
        items: [
          { itemId: 'a', normalised: 60 },
          { itemId: 'b', normalised: 90 },
        ],
      },
    ]);
    expect(spread.items).toEqual([
      { itemId: 'a', min: 50, max: 80, range: 30, mean: 63.3 },
      { itemId: 'b', min: 90, max: 100, range: 10, mean: 96.7 },
    ]);
    expect(spread.score).toEqual({ min: 70, max: 90, range: 20, mean: 80 });
  });
});
