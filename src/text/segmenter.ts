import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

// Chinese word segmentation for the search index (interim version; see the routing work for the
// telecom user dictionary).

let jieba: Jieba | undefined;
const instance = () => (jieba ??= Jieba.withDict(dict));

const WORD = /[\p{L}\p{N}]/u;

/** Space-separated search-mode terms for a `to_tsvector('simple', …)` column. */
export function tokenizeForSearch(text: string): string {
  const terms = instance()
    .cutForSearch(text, true)
    .map((t) => t.trim().toLowerCase())
    .filter((t) => WORD.test(t));
  return [...new Set(terms)].join(' ');
}
