// A highlighted snippet of an article's text around the first word the query matched. The text
// comes as jieba tokens in order (joining them gives the text back), each with its search-mode
// words, so 携号转网 is a hit for the query word 转网 while 网 inside 网络 is not (words, not substrings).

export type SnippetToken = { text: string; words: readonly string[] };
export type SnippetPart = { text: string; hit: boolean };

const isHit = (t: SnippetToken, hits: ReadonlySet<string>) =>
  hits.has(t.text.trim().toLowerCase()) || t.words.some((w) => hits.has(w));

/** At most about `maxChars` characters, starting a little before the first hit; hits marked, neighbours merged. */
export function snippet(tokens: readonly SnippetToken[], hits: ReadonlySet<string>, maxChars = 90): SnippetPart[] {
  const first = tokens.findIndex((t) => isHit(t, hits));
  let start = 0;
  if (first > 0) {
    // Up to a quarter of the room before the first hit, so it reads in context.
    let before = 0;
    start = first;
    while (start > 0 && before + tokens[start - 1]!.text.length <= maxChars / 4) {
      start--;
      before += tokens[start]!.text.length;
    }
  }
  const parts: SnippetPart[] = [];
  let used = 0;
  let end = start;
  for (; end < tokens.length && used < maxChars; end++) {
    const t = tokens[end]!;
    const text = t.text.replace(/\s+/g, ' ');
    if (!text) continue;
    used += text.length;
    const hit = isHit(t, hits);
    const last = parts.at(-1);
    if (last && last.hit === hit) last.text += text;
    else parts.push({ text, hit });
  }
  if (start > 0) parts.unshift({ text: '…', hit: false });
  if (end < tokens.length) parts.push({ text: '…', hit: false });
  return parts;
}
