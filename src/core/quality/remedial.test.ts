import { describe, expect, it } from 'vitest';
import { countsAsFailure, needsRemedialCourse, type RemedialSettings, type ReviewOutcome } from './remedial.js';

const day = (d: number) => new Date(Date.UTC(2026, 10, d, 2));
const failed = (d: number, over: Partial<ReviewOutcome> = {}): ReviewOutcome => ({
  submittedAt: day(d),
  passed: false,
  criticalFailed: false,
  decision: null,
  finalScore: 66.5,
  ...over,
});
const settings: RemedialSettings = { failures: 2, windowDays: 30, courseCode: 'service_refresher' };

describe('a training course after repeated failed reviews', () => {
  it('assigns the course at the second failure within 30 days, not at the first', () => {
    expect(needsRemedialCourse([failed(20)], day(20), settings, 80)).toBe(false);
    expect(needsRemedialCourse([failed(2), failed(20)], day(20), settings, 80)).toBe(true);
  });

  it('does not count a failure older than the window', () => {
    // 20 Oct is 31 days before 20 Nov.
    const october = { ...failed(1), submittedAt: new Date(Date.UTC(2026, 9, 20, 2)) };
    expect(needsRemedialCourse([october, failed(20)], day(20), settings, 80)).toBe(false);
  });

  it('does not count a review whose dispute was upheld, or partly upheld to a pass', () => {
    expect(countsAsFailure(failed(3, { decision: 'accept', finalScore: 80 }), 80)).toBe(false);
    expect(countsAsFailure(failed(3, { decision: 'partly', finalScore: 82 }), 80)).toBe(false);
    expect(countsAsFailure(failed(3, { decision: 'partly', finalScore: 75 }), 80)).toBe(true);
    expect(countsAsFailure(failed(3, { decision: 'reject' }), 80)).toBe(true);
    expect(countsAsFailure(failed(3, { passed: true, finalScore: 90 }), 80)).toBe(false);
    expect(countsAsFailure(failed(3, { passed: false, criticalFailed: true, finalScore: 0 }), 80)).toBe(true);
    expect(
      needsRemedialCourse([failed(2, { decision: 'accept', finalScore: 85 }), failed(20)], day(20), settings, 80),
    ).toBe(false);
  });

  it('follows the settings: three failures, a shorter window, or no course at all', () => {
    const reviews = [failed(2), failed(12), failed(20)];
    expect(needsRemedialCourse(reviews, day(20), { ...settings, failures: 3 }, 80)).toBe(true);
    expect(needsRemedialCourse(reviews, day(20), { ...settings, failures: 3, windowDays: 10 }, 80)).toBe(false);
    expect(needsRemedialCourse(reviews, day(20), { ...settings, courseCode: null }, 80)).toBe(false);
  });
});
