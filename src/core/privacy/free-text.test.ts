import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskFreeText } from './free-text.js';

const FULL_WIDTH = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));

describe('masking numbers in free text', () => {
  it.each([
    ['我的手机13810000000打不通', '我的手机138****0000打不通'],
    ['回拨 138-1000-0000 谢谢', '回拨 138-****-0000 谢谢'],
    ['回拨 138 1000 0000 谢谢', '回拨 138 **** 0000 谢谢'],
    ['+86 138 1000 0000', '+86 138 **** 0000'],
    ['+8613810000000', '+86138****0000'],
    ['008613810000000', '0086138****0000'],
    ['call 19912345678.', 'call 199****5678.'],
  ])('masks the middle of a mobile number: %s', (text, masked) => {
    expect(maskFreeText(text)).toBe(masked);
  });

  it.each([
    ['座机010-62345678', '座机010-****5678'],
    ['(0755)82345678', '(0755)****5678'],
    ['0571 8765432', '0571 ***5432'],
    ['+86 10 62345678', '+86 10 ****5678'],
  ])('keeps the area code of a landline and its last four digits: %s', (text, masked) => {
    expect(maskFreeText(text)).toBe(masked);
  });

  it.each([
    ['身份证110101199003071234。', '身份证1101**********1234。'],
    ['ID 11010119900307123X', 'ID 1101**********123X'],
    ['110101 19900307 1234', '1101** ******** 1234'],
  ])('keeps the first and last four characters of an ID number: %s', (text, masked) => {
    expect(maskFreeText(text)).toBe(masked);
  });

  it('reads full-width digits the customer typed on a Chinese keyboard', () => {
    expect(maskFreeText(`电话${FULL_WIDTH('13810000000')}`)).toBe(`电话${FULL_WIDTH('138')}****${FULL_WIDTH('0000')}`);
  });

  it.each([
    '工单TS20261122000123已处理',
    '套餐59元，流量30GB，2026-11-27 13:45 断网',
    '订单号 202611271381234567890',
    '客服热线10086、10000',
    '光猫型号HG8245H，序列号48575443A1B2C3D4',
  ])('leaves other numbers alone: %s', (text) => {
    expect(maskFreeText(text)).toBe(text);
  });

  const mobile = fc
    .tuple(fc.constantFrom(...'3456789'), fc.stringMatching(/^\d{9}$/))
    .map(([second, rest]) => `1${second}${rest}`);
  const sep = fc.constantFrom('', ' ', '-');
  const written = fc
    .tuple(mobile, sep, fc.constantFrom('', '+86', '+86 ', '86', '0086'), fc.boolean())
    .map(([n, s, prefix, wide]) => {
      const text = `${prefix}${n.slice(0, 3)}${s}${n.slice(3, 7)}${s}${n.slice(7)}`;
      return { n, text: wide ? FULL_WIDTH(text) : text };
    });
  const words = fc.string({ unit: fc.constantFrom(...'宽带掉线请回电谢谢 ，。abc:') });

  it('never leaves a mobile number readable, whatever surrounds it and however it is written', () => {
    fc.assert(
      fc.property(words, written, words, (before, { n, text }, after) => {
        const masked = maskFreeText(`${before}${text}${after}`);
        const digits = masked.replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
        expect(digits.replace(/[^\d*]/g, '')).toContain(`${n.slice(0, 3)}****${n.slice(7)}`);
        expect(digits.replace(/\D/g, '')).not.toContain(n.slice(3, 7) + n.slice(7));
      }),
    );
  });

  it('changes only digits, keeps the length, and masking twice changes nothing more', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789 -+()X宽带'), maxLength: 60 }), (text) => {
        const masked = maskFreeText(text);
        expect(masked).toHaveLength(text.length);
        [...masked].forEach((c, i) => {
          if (c !== text[i])
            expect({ from: text[i], to: c }).toMatchObject({ from: expect.stringMatching(/[\dXx]/), to: '*' });
        });
        expect(maskFreeText(masked)).toBe(masked);
      }),
    );
  });

  it('never leaves an ID number readable', () => {
    const idNumber = fc
      .tuple(
        fc.stringMatching(/^[1-9]\d{5}$/),
        fc.date({ min: new Date('1900-01-01'), max: new Date('2025-12-31'), noInvalidDate: true }),
        fc.stringMatching(/^\d{3}[\dX]$/),
      )
      .map(([region, born, tail]) => `${region}${born.toISOString().slice(0, 10).replace(/-/g, '')}${tail}`);
    fc.assert(
      fc.property(words, idNumber, words, (before, id, after) => {
        const masked = maskFreeText(`${before}${id}${after}`);
        expect(masked).toBe(`${before}${id.slice(0, 4)}${'*'.repeat(10)}${id.slice(14)}${after}`);
      }),
    );
  });
});
