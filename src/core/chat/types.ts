// Online service (在线客服, issue 20): a live chat's states, authors and outcomes, as data.
//
//   bot ──hand-off──▶ queued ──accept──▶ assigned ──end──▶ ended
//    │                  │  ▲                │ transfer to a team: back to queued
//    └──────end─────────┴──┴─(leave a message / abandoned)───────▶ ended

export const CHAT_CHANNELS = ['portal', 'app', 'wechat'] as const;
export type ChatChannel = (typeof CHAT_CHANNELS)[number];

export const CHAT_STATES = ['bot', 'queued', 'assigned', 'ended'] as const;
export type ChatState = (typeof CHAT_STATES)[number];

export const CHAT_AUTHORS = ['customer', 'bot', 'agent', 'system'] as const;
export type ChatAuthor = (typeof CHAT_AUTHORS)[number];

export const CHAT_LANGUAGES = ['zh', 'en'] as const;
export type ChatLanguage = (typeof CHAT_LANGUAGES)[number];

/**
 * How a chat ended: settled on the spot (a contact that counts for first-contact resolution),
 * turned into a ticket, a message left for later (a ticket too), or the customer left unserved.
 */
export const CHAT_OUTCOMES = ['settled', 'ticket', 'left_message', 'abandoned'] as const;
export type ChatOutcome = (typeof CHAT_OUTCOMES)[number];

/** Why the bot handed the customer to a person. */
export const HANDOFF_REASONS = ['asked', 'low_confidence', 'risk'] as const;
export type HandoffReason = (typeof HANDOFF_REASONS)[number];

/** Self-service questions the bot answers from the customer's account (AccountLookup). */
export const BOT_INTENTS = ['data_balance', 'bill_explained', 'plan_details'] as const;
export type BotIntent = (typeof BOT_INTENTS)[number];

/** The channel a ticket opened from a chat carries (the portal is the web channel of tickets). */
export const TICKET_CHANNEL_OF = { portal: 'web', app: 'app', wechat: 'wechat' } as const satisfies Record<
  ChatChannel,
  'web' | 'app' | 'wechat'
>;

/** An article the bot offered or answered with. */
export type OfferedArticle = { id: string; title: string; confidence: number };

/**
 * What a message carries beside its text. Bot: what it answered or offered, the intent, how sure;
 * system: the hand-off (reason and words), a transfer, the first-response warning. Stored as JSON.
 */
export type ChatMessagePayload = {
  /** Bot: `answer` (one article, "did this help?"), `offer` (2–3 closest), `intent`, `handoff`, `greeting`, `fallback`, `sign_in_required`, `closed_hours`. */
  kind?: string;
  articles?: OfferedArticle[];
  intent?: BotIntent;
  confidence?: number;
  /** Bot answers: the customer's "did this help?" (null: not answered yet). */
  helpful?: boolean | null;
  handoffReason?: HandoffReason;
  /** Words that triggered the hand-off (risk words or the request), never the customer's sentence. */
  words?: string[];
  /** Transfers and system notes: who or which team. */
  toAgentId?: string;
  toTeamId?: string;
  fromAgentId?: string;
  /** An agent's message that inserted a knowledge article or a managed reply. */
  articleId?: string;
  replyId?: string;
  /** A transfer's note for the colleague (desk only, never shown to the customer). */
  note?: string;
  ticketNumber?: string;
};
