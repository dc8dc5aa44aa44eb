// A ticket opened from a customer's own words (an SMS, a chat, a left message) takes its subject
// from them: one line, and a cut marked with an ellipsis so nobody reads half a phrase as whole.

export const SUBJECT_FROM_TEXT_LENGTH = 40;

/** The customer's words on one line, at most `max` characters, ending in … when cut. */
export function subjectFromText(text: string, max = SUBJECT_FROM_TEXT_LENGTH): string {
  const words = text.replace(/\s+/g, ' ').trim();
  const chars = [...words];
  return chars.length <= max ? words : `${chars.slice(0, max - 1).join('')}…`;
}
