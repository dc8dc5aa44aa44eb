import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { suggestClassification, suggestGrade, type ClassifierCategory, type LabelledWords } from './classification.js';

const GRADES = ['general', 'major', 'urgent'];
const categories: ClassifierCategory[] = [
  { code: 'fault-slow', type: 'fault', keywords: [['网速'], ['很', '慢']] },
  { code: 'complaint-network', type: 'complaint', keywords: [['网络', '质量'], ['信号差']] },
  { code: 'complaint-billing', type: 'complaint', keywords: [['乱扣费'], ['退费']] },
  { code: 'inquiry-tariff', type: 'inquiry', keywords: [['资费'], ['套餐']] },
];
const suggest = (words: string[], neighbours: LabelledWords[] = []) =>
  suggestClassification({ words, categories, neighbours, grades: GRADES });

describe('classification suggestions', () => {
  it('takes 投诉 as a complaint even when the words describe a fault («我想投诉网速慢»)', () => {
    const s = suggest(['我', '想', '投诉', '网速', '慢'])!;
    expect(s.type.value).toBe('complaint');
    expect(s.type.cues).toContain('投诉');
    // No complaint category has evidence here: the fault category is only an alternative, and a
    // suggestion without a fitting category is never taken by itself.
    expect(s.categories.map((c) => c.code)).toEqual(['fault-slow']);
    expect(s.confidence).toBe(0);
    const withKeyword = suggestClassification({
      words: ['我', '想', '投诉', '网速', '慢'],
      categories: [...categories, { code: 'complaint-slow', type: 'complaint', keywords: [['网速']] }],
      neighbours: [],
      grades: GRADES,
    })!;
    expect(withKeyword.categories[0]!.code).toBe('complaint-slow');
    expect(withKeyword.confidence).toBeGreaterThan(0.5);
  });

  it('without 投诉 the same words are a fault report', () => {
    const s = suggest(['网速', '很', '慢'])!;
    expect(s.type.value).toBe('fault');
    expect(s.categories[0]).toMatchObject({ code: 'fault-slow', keywords: ['网速', '很慢'] });
  });

  it('suggests nothing when the words give no evidence', () => {
    expect(suggest(['你好'])).toBeNull();
    expect(suggest([])).toBeNull();
  });

  it('follows similar resolved tickets where no keyword matches', () => {
    const neighbours: LabelledWords[] = [
      { words: ['彩铃', '扣钱', '没订'], type: 'complaint', categoryCode: 'complaint-billing' },
      { words: ['彩铃', '扣钱'], type: 'complaint', categoryCode: 'complaint-billing' },
      { words: ['套餐', '价格'], type: 'inquiry', categoryCode: 'inquiry-tariff' },
    ];
    const s = suggest(['彩铃', '扣钱', '了'], neighbours)!;
    expect(s.categories[0]).toMatchObject({ code: 'complaint-billing', similar: 2, keywords: [] });
    expect(s.type.value).toBe('complaint');
  });

  it('grades a threat to go to the regulator or the press highest, repeat anger on a complaint in the middle', () => {
    expect(suggestGrade(['我', '要', '去', '工信部', '投诉'], 'complaint', GRADES)).toEqual({
      value: 'urgent',
      cues: ['工信部'],
    });
    expect(suggestGrade(['投诉', '三次', '没人', '处理'], 'complaint', GRADES).value).toBe('major');
    expect(suggestGrade(['问', '了', '三次', '资费'], 'inquiry', GRADES).value).toBe('general');
    // Only the configured grades: with two, the middle and the highest are the same.
    expect(suggestGrade(['曝光'], 'complaint', ['normal', 'severe']).value).toBe('severe');
  });

  it('keeps confidences between 0 and 1, at most three categories, the first of the suggested type', () => {
    const vocabulary = ['投诉', '网速', '很', '慢', '资费', '套餐', '乱扣费', '退费', '信号差', '请问', '办理', '你好'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...vocabulary), { maxLength: 12 }), (words) => {
        const s = suggest(words);
        if (!s) return;
        expect(s.confidence).toBeGreaterThanOrEqual(0);
        expect(s.confidence).toBeLessThanOrEqual(1);
        expect(s.type.confidence).toBeLessThanOrEqual(1);
        expect(s.categories.length).toBeLessThanOrEqual(3);
        for (const c of s.categories) expect(c.confidence).toBeLessThanOrEqual(1);
        const first = categories.find((c) => c.code === s.categories[0]?.code);
        if (first && s.confidence > 0) expect(first.type).toBe(s.type.value);
      }),
    );
  });
});
