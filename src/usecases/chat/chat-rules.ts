import { and, desc, eq, sql } from 'drizzle-orm';
import { decideBotTurn, BOT_TEXTS, nextLowConfidenceCount } from '../../core/chat/bot.js';
import { canLeaveMessage } from '../../core/chat/conversation.js';
import {
  compileHandoffLists,
  handoffAfterBotTurn,
  handoffForMessage,
  type HandoffLists,
} from '../../core/chat/handoff.js';
import type { ChatMessagePayload, HandoffReason, OfferedArticle } from '../../core/chat/types.js';
import { groupQuery } from '../../core/knowledge/query.js';
import type { ChatCustomerView, ChatSettings } from '../../contracts/chat.js';
import type { Db, DbOrTx, Tx } from '../../db/client.js';
import { chatConversations, kbArticles, staff, teams, tickets } from '../../db/schema.js';
import { segmentWords } from '../../text/segmenter.js';
import type { Deps } from '../deps.js';
import { compileQuery, effectiveAt, isLive } from '../knowledge/search.js';
import { currentPhrases } from '../quality/phrase-checks.js';
import { loadCalendarMath } from '../sla/calendars.js';
import type { AccountLookup } from './account-lookup.js';
import {
  announceChat,
  appendMessage,
  changeOf,
  queuePositionOf,
  type ConversationRow,
  type MessageRow,
} from './chat-store.js';

// The bot's turn and the hand-off, for a conversation the caller has locked: the core decides,
// this file fetches (knowledge search, the account lookup, the risk list, the service hours).

const handoffCache = new WeakMap<Db, { stamp: string; lists: HandoffLists }>();

/** The request phrases and risk words (built-in plus the administrators' risk list), compiled once per change. */
export async function handoffLists(db: Db, tx: Db | Tx): Promise<HandoffLists> {
  const phrases = await currentPhrases(db, tx);
  const cached = handoffCache.get(db);
  if (cached?.stamp === phrases.stamp) return cached.lists;
  const lists = compileHandoffLists(segmentWords, phrases.compiled.risk.entries);
  handoffCache.set(db, { stamp: phrases.stamp, lists });
  return lists;
}

/** Whether people answer chats now (the chat calendar; no calendar: always). */
export async function serviceOpenAt(db: DbOrTx, settings: ChatSettings, now: Date): Promise<boolean> {
  if (!settings.calendarId) return true;
  const math = await loadCalendarMath(db, [settings.calendarId]);
  return math(settings.calendarId).phaseAt(now).open;
}

/** The conversation as its customer sees it. */
export async function customerViewOf(
  db: DbOrTx,
  c: ConversationRow,
  settings: ChatSettings,
  now: Date,
): Promise<ChatCustomerView> {
  const [extra] = await db
    .select({
      agentName: sql<string | null>`(select ${staff.displayName} from ${staff} where ${staff.id} = ${c.agentId})`,
      ticketNumber: sql<string | null>`(select ${tickets.number} from ${tickets} where ${tickets.id} = ${c.ticketId})`,
    })
    .from(sql`(select 1) as one`);
  const open = await serviceOpenAt(db, settings, now);
  return {
    id: c.id,
    channel: c.channel,
    state: c.state,
    language: c.language,
    signedIn: c.customerVerified,
    queuePosition: await queuePositionOf(db, c),
    agentName: c.agentId ? (extra?.agentName ?? null) : null,
    outcome: c.outcome,
    ticketNumber: c.ticketId ? (extra?.ticketNumber ?? null) : null,
    serviceOpen: open,
    canLeaveMessage: canLeaveMessage(c, open, settings.leaveMessageAfterSeconds, now),
    lastSeq: c.lastSeq,
    createdAt: c.createdAt.toISOString(),
  };
}

/** The team whose queue takes hand-offs (the setting's team code), or none (any agent). */
async function queueTeamId(tx: Tx, settings: ChatSettings): Promise<string | null> {
  const [row] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.code, settings.queueTeamCode));
  return row?.id ?? null;
}

/**
 * Hands the chat to a person: into the team's queue with the reason and the words that triggered
 * it (the whole conversation stays on it). Outside service hours nobody is queued: the bot says so
 * and the customer may leave a message.
 */
export async function handOff(
  tx: Tx,
  c: ConversationRow,
  reason: HandoffReason,
  words: string[],
  settings: ChatSettings,
  now: Date,
): Promise<MessageRow[]> {
  const texts = BOT_TEXTS[c.language];
  if (!(await serviceOpenAt(tx, settings, now)))
    return [
      await appendMessage(tx, c, { author: 'bot', body: texts.closedHours, payload: { kind: 'closed_hours' } }, now),
    ];
  const teamId = await queueTeamId(tx, settings);
  Object.assign(c, { state: 'queued', teamId, queuedAt: now, handoffReason: reason, botLowConfidenceCount: 0 });
  await tx
    .update(chatConversations)
    .set({ state: 'queued', teamId, queuedAt: now, handoffReason: reason, botLowConfidenceCount: 0, updatedAt: now })
    .where(eq(chatConversations.id, c.id));
  const note = await appendMessage(
    tx,
    c,
    { author: 'system', body: texts.handoff, payload: { kind: 'handoff', handoffReason: reason, words } },
    now,
  );
  await announceChat(tx, changeOf(c, 'queued'));
  return [note];
}

/** The articles the search finds for the words, best first, each with its confidence (0–1). */
async function candidatesFor(deps: Deps, tx: Tx, text: string, now: Date): Promise<OfferedArticle[]> {
  const q = await compileQuery(deps, tx, text);
  if (!q.tsquery || q.groups.length === 0) return [];
  const vector = sql`${kbArticles.searchVector}`;
  const total = q.weights.reduce((a, b) => a + b, 0);
  const coverage = sql<number>`(${sql.join(
    q.groups.map((g, i) => sql`(${vector} @@ to_tsquery('simple', ${groupQuery(g)}))::int * ${q.weights[i] ?? 1}::int`),
    sql` + `,
  )})`.mapWith(Number);
  const rank = sql<number>`ts_rank_cd(${vector}, to_tsquery('simple', ${q.tsquery}))`.mapWith(Number);
  const rows = await tx
    .select({ id: kbArticles.id, title: kbArticles.title, coverage, rank })
    .from(kbArticles)
    .where(
      and(
        isLive,
        eq(kbArticles.audience, 'public'),
        effectiveAt(now),
        sql`${vector} @@ to_tsquery('simple', ${q.tsquery})`,
      ),
    )
    .orderBy(desc(coverage), desc(rank), desc(kbArticles.id))
    .limit(3);
  return rows.map((r) => ({ id: r.id, title: r.title, confidence: Math.round((r.coverage / total) * 100) / 100 }));
}

/**
 * The bot's answer to a customer's message in a bot-state chat: a hand-off on a request or a risk
 * word, else a self-service intent (personal data only for a signed-in customer), a confident
 * article, or the closest ones; two low-confidence turns in a row hand off.
 */
export async function botTurn(
  deps: Deps,
  tx: Tx,
  c: ConversationRow,
  text: string,
  settings: ChatSettings,
  lookup: AccountLookup,
  now: Date,
): Promise<MessageRow[]> {
  const words = segmentWords(text);
  const trigger = handoffForMessage(await handoffLists(deps.db, tx), words);
  if (trigger.handoff) return handOff(tx, c, trigger.reason, trigger.words, settings, now);

  const texts = BOT_TEXTS[c.language];
  const decision = decideBotTurn(words, await candidatesFor(deps, tx, text, now), settings.botConfidenceThreshold);
  const replies: MessageRow[] = [];
  const say = async (body: string, payload: ChatMessagePayload) =>
    replies.push(await appendMessage(tx, c, { author: 'bot', body, payload }, now));
  switch (decision.kind) {
    case 'intent': {
      if (!c.customerVerified || !c.customerId) {
        await say(texts.signInRequired, { kind: 'sign_in_required', intent: decision.intent });
        break;
      }
      const answer = await lookup.answer(tx, c.customerId, decision.intent, c.language, now);
      await say(answer ?? texts.lookupFailed, { kind: 'intent', intent: decision.intent });
      break;
    }
    case 'answer':
      await say(texts.answer(decision.article.title), {
        kind: 'answer',
        articles: [decision.article],
        confidence: decision.confidence,
        helpful: null,
      });
      break;
    case 'offer':
      await say(texts.offer, { kind: 'offer', articles: decision.articles, confidence: decision.confidence });
      break;
    case 'fallback':
      await say(texts.fallback, { kind: 'fallback', confidence: 0 });
      break;
    default:
      decision satisfies never;
  }
  const low = nextLowConfidenceCount(c.botLowConfidenceCount, decision);
  c.botLowConfidenceCount = low;
  await tx.update(chatConversations).set({ botLowConfidenceCount: low }).where(eq(chatConversations.id, c.id));
  const after = handoffAfterBotTurn(low);
  if (after.handoff) replies.push(...(await handOff(tx, c, after.reason, after.words, settings, now)));
  return replies;
}
