import { describe, expect, it } from 'vitest';
import { bucketOf, bucketsBetween, instantsOf, periodDays, periodKeyOf } from './periods.js';
import { issueWords, risingFastest } from './hot-issues.js';

describe('periods and buckets', () => {
  it('buckets days by day, ISO week (Monday) and month', () => {
    expect(bucketOf('2026-11-29', 'week')).toBe('2026-11-23'); // a Sunday
    expect(bucketOf('2026-11-30', 'week')).toBe('2026-11-30');
    expect(bucketOf('2026-11-30', 'month')).toBe('2026-11');
    expect(bucketsBetween('2026-11-28', '2026-12-02', 'week')).toEqual(['2026-11-23', '2026-11-30']);
    expect(bucketsBetween('2026-11-28', '2026-11-30', 'day')).toEqual(['2026-11-28', '2026-11-29', '2026-11-30']);
  });

  it('gives the days of a month, a quarter and a year, and refuses malformed keys', () => {
    expect(periodDays('month', '2026-02')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(periodDays('quarter', '2026-Q4')).toEqual({ from: '2026-10-01', to: '2026-12-31' });
    expect(periodDays('year', '2026')).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(periodDays('month', '2026-13')).toBeNull();
    expect(periodKeyOf('quarter', '2026-11-28')).toBe('2026-Q4');
  });

  it('turns local days into instants at Beijing midnight', () => {
    expect(instantsOf('2026-11-01', '2026-11-30', 'Asia/Shanghai')).toEqual({
      start: new Date('2026-10-31T16:00:00Z'),
      end: new Date('2026-11-30T16:00:00Z'),
    });
  });
});

describe('hot issues', () => {
  it('lists what rose most week over week, with its share of this week’s contacts', () => {
    const thisWeek = new Map([
      ['资费', 30],
      ['宽带', 12],
      ['掉线', 5],
      ['副卡', 1],
    ]);
    const lastWeek = new Map([
      ['资费', 10],
      ['宽带', 15],
      ['副卡', 0],
    ]);
    expect(risingFastest(thisWeek, lastWeek, 100, { limit: 5, minCount: 2 })).toEqual([
      { key: '资费', thisWeek: 30, lastWeek: 10, increase: 20, growth: 2, share: 0.3 },
      { key: '掉线', thisWeek: 5, lastWeek: 0, increase: 5, growth: null, share: 0.05 },
    ]);
  });
});

describe('issue words', () => {
  it('keeps jieba words of two or more characters, without stop words or numbers', () => {
    expect(issueWords('请问 宽带 掉线 的 宽带 12345 Fiber 工信部 工信')).toEqual([
      '宽带',
      '掉线',
      'fiber',
      '工信部',
      '工信',
    ]);
  });
});
