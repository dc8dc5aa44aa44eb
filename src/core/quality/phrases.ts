import type { TicketChangeAction } from '../tickets/actions.js';
import type { Channel } from '../tickets/types.js';

// Phrase lists as data (质检 smart monitoring, handbook §6–7): words that make a customer message
// a risk (投诉, 工信部 …), phrases an agent's reply must contain (greeting, closing; per channel)
// and phrases it must not. Matching is on jieba words, never on substrings: 媒体 does not match
// inside 多媒体 (multimedia), 投诉 not inside 投诉率 (complaint rate). A phrase of several words
// matches where its words stand in the same order, one after the other. Nothing here does I/O:
// the caller passes the segmenter in once, when the lists are compiled.

export const PHRASE_LISTS = ['risk', 'forbidden', 'required'] as const;
export type PhraseList = (typeof PHRASE_LISTS)[number];
/** Where a required phrase belongs in a reply: the greeting or the closing. */
export const REQUIRED_SLOTS = ['greeting', 'closing'] as const;
export type RequiredSlot = (typeof REQUIRED_SLOTS)[number];

/** The tag a risk word puts on a ticket (the one the default high-risk routing rule adds at creation). */
export const RISK_TAG = 'high-risk';
/** The handbook's target share of replies with the required phrases and no forbidden ones. */
export const SCRIPT_COMPLIANCE_TARGET = 0.98;

export type PhraseEntry = {
  id: string;
  list: PhraseList;
  phrase: string;
  /** Other ways of saying it: each counts as the phrase itself. */
  synonyms: string[];
  /** Required phrases only. */
  slot: RequiredSlot | null;
  /** Channels the entry applies to (required and forbidden phrases); empty: every channel. */
  channels: Channel[];
  /** Risk words only: the grade a ticket is raised to (only ever up), or none. */
  raiseGrade: string | null;
  enabled: boolean;
};

type Form = { entry: number; words: string[] };
/** One list prepared for matching: the forms (phrase and synonyms) indexed by their first word. */
export type CompiledList = { entries: PhraseEntry[]; byFirstWord: Map<string, Form[]> };
export type CompiledPhrases = Record<PhraseList, CompiledList>;

/** Segments each enabled entry's phrase and synonyms once; empty forms are dropped. */
export function compilePhrases(entries: readonly PhraseEntry[], segment: (text: string) => string[]): CompiledPhrases {
  const empty = (): CompiledList => ({ entries: [], byFirstWord: new Map() });
  const compiled: CompiledPhrases = { risk: empty(), forbidden: empty(), required: empty() };
  for (const entry of entries) {
    if (!entry.enabled) continue;
    const list = compiled[entry.list];
    const index = list.entries.push(entry) - 1;
    const seen = new Set<string>();
    for (const text of [entry.phrase, ...entry.synonyms]) {
      const words = segment(text);
      const key = words.join(' ');
      if (words.length === 0 || seen.has(key)) continue;
      seen.add(key);
      const forms = list.byFirstWord.get(words[0]!) ?? [];
      forms.push({ entry: index, words });
      list.byFirstWord.set(words[0]!, forms);
    }
  }
  return compiled;
}

export type PhraseHit = {
  entry: PhraseEntry;
  /** The form found (the phrase or one of its synonyms). */ matched: string;
};

const applies = (entry: PhraseEntry, channel: Channel | null) =>
  channel === null || entry.channels.length === 0 || entry.channels.includes(channel);

/** The entries of `list` found in `words` (each once, in the order first found), for `channel` (null: any). */
export function findPhrases(list: CompiledList, words: readonly string[], channel: Channel | null = null): PhraseHit[] {
  const hits = new Map<number, PhraseHit>();
  for (let i = 0; i < words.length; i++) {
    const forms = list.byFirstWord.get(words[i]!);
    if (!forms) continue;
    forms: for (const form of forms) {
      if (hits.has(form.entry) || i + form.words.length > words.length) continue;
      for (let j = 1; j < form.words.length; j++) if (words[i + j] !== form.words[j]) continue forms;
      const entry = list.entries[form.entry]!;
      if (applies(entry, channel)) hits.set(form.entry, { entry, matched: form.words.join('') });
    }
  }
  return [...hits.values()];
}

export type ReplyCheck = {
  /** Required phrases present (every slot that has phrases for the channel) and no forbidden one. */
  compliant: boolean;
  /** Slots with phrases for this channel of which the reply has none. */
  missing: RequiredSlot[];
  /** Forbidden phrases found (the list's phrase, whichever form was used). */
  forbidden: string[];
};

/** Checks an agent's public reply, sent on `channel`, against the required and forbidden phrases. */
export function checkReply(phrases: CompiledPhrases, words: readonly string[], channel: Channel): ReplyCheck {
  const found = new Set(findPhrases(phrases.required, words, channel).map((h) => h.entry.slot));
  const missing = REQUIRED_SLOTS.filter(
    (slot) => !found.has(slot) && phrases.required.entries.some((e) => e.slot === slot && applies(e, channel)),
  );
  const forbidden = findPhrases(phrases.forbidden, words, channel).map((h) => h.entry.phrase);
  return { compliant: missing.length === 0 && forbidden.length === 0, missing, forbidden };
}

export type RiskScreen = {
  /** The risk words found (the list's phrase, whichever form was used), in the order found. */
  words: string[];
  /** What a hit does to the ticket: the risk tag, and each hit's grade (the highest wins, never down). */
  actions: TicketChangeAction[];
};

/** Screens a customer's words for risk words; no hit, no actions. */
export function screenCustomerWords(phrases: CompiledPhrases, words: readonly string[]): RiskScreen {
  const hits = findPhrases(phrases.risk, words);
  if (hits.length === 0) return { words: [], actions: [] };
  const grades = [...new Set(hits.flatMap((h) => (h.entry.raiseGrade ? [h.entry.raiseGrade] : [])))];
  return {
    words: hits.map((h) => h.entry.phrase),
    actions: [{ kind: 'add_tag', tag: RISK_TAG }, ...grades.map((grade) => ({ kind: 'raise_grade', grade }) as const)],
  };
}

export type ComplianceFacts = { staffId: string; replies: number; compliant: number };
export type ComplianceShare = ComplianceFacts & { share: number | null; meetsTarget: boolean | null };

/** Script compliance per agent: compliant replies / replies (null without replies), against the target. */
export function complianceShares(
  facts: readonly ComplianceFacts[],
  target = SCRIPT_COMPLIANCE_TARGET,
): ComplianceShare[] {
  return facts.map((f) => {
    const share = f.replies > 0 ? f.compliant / f.replies : null;
    return { ...f, share, meetsTarget: share === null ? null : share >= target };
  });
}

/** The plain text of a reply written as HTML (tags dropped, common entities read), for matching. */
export function replyText(body: string, format: string): string {
  if (format !== 'html') return body;
  return body
    .replace(/<(br|\/p|\/div|\/li)[^>]*>/gi, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The handbook's lists, seeded at first start (an admin edits them in the console). */
export const DEFAULT_PHRASES: Omit<PhraseEntry, 'id' | 'enabled'>[] = [
  ...(
    [
      ['投诉', ['申诉', '投诉无门'], null],
      ['退费', ['退款', '退钱', '赔偿'], null],
      ['工信部', ['工业和信息化部'], 'urgent'],
      ['通管局', ['通信管理局'], 'urgent'],
      ['12300', [], 'urgent'],
      ['媒体', ['记者', '电视台', '报社'], 'major'],
      ['曝光', ['网上曝光', '公开曝光'], 'major'],
      ['律师', ['律师函'], 'major'],
      ['起诉', ['告你们', '法院', '打官司'], 'major'],
      ['消协', ['消费者协会', '12315'], 'major'],
    ] as const
  ).map(([phrase, synonyms, raiseGrade]) => ({
    list: 'risk' as const,
    phrase,
    synonyms: [...synonyms],
    slot: null,
    channels: [],
    raiseGrade,
  })),
  ...(
    [
      ['您好', ['你好', '您好呀'], 'greeting'],
      ['感谢您的来电', ['感谢您的耐心', '祝您生活愉快', '再见', '还有其他可以帮您的吗'], 'closing'],
    ] as const
  ).map(([phrase, synonyms, slot]) => ({
    list: 'required' as const,
    phrase,
    synonyms: [...synonyms],
    slot,
    channels: [],
    raiseGrade: null,
  })),
  ...(
    [
      ['不归我管', ['不关我的事', '这不是我负责的']],
      ['爱找谁找谁', ['你爱去哪投诉去哪投诉', '随便你']],
      ['没办法', ['我也没办法', '没有办法']],
      ['你听不懂吗', ['听不懂人话']],
      ['自己看着办', ['你自己看着办']],
    ] as const
  ).map(([phrase, synonyms]) => ({
    list: 'forbidden' as const,
    phrase,
    synonyms: [...synonyms],
    slot: null,
    channels: [],
    raiseGrade: null,
  })),
];
