import { describe, expect, it } from 'vitest';
import { mailFixture } from '../../../test/helpers/mail-fixtures.js';
import { claimIdOf, mailKindOf, parseMail, readMail, type Envelope } from './parse-mail.js';

const envelope: Envelope = { from: 'sender@example.cn', to: ['kf@loopdesk.example'] };
const parse = (name: string, vars?: Record<string, string>) => parseMail(mailFixture(name, vars));

describe('parseMail: raw bytes to an InboundMail', () => {
  it('decodes a GB2312 mail: encoded-word subject and sender name, base64 body', async () => {
    const mail = await parse('gb2312-base64.eml');
    expect(mail).toMatchObject({
      from: 'li.si@163.example.cn',
      fromName: '李四',
      subject: '宽带无法上网，光猫红灯闪烁',
      html: null,
      messageId: '20261120100205.6F1A2@163.example.cn',
      threadIds: [],
      attachments: [],
    });
    expect(mail.text).toContain('光猫LOS灯红色闪烁');
    expect(mail.text).not.toContain('\r');
    expect(mail.date?.toISOString()).toBe('2026-11-20T02:02:05.000Z');
    expect(mailKindOf(mail, envelope)).toEqual({ kind: 'human' });
  });

  it('decodes GBK quoted-printable, including characters outside GB2312', async () => {
    const mail = await parse('gbk-quoted-printable.eml');
    expect(mail.fromName).toBe('王喆');
    expect(mail.subject).toBe('话费扣费异常 投诉');
    expect(mail.text).toMatch(/^本人王喆，手机号13812345678/);
  });

  it('decodes Big5 sent as 8-bit', async () => {
    const mail = await parse('big5.eml');
    expect(mail.fromName).toBe('陳大文');
    expect(mail.subject).toBe('帳單金額有誤，請協助查詢');
    expect(mail.text).toContain('國際漫遊費用');
  });

  it('keeps the text part of a multipart/alternative mail as text and its HTML part sanitised', async () => {
    const mail = await parse('utf8.eml');
    expect(mail.fromName).toBe('张三');
    expect(mail.text).toMatch(/^你好，我住在天河区珠江新城/);
    expect(mail.html).toContain('<b>5G信号很差</b>');
  });

  it('sanitises HTML-only mail and makes its text from the sanitised HTML', async () => {
    const mail = await parse('html-only.eml');
    for (const unsafe of ['<script', 'alert(', '<style', 'color:red', 'onload', 'steal()', 'javascript:'])
      expect(mail.html).not.toContain(unsafe);
    expect(mail.html).toContain('<b>态度很差</b>');
    expect(mail.text).toBe('今天在体育西路营业厅办理业务，工作人员态度很差，排队两小时。\n\n点这里\n\n希望给个说法。');
  });

  it('reads the Message-IDs a reply answers from In-Reply-To and References, without angle brackets', async () => {
    const mail = await parse('reply-in-reply-to.eml');
    expect(mail.messageId).toBe('utf8-second.20261120180000@mail.example.cn');
    expect(new Set(mail.threadIds)).toEqual(new Set(['utf8-first.20261120130000@mail.example.cn']));
  });

  it('keeps a ticket number written between encoded words in the subject', async () => {
    const mail = await parse('reply-ticket-number.eml', { TICKET_NUMBER: 'TS20261120000123' });
    expect(mail.subject).toContain('TS20261120000123');
    expect(mail.threadIds).toEqual([]);
  });

  it('gives the auto-reply rules the headers they read, and they call it an auto-reply', async () => {
    const mail = await parse('auto-reply.eml');
    expect(mail.facts.headers).toEqual({
      'auto-submitted': 'auto-replied',
      'x-auto-response-suppress': 'All',
      precedence: 'auto_reply',
    });
    expect(mailKindOf(mail, envelope)).toMatchObject({ kind: 'auto_reply' });
  });

  it('reads a bounce as a delivery report, with the Message-ID of our mail that bounced', async () => {
    const mail = await parse('bounce.eml', { ORIGINAL_MESSAGE_ID: 'reply-0001@kf.loopdesk.example' });
    expect(mail.facts).toMatchObject({ contentType: 'multipart/report', reportType: 'delivery-status' });
    expect(mail.reportedMessageId).toBe('reply-0001@kf.loopdesk.example');
    expect(mail.attachments.map((a) => a.contentType)).toEqual(['message/delivery-status', 'text/rfc822-headers']);
    expect(mailKindOf(mail, { from: '', to: envelope.to })).toMatchObject({ kind: 'bounce' });
  });

  it('calls a mail from the null envelope sender (<>) automatic even without telling headers', async () => {
    const mail = await parse('gb2312-base64.eml');
    expect(mailKindOf(mail, { from: '', to: envelope.to })).toEqual({
      kind: 'auto_reply',
      reason: 'null envelope sender',
    });
  });

  it('decodes attachment file names (RFC 2231) and keeps each part’s declared type and bytes', async () => {
    const mail = await parse('attachment-chinese-filename.eml');
    expect(mail.attachments.map((a) => [a.fileName, a.contentType])).toEqual([
      ['十一月账单.pdf', 'application/pdf'],
      ['流量截图.jpg', 'image/jpeg'],
      ['setup.exe', 'application/x-msdownload'],
    ]);
    expect(mail.attachments[0]!.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(mail.attachments.every((a) => /^[0-9a-f]{32}$/.test(a.checksum))).toBe(true);
  });

  it('leaves a mail without a readable From address without a sender, for the intake to quarantine', async () => {
    const mail = await parse('malformed.eml');
    expect(mail.from).toBeNull();
    expect(mail.messageId).toBeNull();
    expect(mail.headerCount).toBeGreaterThan(0);
  });
});

describe('readMail', () => {
  it('gives mail it could parse', async () => {
    const read = await readMail(mailFixture('utf8.eml'));
    expect('mail' in read && read.mail.subject).toBe('5G信号差，室内经常无服务');
  });
});

describe('claimIdOf: the id a mail is claimed under', () => {
  it('is the Message-ID when there is one', async () => {
    const mail = await parse('gb2312-base64.eml');
    expect(claimIdOf({ ...mail, from: mail.from! })).toBe('20261120100205.6F1A2@163.example.cn');
  });

  it('is, without a Message-ID, a hash of what the sender wrote: the same for two delivery paths, different for another text', async () => {
    const original = mailFixture('gbk-quoted-printable.eml')
      .toString('latin1')
      .replace(/^Message-ID:.*\r\n/m, '');
    const via = (relay: string) =>
      parseMail(
        Buffer.from(
          `Received: from ${relay} by mx.loopdesk.example; Fri, 20 Nov 2026 11:15:41 +0800\r\n${original}`,
          'latin1',
        ),
      );
    const [first, second] = await Promise.all([via('relay-a.example.cn'), via('relay-b.example.cn')]);
    expect(first.messageId).toBeNull();
    const id = claimIdOf({ ...first, from: first.from! });
    expect(id).toMatch(/^[0-9a-f]{64}@no-message-id\.loopdesk\.invalid$/);
    expect(claimIdOf({ ...second, from: second.from! })).toBe(id);
    expect(claimIdOf({ ...second, from: second.from!, text: `${second.text}!` })).not.toBe(id);
  });
});
