import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { segmentWords } from '../../text/segmenter.js';
import {
  checkReply,
  compilePhrases,
  complianceShares,
  DEFAULT_PHRASES,
  findPhrases,
  replyText,
  screenCustomerWords,
  type PhraseEntry,
} from './phrases.js';

const defaults = compilePhrases(
  DEFAULT_PHRASES.map((p, i) => ({ ...p, id: `p${i}`, enabled: true })),
  segmentWords,
);
const risk = (text: string) => screenCustomerWords(defaults, segmentWords(text));
const entry = (over: Partial<PhraseEntry> & Pick<PhraseEntry, 'phrase'>): PhraseEntry => ({
  id: over.phrase,
  list: 'risk',
  synonyms: [],
  slot: null,
  channels: [],
  raiseGrade: null,
  enabled: true,
  ...over,
});

describe('risk words in customer messages', () => {
  it('finds a threat to go to the regulator and raises the grade to urgent', () => {
    expect(risk('再不给我处理我就去工信部投诉你们')).toEqual({
      words: ['工信部', '投诉'],
      actions: [
        { kind: 'add_tag', tag: 'high-risk' },
        { kind: 'raise_grade', grade: 'urgent' },
      ],
    });
  });

  it('counts a synonym as the listed word and reports the listed word', () => {
    expect(risk('我要去通信管理局反映').words).toEqual(['通管局']);
    expect(risk('已经让律师发律师函了').words).toEqual(['律师']);
    expect(risk('我要向消费者协会反映').words).toEqual(['消协']);
  });

  it('does not match a word inside a longer word jieba keeps whole', () => {
    // 多媒体 (multimedia, as in 多媒体短信 MMS) is one word: no 媒体 in it.
    expect(segmentWords('我开通了多媒体短信')).toContain('多媒体');
    expect(risk('我开通了多媒体短信，怎么收费').words).toEqual([]);
    // 投诉率 (complaint rate) is one word: asking about it is no complaint.
    expect(segmentWords('请问贵公司的投诉率是多少')).toContain('投诉率');
    expect(risk('请问贵公司的投诉率是多少').words).toEqual([]);
    // A substring search would have found both.
    expect('我开通了多媒体短信'.includes('媒体') && '贵公司的投诉率'.includes('投诉')).toBe(true);
  });

  it('finds the same words however the message is padded, and nothing in a message without them', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('你好，', '请问', '', '我想说'),
        fc.constantFrom('', '，谢谢', '！！'),
        (pre, post) => {
          expect(risk(`${pre}我要打12300${post}`).words).toEqual(['12300']);
          expect(risk(`${pre}宽带断网了${post}`)).toEqual({ words: [], actions: [] });
        },
      ),
    );
  });

  it('ignores disabled entries', () => {
    const lists = compilePhrases([entry({ phrase: '投诉', enabled: false })], segmentWords);
    expect(findPhrases(lists.risk, segmentWords('我要投诉'))).toEqual([]);
  });

  it('matches a phrase of several words only with its words in order and adjacent', () => {
    const lists = compilePhrases([entry({ phrase: '网上曝光' })], segmentWords);
    expect(findPhrases(lists.risk, segmentWords('我要网上曝光你们'))).toHaveLength(1);
    expect(findPhrases(lists.risk, segmentWords('网上说你们要曝光'))).toHaveLength(0);
  });
});

describe('script checks of agent replies', () => {
  const words = (text: string) => segmentWords(text);

  it('passes a reply with a greeting and a closing and no forbidden phrase', () => {
    expect(checkReply(defaults, words('您好，您的宽带已经修好了，感谢您的来电。'), 'hotline')).toEqual({
      compliant: true,
      missing: [],
      forbidden: [],
    });
  });

  it('names the missing slot and the forbidden phrase, also when said with a synonym', () => {
    expect(checkReply(defaults, words('这不是我负责的，你自己看着办'), 'sms')).toEqual({
      compliant: false,
      missing: ['greeting', 'closing'],
      forbidden: ['不归我管', '自己看着办'],
    });
  });

  it('requires a channel’s phrases only on that channel', () => {
    const lists = compilePhrases(
      [
        entry({ phrase: '您好', list: 'required', slot: 'greeting' }),
        entry({ phrase: '【中国电信】', list: 'required', slot: 'closing', channels: ['sms'] }),
      ],
      segmentWords,
    );
    expect(checkReply(lists, words('您好，已处理'), 'email').compliant).toBe(true);
    expect(checkReply(lists, words('您好，已处理'), 'sms').missing).toEqual(['closing']);
  });

  it('reads the text of an HTML reply', () => {
    const text = replyText('<p>您好&nbsp;<b>先生</b></p><p>感谢您的来电&amp;再见</p>', 'html');
    expect(segmentWords(text)).toEqual(['您好', '先生', '感谢您', '的', '来电', '再见']);
    expect(checkReply(defaults, segmentWords(text), 'email').compliant).toBe(true);
    expect(replyText('<b>不是标签</b>', 'text')).toBe('<b>不是标签</b>');
  });
});

describe('script compliance share', () => {
  it('is compliant replies over replies, against the 98 % target', () => {
    expect(
      complianceShares([
        { staffId: 'a', replies: 50, compliant: 49 },
        { staffId: 'b', replies: 50, compliant: 48 },
        { staffId: 'c', replies: 0, compliant: 0 },
      ]),
    ).toEqual([
      { staffId: 'a', replies: 50, compliant: 49, share: 0.98, meetsTarget: true },
      { staffId: 'b', replies: 50, compliant: 48, share: 0.96, meetsTarget: false },
      { staffId: 'c', replies: 0, compliant: 0, share: null, meetsTarget: null },
    ]);
  });
});
