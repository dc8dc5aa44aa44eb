import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatConversations, chatMessages } from '../../src/db/schema.js';
import { endIdleChats } from '../../src/usecases/chat/idle-chats.js';
import { liveChatCounts } from '../../src/usecases/contact-centre/chat-facts.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

// Abandoned live chats (a new user's defect): a customer asks for a person and closes the browser,
// or stops answering the agent. After the customer-inactivity limit (a chat setting, 10 minutes by
// default) the system ends the chat, says why in a system line, and frees the agent's slot.

type Msg = { seq: number; author: string; payload: { kind?: string } };

describe.each(ENGINES)('abandoned live chats end by themselves on %s', (engine) => {
  let h: Harness;
  const clock = testClock(new Date('2026-11-24T02:00:00Z'));
  let agent: Session;
  let team: string;
  let baseUrl: string;
  beforeAll(async () => {
    // Nodes refresh an open stream's presence every LOOPDESK_CHAT_PRESENCE_SECONDS (50 ms here).
    h = await startHarness(engine, { clock, env: { LOOPDESK_CHAT_PRESENCE_SECONDS: '0.05' } });
    team = await h.buildTeam({ code: 'frontline-idle' });
    const admin = await h.signIn('admin', null);
    // customerIdleSeconds left out: the default (600 s) applies, as it does for settings stored before it.
    const put = await h.request(admin, {
      method: 'PUT',
      url: '/api/v1/settings/chat',
      payload: {
        botConfidenceThreshold: 0.6,
        agentChatLimit: 3,
        firstResponseSeconds: 30,
        leaveMessageAfterSeconds: 120,
        queueTeamCode: 'frontline-idle',
        calendarId: null,
      },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json<{ settings: { customerIdleSeconds: number } }>().settings.customerIdleSeconds).toBe(600);
    agent = await h.signIn('agent', team);
    // Agents start offline; this one is online to accept chats.
    await h.request(agent, { method: 'PUT', url: '/api/v1/me/presence', payload: { presence: 'online' } });
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => h?.close());

  let n = 0;
  const cid = () => `idle-${Date.now()}-${n++}`;
  async function queuedChat() {
    const res = await h.app.inject({ method: 'POST', url: '/api/chat/v1/conversations', payload: { language: 'en' } });
    const c = {
      id: res.json<{ conversation: { id: string } }>().conversation.id,
      token: res.json<{ token: string }>().token,
    };
    const asked = await say(c, '转人工');
    expect(asked.json<{ conversation: { state: string } }>().conversation.state).toBe('queued');
    return c;
  }
  const say = (c: { id: string; token: string }, body: string) =>
    h.app.inject({
      method: 'POST',
      url: `/api/chat/v1/conversations/${c.id}/messages`,
      headers: { 'x-chat-token': c.token },
      payload: { clientMessageId: cid(), body },
    });
  const row = async (id: string) =>
    (await h.database.db.select().from(chatConversations).where(eq(chatConversations.id, id)))[0]!;
  const lines = async (id: string) =>
    (await h.database.db.select().from(chatMessages).where(eq(chatMessages.conversationId, id))) as Msg[];
  const listed = async (view: 'queue' | 'mine') =>
    (await h.request(agent, { method: 'GET', url: `/api/v1/chats?view=${view}` })).json<{
      items: { id: string }[];
      mine: { active: number; limit: number };
    }>();

  it('ends a queued chat as abandoned once its customer has been gone for the limit, with a system line', async () => {
    const c = await queuedChat();
    const board = await liveChatCounts(h.database.db, team);
    clock.advance(599_000);
    await endIdleChats(h.deps);
    expect((await row(c.id)).state).toBe('queued');
    clock.advance(1_000);
    const run = await endIdleChats(h.deps);
    expect(run.ended).toBeGreaterThanOrEqual(1);
    expect(await row(c.id)).toMatchObject({ state: 'ended', outcome: 'abandoned', endedBy: 'system' });
    const system = (await lines(c.id)).filter((m) => m.author === 'system').map((m) => m.payload.kind);
    expect(system).toContain('abandoned');
    expect((await listed('queue')).items.map((i) => i.id)).not.toContain(c.id);
    // The wallboard no longer counts it as waiting.
    expect((await liveChatCounts(h.database.db, team)).waiting).toBe(board.waiting - 1);
  });

  it('times out a served chat whose customer stopped answering the agent, freeing the agent’s slot', async () => {
    const c = await queuedChat();
    expect(
      (await h.request(agent, { method: 'POST', url: `/api/v1/chats/${c.id}/accept`, payload: {} })).statusCode,
    ).toBe(200);
    clock.advance(5_000);
    const reply = await h.request(agent, {
      method: 'POST',
      url: `/api/v1/chats/${c.id}/messages`,
      payload: { clientMessageId: cid(), body: 'Hello, how can I help?' },
    });
    expect(reply.statusCode).toBe(201);
    const before = (await listed('mine')).mine.active;
    const board = await liveChatCounts(h.database.db, team);
    clock.advance(300_000);
    await endIdleChats(h.deps);
    expect((await row(c.id)).state).toBe('assigned');
    clock.advance(300_000);
    await endIdleChats(h.deps);
    expect(await row(c.id)).toMatchObject({ state: 'ended', endedBy: 'system', outcome: 'settled' });
    expect((await lines(c.id)).at(-1)).toMatchObject({ author: 'system', payload: { kind: 'timed_out' } });
    const after = await listed('mine');
    expect(after.items.map((i) => i.id)).not.toContain(c.id);
    expect(after.mine.active).toBe(before - 1);
    expect((await liveChatCounts(h.database.db, team)).concurrent).toBe(board.concurrent - 1);
  });

  it('keeps a served chat whose customer answered: the agent owes the next word', async () => {
    const c = await queuedChat();
    await h.request(agent, { method: 'POST', url: `/api/v1/chats/${c.id}/accept`, payload: {} });
    await h.request(agent, {
      method: 'POST',
      url: `/api/v1/chats/${c.id}/messages`,
      payload: { clientMessageId: cid(), body: 'One moment please' },
    });
    clock.advance(60_000);
    expect((await say(c, 'still there?')).statusCode).toBe(201);
    clock.advance(3_600_000);
    await endIdleChats(h.deps);
    expect((await row(c.id)).state).toBe('assigned');
    await h.request(agent, { method: 'POST', url: `/api/v1/chats/${c.id}/end`, payload: {} });
  });

  it('keeps a queued chat while the customer’s stream is open, and ends it the limit after the stream went', async () => {
    const c = await queuedChat();
    const controller = new AbortController();
    const res = await fetch(`${baseUrl}/api/chat/v1/conversations/${c.id}/stream?token=${c.token}`, {
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    await reader.read();
    clock.advance(900_000);
    const seenBy = clock.now().getTime();
    for (let i = 0; i < 200 && ((await row(c.id)).customerStreamAt?.getTime() ?? 0) < seenBy; i++)
      await new Promise((r) => setTimeout(r, 25));
    await endIdleChats(h.deps);
    expect((await row(c.id)).state).toBe('queued');
    controller.abort();
    await reader.cancel().catch(() => undefined);
    // The stream closed at 15 minutes: the limit runs from then.
    await new Promise((r) => setTimeout(r, 300)); // the node sees the stream close
    clock.advance(599_000);
    await endIdleChats(h.deps);
    expect((await row(c.id)).state).toBe('queued');
    clock.advance(2_000);
    await endIdleChats(h.deps);
    expect((await row(c.id)).outcome).toBe('abandoned');
  });

  it('ends an idle chat once when two nodes sweep at the same moment', async () => {
    const c = await queuedChat();
    clock.advance(601_000);
    await Promise.all([endIdleChats(h.deps), endIdleChats(h.deps), endIdleChats(h.deps)]);
    const system = (await lines(c.id)).filter((m) => m.payload.kind === 'abandoned');
    expect(system).toHaveLength(1);
    expect((await row(c.id)).state).toBe('ended');
  });

  it('tells a customer who comes back to an abandoned chat to start a new one', async () => {
    const c = await queuedChat();
    clock.advance(601_000);
    await endIdleChats(h.deps);
    const view = await h.app.inject({
      method: 'GET',
      url: `/api/chat/v1/conversations/${c.id}`,
      headers: { 'x-chat-token': c.token },
    });
    expect(view.json()).toMatchObject({ state: 'ended', outcome: 'abandoned' });
    const late = await say(c, 'hello?');
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ error: { code: 'chat.ended' } });
  });
});
