// Hot issues: what is rising fastest week over week (the handbooks' example: one plan's tariff
// questions at 30 % of volume). Pure: counts of this week and the week before come in.

export type HotIssue = {
  key: string;
  thisWeek: number;
  lastWeek: number;
  /** thisWeek − lastWeek. */
  increase: number;
  /** thisWeek ÷ lastWeek − 1; null when last week had none. */
  growth: number | null;
  /** Share of this week's contacts. */
  share: number;
};

/**
 * The keys whose count rose the most (by absolute increase, then by this week's count), at least
 * `minCount` this week, at most `limit` of them. Keys that did not rise are left out.
 */
export function risingFastest(
  thisWeek: ReadonlyMap<string, number>,
  lastWeek: ReadonlyMap<string, number>,
  totalThisWeek: number,
  opts: { limit: number; minCount: number },
): HotIssue[] {
  const out: HotIssue[] = [];
  for (const [key, now] of thisWeek) {
    if (now < opts.minCount) continue;
    const before = lastWeek.get(key) ?? 0;
    if (now <= before) continue;
    out.push({
      key,
      thisWeek: now,
      lastWeek: before,
      increase: now - before,
      growth: before > 0 ? now / before - 1 : null,
      share: totalThisWeek > 0 ? now / totalThisWeek : 0,
    });
  }
  return out
    .sort((a, b) => b.increase - a.increase || b.thisWeek - a.thisWeek || a.key.localeCompare(b.key))
    .slice(0, opts.limit);
}

/** Words too common in contacts to say anything about an issue. */
const STOP_WORDS = new Set([
  '你好',
  '您好',
  '请问',
  '谢谢',
  '我们',
  '你们',
  '没有',
  '什么',
  '一下',
  '可以',
  '已经',
  '还是',
  '这个',
  '那个',
  '问题',
  'the',
  'and',
  'for',
  'please',
  'with',
  'my',
  'is',
  'not',
]);

/**
 * The words of a ticket that count for hot issues: from its jieba-segmented text (the search
 * column), two or more characters with a letter in them, no stop words, at most `max`.
 */
export function issueWords(segmented: string, max = 40): string[] {
  const out = new Set<string>();
  for (const raw of segmented.split(/\s+/)) {
    const w = raw.toLowerCase();
    if ([...w].length < 2 || !/\p{L}/u.test(w) || STOP_WORDS.has(w) || w.length > 40) continue;
    out.add(w);
    if (out.size >= max) break;
  }
  return [...out];
}
