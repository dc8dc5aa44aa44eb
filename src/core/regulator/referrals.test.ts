import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { surveySkipReason, DEFAULT_SURVEY_SETTINGS } from '../surveys/rules.js';
import { requiredCertifications } from '../routing/assignment.js';
import {
  alwaysInspected,
  appealMonth,
  appealsPerMillion,
  eligibilityHints,
  endOfDay,
  needsCertifiedHandler,
  referralClocks,
  type EligibilityFacts,
} from './referrals.js';

const facts = (f: Partial<EligibilityFacts> = {}): EligibilityFacts => ({
  category: 'user_service',
  appealedOn: '2026-11-20',
  matterOn: null,
  priorComplaints: [{ on: '2020-01-01', answered: true }],
  ...f,
});

describe('eligibility hints (电信用户申诉处理办法 2016)', () => {
  it('gives none for a customer who complained to the operator first and appealed in time', () => {
    expect(eligibilityHints(facts({ matterOn: '2026-09-30' }))).toEqual([]);
  });
  it('hints when the customer had not complained to the operator first (Art. 10)', () => {
    expect(eligibilityHints(facts({ priorComplaints: [] }))).toEqual(['no_prior_complaint']);
  });
  it('does not count a complaint made after the appeal as a prior complaint', () => {
    expect(eligibilityHints(facts({ priorComplaints: [{ on: '2026-11-21', answered: false }] }))).toEqual([
      'no_prior_complaint',
    ]);
  });
  it('hints on day 14 after an unanswered complaint, not on day 15 (Art. 10)', () => {
    const complaint = [{ on: '2026-11-06', answered: false }];
    expect(eligibilityHints(facts({ appealedOn: '2026-11-20', priorComplaints: complaint }))).toEqual([
      'complained_recently',
    ]);
    expect(eligibilityHints(facts({ appealedOn: '2026-11-21', priorComplaints: complaint }))).toEqual([]);
    expect(eligibilityHints(facts({ appealedOn: '2026-11-06', priorComplaints: complaint }))).toEqual([
      'complained_recently',
    ]);
  });
  it('gives no "too soon" hint when the operator already answered (the customer was dissatisfied)', () => {
    expect(
      eligibilityHints(facts({ appealedOn: '2026-11-10', priorComplaints: [{ on: '2026-11-06', answered: true }] })),
    ).toEqual([]);
  });
  it('hints on a fee dispute more than 5 months old, not one exactly 5 months old (Art. 11)', () => {
    const fee = (matterOn: string) => eligibilityHints(facts({ category: 'fee_dispute', matterOn }));
    expect(fee('2026-06-20')).toEqual([]);
    expect(fee('2026-06-19')).toEqual(['fee_dispute_too_old']);
  });
  it('counts months to the end of a shorter month (31 March → 31 August; 31 October → 31 March)', () => {
    expect(
      eligibilityHints(facts({ category: 'fee_dispute', matterOn: '2026-03-31', appealedOn: '2026-08-31' })),
    ).toEqual([]);
    expect(
      eligibilityHints(facts({ category: 'fee_dispute', matterOn: '2026-03-31', appealedOn: '2026-09-01' })),
    ).toEqual(['fee_dispute_too_old']);
    expect(
      eligibilityHints(
        facts({
          category: 'fee_dispute',
          matterOn: '2025-10-31',
          appealedOn: '2026-03-31',
          priorComplaints: [{ on: '2026-01-01', answered: true }],
        }),
      ),
    ).toEqual([]);
  });
  it('gives other matters 2 years: exactly 2 years is in time, a day more is not (Art. 11)', () => {
    const other = (matterOn: string) => eligibilityHints(facts({ category: 'network_quality', matterOn }));
    expect(other('2024-11-20')).toEqual([]);
    expect(other('2024-11-19')).toEqual(['matter_too_old']);
    // A fee dispute of the same age is long past its 5 months.
    expect(eligibilityHints(facts({ category: 'fee_dispute', matterOn: '2024-11-20' }))).toEqual([
      'fee_dispute_too_old',
    ]);
  });
  it('handles the leap day: a matter of 29 Feb 2024 is 2 years old on 28 Feb 2026', () => {
    const other = (appealedOn: string) =>
      eligibilityHints(
        facts({
          category: 'user_service',
          matterOn: '2024-02-29',
          appealedOn,
          priorComplaints: [{ on: '2024-03-01', answered: true }],
        }),
      );
    expect(other('2026-02-28')).toEqual([]);
    expect(other('2026-03-01')).toEqual(['matter_too_old']);
  });
  it('never hints a matter too old when it happened on or after the previous year’s same day (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 365 }), (daysBack) => {
        const appealed = new Date(Date.UTC(2026, 10, 20));
        const matter = new Date(appealed.getTime() - daysBack * 86_400_000).toISOString().slice(0, 10);
        return !eligibilityHints(facts({ category: 'network_quality', matterOn: matter })).includes('matter_too_old');
      }),
    );
  });
});

describe('referral clocks', () => {
  it('gives the first contact the setting’s hours and the report the time to the end of the deadline day in Shanghai', () => {
    const now = new Date('2026-11-20T02:00:00Z'); // 10:00 in Shanghai
    const c = referralClocks('2026-11-25', now, { firstContactHours: 24 }, 'Asia/Shanghai');
    expect(c.contactMinutes).toBe(24 * 60);
    expect(c.reportDueAt.toISOString()).toBe('2026-11-25T16:00:00.000Z');
    expect(c.reportMinutes).toBe((5 * 24 + 14) * 60);
  });
  it('gives a deadline already past a one-minute clock that breaches at once', () => {
    const c = referralClocks(
      '2026-11-01',
      new Date('2026-11-20T02:00:00Z'),
      { firstContactHours: 24 },
      'Asia/Shanghai',
    );
    expect(c.reportMinutes).toBe(1);
  });
  it('refuses a day that does not exist', () => {
    expect(() => endOfDay('2026-02-30', 'Asia/Shanghai')).toThrow(RangeError);
  });
});

describe('handling rules of a regulator case', () => {
  it('is always quality-inspected (the flag QA sampling reads is the regulator channel)', () => {
    expect(alwaysInspected('regulator')).toBe(true);
    expect(alwaysInspected('hotline')).toBe(false);
  });
  it('needs a certified complaint specialist, whatever its grade or the customer’s tier', () => {
    expect(needsCertifiedHandler('regulator')).toBe(true);
    expect(
      requiredCertifications({ type: 'complaint', grade: 'general', customerTier: 'regular', channel: 'regulator' }),
    ).toEqual(['complaint_specialist']);
    expect(
      requiredCertifications({ type: 'complaint', grade: 'general', customerTier: 'regular', channel: 'app' }),
    ).toEqual([]);
  });
  it('gets no satisfaction survey when it is resolved (it is answered to the regulator)', () => {
    const reason = surveySkipReason(
      { channel: 'regulator', mergedIntoId: null, optedOut: false, lastSurveyAt: null },
      DEFAULT_SURVEY_SETTINGS,
      new Date('2026-11-20T02:00:00Z'),
    );
    expect(reason).toBe('regulator');
  });
});

describe('regulator figures', () => {
  it('counts an appeal in the month it was received', () => {
    expect(appealMonth('2026-11-30')).toBe('2026-11');
  });
  it('computes appeals per million subscribers, with none for no subscribers', () => {
    expect(appealsPerMillion(37, 12_500_000)).toBe(2.96);
    expect(appealsPerMillion(3, 0)).toBeNull();
  });
});
