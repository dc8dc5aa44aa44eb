import { describe, expect, it } from 'vitest';
import { redactPersonalData } from './redact.js';
import { richTextToPlain } from './plain-text.js';

const known = {
  names: ['王小明'],
  numbers: ['13912345678'],
  emails: ['wxm@example.cn'],
  addresses: ['杭州市西湖区文三路90号'],
};

describe('personal data removed from a case draft', () => {
  it('replaces the planted numbers, ID numbers, names, emails and addresses with placeholders', () => {
    const text =
      '王小明来电：手机 139 1234 5678 和 13812345678 无法上网，身份证 330106199001011234，' +
      '邮箱 wxm@example.cn、备用 a.b@qq.com，家庭宽带账号 057112345678，住址杭州市西湖区文三路90号，' +
      '另一处滨江区江南大道1288号3栋2单元501室；联系人李女士，座机 0571-88886666，我叫张伟，谢谢。';
    const out = redactPersonalData(text, known);
    for (const planted of [
      '王小明',
      '13912345678',
      '139 1234 5678',
      '13812345678',
      '330106199001011234',
      'wxm@example.cn',
      'a.b@qq.com',
      '057112345678',
      '文三路90号',
      '江南大道1288号',
      '501室',
      '李女士',
      '88886666',
      '张伟',
    ])
      expect(out).not.toContain(planted);
    expect(out).toContain('【客户】来电');
    expect(out).toContain('【证件号】');
    expect(out).toContain('【邮箱】');
    expect(out).toContain('【地址】');
    expect(out).toContain('无法上网');
    expect(out).toContain('谢谢');
  });

  it('keeps ordinary words that only look like the start of an address or a name', () => {
    expect(redactPersonalData('我们小区宽带晚上经常断网，我是老用户。', known)).toBe(
      '我们小区宽带晚上经常断网，我是老用户。',
    );
  });

  it('reads a rich-text body as text, one line per block', () => {
    expect(
      richTextToPlain('<h2>办理条件</h2><p>账户无欠费&amp;无合约</p><ul><li>实名</li><li>在网满 90 天</li></ul>'),
    ).toBe('办理条件\n账户无欠费&无合约\n实名\n在网满 90 天');
  });
});
