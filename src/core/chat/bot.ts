import type { BotIntent, ChatLanguage, OfferedArticle } from './types.js';

// The bot's decision (core decides, the use case fetches): a self-service intent when the words
// name one (data balance, the bill, the plan), otherwise the knowledge articles the search found.
// Above the confidence threshold it answers with the best article and asks "did this help?";
// below it offers the two or three closest, and the turn counts as low confidence.

/** Topic words per intent (jieba words, lower-cased); the first intent whose words appear wins. */
const INTENT_WORDS: Record<BotIntent, readonly string[]> = {
  data_balance: ['流量', '剩余流量', '余量', '数据流量', 'data'],
  bill_explained: ['账单', '话费', '扣费', '扣钱', '月租', '费用', 'bill', 'charge', 'charges', 'charged'],
  plan_details: ['套餐', '资费', 'plan', 'tariff', 'package'],
};
/** Words that make a message a fault report or a matter for a person, never a self-service intent. */
const NOT_SELF_SERVICE = new Set([
  '故障',
  '坏',
  '坏了',
  '断网',
  '没信号',
  '信号',
  '网速',
  '慢',
  '退费',
  '退款',
  '乱扣',
  '多扣',
  'fault',
  'broken',
  'outage',
  'refund',
  'slow',
]);

/** The intent the words name, if any (data balance before the bill before the plan). */
export function detectIntent(words: readonly string[]): BotIntent | null {
  const set = new Set(words);
  if (words.some((w) => NOT_SELF_SERVICE.has(w))) return null;
  for (const intent of Object.keys(INTENT_WORDS) as BotIntent[])
    if (INTENT_WORDS[intent].some((w) => set.has(w))) return intent;
  return null;
}

/** A found article with its confidence: the weighted share of the question's words it has (0–1). */
export type Candidate = OfferedArticle;

export type BotDecision =
  | { kind: 'intent'; intent: BotIntent; lowConfidence: false }
  | { kind: 'answer'; article: Candidate; confidence: number; lowConfidence: false }
  | { kind: 'offer'; articles: Candidate[]; confidence: number; lowConfidence: true }
  | { kind: 'fallback'; confidence: 0; lowConfidence: true };

/** How many close articles a low-confidence turn offers (two or three). */
export const OFFER_COUNT = 3;

/**
 * What the bot does with a message. `candidates`: the search's articles, best first, each with its
 * confidence; `threshold`: the setting (0–1).
 */
export function decideBotTurn(
  words: readonly string[],
  candidates: readonly Candidate[],
  threshold: number,
): BotDecision {
  const intent = detectIntent(words);
  if (intent) return { kind: 'intent', intent, lowConfidence: false };
  const ranked = [...candidates].sort((a, b) => b.confidence - a.confidence);
  const best = ranked[0];
  if (!best) return { kind: 'fallback', confidence: 0, lowConfidence: true };
  if (best.confidence >= threshold)
    return { kind: 'answer', article: best, confidence: best.confidence, lowConfidence: false };
  return { kind: 'offer', articles: ranked.slice(0, OFFER_COUNT), confidence: best.confidence, lowConfidence: true };
}

/** The low-confidence count after a turn: a low turn adds one, anything else starts again at 0. */
export const nextLowConfidenceCount = (count: number, decision: BotDecision): number =>
  decision.lowConfidence ? count + 1 : 0;

/** What the bot says, in the conversation's language. */
export const BOT_TEXTS: Record<
  ChatLanguage,
  {
    greeting: string;
    answer: (title: string) => string;
    offer: string;
    fallback: string;
    signInRequired: string;
    handoff: string;
    queued: string;
    closedHours: string;
    noAgent: string;
    lookupFailed: string;
  }
> = {
  zh: {
    greeting: '您好，我是智能客服。请问有什么可以帮您？需要人工服务请输入“转人工”。',
    answer: (title) => `为您找到：《${title}》。这个回答有帮助吗？`,
    offer: '没有找到确切答案，以下内容可能相关：',
    fallback: '抱歉，我没有理解您的问题。可以换个说法，或输入“转人工”。',
    signInRequired: '查询个人账户信息需要先用手机号和验证码登录。',
    handoff: '正在为您转接人工客服，请稍候。',
    queued: '已进入人工排队。',
    closedHours: '当前不在人工服务时间，您可以留言，我们会尽快联系您。',
    noAgent: '暂时没有空闲的客服，您可以继续等待或留言。',
    lookupFailed: '暂时查询不到您的账户信息，请稍后再试或转人工。',
  },
  en: {
    greeting: 'Hello, I am the virtual assistant. How can I help? Type "human" to talk to a person.',
    answer: (title) => `I found this: "${title}". Did this help?`,
    offer: 'I could not find an exact answer; these may help:',
    fallback: 'Sorry, I did not understand. Try other words, or type "human".',
    signInRequired: 'To see your account, sign in with your phone number and the code first.',
    handoff: 'Connecting you to a person, please wait.',
    queued: 'You are in the queue for a person.',
    closedHours: 'We are outside service hours. Leave a message and we will contact you.',
    noAgent: 'Nobody is free right now. You can keep waiting or leave a message.',
    lookupFailed: 'Your account could not be read right now. Try again later or ask for a person.',
  },
};
