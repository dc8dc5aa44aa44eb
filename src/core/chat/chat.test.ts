import { describe, expect, it } from 'vitest';
import { segmentWords } from '../../text/segmenter.js';
import type { PhraseEntry } from '../quality/phrases.js';
import { decideBotTurn, detectIntent, nextLowConfidenceCount } from './bot.js';
import {
  canAcceptChat,
  canLeaveMessage,
  canSeeChat,
  canTakeChat,
  readyForChats,
  canWorkChat,
  chatTransition,
  firstResponseClock,
  idleEnding,
  outcomeOnEnd,
  queuePosition,
} from './conversation.js';
import { compileHandoffLists, handoffAfterBotTurn, handoffForMessage } from './handoff.js';

const lists = compileHandoffLists(segmentWords);
const handoff = (text: string) => handoffForMessage(lists, segmentWords(text));

describe('hand-off triggers', () => {
  it('hands off when the customer asks for a person in Chinese', () => {
    expect(handoff('转人工')).toMatchObject({ handoff: true, reason: 'asked' });
    expect(handoff('我要找人工客服')).toMatchObject({ handoff: true, reason: 'asked' });
    expect(handoff('能不能帮我转人工服务')).toMatchObject({ handoff: true, reason: 'asked' });
  });

  it('hands off when the customer asks for a person in English', () => {
    expect(handoff('I want to talk to a human')).toMatchObject({ handoff: true, reason: 'asked' });
    expect(handoff('Agent please')).toMatchObject({ handoff: true, reason: 'asked' });
    expect(handoff('can I speak to someone')).toMatchObject({ handoff: true, reason: 'asked' });
  });

  it('does not hand off on a word that only contains a trigger (人工智能, 多媒体)', () => {
    expect(handoff('你们的人工智能套餐怎么收费')).toEqual({ handoff: false });
    expect(handoff('多媒体彩信发不出去')).toEqual({ handoff: false });
    expect(handoff('流量还剩多少')).toEqual({ handoff: false });
  });

  it('hands off on risk words and names them, before an explicit request', () => {
    expect(handoff('再不解决我就去工信部投诉')).toEqual({ handoff: true, reason: 'risk', words: ['工信部', '投诉'] });
    expect(handoff('我要找媒体曝光，转人工')).toMatchObject({ handoff: true, reason: 'risk' });
    expect(handoff('I will call my lawyer')).toEqual({ handoff: true, reason: 'risk', words: ['lawyer'] });
  });

  it("adds the administrators' risk list to the built-in words", () => {
    const extra: PhraseEntry = {
      id: 'x',
      list: 'risk',
      phrase: '消费者协会',
      synonyms: [],
      slot: null,
      channels: [],
      raiseGrade: null,
      enabled: true,
    };
    const withExtra = compileHandoffLists(segmentWords, [extra]);
    expect(handoffForMessage(withExtra, segmentWords('我去消费者协会'))).toMatchObject({ reason: 'risk' });
    expect(handoff('我去消费者协会')).toEqual({ handoff: false });
  });

  it('hands off after two low-confidence turns in a row, not after one', () => {
    expect(handoffAfterBotTurn(1)).toEqual({ handoff: false });
    expect(handoffAfterBotTurn(2)).toEqual({ handoff: true, reason: 'low_confidence', words: [] });
  });
});

describe('bot decision', () => {
  const a = (id: string, confidence: number) => ({ id, title: `t${id}`, confidence });

  it('answers with the best article when its confidence passes the threshold', () => {
    const d = decideBotTurn(segmentWords('宽带怎么报装'), [a('1', 0.5), a('2', 0.8)], 0.6);
    expect(d).toMatchObject({ kind: 'answer', article: { id: '2' }, lowConfidence: false });
  });

  it('offers the two or three closest articles below the threshold, a low-confidence turn', () => {
    const d = decideBotTurn(segmentWords('宽带怎么报装'), [a('1', 0.3), a('2', 0.5), a('3', 0.2), a('4', 0.1)], 0.6);
    expect(d).toMatchObject({ kind: 'offer', lowConfidence: true });
    expect(d.kind === 'offer' && d.articles.map((x) => x.id)).toEqual(['2', '1', '3']);
  });

  it('falls back when nothing was found', () => {
    expect(decideBotTurn(segmentWords('你好'), [], 0.6)).toMatchObject({ kind: 'fallback', lowConfidence: true });
  });

  it('recognises the self-service intents, and not in a fault report', () => {
    expect(detectIntent(segmentWords('我的流量还剩多少'))).toBe('data_balance');
    expect(detectIntent(segmentWords('这个月账单为什么这么多'))).toBe('bill_explained');
    expect(detectIntent(segmentWords('我现在是什么套餐'))).toBe('plan_details');
    expect(detectIntent(segmentWords('what is my data balance'))).toBe('data_balance');
    expect(detectIntent(segmentWords('explain my bill'))).toBe('bill_explained');
    expect(detectIntent(segmentWords('宽带故障，流量也用不了'))).toBeNull();
  });

  it('counts low-confidence turns in a row and starts again after a good one', () => {
    const low = decideBotTurn([], [], 0.6);
    const good = decideBotTurn(segmentWords('流量'), [], 0.6);
    expect(nextLowConfidenceCount(1, low)).toBe(2);
    expect(nextLowConfidenceCount(1, good)).toBe(0);
  });
});

describe('agents and the queue', () => {
  it('lets an agent take chats up to the limit and no more', () => {
    expect(canTakeChat(0, 3)).toBe(true);
    expect(canTakeChat(2, 3)).toBe(true);
    expect(canTakeChat(3, 3)).toBe(false);
    expect(canTakeChat(1, 1)).toBe(false);
    expect(readyForChats('online')).toBe(true);
    expect(readyForChats('away')).toBe(false);
    expect(readyForChats('offline')).toBe(false);
  });

  it('allows only the moves of the chat lifecycle', () => {
    expect(chatTransition('bot', 'handoff')).toBe('queued');
    expect(chatTransition('queued', 'accept')).toBe('assigned');
    expect(chatTransition('assigned', 'accept')).toBeNull();
    expect(chatTransition('assigned', 'transfer_team')).toBe('queued');
    expect(chatTransition('ended', 'end')).toBeNull();
    expect(chatTransition('assigned', 'leave_message')).toBeNull();
  });

  it('settles a chat a person answered, and counts one nobody answered as abandoned', () => {
    expect(outcomeOnEnd('assigned', true)).toBe('settled');
    expect(outcomeOnEnd('assigned', false)).toBe('abandoned');
    expect(outcomeOnEnd('queued', false)).toBe('abandoned');
    expect(outcomeOnEnd('bot', false)).toBeNull();
  });

  it('numbers the queue by time queued, ties by id', () => {
    const t = new Date('2026-11-28T10:00:00Z');
    const later = new Date('2026-11-28T10:00:05Z');
    const queue = [
      { id: 'b', queuedAt: t },
      { id: 'a', queuedAt: t },
      { id: 'c', queuedAt: later },
    ];
    expect(queuePosition(queue[1]!, queue)).toBe(1);
    expect(queuePosition(queue[0]!, queue)).toBe(2);
    expect(queuePosition(queue[2]!, queue)).toBe(3);
  });
});

describe('first human response clock', () => {
  const queuedAt = new Date('2026-11-28T10:00:00Z');
  const at = (s: number) => new Date(queuedAt.getTime() + s * 1000);

  it('runs from the hand-off and warns once past the target', () => {
    const c = { queuedAt, firstHumanResponseAt: null, firstResponseWarnedAt: null };
    expect(firstResponseClock(c, 30, at(29))).toMatchObject({ state: 'running', warn: false });
    expect(firstResponseClock(c, 30, at(30))).toMatchObject({ state: 'overdue', warn: true, dueAt: at(30) });
    expect(firstResponseClock({ ...c, firstResponseWarnedAt: at(31) }, 30, at(40))).toMatchObject({ warn: false });
  });

  it('stops at the first agent message: met within the target, missed after it', () => {
    expect(
      firstResponseClock({ queuedAt, firstHumanResponseAt: at(12), firstResponseWarnedAt: null }, 30, at(60)),
    ).toMatchObject({ state: 'met', warn: false });
    expect(
      firstResponseClock({ queuedAt, firstHumanResponseAt: at(45), firstResponseWarnedAt: at(30) }, 30, at(60)),
    ).toMatchObject({ state: 'missed' });
    expect(
      firstResponseClock({ queuedAt: null, firstHumanResponseAt: null, firstResponseWarnedAt: null }, 30, at(1)).state,
    ).toBe('none');
  });

  it('offers to leave a message outside service hours or after the wait', () => {
    expect(canLeaveMessage({ state: 'bot', queuedAt: null }, false, 120, at(0))).toBe(true);
    expect(canLeaveMessage({ state: 'bot', queuedAt: null }, true, 120, at(0))).toBe(false);
    expect(canLeaveMessage({ state: 'queued', queuedAt }, true, 120, at(119))).toBe(false);
    expect(canLeaveMessage({ state: 'queued', queuedAt }, true, 120, at(120))).toBe(true);
    expect(canLeaveMessage({ state: 'assigned', queuedAt }, false, 120, at(500))).toBe(false);
  });
});

describe('customer inactivity (abandoned chats)', () => {
  const t0 = new Date('2026-11-28T10:00:00Z');
  const at = (s: number) => new Date(t0.getTime() + s * 1000);
  const limit = 600;
  const queued = {
    state: 'queued' as const,
    queuedAt: t0,
    customerMessageAt: null,
    agentMessageAt: null,
    customerStreamAt: null,
  };

  it('abandons a queued chat whose customer wrote nothing and had no stream for the limit', () => {
    expect(idleEnding(queued, limit, at(599))).toBeNull();
    expect(idleEnding(queued, limit, at(600))).toBe('abandoned');
  });

  it('counts the limit from the last sign of the customer: a message or the stream last seen open', () => {
    expect(idleEnding({ ...queued, customerMessageAt: at(300) }, limit, at(899))).toBeNull();
    expect(idleEnding({ ...queued, customerMessageAt: at(300) }, limit, at(900))).toBe('abandoned');
    // A stream seen open a minute ago (nodes refresh it while it stays open): still waiting.
    expect(idleEnding({ ...queued, customerStreamAt: at(3540) }, limit, at(3600))).toBeNull();
    expect(idleEnding({ ...queued, customerStreamAt: at(3000) }, limit, at(3600))).toBe('abandoned');
  });

  it('times out a served chat whose customer has not answered the agent for the limit', () => {
    const served = { ...queued, state: 'assigned' as const, customerMessageAt: at(10), agentMessageAt: at(60) };
    expect(idleEnding(served, limit, at(659))).toBeNull();
    expect(idleEnding(served, limit, at(660))).toBe('timed_out');
    // The stream being open does not keep a silent customer's chat (the agent's slot is freed).
    expect(idleEnding({ ...served, customerStreamAt: at(655) }, limit, at(660))).toBe('timed_out');
  });

  it('never ends a served chat on the customer while it is the agent who owes an answer', () => {
    const waitingForAgent = {
      ...queued,
      state: 'assigned' as const,
      customerMessageAt: at(60),
      agentMessageAt: at(10),
    };
    expect(idleEnding(waitingForAgent, limit, at(100_000))).toBeNull();
    const neverAnswered = { ...queued, state: 'assigned' as const, customerMessageAt: at(60) };
    expect(idleEnding(neverAnswered, limit, at(100_000))).toBeNull();
  });

  it('leaves the bot and ended chats alone', () => {
    expect(idleEnding({ ...queued, state: 'bot', queuedAt: null }, limit, at(100_000))).toBeNull();
    expect(idleEnding({ ...queued, state: 'ended' }, limit, at(100_000))).toBeNull();
  });
});

describe('who may do what with a chat', () => {
  const agent = { id: 'a1', role: 'agent' };
  const queued = { state: 'queued' as const, agentId: null, teamId: 't1' };
  it('lets members of the team take a queued chat, not others', () => {
    expect(canAcceptChat(agent, queued, ['t1'])).toBe(true);
    expect(canAcceptChat(agent, queued, ['t2'])).toBe(false);
    expect(canAcceptChat({ id: 's', role: 'supervisor' }, queued, [])).toBe(true);
    expect(canAcceptChat({ id: 'q', role: 'qa' }, queued, ['t1'])).toBe(false);
  });
  it('lets only the assigned agent (or a supervisor) work a chat', () => {
    const mine = { state: 'assigned' as const, agentId: 'a1', teamId: 't1' };
    expect(canWorkChat(agent, mine)).toBe(true);
    expect(canWorkChat({ id: 'a2', role: 'agent' }, mine)).toBe(false);
    expect(canSeeChat({ id: 'a2', role: 'agent' }, mine, ['t1'])).toBe(true);
    expect(canSeeChat({ id: 'a2', role: 'agent' }, mine, ['t2'])).toBe(false);
    expect(canWorkChat(agent, { ...mine, state: 'ended' })).toBe(false);
  });
});
