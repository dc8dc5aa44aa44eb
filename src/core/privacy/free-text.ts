import { canRevealPii, type Actor } from '../auth/policy.js';

// PIPL: numbers that customers type into free text (subjects, descriptions, messages, the names
// their channels give them) are masked for staff who may not reveal personal data. Masking keeps
// the text's length and shape: only digits become '*', so the reader still sees that a number
// was there, and a masked text can be masked again without change.

/** A mainland mobile number: 1[3-9]x xxxx xxxx with optional +86 / 0086 / 86 and one space or hyphen between the groups. */
export const MOBILE = /(?<!\d)(?:(?:\+|00)?86[ -]?)?(?<n>1[3-9]\d[ -]?\d{4}[ -]?\d{4})(?!\d)/dg;

/** A landline with its area code: 010-12345678, (0755) 1234567, +86 10 12345678. */
export const LANDLINE = /(?<!\d)(?:(?:\+|00)86[ -]?0?|\(?0)(?:10|2\d|[3-9]\d{2})\)?[ -]?(?<n>[2-9]\d{6,7})(?!\d)/dg;

/** An 18-character resident ID number (6-digit region, birth date, 3 digits, check digit or X), optionally grouped 6-8-4. */
export const ID_NUMBER =
  /(?<!\d)(?<n>[1-9]\d{5}[ -]?(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[ -]?\d{3}[\dXx])(?![\dXx])/dg;

/** Each found number keeps its first `keepHead` and last four significant characters (digits, X). */
type Rule = { pattern: RegExp; keepHead: number };

const RULES: readonly Rule[] = [
  // As maskIdNumber: 1101**********1234. First, so an ID number is never read again as a phone number.
  { pattern: ID_NUMBER, keepHead: 4 },
  // As maskPhone: 138****5678 (a country code stays).
  { pattern: MOBILE, keepHead: 3 },
  // The area code stays: 010-****5678.
  { pattern: LANDLINE, keepHead: 0 },
];

/** Full-width digits, plus, hyphen, parentheses and the ideographic space read as their ASCII forms (one code unit each). */
export function normalise(text: string): string {
  return text.replace(/[\uFF10-\uFF19\uFF0B\uFF0D\uFF08\uFF09\u3000]/g, (c) =>
    c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0),
  );
}

/** Masks mobile and landline numbers and ID numbers found anywhere in `text`. */
export function maskFreeText(text: string): string {
  if (!/[0-9\uFF10-\uFF19]/.test(text)) return text;
  const out = text.split('');
  for (const rule of RULES) {
    // Each rule reads what the previous ones left.
    const seen = normalise(out.join(''));
    for (const match of seen.matchAll(rule.pattern)) {
      const [start, end] = match.indices!.groups!.n!;
      const significant: number[] = [];
      for (let i = start; i < end; i++) if (/[\dXx]/.test(seen[i]!)) significant.push(i);
      significant.forEach((at, i) => {
        if (i >= rule.keepHead && i < significant.length - 4) out[at] = '*';
      });
    }
  }
  return out.join('');
}

/** Free text as `viewer` sees it: as typed for those who may reveal personal data, masked for everyone else (QA, departments). */
export function freeTextFor(viewer: Actor): (text: string) => string {
  return canRevealPii(viewer) ? (text) => text : maskFreeText;
}
