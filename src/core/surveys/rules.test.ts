import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SURVEY_SETTINGS as S,
  lowRatings,
  questionAnswered,
  readSmsSurveyReply,
  surveyMode,
  surveySendAfter,
  surveySkipReason,
  type SurveyFacts,
} from './rules.js';

const now = new Date('2026-11-28T04:00:00Z');
const facts = (f: Partial<SurveyFacts> = {}): SurveyFacts => ({
  channel: 'sms',
  mergedIntoId: null,
  optedOut: false,
  lastSurveyAt: null,
  ...f,
});
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);

describe('who gets a satisfaction survey', () => {
  it('surveys a resolved ticket of a customer with no recent survey', () => {
    expect(surveySkipReason(facts(), S, now)).toBeNull();
  });
  it('skips a customer whose number opted out', () => {
    expect(surveySkipReason(facts({ optedOut: true }), S, now)).toBe('opted_out');
  });
  it('skips a ticket merged into another one', () => {
    expect(surveySkipReason(facts({ mergedIntoId: '0190a0a0-0000-7000-8000-000000000000' }), S, now)).toBe('merged');
  });
  it('skips regulator-referred cases', () => {
    expect(surveySkipReason(facts({ channel: 'regulator' }), S, now)).toBe('regulator');
  });
  it('holds the frequency cap: no second survey within the cap days, one again after them', () => {
    expect(surveySkipReason(facts({ lastSurveyAt: daysAgo(29) }), S, now)).toBe('frequency_cap');
    expect(surveySkipReason(facts({ lastSurveyAt: daysAgo(30) }), S, now)).toBeNull();
    expect(surveySkipReason(facts({ lastSurveyAt: daysAgo(5) }), { ...S, capDays: 3 }, now)).toBeNull();
  });
  it('sends the survey the configured delay after the resolution', () => {
    expect(surveySendAfter(now, S).toISOString()).toBe('2026-11-28T06:00:00.000Z');
  });
});

describe('reading an SMS reply to a survey', () => {
  it('reads a lone number 0–10 as a score, full-width digits too', () => {
    expect(readSmsSurveyReply(' 4 ')).toEqual({ kind: 'score', value: 4 });
    expect(readSmsSurveyReply('５')).toEqual({ kind: 'score', value: 5 });
    expect(readSmsSurveyReply('0')).toEqual({ kind: 'score', value: 0 });
    expect(readSmsSurveyReply('１０')).toEqual({ kind: 'score', value: 10 });
  });
  it('reads TD and 退订 as an opt-out', () => {
    expect(readSmsSurveyReply('td')).toEqual({ kind: 'opt_out' });
    expect(readSmsSurveyReply('退订')).toEqual({ kind: 'opt_out' });
  });
  it('treats anything else as an ordinary message', () => {
    for (const text of ['11', '45', '05', '3 stars', '网络还是不行', 'TD please', '-1'])
      expect(readSmsSurveyReply(text)).toEqual({ kind: 'message' });
  });
});

describe('which pending question a score answers', () => {
  const at = (m: number) => new Date(Date.UTC(2026, 10, 28, 8, m));
  const csatA = { surveyId: 'a', question: 'csat' as const, askedAt: at(0) };
  const npsB = { surveyId: 'b', question: 'nps' as const, askedAt: at(5) };
  const csatC = { surveyId: 'c', question: 'csat' as const, askedAt: at(10) };
  it('answers the newest asked question the score fits', () => {
    expect(questionAnswered(3, [csatA, npsB])).toBe(npsB);
    expect(questionAnswered(3, [csatA, npsB, csatC])).toBe(csatC);
    expect(questionAnswered(9, [csatA, npsB, csatC])).toBe(npsB);
    expect(questionAnswered(0, [csatA, csatC])).toBeNull();
    expect(questionAnswered(2, [])).toBeNull();
  });
  it('always picks a question that takes the score', () => {
    const q = fc.record({
      surveyId: fc.uuid(),
      question: fc.constantFrom('csat' as const, 'nps' as const),
      askedAt: fc.date({ min: at(0), max: at(600), noInvalidDate: true }),
    });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 }), fc.array(q, { maxLength: 6 }), (value, pending) => {
        const picked = questionAnswered(value, pending);
        const fitting = pending.filter((p) => (p.question === 'csat' ? value >= 1 && value <= 5 : true));
        if (fitting.length === 0) return picked === null;
        return (
          picked !== null &&
          fitting.includes(picked) &&
          fitting.every((p) => p.askedAt.getTime() <= picked.askedAt.getTime())
        );
      }),
    );
  });
});

describe('low ratings', () => {
  it('names CSAT or any dimension at or below the threshold', () => {
    expect(lowRatings({ csat: 2 }, S)).toEqual(['csat']);
    expect(lowRatings({ csat: 5, attitude: 1, speed: 4 }, S)).toEqual(['attitude']);
    expect(lowRatings({ csat: 3, nps: 0 }, S)).toEqual([]);
  });
});

describe('how a survey is answered', () => {
  it('asks phone and SMS customers for a digit by SMS, online customers through a link', () => {
    expect(surveyMode('hotline', 'sms')).toBe('sms_digit');
    expect(surveyMode('sms', 'sms')).toBe('sms_digit');
    expect(surveyMode('web', 'sms')).toBe('link');
    expect(surveyMode('email', 'email')).toBe('link');
    expect(surveyMode('hotline', 'wechat')).toBe('link');
  });
});
