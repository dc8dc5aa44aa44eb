import { describe, expect, it } from 'vitest';
import { certificationExpiry, certificationState, examOutcome, reminderHorizon } from './training.js';

describe('exams and certifications', () => {
  it('passes a score at or above the pass mark by someone who attended, and no exam without a score', () => {
    expect(examOutcome({ attended: true, examScore: 80 }, 80)).toEqual({ passed: true });
    expect(examOutcome({ attended: true, examScore: 79 }, 80)).toEqual({ passed: false });
    expect(examOutcome({ attended: false, examScore: 95 }, 80)).toEqual({ passed: false });
    expect(examOutcome({ attended: true, examScore: null }, 80)).toEqual({ passed: null });
  });

  it('expires the given number of calendar months after issue, in the service time zone', () => {
    // 31 January in Shanghai (16:00 UTC the day before) + 1 month = the last day of February there.
    expect(certificationExpiry(new Date('2026-01-30T16:00:00Z'), 1, 'Asia/Shanghai').toISOString()).toBe(
      '2026-02-27T16:00:00.000Z',
    );
    expect(certificationExpiry(new Date('2026-11-20T02:00:00Z'), 12, 'Asia/Shanghai').toISOString()).toBe(
      '2027-11-20T02:00:00.000Z',
    );
  });

  it('is valid, expiring within the 30-day reminder window, then expired at the expiry instant', () => {
    const expires = new Date('2027-11-20T02:00:00Z');
    const at = (iso: string) => certificationState(expires, new Date(iso));
    expect(at('2027-10-20T01:59:59Z')).toBe('valid');
    expect(at('2027-10-21T02:00:00Z')).toBe('expiring');
    expect(at('2027-11-20T01:59:59Z')).toBe('expiring');
    expect(at('2027-11-20T02:00:00Z')).toBe('expired');
    expect(certificationState(null, new Date('2099-01-01T00:00:00Z'))).toBe('valid');
    expect(reminderHorizon(new Date('2027-10-21T02:00:00Z')).toISOString()).toBe('2027-11-20T02:00:00.000Z');
  });
});
