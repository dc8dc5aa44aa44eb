import { compilePhrases, findPhrases, type CompiledList, type PhraseEntry } from '../quality/phrases.js';
import type { HandoffReason } from './types.js';

// When the bot hands the customer to a person (转人工): the customer asks for one, the bot's
// confidence stayed low twice, or a risk word appears (投诉, 工信部, 媒体 …). Matching is on jieba
// words, never substrings (core/quality/phrases.ts): 人工 does not match inside 人工智能, 媒体 not
// inside 多媒体. The caller segments the text and compiles the lists once (segmenter passed in).

/** Ways a customer asks for a person, Chinese and English; each a phrase of one or more words. */
export const HANDOFF_REQUEST_PHRASES: readonly string[] = [
  '转人工',
  '人工客服',
  '人工服务',
  '人工',
  '真人',
  '客服人员',
  '找客服',
  '接线员',
  'human',
  'agent',
  'operator',
  'real person',
  'live person',
  'representative',
  'talk to someone',
  'speak to someone',
];

/**
 * Risk words that hand a chat to a person at once, besides the risk list administrators keep for
 * ticket screening (phrase_entries, list `risk`), which the caller adds.
 */
export const HANDOFF_RISK_WORDS: readonly string[] = [
  '投诉',
  '工信部',
  '媒体',
  '曝光',
  '律师',
  '起诉',
  '法院',
  '消协',
  '12315',
  '记者',
  '报警',
  'complaint',
  'complain',
  'lawyer',
  'regulator',
  'media',
  'sue',
];

/** Low-confidence bot turns in a row (counted on the conversation) that hand over. */
export const LOW_CONFIDENCE_HANDOFF_AFTER = 2;

const entries = (list: 'risk' | 'required', phrases: readonly string[]): PhraseEntry[] =>
  phrases.map((phrase, i) => ({
    id: `chat-${list}-${i}`,
    list,
    phrase,
    synonyms: [],
    slot: null,
    channels: [],
    raiseGrade: null,
    enabled: true,
  }));

export type HandoffLists = { request: CompiledList; risk: CompiledList };

/**
 * The request phrases and the risk words, segmented once. `extraRisk`: the administrators' risk
 * list (enabled entries), added to the built-in words.
 */
export function compileHandoffLists(
  segment: (text: string) => string[],
  extraRisk: readonly PhraseEntry[] = [],
): HandoffLists {
  // Compiled as two separate lists; `required` is only a slot in the compiled shape here.
  const request = compilePhrases(entries('required', HANDOFF_REQUEST_PHRASES), segment).required;
  const risk = compilePhrases(
    [...entries('risk', HANDOFF_RISK_WORDS), ...extraRisk.filter((e) => e.list === 'risk')],
    segment,
  ).risk;
  return { request, risk };
}

export type HandoffDecision = { handoff: false } | { handoff: true; reason: HandoffReason; words: string[] };

/**
 * Whether a customer's message (its jieba words, lower-cased) hands the chat to a person. Risk
 * words come first (the supervisor must hear of them), then an explicit request. Low confidence is
 * decided after the bot tried: see `handoffAfterBotTurn`.
 */
export function handoffForMessage(lists: HandoffLists, words: readonly string[]): HandoffDecision {
  const risk = findPhrases(lists.risk, words);
  if (risk.length > 0) return { handoff: true, reason: 'risk', words: [...new Set(risk.map((h) => h.entry.phrase))] };
  const asked = findPhrases(lists.request, words);
  if (asked.length > 0) return { handoff: true, reason: 'asked', words: asked.map((h) => h.entry.phrase) };
  return { handoff: false };
}

/**
 * After a bot turn: `lowCount` is the number of low-confidence turns so far, this one included
 * (a confident answer or an intent resets it to 0). Two in a row hand over.
 */
export function handoffAfterBotTurn(lowCount: number, after = LOW_CONFIDENCE_HANDOFF_AFTER): HandoffDecision {
  return lowCount >= after ? { handoff: true, reason: 'low_confidence', words: [] } : { handoff: false };
}
