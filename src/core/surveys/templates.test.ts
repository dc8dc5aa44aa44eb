import { describe, expect, it } from 'vitest';
import {
  assertTemplateValid,
  DEFAULT_SURVEY_TEMPLATES,
  renderSurveyMessage,
  SURVEY_TEMPLATE_KINDS,
  surveyTemplateKind,
} from './templates.js';

const issues = (f: () => void) => {
  try {
    f();
    return null;
  } catch (e) {
    return { code: (e as { code: string }).code, issues: (e as { details: { issues: unknown[] } }).details.issues };
  }
};

describe('survey templates', () => {
  it('fills the placeholders, Chinese first, and leaves an empty language out', () => {
    const bodies = { zh: '工单 {ticketNumber} 请评价：{link}', en: 'Ticket {ticketNumber}: {link}' };
    expect(renderSurveyMessage(bodies, { ticketNumber: 'TS1', link: 'https://x/s' })).toBe(
      '工单 TS1 请评价：https://x/s / Ticket TS1: https://x/s',
    );
    expect(renderSurveyMessage({ zh: '工单 {ticketNumber}', en: '  ' }, { ticketNumber: 'TS1' })).toBe('工单 TS1');
    // A placeholder without a value stays as written rather than vanishing.
    expect(renderSurveyMessage({ zh: '{ticketNumber} {customer}' }, {})).toBe('{ticketNumber} {customer}');
  });

  it('needs {link} in every link text and refuses placeholders a kind cannot fill', () => {
    expect(issues(() => assertTemplateValid('email_link', { zh: '请评价：{link}', en: '' }))).toBeNull();
    expect(issues(() => assertTemplateValid('email_link', { zh: '请评价', en: 'Rate: {link}' }))).toEqual({
      code: 'survey_template.invalid',
      issues: [{ language: 'zh', problem: 'missing_placeholder', placeholder: 'link' }],
    });
    expect(issues(() => assertTemplateValid('sms_rating', { zh: '回复 1–5 {link}', en: 'Hi {name}' }))).toEqual({
      code: 'survey_template.invalid',
      issues: [
        { language: 'zh', problem: 'unknown_placeholder', placeholder: 'link' },
        { language: 'en', problem: 'unknown_placeholder', placeholder: 'name' },
      ],
    });
    expect(issues(() => assertTemplateValid('sms_nps', { zh: ' ', en: '' }))?.issues).toEqual([
      { language: 'zh', problem: 'empty' },
    ]);
  });

  it('ships valid defaults for every kind', () => {
    for (const kind of SURVEY_TEMPLATE_KINDS)
      expect(issues(() => assertTemplateValid(kind, DEFAULT_SURVEY_TEMPLATES[kind]))).toBeNull();
  });

  it('picks the template by how the survey is answered and the channel it goes out on', () => {
    expect(surveyTemplateKind('sms_digit', 'sms')).toBe('sms_rating');
    expect(surveyTemplateKind('link', 'sms')).toBe('sms_link');
    expect(surveyTemplateKind('link', 'email')).toBe('email_link');
    expect(surveyTemplateKind('link', 'wechat')).toBe('wechat_link');
    expect(surveyTemplateKind('link', 'app')).toBe('app_link');
  });
});
