import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Jieba } from '@node-rs/jieba';

// Chinese word segmentation (jieba) with a telecom user dictionary, so that terms such as 工信部,
// 光猫 or 携号转网 stay one word instead of falling apart into characters.

let jieba: Jieba | undefined;
function instance(): Jieba {
  if (!jieba) {
    // The dictionaries are read here and dropped once jieba holds them: importing
    // '@node-rs/jieba/dict.js' would keep 11 MB of buffers (its dictionary and an IDF table we do not use) for the life of the process.
    const dictPath = createRequire(import.meta.url).resolve('@node-rs/jieba/dict.txt');
    jieba = Jieba.withDict(readFileSync(dictPath));
    jieba.loadDict(readFileSync(new URL('./telecom-dict.txt', import.meta.url)));
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
