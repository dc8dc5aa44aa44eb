import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { subjectFromText, SUBJECT_FROM_TEXT_LENGTH } from './subject.js';

describe('a subject taken from a customer’s words', () => {
  it('keeps a short text whole, on one line', () => {
    expect(subjectFromText('  宽带\n  断网了 ')).toBe('宽带 断网了');
  });

  it('marks a cut text with an ellipsis instead of stopping mid-phrase', () => {
    const text = 'My broadband has been down since last night, the modem light is blinking red';
    const subject = subjectFromText(text);
    expect(subject).toBe(`${text.slice(0, SUBJECT_FROM_TEXT_LENGTH - 1)}…`);
    expect([...subject]).toHaveLength(SUBJECT_FROM_TEXT_LENGTH);
  });

  it('never splits a character outside the basic plane', () => {
    const subject = subjectFromText('𠀀'.repeat(50), 10);
    expect(subject).toBe(`${'𠀀'.repeat(9)}…`);
  });

  it('is never longer than asked and is a prefix of the words, or the words themselves', () =>
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), fc.integer({ min: 2, max: 80 }), (text, max) => {
        const words = text.replace(/\s+/g, ' ').trim();
        const subject = subjectFromText(text, max);
        expect([...subject].length).toBeLessThanOrEqual(max);
        if (subject.endsWith('…') && !words.endsWith('…')) expect(words.startsWith(subject.slice(0, -1))).toBe(true);
        else expect(subject).toBe(words);
      }),
    ));
});
