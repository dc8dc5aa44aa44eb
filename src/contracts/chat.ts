import { z } from 'zod';
import {
  BOT_INTENTS,
  CHAT_AUTHORS,
  CHAT_CHANNELS,
  CHAT_LANGUAGES,
  CHAT_OUTCOMES,
  CHAT_STATES,
  HANDOFF_REASONS,
} from '../core/chat/types.js';
import { TICKET_TYPES } from '../core/tickets/types.js';
import { PortalPhone } from './portal.js';

// Online service (issue 20): the customer's chat API (/api/chat/v1, anonymous allowed, a
// conversation token), the gateways' chat API for the app and WeChat (signed like the webhooks),
// the desk's chat API (/api/v1/chats) and the chat settings. Live events are in events.ts.

/** The longest message a customer, the bot or an agent may send (characters). */
export const CHAT_MESSAGE_MAX = 2000;

const Id = z.uuid();
const IsoTime = z.iso.datetime();
const Body = z.string().trim().min(1).max(CHAT_MESSAGE_MAX);
/** A client's own id for a message: a retry with the same id returns the stored message. */
const ClientMessageId = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[\w.:-]+$/, 'letters, digits and . _ : -');

export const ChatChannel = z.enum(CHAT_CHANNELS);
export const ChatState = z.enum(CHAT_STATES);
export const ChatLanguage = z.enum(CHAT_LANGUAGES);
export const ChatOutcome = z.enum(CHAT_OUTCOMES);

export const OfferedArticleView = z.object({ id: Id, title: z.string(), confidence: z.number() });

/** What a message carries beside its text, as customers see it (desk: the same, plus words). */
export const ChatMessagePayloadView = z
  .object({
    kind: z.string().optional(),
    articles: z.array(OfferedArticleView).optional(),
    intent: z.enum(BOT_INTENTS).optional(),
    confidence: z.number().optional(),
    helpful: z.boolean().nullable().optional(),
    handoffReason: z.enum(HANDOFF_REASONS).optional(),
    words: z.array(z.string()).optional(),
    /** Desk only: a transfer's note for the colleague. */
    note: z.string().optional(),
    articleId: Id.optional(),
    ticketNumber: z.string().optional(),
  })
  .meta({ id: 'ChatMessagePayload' });

export const ChatMessageView = z
  .object({
    id: Id,
    seq: z.number().int(),
    author: z.enum(CHAT_AUTHORS),
    /** Agents: the display name (customers see it as the agent's name; no staff id). */
    agentName: z.string().nullable(),
    clientMessageId: z.string().nullable(),
    body: z.string(),
    payload: ChatMessagePayloadView,
    createdAt: IsoTime,
  })
  .meta({ id: 'ChatMessage' });
export type ChatMessageView = z.infer<typeof ChatMessageView>;

// ------------------------------------------------------------------ customer API (/api/chat/v1)

export const ChatStart = z
  .strictObject({
    language: ChatLanguage.default('zh'),
  })
  .meta({ id: 'ChatStart' });

/** The conversation as the customer sees it. */
export const ChatCustomerView = z
  .object({
    id: Id,
    channel: ChatChannel,
    state: ChatState,
    language: ChatLanguage,
    /** Signed in with the number's code: personal answers (balance, bill, plan) allowed. */
    signedIn: z.boolean(),
    /** 1 = next; null when not queued. */
    queuePosition: z.number().int().nullable(),
    agentName: z.string().nullable(),
    outcome: ChatOutcome.nullable(),
    /** The ticket a left message or the agent opened (its number only). */
    ticketNumber: z.string().nullable(),
    /** Within the service hours of the chat calendar now. */
    serviceOpen: z.boolean(),
    /** Whether "leave a message" is offered now (outside hours, or waited past the setting). */
    canLeaveMessage: z.boolean(),
    lastSeq: z.number().int(),
    createdAt: IsoTime,
  })
  .meta({ id: 'ChatConversation' });
export type ChatCustomerView = z.infer<typeof ChatCustomerView>;

export const ChatStarted = z
  .object({
    conversation: ChatCustomerView,
    /** The conversation token: send it as `X-Chat-Token` (or `?token=` on the stream). Shown once. */
    token: z.string(),
    messages: z.array(ChatMessageView),
  })
  .meta({ id: 'ChatStarted' });

export const ChatMessageCreate = z
  .strictObject({ clientMessageId: ClientMessageId, body: Body })
  .meta({ id: 'ChatMessageCreate' });

/** 201 stored now (with the bot's replies); 200 this clientMessageId was stored before (replies: []). */
export const ChatMessageStored = z
  .object({ message: ChatMessageView, replies: z.array(ChatMessageView), conversation: ChatCustomerView })
  .meta({ id: 'ChatMessageStored' });

export const ChatMessagesQuery = z.strictObject({
  after: z.coerce.number().int().min(0).default(0).describe('Messages with seq greater than this'),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
export const ChatMessagesPage = z
  .object({ items: z.array(ChatMessageView), lastSeq: z.number().int() })
  .meta({ id: 'ChatMessagesPage' });

export const ChatStreamQuery = z.strictObject({
  after: z.coerce.number().int().min(0).optional().describe('Resume after this seq (or send Last-Event-ID)'),
  token: z.string().min(10).max(200).optional().describe('The conversation token, where a header cannot be set'),
});

export const ChatTyping = z.strictObject({ typing: z.boolean() }).meta({ id: 'ChatTyping' });

export const ChatFeedback = z
  .strictObject({ seq: z.number().int().min(1), helpful: z.boolean() })
  .meta({ id: 'ChatFeedback' });

export const ChatLeaveMessage = z
  .strictObject({
    body: z.string().trim().min(5).max(5000),
    /** Anonymous customers: a number to call back on. */
    phone: PortalPhone.optional(),
  })
  .meta({ id: 'ChatLeaveMessage' });

export const ChatTicketRef = z.object({ ticketId: Id, number: z.string() }).meta({ id: 'ChatTicketRef' });

// ------------------------------------------------------------------ gateways (app, WeChat)

export const GatewayChatChannel = z.enum(['app', 'wechat']);

/** A customer's message relayed by the app or WeChat gateway (HMAC-signed with the channel's secret). */
export const GatewayChatMessage = z
  .strictObject({
    /** The app's user id or the WeChat openid: one open conversation per user. */
    externalUserId: z.string().trim().min(1).max(128),
    clientMessageId: ClientMessageId,
    body: Body,
    language: ChatLanguage.optional(),
    /** The number the gateway verified for this user (signed in to the app; WeChat bound number). */
    verifiedPhone: PortalPhone.optional(),
  })
  .meta({ id: 'GatewayChatMessage' });

export const GatewayChatStored = z
  .object({
    conversationId: Id,
    message: ChatMessageView,
    replies: z.array(ChatMessageView),
    conversation: ChatCustomerView,
  })
  .meta({ id: 'GatewayChatStored' });

export const GatewayChatPoll = z
  .strictObject({ conversationId: Id, after: z.number().int().min(0).default(0) })
  .meta({ id: 'GatewayChatPoll' });
export const GatewayChatPage = z
  .object({ items: z.array(ChatMessageView), lastSeq: z.number().int(), conversation: ChatCustomerView })
  .meta({ id: 'GatewayChatPage' });

// ------------------------------------------------------------------ desk (/api/v1/chats)

export const ChatListQuery = z.strictObject({
  view: z
    .enum(['queue', 'mine', 'active', 'recent'])
    .default('mine')
    .describe('queue: waiting in my teams; mine: assigned to me; active: all open (supervisors); recent: ended today'),
});

export const ChatClockView = z
  .object({
    targetSeconds: z.number().int(),
    dueAt: IsoTime.nullable(),
    state: z.enum(['none', 'running', 'overdue', 'met', 'missed']),
    warnedAt: IsoTime.nullable(),
    firstHumanResponseAt: IsoTime.nullable(),
  })
  .meta({ id: 'ChatClock' });

export const ChatSummaryView = z
  .object({
    id: Id,
    channel: ChatChannel,
    state: ChatState,
    language: ChatLanguage,
    customer: z.object({ id: Id, name: z.string(), phone: z.string().describe('Masked'), tier: z.string() }).nullable(),
    signedIn: z.boolean(),
    agent: z.object({ id: Id, displayName: z.string() }).nullable(),
    team: z.object({ id: Id, name: z.string() }).nullable(),
    handoffReason: z.enum(HANDOFF_REASONS).nullable(),
    /** Last message, shortened. */
    preview: z.string(),
    lastSeq: z.number().int(),
    queuedAt: IsoTime.nullable(),
    acceptedAt: IsoTime.nullable(),
    endedAt: IsoTime.nullable(),
    outcome: ChatOutcome.nullable(),
    ticket: z.object({ id: Id, number: z.string() }).nullable(),
    clock: ChatClockView,
    createdAt: IsoTime,
  })
  .meta({ id: 'ChatSummary' });
export type ChatSummaryView = z.infer<typeof ChatSummaryView>;

export const ChatList = z
  .object({
    items: z.array(ChatSummaryView),
    /** My open chats and my limit (the setting). */
    mine: z.object({ active: z.number().int(), limit: z.number().int() }),
  })
  .meta({ id: 'ChatList' });

export const ChatDetailView = z
  .object({
    chat: ChatSummaryView,
    messages: z.array(ChatMessageView),
    /** What the bot tried before the hand-off: intents, articles answered or offered, feedback. */
    botTried: z.array(
      z.object({
        seq: z.number().int(),
        kind: z.string(),
        intent: z.enum(BOT_INTENTS).nullable(),
        articles: z.array(OfferedArticleView),
        confidence: z.number().nullable(),
        helpful: z.boolean().nullable(),
      }),
    ),
    abilities: z
      .array(z.enum(['accept', 'reply', 'transfer', 'end', 'ticket']))
      .describe('What you may do with it now'),
  })
  .meta({ id: 'ChatDetail' });
export type ChatDetailView = z.infer<typeof ChatDetailView>;

export const AgentChatMessageCreate = z
  .strictObject({
    clientMessageId: ClientMessageId,
    body: Body,
    /** The knowledge article inserted into this message (recorded as used). */
    articleId: Id.optional(),
    /** The managed reply (canned reply) used. */
    replyId: Id.optional(),
  })
  .meta({ id: 'AgentChatMessageCreate' });

export const ChatTransfer = z
  .union([
    z.strictObject({ toAgentId: Id, note: z.string().trim().max(500).optional() }),
    z.strictObject({ toTeamId: Id, note: z.string().trim().max(500).optional() }),
  ])
  .meta({ id: 'ChatTransfer' });

export const ChatEnd = z.strictObject({ note: z.string().trim().max(2000).optional() }).meta({ id: 'ChatEnd' });

export const ChatToTicket = z
  .strictObject({
    type: z.enum(TICKET_TYPES),
    categoryId: Id.optional(),
    subject: z.string().trim().min(1).max(200),
    /** What needs follow-up; the transcript is attached whatever is written here. */
    description: z.string().trim().max(5000).optional(),
    grade: z.string().trim().min(1).max(40).optional(),
    /** An anonymous customer's number (they said it in the chat): finds or creates the customer. */
    phone: PortalPhone.optional(),
  })
  .meta({ id: 'ChatToTicket' });

// ------------------------------------------------------------------ settings

export const ChatSettings = z
  .strictObject({
    /** The bot answers with an article at or above this confidence (0–1); below it offers the closest. */
    botConfidenceThreshold: z.number().min(0).max(1),
    /** Chats an agent may hold at once. */
    agentChatLimit: z.number().int().min(1).max(20),
    /** First human response target, seconds from the hand-off. */
    firstResponseSeconds: z.number().int().min(5).max(3600),
    /** After this wait in the queue the customer may leave a message instead. */
    leaveMessageAfterSeconds: z.number().int().min(0).max(86_400),
    /** The team code whose queue takes hand-offs. */
    queueTeamCode: z.string().trim().min(1).max(40),
    /** The business calendar of the human service hours (null: always open). */
    calendarId: z.string().max(100).nullable(),
    /**
     * The customer-inactivity limit, seconds: a queued chat whose customer wrote nothing and had no
     * stream open for this long, or a served chat whose customer has not answered the agent's last
     * message for this long, is ended by the system. Settings stored before it get the default.
     */
    customerIdleSeconds: z.number().int().min(60).max(86_400).default(600),
  })
  .meta({ id: 'ChatSettings' });
export type ChatSettings = z.infer<typeof ChatSettings>;

export const ChatSettingsView = z
  .object({ settings: ChatSettings, source: z.enum(['database', 'default']) })
  .meta({ id: 'ChatSettingsView' });
