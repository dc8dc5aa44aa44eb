import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSmsSurveyReply } from '../surveys/rules.js';
import { CONFIRMATION_MAX_WORDS, confirmationMove, readConfirmationReply } from './confirmation.js';

// The words are what `segmentWords` (jieba, src/text) gives for the text in the comment.

describe('readConfirmationReply', () => {
  it.each([
    [['已', '解决'], '已解决'],
    [['问题', '已经', '解决', '了', '谢谢'], '问题已经解决了，谢谢'],
    [['解决', '了'], '解决了'],
    [['网络', '已', '恢复'], '网络已恢复'],
    [['solved'], 'Solved'],
    [['it', 's', 'resolved', 'thanks'], "It's resolved, thanks"],
  ])('reads %j as solved (%s)', (words) => {
    expect(readConfirmationReply(words)).toBe('solved');
  });

  it.each([
    [['未', '解决'], '未解决'],
    [['没', '解决'], '没解决'],
    [['还是', '没有', '解决'], '还是没有解决'],
    [['没有', '得到', '解决'], '没有得到解决'],
    [['没', '能', '解决'], '没能解决'],
    [['尚未', '解决'], '尚未解决'],
    [['不是', '已', '解决'], '不是已解决'],
    [['not', 'solved'], 'Not solved!'],
    [['still', 'not', 'fixed'], 'still not fixed'],
    [['unresolved'], 'unresolved'],
  ])('reads %j as not solved (%s)', (words) => {
    expect(readConfirmationReply(words)).toBe('not_solved');
  });

  it.each([
    [['请', '尽快', '解决'], 'a request: 请尽快解决'],
    [['已', '解决', '吗'], 'a question: 已解决吗？'],
    [['已', '解决', '没', '解决'], 'both at once'],
    [['1'], 'a survey digit'],
    [['谢谢'], 'no answer word'],
    [[], 'nothing'],
  ])('gives no answer for %j (%s)', (words) => {
    expect(readConfirmationReply(words)).toBeNull();
  });

  it('leaves a long message to the agent even when it says solved', () => {
    const words = ['已', '解决', ...Array.from({ length: CONFIRMATION_MAX_WORDS - 1 }, () => '宽带')];
    expect(readConfirmationReply(words)).toBeNull();
    expect(readConfirmationReply(words.slice(0, CONFIRMATION_MAX_WORDS))).toBe('solved');
  });

  it('never reads a survey score as an answer, whatever the text', () => {
    // A text the survey rule takes as a score is a lone number: one word, never an answer word.
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: 0, max: 10 }).map(String),
          fc.string(),
          fc.constantFrom('已解决', '未解决', '１', ' 5。'),
        ),
        (text) => {
          if (readSmsSurveyReply(text).kind !== 'score') return;
          const words = text
            .normalize('NFKC')
            .split(/[^\p{L}\p{N}]+/u)
            .filter(Boolean);
          expect(readConfirmationReply(words)).toBeNull();
        },
      ),
    );
  });

  it('answers the other way once a negation comes up to two words before the verb', () => {
    const filler = fc.constantFrom('问题', '宽带', '网络', '谢谢', '还是', '师傅');
    fc.assert(
      fc.property(fc.array(filler, { maxLength: 5 }), fc.array(filler, { maxLength: 5 }), (pre, post) => {
        expect(readConfirmationReply([...pre, '已', '解决', ...post])).toBe('solved');
        expect(readConfirmationReply([...pre, '没有', '解决', ...post])).toBe('not_solved');
        expect(readConfirmationReply([...pre, '没', '能', '解决', ...post])).toBe('not_solved');
      }),
    );
  });
});

describe('confirmationMove', () => {
  it('closes on solved and reopens on not solved, whatever the channel', () => {
    expect(confirmationMove('solved', 'sms')).toEqual({
      action: 'close',
      closeReason: 'customer_confirmed',
      via: 'sms',
    });
    expect(confirmationMove('not_solved', 'email')).toEqual({ action: 'reopen', via: 'email' });
  });
});
