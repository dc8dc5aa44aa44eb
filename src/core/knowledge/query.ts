// Knowledge search queries, built from jieba words (the same segmentation as the index): stop words
// dropped, each remaining word widened by its synonym group (宽带/网络, 流量/数据, 携号转网/转网),
// and turned into a PostgreSQL tsquery for the `simple` configuration. Any word may match; the
// ranking (ts_rank_cd, title words weighted above the body) puts texts that match more, closer
// together, first.

/** Words that say nothing about the subject of a question. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    '的 了 着 过 吗 呢 吧 啊 呀 哦 嘛 么 和 与 及 或 跟 也 都 就 还 又 才 再 很 太 更 最 ' +
    '我 你 您 他 她 它 我们 你们 他们 这 那 这个 那个 这里 那里 这样 那样 ' +
    '是 在 有 没 没有 不 要 想 能 会 可以 可能 应该 请 请问 一下 一个 什么 怎么 怎么办 怎样 如何 为什么 为何 ' +
    '哪 哪里 哪个 多少 时候 现在 今天 已经 但是 但 而且 因为 所以 如果 给 被 把 让 对 从 到 向 ' +
    'a an the and or of to in on for is are be it i my me you your please how what why can do does not no'
  ).split(' '),
);

/** One query word: it or any of its alternatives (each alternative the words a synonym segments into). */
export type TermGroup = { word: string; alternatives: string[][] };

const clean = (w: string) => w.replace(/[^\p{L}\p{N}]/gu, '').toLowerCase();

/**
 * The groups of a query. `words`: the query's search-mode words; `synonyms`: the admins' groups,
 * each term already segmented into its words (携号转网 → ['携号转网'] or ['转', '网']).
 */
export function termGroups(words: readonly string[], synonyms: readonly (readonly string[][])[]): TermGroup[] {
  const cleaned = words.map(clean).filter((w) => w && !STOP_WORDS.has(w));
  const present = new Set(cleaned);
  const groups: TermGroup[] = [];
  const seen = new Set<string>();
  const key = (parts: readonly string[]) => parts.join(' ');
  const add = (word: string, matches: (parts: string[]) => boolean) => {
    if (seen.has(word)) return;
    seen.add(word);
    const alternatives: string[][] = [word.split(' ')];
    const have = new Set([word]);
    for (const group of synonyms) {
      const terms = group.map((parts) => parts.map(clean).filter(Boolean)).filter((p) => p.length > 0);
      if (!terms.some(matches)) continue;
      for (const parts of terms)
        if (!have.has(key(parts))) {
          have.add(key(parts));
          alternatives.push(parts);
        }
    }
    groups.push({ word: word.replace(/ /g, ''), alternatives });
  };
  for (const word of cleaned) add(word, (parts) => parts.length === 1 && parts[0] === word);
  // A synonym of several words (猫咪 设备) counts when all its words are in the query.
  for (const group of synonyms)
    for (const term of group) {
      const parts = term.map(clean).filter(Boolean);
      if (parts.length > 1 && parts.every((p) => present.has(p))) add(key(parts), (p) => key(p) === key(parts));
    }
  return groups;
}

/** One group as a tsquery: the word or any of its synonyms. */
export const groupQuery = (g: TermGroup): string =>
  `(${g.alternatives.map((p) => (p.length === 1 ? p[0] : `(${p.join(' & ')})`)).join(' | ')})`;

/** `(a | b | (c & d)) | (e)`: any group may match; null when nothing is left to search for. */
export function toTsQuery(groups: readonly TermGroup[]): string | null {
  return groups.length === 0 ? null : groups.map(groupQuery).join(' | ');
}

/** Every word that counts as a hit when highlighting (the words and their synonyms' words). */
export function hitWords(groups: readonly TermGroup[]): Set<string> {
  return new Set(groups.flatMap((g) => g.alternatives.flat()));
}
