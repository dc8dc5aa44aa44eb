// Mentions in internal notes: "@wangl 请协助核查" tells the colleague with that username (Chinese
// text may stand right before the "@"). An "@" inside a Latin word (an email address such as
// zhang@example.cn) is not a mention.

const MENTION = /(?<![a-zA-Z0-9._-])@([a-zA-Z0-9._-]{2,64})/gu;

/** The usernames a note mentions, each once, in order; trailing dots (end of a sentence) are not part of them. */
export function mentionedUsernames(text: string): string[] {
  const names = [...text.matchAll(MENTION)].map((m) => m[1]!.replace(/\.+$/, '')).filter((n) => n.length >= 2);
  return [...new Set(names)];
}
