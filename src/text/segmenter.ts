import { readFileSync } from 'node:fs';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

// Chinese word segmentation (jieba) with a telecom user dictionary, so that terms such as 工信部,
// 光猫 or 携号转网 stay one word instead of falling apart into characters.

const TELECOM_DICT = readFileSync(new URL('./telecom-dict.txt', import.meta.url));
let jieba: Jieba | undefined;
function instance(): Jieba {
  if (!jieba) {
    jieba = Jieba.withDict(dict);
    jieba.loadDict(TELECOM_DICT);
  }
  return jieba;
}

const WORD = /[\p{L}\p{N}]/u;
const normalise = (terms: string[]) => terms.map((t) => t.trim().toLowerCase()).filter((t) => WORD.test(t));

/** Space-separated search-mode terms for a `to_tsvector('simple', …)` column. */
export function tokenizeForSearch(text: string): string {
  return [...new Set(normalise(instance().cutForSearch(text, true)))].join(' ');
}

/** The words of a text in order (precise mode, no guessing of new words), lower-cased, punctuation dropped. */
export function segmentWords(text: string): string[] {
  return normalise(instance().cut(text, false));
}

/** The text as jieba tokens in order, punctuation and spaces included (joined, they give the text back). */
export function segmentTokens(text: string): string[] {
  return instance().cut(text, false);
}
