import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../src/core/channels/webhook-signature.js';
import { openPostgres, queryRows, type Database } from '../../src/db/client.js';
import { ensureReferenceData } from '../../src/db/reference-data.js';
import { agentProfiles, chatConversations, staff, teams } from '../../src/db/schema.js';
import { acceptChat } from '../../src/usecases/chat/agent-chat.js';
import { warnFirstResponses } from '../../src/usecases/chat/first-response.js';
import { startChat, requestPerson } from '../../src/usecases/chat/customer-chat.js';
import type { Deps } from '../../src/usecases/deps.js';
import { createScratchDatabase, ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, TEST_WEBHOOK_SECRETS, type Harness, type Session } from '../helpers/harness.js';

type Msg = {
  seq: number;
  author: string;
  body: string;
  clientMessageId: string | null;
  payload: Record<string, unknown>;
};

describe.each(ENGINES)('online service: live chat on %s', (engine) => {
  let h: Harness;
  const clock = testClock(new Date('2026-11-24T02:00:00Z'));
  let team: string;
  let agent: Session;
  let baseUrl: string;
  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    team = await h.buildTeam({ code: 'frontline-chat' });
    const admin = await h.signIn('admin', null);
    const settings = {
      botConfidenceThreshold: 0.6,
      agentChatLimit: 3,
      firstResponseSeconds: 30,
      leaveMessageAfterSeconds: 120,
      queueTeamCode: 'frontline-chat',
      calendarId: null,
    };
    const put = await h.request(admin, { method: 'PUT', url: '/api/v1/settings/chat', payload: settings });
    expect(put.statusCode).toBe(200);
    agent = await online(await h.signIn('agent', team));
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => h?.close());

  /** Agents start offline; one who goes online may accept chats. */
  async function online(s: Session, presence: 'online' | 'away' | 'offline' = 'online') {
    const res = await h.request(s, { method: 'PUT', url: '/api/v1/me/presence', payload: { presence } });
    expect(res.statusCode).toBe(204);
    return s;
  }

  let n = 0;
  const cid = () => `c-${Date.now()}-${n++}`;
  async function start() {
    const res = await h.app.inject({ method: 'POST', url: '/api/chat/v1/conversations', payload: { language: 'zh' } });
    expect(res.statusCode).toBe(201);
    const body = res.json<{ conversation: { id: string }; token: string; messages: Msg[] }>();
    return { id: body.conversation.id, token: body.token, messages: body.messages };
  }
  const say = (c: { id: string; token: string }, body: string, clientMessageId = cid()) =>
    h.app.inject({
      method: 'POST',
      url: `/api/chat/v1/conversations/${c.id}/messages`,
      headers: { 'x-chat-token': c.token },
      payload: { clientMessageId, body },
    });
  const messages = async (c: { id: string; token: string }, after = 0) =>
    (
      await h.app.inject({
        method: 'GET',
        url: `/api/chat/v1/conversations/${c.id}/messages?after=${after}`,
        headers: { 'x-chat-token': c.token },
      })
    ).json<{ items: Msg[] }>().items;

  it('greets, and hands off to the team queue when the customer asks for a person (转人工)', async () => {
    const c = await start();
    expect(c.messages[0]).toMatchObject({ seq: 1, author: 'bot', payload: { kind: 'greeting' } });
    const res = await say(c, '我要转人工');
    expect(res.statusCode).toBe(201);
    const body = res.json<{ replies: Msg[]; conversation: { state: string; queuePosition: number } }>();
    expect(body.conversation.state).toBe('queued');
    expect(body.conversation.queuePosition).toBeGreaterThanOrEqual(1);
    expect(body.replies).toEqual([
      expect.objectContaining({
        author: 'system',
        payload: expect.objectContaining({ kind: 'handoff', handoffReason: 'asked' }),
      }),
    ]);
    const queue = await h.request(agent, { method: 'GET', url: '/api/v1/chats?view=queue' });
    expect(queue.json<{ items: { id: string; handoffReason: string }[] }>().items).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: c.id, handoffReason: 'asked' })]),
    );
  });

  it('hands off on risk words (工信部, 投诉) and in English ("human"), and not on 人工智能', async () => {
    const risk = await start();
    const r = (await say(risk, '再不处理我就去工信部投诉')).json<{ conversation: { state: string }; replies: Msg[] }>();
    expect(r.conversation.state).toBe('queued');
    expect(r.replies[0]!.payload).toMatchObject({ handoffReason: 'risk', words: ['工信部', '投诉'] });

    const en = await start();
    expect(
      (await say(en, 'I want to talk to a human')).json<{ conversation: { state: string } }>().conversation.state,
    ).toBe('queued');

    const ai = await start();
    expect((await say(ai, '人工智能是什么')).json<{ conversation: { state: string } }>().conversation.state).toBe(
      'bot',
    );
  });

  it('hands off after two low-confidence bot turns in a row', async () => {
    const c = await start();
    const first = (await say(c, '阿巴阿巴')).json<{ conversation: { state: string }; replies: Msg[] }>();
    expect(first.conversation.state).toBe('bot');
    expect(first.replies[0]!.payload.kind).toMatch(/fallback|offer/);
    const second = (await say(c, '嘟嘟嘟')).json<{ conversation: { state: string }; replies: Msg[] }>();
    expect(second.conversation.state).toBe('queued');
    expect(second.replies.at(-1)!.payload).toMatchObject({ kind: 'handoff', handoffReason: 'low_confidence' });
  });

  it('asks an anonymous customer to sign in before giving personal data', async () => {
    const c = await start();
    const r = (await say(c, '我的流量还剩多少')).json<{ replies: Msg[] }>();
    expect(r.replies[0]!.payload).toMatchObject({ kind: 'sign_in_required', intent: 'data_balance' });
  });

  it('stores a message once when the client retries with the same clientMessageId', async () => {
    const c = await start();
    const id = cid();
    const first = await say(c, '你好', id);
    const again = await say(c, '你好', id);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.json<{ message: Msg }>().message.seq).toBe(first.json<{ message: Msg }>().message.seq);
    const all = await messages(c);
    expect(all.filter((m) => m.clientMessageId === id)).toHaveLength(1);
    expect(all.map((m) => m.seq)).toEqual(all.map((_, i) => i + 1));
    // The same id for other words is refused, not silently stored.
    expect((await say(c, '别的', id)).statusCode).toBe(409);
  });

  it('resumes a stream after a reconnect with every message once, none lost, none repeated', async () => {
    const c = await start();
    await say(c, '转人工');
    const open = async (after: number) => {
      const controller = new AbortController();
      const res = await fetch(`${baseUrl}/api/chat/v1/conversations/${c.id}/stream?token=${c.token}`, {
        headers: { 'last-event-id': String(after) },
        signal: controller.signal,
      });
      const seqs: number[] = [];
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let buf = '';
      void (async () => {
        try {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) return;
            buf += decoder.decode(value, { stream: true });
            let end: number;
            while ((end = buf.indexOf('\n\n')) >= 0) {
              const block = buf.slice(0, end);
              buf = buf.slice(end + 2);
              if (block.includes('event: message')) seqs.push(Number(/^id: (\d+)$/m.exec(block)![1]));
            }
          }
        } catch {
          /* aborted */
        }
      })();
      const waitFor = async (k: number) => {
        for (let i = 0; i < 200 && seqs.length < k; i++) await new Promise((r) => setTimeout(r, 25));
        expect(seqs.length).toBeGreaterThanOrEqual(k);
      };
      return { seqs, waitFor, close: () => controller.abort() };
    };
    const first = await open(0);
    await first.waitFor(3);
    await say(c, 'one');
    await first.waitFor(4);
    const seen = Math.max(...first.seqs);
    first.close();
    // While disconnected the customer (another tab) and an agent write.
    await say(c, 'two');
    await say(c, 'three');
    const second = await open(seen);
    await second.waitFor(2);
    await say(c, 'four');
    await second.waitFor(3);
    second.close();
    const all = [...first.seqs, ...second.seqs];
    const total = (await messages(c)).length;
    expect(all).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  });

  it('lets the agent accept, answer (stopping the clock), and turn the chat into a ticket that keeps the transcript', async () => {
    const customerId = await h.buildCustomer();
    const started = await startChat(h.deps, { channel: 'portal', language: 'zh', customerId, verified: true });
    const c = { id: started.id, token: started.token };
    await say(c, '我家宽带一直断网，转人工');
    const accepted = await h.request(agent, { method: 'POST', url: `/api/v1/chats/${c.id}/accept`, payload: {} });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json<{ chat: { state: string } }>().chat.state).toBe('assigned');
    const reply = await h.request(agent, {
      method: 'POST',
      url: `/api/v1/chats/${c.id}/messages`,
      payload: { clientMessageId: cid(), body: '您好，我帮您登记报修' },
    });
    expect(reply.statusCode).toBe(201);
    const detail = await h.request(agent, { method: 'GET', url: `/api/v1/chats/${c.id}` });
    expect(detail.json<{ chat: { clock: { state: string } } }>().chat.clock.state).toBe('met');
    const ticket = await h.request(agent, {
      method: 'POST',
      url: `/api/v1/chats/${c.id}/ticket`,
      payload: { type: 'fault', subject: '宽带断网' },
    });
    expect(ticket.statusCode).toBe(201);
    const { ticketId } = ticket.json<{ ticketId: string }>();
    const t = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${ticketId}` })).json<{
      firstContactOwner: { id: string } | null;
      assignee: { id: string } | null;
    }>();
    expect(t.firstContactOwner?.id).toBe(agent.actor.id);
    const msgs = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${ticketId}/messages` })).json<{
      items: { bodyHtml: string }[];
    }>().items;
    const transcript = msgs.map((m) => m.bodyHtml).join('\n');
    expect(transcript).toContain('我家宽带一直断网');
    expect(transcript).toContain('您好，我帮您登记报修');
    const view = await h.app.inject({
      method: 'GET',
      url: `/api/chat/v1/conversations/${c.id}`,
      headers: { 'x-chat-token': c.token },
    });
    expect(view.json()).toMatchObject({ state: 'ended', outcome: 'ticket' });
  });

  it('records a chat the agent settled as a resolved contact on the customer history, first contact the agent', async () => {
    const customerId = await h.buildCustomer();
    const started = await startChat(h.deps, { channel: 'portal', language: 'zh', customerId, verified: true });
    const c = { id: started.id, token: started.token };
    await say(c, '转人工');
    const settler = await online(await h.signIn('agent', team));
    expect(
      (await h.request(settler, { method: 'POST', url: `/api/v1/chats/${c.id}/accept`, payload: {} })).statusCode,
    ).toBe(200);
    await h.request(settler, {
      method: 'POST',
      url: `/api/v1/chats/${c.id}/messages`,
      payload: { clientMessageId: cid(), body: '已为您处理好了' },
    });
    const ended = await h.request(settler, { method: 'POST', url: `/api/v1/chats/${c.id}/end`, payload: {} });
    expect(ended.statusCode).toBe(200);
    expect(ended.json<{ chat: { outcome: string; ticket: { id: string } | null } }>().chat).toMatchObject({
      outcome: 'settled',
    });
    const ticketId = ended.json<{ chat: { ticket: { id: string } } }>().chat.ticket.id;
    const [t] = await queryRows<{ status: string; first_contact_owner_id: string; customer_id: string }>(
      h.database.db,
      sql`SELECT status, first_contact_owner_id, customer_id FROM tickets WHERE id = ${ticketId}`,
    );
    expect(t).toMatchObject({ status: 'resolved', first_contact_owner_id: settler.actor.id, customer_id: customerId });
  });

  it('lets the customer leave a message after waiting past the setting, which becomes a ticket', async () => {
    const c = await start();
    await say(c, '转人工');
    const early = await h.app.inject({
      method: 'POST',
      url: `/api/chat/v1/conversations/${c.id}/leave-message`,
      headers: { 'x-chat-token': c.token },
      payload: { body: '请回电话给我', phone: '13912345678' },
    });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ error: { code: 'chat.leave_message_unavailable' } });
    clock.advance(121_000);
    const left = await h.app.inject({
      method: 'POST',
      url: `/api/chat/v1/conversations/${c.id}/leave-message`,
      headers: { 'x-chat-token': c.token },
      payload: { body: '请回电话给我', phone: '13912345678' },
    });
    expect(left.statusCode).toBe(201);
    expect(left.json<{ number: string }>().number).toMatch(/^TS/);
  });

  it('warns once when nobody answers within the first-response target (30 s)', async () => {
    const c = await start();
    await say(c, '转人工');
    await warnFirstResponses(h.deps);
    let [row] = await h.database.db
      .select()
      .from(chatConversations)
      .where(sql`id = ${c.id}`);
    expect(row!.firstResponseWarnedAt).toBeNull();
    clock.advance(31_000);
    await warnFirstResponses(h.deps);
    [row] = await h.database.db
      .select()
      .from(chatConversations)
      .where(sql`id = ${c.id}`);
    expect(row!.firstResponseWarnedAt).not.toBeNull();
    const listed = await h.request(agent, { method: 'GET', url: '/api/v1/chats?view=queue' });
    const mine = listed
      .json<{ items: { id: string; clock: { state: string; warnedAt: string | null } }[] }>()
      .items.find((i) => i.id === c.id);
    expect(mine?.clock).toMatchObject({ state: 'overdue' });
    expect(mine?.clock.warnedAt).not.toBeNull();
  });

  it('refuses a queued chat to an agent who is offline or away (409 chat.not_online) until they go online', async () => {
    const c = await start();
    await say(c, '转人工');
    const newcomer = await h.signIn('agent', team);
    const accept = () => h.request(newcomer, { method: 'POST', url: `/api/v1/chats/${c.id}/accept`, payload: {} });
    // Agents start offline.
    const offline = await accept();
    expect(offline.statusCode).toBe(409);
    expect(offline.json()).toMatchObject({ error: { code: 'chat.not_online', details: { presence: 'offline' } } });
    await online(newcomer, 'away');
    expect((await accept()).json()).toMatchObject({
      error: { code: 'chat.not_online', details: { presence: 'away' } },
    });
    expect((await h.request(newcomer, { method: 'GET', url: `/api/v1/chats/${c.id}` })).json()).toMatchObject({
      chat: { state: 'queued' },
    });
    await online(newcomer);
    const accepted = await accept();
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ chat: { state: 'assigned' } });
  });

  it('holds the per-agent chat limit on one node', async () => {
    const worker = await online(await h.signIn('agent', team));
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const c = await start();
      await say(c, '转人工');
      ids.push(c.id);
    }
    const results = await Promise.all(
      ids.map((id) => h.request(worker, { method: 'POST', url: `/api/v1/chats/${id}/accept`, payload: {} })),
    );
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(3);
    const refused = results.find((r) => r.statusCode === 409)!;
    expect(refused.json()).toMatchObject({ error: { code: 'chat.limit_reached', details: { limit: 3 } } });
  });

  it('refuses bad input with a 4xx and a code: NUL, lone surrogates, huge bodies, no token, a wrong token', async () => {
    const c = await start();
    const nul = await say(c, 'a\u0000b');
    expect(nul.statusCode).toBe(400);
    expect(nul.json()).toMatchObject({ error: { code: 'request.invalid_text' } });
    const lone = await h.app.inject({
      method: 'POST',
      url: `/api/chat/v1/conversations/${c.id}/messages`,
      headers: { 'x-chat-token': c.token, 'content-type': 'application/json' },
      payload: `{"clientMessageId":"x1","body":"\\ud800"}`,
    });
    expect(lone.statusCode).toBe(400);
    expect(lone.json()).toMatchObject({ error: { code: 'request.invalid_text' } });
    const huge = await say(c, '长'.repeat(2001));
    expect(huge.statusCode).toBe(400);
    expect(huge.json()).toMatchObject({ error: { code: 'request.invalid' } });
    const tooBig = await h.app.inject({
      method: 'POST',
      url: `/api/chat/v1/conversations/${c.id}/messages`,
      headers: { 'x-chat-token': c.token, 'content-type': 'application/json' },
      payload: JSON.stringify({ clientMessageId: 'x2', body: 'x'.repeat(2_000_000) }),
    });
    expect(tooBig.statusCode).toBe(413);
    const noToken = await h.app.inject({ method: 'GET', url: `/api/chat/v1/conversations/${c.id}` });
    expect(noToken.statusCode).toBe(401);
    expect(noToken.json()).toMatchObject({ error: { code: 'chat.token_invalid' } });
    const wrong = await h.app.inject({
      method: 'GET',
      url: `/api/chat/v1/conversations/${c.id}`,
      headers: { 'x-chat-token': 'not-the-token-at-all' },
    });
    expect(wrong.statusCode).toBe(404);
    const badId = await h.app.inject({
      method: 'GET',
      url: `/api/chat/v1/conversations/not-a-uuid`,
      headers: { 'x-chat-token': c.token },
    });
    expect(badId.statusCode).toBe(400);
    expect((await messages(c)).map((m) => m.seq)).toEqual([1]);
  });

  it('takes a WeChat user’s message through the signed gateway and answers a retry once', async () => {
    const payload = JSON.stringify({ externalUserId: `openid-${cid()}`, clientMessageId: 'w1', body: '你好' });
    const post = () =>
      h.app.inject({
        method: 'POST',
        url: '/api/v1/channels/wechat/chat/messages',
        payload,
        headers: {
          'content-type': 'application/json',
          'x-loopdesk-signature': sign(TEST_WEBHOOK_SECRETS.wechat, Math.floor(clock.now().getTime() / 1000), payload),
        },
      });
    const first = await post();
    expect(first.statusCode).toBe(201);
    const again = await post();
    expect(again.statusCode).toBe(200);
    expect(again.json<{ conversationId: string }>().conversationId).toBe(
      first.json<{ conversationId: string }>().conversationId,
    );
  });
});

// Two app nodes on one PostgreSQL: parallel accepts by one agent never exceed the limit.
describe.runIf(ENGINES.includes('postgres'))('the per-agent chat limit with two nodes', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  const nodes: Database[] = [];
  afterAll(async () => {
    for (const d of nodes) await d.close();
    await scratch?.drop();
  });

  it('lets one agent hold at most 3 chats however the accepts race across nodes', async () => {
    scratch = await createScratchDatabase();
    nodes.push(await openPostgres(scratch.url, 5), await openPostgres(scratch.url, 5));
    const db = nodes[0]!.db;
    await ensureReferenceData(db);
    const teamId = uuidv7();
    await db.insert(teams).values({ id: teamId, code: 'frontline', name: '一线', kind: 'frontline' });
    const agentId = uuidv7();
    await db
      .insert(staff)
      .values({ id: agentId, username: 'chat-racer', displayName: '坐席', role: 'agent', teamId, passwordHash: 'x' });
    const depsOf = (d: Database): Deps => ({
      db: d.db,
      clock: { now: () => new Date() },
      indexText: (s) => s,
      timeZone: 'Asia/Shanghai',
    });
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const c = await startChat(depsOf(nodes[0]!), {
        channel: 'portal',
        language: 'zh',
        customerId: null,
        verified: false,
      });
      await requestPerson(depsOf(nodes[0]!), c.id);
      ids.push(c.id);
    }
    await db.insert(agentProfiles).values({ staffId: agentId, presence: 'online' });
    const actor = { id: agentId, role: 'agent' as const, teamId };
    const results = await Promise.allSettled(ids.map((id, i) => acceptChat(depsOf(nodes[i % 2]!), actor, id)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    const [count] = await queryRows<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM chat_conversations WHERE agent_id = ${agentId} AND state = 'assigned'`,
    );
    expect(count!.n).toBe(3);
  });
});
