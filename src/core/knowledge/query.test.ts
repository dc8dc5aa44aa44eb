import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffTokens } from './diff.js';
import { hitWords, termGroups, toTsQuery } from './query.js';
import { snippet } from './snippet.js';

const SYNONYMS = [
  [['宽带'], ['网络']],
  [['流量'], ['数据']],
  [['携号转网'], ['转网']],
];

describe('knowledge queries', () => {
  it('widens each word by its synonym group and drops stop words', () => {
    const groups = termGroups(['我', '的', '宽带', '怎么', '断网', '了'], SYNONYMS);
    expect(groups).toEqual([
      { word: '宽带', alternatives: [['宽带'], ['网络']] },
      { word: '断网', alternatives: [['断网']] },
    ]);
    expect(toTsQuery(groups)).toBe('(宽带 | 网络) | (断网)');
    expect([...hitWords(groups)]).toEqual(['宽带', '网络', '断网']);
  });

  it('joins a synonym that segments into several words with &', () => {
    const groups = termGroups(['转网'], [[['携号', '转网'], ['转网']]]);
    expect(toTsQuery(groups)).toBe('(转网 | (携号 & 转网))');
  });

  it('widens a query that holds every word of a multi-word synonym', () => {
    const groups = termGroups(['猫咪', '设备', '坏了'], [[['光猫'], ['猫咪', '设备']]]);
    expect(groups.at(-1)).toEqual({ word: '猫咪设备', alternatives: [['猫咪', '设备'], ['光猫']] });
    expect(toTsQuery(groups)).toContain('(猫咪 & 设备) | 光猫');
  });

  it('has nothing to search for in a query of stop words and punctuation', () => {
    expect(toTsQuery(termGroups(['我', '的', '？', '怎么办'], SYNONYMS))).toBeNull();
  });

  it('never lets a query word carry tsquery syntax', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 8 }), (words) => {
        const q = toTsQuery(termGroups(words, SYNONYMS));
        if (q !== null) expect(q.replace(/[()|&]/g, '')).not.toMatch(/[!:*<>'\\]/);
      }),
    );
  });
});

describe('snippets', () => {
  const tok = (text: string, words: string[] = [text]) => ({ text, words });
  it('marks whole words that match, never a character inside another word', () => {
    const parts = snippet(
      [tok('网络'), tok('信号'), tok('差'), tok('，'), tok('携号转网', ['携号', '转网', '携号转网'])],
      new Set(['转网', '网']),
    );
    expect(parts).toEqual([
      { text: '网络信号差，', hit: false },
      { text: '携号转网', hit: true },
    ]);
  });

  it('starts shortly before the first hit in a long text and marks the cut', () => {
    const tokens = [
      ...Array.from({ length: 60 }, () => tok('一些')),
      tok('流量'),
      ...Array.from({ length: 60 }, () => tok('内容')),
    ];
    const parts = snippet(tokens, new Set(['流量']), 40);
    expect(parts[0]).toEqual({ text: '…', hit: false });
    expect(parts.find((p) => p.hit)?.text).toBe('流量');
    expect(parts.at(-1)).toEqual({ text: '…', hit: false });
    expect(parts.map((p) => p.text).join('').length).toBeLessThanOrEqual(46);
  });
});

describe('version diffs', () => {
  it('shows words removed and added between two texts', () => {
    expect(
      diffTokens(['月租', '58', '元', '，', '含', '10', 'GB'], ['月租', '68', '元', '，', '含', '20', 'GB']),
    ).toEqual([
      { op: 'same', text: '月租' },
      { op: 'removed', text: '58' },
      { op: 'added', text: '68' },
      { op: 'same', text: '元，含' },
      { op: 'removed', text: '10' },
      { op: 'added', text: '20' },
      { op: 'same', text: 'GB' },
    ]);
  });

  it('rebuilds both texts from the diff', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', 'c', '宽带')),
        fc.array(fc.constantFrom('a', 'b', 'c', '宽带')),
        (a, b) => {
          const d = diffTokens(a, b);
          expect(
            d
              .filter((p) => p.op !== 'added')
              .map((p) => p.text)
              .join(''),
          ).toBe(a.join(''));
          expect(
            d
              .filter((p) => p.op !== 'removed')
              .map((p) => p.text)
              .join(''),
          ).toBe(b.join(''));
        },
      ),
    );
  });
});
