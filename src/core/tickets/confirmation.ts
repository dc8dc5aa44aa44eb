import type { CloseReason } from './state-machine.js';

// Closed loop (domain §2, issue 13): after a resolution the customer says whether it is solved.
// "Solved" closes the ticket, "not solved" reopens it — the same move wherever the answer comes
// from (the portal, the phone as an agent records it, an SMS reply, an email reply). Pure: the
// use cases segment the customer's text (jieba, src/text) and pass the words in.

export const CONFIRMATION_VIAS = ['portal', 'phone', 'sms', 'email'] as const;
export type ConfirmationVia = (typeof CONFIRMATION_VIAS)[number];

export type ConfirmationAnswer = 'solved' | 'not_solved';

/** The one move a customer's answer makes on a resolved ticket. */
export function confirmationMove(
  answer: ConfirmationAnswer,
  via: ConfirmationVia,
):
  | { action: 'close'; closeReason: Extract<CloseReason, 'customer_confirmed'>; via: ConfirmationVia }
  | { action: 'reopen'; via: ConfirmationVia } {
  return answer === 'solved' ? { action: 'close', closeReason: 'customer_confirmed', via } : { action: 'reopen', via };
}

/**
 * A reply longer than this many words is a message for an agent to read, not an answer: "已解决，
 * 但是现在又有新问题……" must not close the ticket on its own.
 */
export const CONFIRMATION_MAX_WORDS = 15;

// Verbs that say the problem is gone. Chinese ones need a completion marker (已 / 已经 / 都 before,
// 了 after) to count as "solved", so that "请尽快解决" (please solve it soon) is no answer; English
// past participles already say it.
const ZH_DONE_VERBS = new Set(['解决', '修好', '恢复', '处理好']);
const EN_DONE_WORDS = new Set(['solved', 'resolved', 'fixed']);
const EN_NOT_DONE_WORDS = new Set(['unsolved', 'unresolved']);
const DONE_MARKERS_BEFORE = new Set(['已', '已经', '都']);
const DONE_MARKER_AFTER = '了';
// A negation up to two words before the verb: 未解决, 没有得到解决, 没能解决, still not solved.
const NEGATIONS = new Set([
  '未',
  '没',
  '没有',
  '还没',
  '还没有',
  '尚未',
  '并未',
  '不',
  '不是',
  '无法',
  '不能',
  'not',
  'never',
  'isn',
  'wasn',
]);
const NEGATION_REACH = 2;
// A question is no answer: "已解决吗？", "解决了么".
const QUESTION_PARTICLES = new Set(['吗', '么', '嘛']);

/**
 * What a customer's reply says about the resolution, from its words (jieba words, lower-cased,
 * punctuation dropped: `segmentWords`): "solved", "not solved", or null when it says neither —
 * too long, a question, both at once, or no such word at all (a lone digit included, so a survey
 * score is never read as an answer here). Null leaves the reply an ordinary message.
 */
export function readConfirmationReply(words: readonly string[]): ConfirmationAnswer | null {
  if (words.length === 0 || words.length > CONFIRMATION_MAX_WORDS) return null;
  if (words.some((w) => QUESTION_PARTICLES.has(w))) return null;
  let solved = false;
  let notSolved = false;
  words.forEach((word, i) => {
    if (EN_NOT_DONE_WORDS.has(word)) {
      notSolved = true;
      return;
    }
    const zh = ZH_DONE_VERBS.has(word);
    if (!zh && !EN_DONE_WORDS.has(word)) return;
    const before = words.slice(Math.max(0, i - NEGATION_REACH), i);
    if (before.some((w) => NEGATIONS.has(w))) notSolved = true;
    else if (!zh || before.some((w) => DONE_MARKERS_BEFORE.has(w)) || words[i + 1] === DONE_MARKER_AFTER) solved = true;
  });
  if (solved === notSolved) return null;
  return solved ? 'solved' : 'not_solved';
}
