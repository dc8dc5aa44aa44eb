import { describe, expect, it } from 'vitest';
import { maskAddress, maskEmail, maskIdNumber, maskName, maskPhone, maskRecipient } from './masking.js';

describe('PII masking', () => {
  it('masks the middle four digits of a mobile number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
  });
  it('keeps the country code visible', () => {
    expect(maskPhone('+8613812345678')).toBe('+86138****5678');
  });
  it('masks all but the first and last four characters of an ID number', () => {
    expect(maskIdNumber('110101199003071234')).toBe('1101**********1234');
  });
  it('fully masks values too short to keep a head and tail', () => {
    expect(maskPhone('12345')).toBe('*****');
  });
  it('keeps only the district part of an address', () => {
    const masked = maskAddress('广东省广州市天河区中山大道100号');
    expect(masked.startsWith('广东省广州')).toBe(true);
    expect(masked).not.toContain('中山大道');
  });
  it('keeps the surname of a name', () => {
    expect(maskName('张三丰')).toBe('张**');
  });
  it('masks a recipient of any channel: numbers as numbers, addresses and open ids at both ends', () => {
    expect(maskRecipient('13812345678')).toBe('138****5678');
    expect(maskRecipient('zhang@example.cn')).toBe('zh****cn');
    expect(maskRecipient('o-wx')).toBe('****');
  });

  it('masks an email address like a number: two characters of the mailbox, the domain kept', () => {
    expect(maskEmail('wang.xiaoming@qq.com')).toBe('wa****@qq.com');
    expect(maskEmail('li@corp.example.cn')).toBe('l****@corp.example.cn');
    expect(maskEmail('not-an-address')).toBe('no****ss');
  });
});
