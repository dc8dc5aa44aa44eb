import { describe, expect, it } from 'vitest';
import {
  checkMailSize,
  classifyMail,
  loopVerdict,
  ownReplyText,
  malformedReason,
  messageIdsIn,
  normaliseMessageId,
  originalMessageIdInReport,
  referencesHeader,
  replySubject,
  ticketNumberInSubject,
  type MailFacts,
} from './email-rules.js';
import { formatTicketNumber } from '../tickets/ticket-number.js';

const mail = (over: Partial<MailFacts> = {}): MailFacts => ({
  from: 'zhang@example.cn',
  subject: '宽带断网',
  headers: {},
  contentType: 'text/plain',
  ...over,
});

describe('classifyMail', () => {
  it('takes an ordinary mail for a person', () => {
    expect(classifyMail(mail())).toEqual({ kind: 'human' });
    expect(classifyMail(mail({ headers: { 'auto-submitted': 'no' } }))).toEqual({ kind: 'human' });
  });

  it('recognises auto-replies by their headers', () => {
    expect(classifyMail(mail({ headers: { 'auto-submitted': 'auto-replied' } })).kind).toBe('auto_reply');
    expect(classifyMail(mail({ headers: { 'auto-submitted': 'Auto-Generated' } })).kind).toBe('auto_reply');
    expect(classifyMail(mail({ headers: { 'x-autoreply': 'yes' } })).kind).toBe('auto_reply');
    expect(classifyMail(mail({ headers: { 'x-auto-response-suppress': 'All' } })).kind).toBe('auto_reply');
    for (const p of ['bulk', 'junk', 'auto_reply', 'BULK'])
      expect(classifyMail(mail({ headers: { precedence: p } })).kind).toBe('auto_reply');
    expect(classifyMail(mail({ headers: { precedence: 'list' } })).kind).toBe('human');
  });

  it('recognises auto-replies by a subject that starts like one', () => {
    for (const subject of [
      '自动回复：宽带断网',
      '自動回覆: 帳單',
      'Auto-Reply: bill',
      'Automatic reply: 宽带',
      'Out of Office: 账单',
      'AutoReply',
    ]) {
      expect(classifyMail(mail({ subject })).kind, subject).toBe('auto_reply');
    }
  });

  it('does not take a complaint that mentions auto-replies for one', () => {
    expect(classifyMail(mail({ subject: '关于自动回复短信扣费的投诉' })).kind).toBe('human');
    expect(classifyMail(mail({ subject: 'Re: 退信了怎么办' })).kind).toBe('human');
  });

  it('recognises bounces by report type, system sender or subject', () => {
    expect(classifyMail(mail({ contentType: 'multipart/report', reportType: 'delivery-status' })).kind).toBe('bounce');
    expect(classifyMail(mail({ from: 'MAILER-DAEMON@mx.example.cn' })).kind).toBe('bounce');
    expect(classifyMail(mail({ from: 'postmaster@example.cn' })).kind).toBe('bounce');
    for (const subject of [
      'Undeliverable: 宽带',
      '退信：您的邮件无法送达',
      '系统退信',
      'Mail delivery failed: returning message to sender',
      'Delivery Status Notification (Failure)',
    ]) {
      expect(classifyMail(mail({ subject })).kind, subject).toBe('bounce');
    }
  });

  it('prefers bounce over auto-reply when a report also says Auto-Submitted', () => {
    expect(
      classifyMail(
        mail({
          contentType: 'multipart/report',
          reportType: 'delivery-status',
          headers: { 'auto-submitted': 'auto-replied' },
        }),
      ).kind,
    ).toBe('bounce');
  });

  it('takes a mail with the null envelope sender for automatic', () => {
    expect(classifyMail(mail({ envelopeFrom: '' })).kind).toBe('auto_reply');
    expect(classifyMail(mail({ envelopeFrom: 'zhang@example.cn' })).kind).toBe('human');
  });
});

describe('ticketNumberInSubject', () => {
  it('finds a ticket number anywhere in the subject', () => {
    const number = formatTicketNumber(new Date('2026-11-22T03:00:00Z'), 123);
    expect(number).toBe('TS20261122000123');
    expect(ticketNumberInSubject(`回复：[${number}] 宽带断网`)).toBe(number);
    expect(ticketNumberInSubject(`Re: 宽带断网 [工单号 ${number}]`)).toBe(number);
    expect(ticketNumberInSubject(`工单${number}进展如何`)).toBe(number);
    expect(ticketNumberInSubject('ts20261122000123')).toBe('TS20261122000123');
    expect(ticketNumberInSubject('TS202611221234567')).toBe('TS202611221234567');
  });

  it('ignores numbers that are not ticket numbers', () => {
    expect(ticketNumberInSubject('宽带断网')).toBeNull();
    expect(ticketNumberInSubject('订单 AB20261399000123')).toBeNull(); // month 13
    expect(ticketNumberInSubject('XTS20261122000123')).toBeNull(); // part of a longer word
    expect(ticketNumberInSubject('TS2026112200012')).toBeNull(); // sequence too short
  });
});

describe('Message-IDs', () => {
  it('compares ids without brackets', () => {
    expect(normaliseMessageId(' <abc@example.cn> ')).toBe('abc@example.cn');
    expect(normaliseMessageId('<>')).toBeNull();
    expect(normaliseMessageId('a b@c')).toBeNull();
  });

  it('reads every id of a References header', () => {
    expect(messageIdsIn('<a@x> <b@x>\r\n <c@x>')).toEqual(['a@x', 'b@x', 'c@x']);
    expect(messageIdsIn(['<a@x>', '<b@x>', '<a@x>'])).toEqual(['a@x', 'b@x']);
    expect(messageIdsIn('a@x')).toEqual(['a@x']);
    expect(messageIdsIn(undefined)).toEqual([]);
  });

  it('keeps the thread root and the newest ids when a thread gets long', () => {
    const ids = Array.from({ length: 30 }, (_, i) => `m${i}@x`);
    const refs = referencesHeader(ids, 5);
    expect(refs).toEqual(['m0@x', 'm26@x', 'm27@x', 'm28@x', 'm29@x']);
    expect(referencesHeader(['a', 'b', 'a'])).toEqual(['a', 'b']);
  });

  it('finds the original Message-ID in a delivery report', () => {
    expect(
      originalMessageIdInReport(['Reporting-MTA: dns; mx', 'From: a@b\r\nMessage-ID: <0190-abc@loopdesk.example>\r\n']),
    ).toBe('0190-abc@loopdesk.example');
    expect(originalMessageIdInReport(['nothing here'])).toBeNull();
  });
});

describe('loopVerdict', () => {
  it('records a few auto-replies an hour and drops the rest', () => {
    expect(loopVerdict('auto_reply', { auto: 4, total: 4 })).toBe('accept');
    expect(loopVerdict('auto_reply', { auto: 5, total: 5 })).toBe('drop');
    expect(loopVerdict('bounce', { auto: 5, total: 5 })).toBe('drop');
  });

  it('quarantines a person-looking sender that writes more than the hourly limit', () => {
    expect(loopVerdict('human', { auto: 0, total: 29 })).toBe('accept');
    expect(loopVerdict('human', { auto: 0, total: 30 })).toBe('quarantine');
    expect(loopVerdict('human', { auto: 0, total: 3 }, { autoPerHour: 1, totalPerHour: 3 })).toBe('quarantine');
  });
});

describe('size and form', () => {
  it('accepts mail up to the limit', () => {
    expect(checkMailSize(100, 100)).toEqual({ ok: true });
    expect(checkMailSize(101, 100)).toMatchObject({ ok: false, reason: expect.stringContaining('too_large') });
  });

  it('names what makes a mail unusable', () => {
    const ok = { headerCount: 5, from: 'a@example.cn', hasBody: true, subject: 's' };
    expect(malformedReason(ok)).toBeNull();
    expect(malformedReason({ ...ok, headerCount: 0 })).toMatch(/no header/);
    expect(malformedReason({ ...ok, from: null })).toMatch(/From/);
    expect(malformedReason({ ...ok, from: 'not-an-address' })).toMatch(/not an email address/);
    expect(malformedReason({ ...ok, hasBody: false, subject: ' ' })).toMatch(/neither/);
    expect(malformedReason({ ...ok, hasBody: false })).toBeNull();
  });
});

describe('replySubject', () => {
  it('adds the ticket number once and one Re:', () => {
    expect(replySubject('宽带断网', 'TS20261122000123')).toBe('Re: 宽带断网 [TS20261122000123]');
    expect(replySubject('回复：Re: 宽带断网 [TS20261122000123]', 'TS20261122000123')).toBe(
      'Re: 宽带断网 [TS20261122000123]',
    );
  });
});

describe('ownReplyText', () => {
  it('keeps what the customer wrote above the quoted mail', () => {
    expect(ownReplyText('已解决，谢谢\n\n在 2026年11月20日 10:00，客服 写道：\n> 如已解决请回复"已解决"')).toBe(
      '已解决，谢谢',
    );
    expect(ownReplyText('not solved yet\nOn Fri, Nov 20, 2026 at 10:00 Loopdesk wrote:\n> solved?')).toBe(
      'not solved yet',
    );
    expect(ownReplyText('未解决\n-----原始邮件-----\n发件人: kf@loopdesk.example\n已解决请回复')).toBe('未解决');
    expect(ownReplyText('没解决\n> quoted')).toBe('没解决');
  });

  it('gives nothing when the reply only quotes', () => {
    expect(ownReplyText('> 您的工单已解决')).toBe('');
  });
});
