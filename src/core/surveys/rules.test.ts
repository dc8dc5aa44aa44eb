import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SURVEY_SETTINGS as S,
  lowRatings,
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
  it('reads a lone digit 1–5 as a rating, full-width digits too', () => {
    expect(readSmsSurveyReply(' 4 ')).toEqual({ kind: 'rating', csat: 4 });
    expect(readSmsSurveyReply('５')).toEqual({ kind: 'rating', csat: 5 });
  });
  it('reads TD and 退订 as an opt-out', () => {
    expect(readSmsSurveyReply('td')).toEqual({ kind: 'opt_out' });
    expect(readSmsSurveyReply('退订')).toEqual({ kind: 'opt_out' });
  });
  it('treats anything else as an ordinary message', () => {
    for (const text of ['0', '6', '45', '3 stars', '网络还是不行', 'TD please'])
      expect(readSmsSurveyReply(text)).toEqual({ kind: 'message' });
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
