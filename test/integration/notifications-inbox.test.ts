import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications, tickets } from '../../src/db/schema.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, type Harness, type Session } from '../helpers/harness.js';
import { openStream } from '../helpers/sse.js';

// The notifications inbox: mine only, paginated, read/unread, about tickets I may still read, and
// announced live to my open desks.

describe.each(ENGINES)('notifications inbox on %s', (engine) => {
  let h: Harness;
  let baseUrl: string;
  beforeAll(async () => {
    h = await startHarness(engine);
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => h?.close());

  const notify = (recipientId: string, ticketId: string | null, kind = 'sla.warning', payload: object = {}) =>
    h.database.db
      .insert(notifications)
      .values({ kind, ticketId, recipientId, payload: { metric: 'first_response', fraction: 0.75, ...payload } })
      .returning({ id: notifications.id })
      .then(([row]) => row!.id);
  const inbox = async (s: Session, query = '') => {
    const res = await h.request(s, { method: 'GET', url: `/api/v1/notifications${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{
      items: {
        id: number;
        kind: string;
        ticketId: string | null;
        ticket: { number: string; subject: string } | null;
        readAt: string | null;
        payload: Record<string, unknown>;
      }[];
      nextCursor: string | null;
      unread: number;
    }>();
  };

  it('lists my notifications newest first, page by page, with the ticket named, and nobody else’s', async () => {
    const team = await h.buildTeam();
    const agent = await h.signIn('agent', team);
    const colleague = await h.signIn('agent', team);
    const ticketId = await h.buildTicket(agent.actor, { subject: '宽带掉线，回拨13812345678' });
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push(await notify(agent.actor.id, ticketId));
    await notify(colleague.actor.id, ticketId);

    const first = await inbox(agent, '?limit=2');
    expect(first.items.map((n) => n.id)).toEqual([ids[4], ids[3]]);
    expect(first.unread).toBe(5);
    expect(first.items[0]!.ticket).toMatchObject({ number: expect.stringMatching(/^T/) });
    expect(first.items[0]!.ticket!.subject).toBe('宽带掉线，回拨13812345678');
    const second = await inbox(agent, `?limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((n) => n.id)).toEqual([ids[2], ids[1]]);
    const third = await inbox(agent, `?limit=2&cursor=${second.nextCursor}`);
    expect(third.items.map((n) => n.id)).toEqual([ids[0]]);
    expect(third.nextCursor).toBeNull();
    expect((await inbox(colleague)).items).toHaveLength(1);
  });

  it('marks one read, then all, and counts what is left; another’s notification looks missing', async () => {
    const agent = await h.signIn('agent');
    const other = await h.signIn('agent');
    const ticketId = await h.buildTicket(agent.actor);
    const a = await notify(agent.actor.id, ticketId);
    await notify(agent.actor.id, ticketId, 'sla.breached', { number: 'T1', subject: 's', policyId: 'p', dueAt: null });
    const theirs = await notify(other.actor.id, ticketId);

    const read = await h.request(agent, { method: 'POST', url: `/api/v1/notifications/${a}/read` });
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toEqual({ unread: 1 });
    expect((await inbox(agent, '?unread=true')).items.map((n) => n.kind)).toEqual(['sla.breached']);
    expect((await h.request(agent, { method: 'POST', url: `/api/v1/notifications/${theirs}/read` })).statusCode).toBe(
      404,
    );
    expect((await h.request(agent, { method: 'POST', url: '/api/v1/notifications/abc/read' })).json().error.code).toBe(
      'request.invalid',
    );

    const all = await h.request(agent, { method: 'POST', url: '/api/v1/notifications/read-all' });
    expect(all.json()).toEqual({ marked: 1, unread: 0 });
    expect((await h.request(agent, { method: 'GET', url: '/api/v1/notifications/unread-count' })).json()).toEqual({
      unread: 0,
    });
    expect((await inbox(other)).unread).toBe(1);
  });

  it('hides notifications about a ticket I may no longer read, from the list and the count', async () => {
    const team = await h.buildTeam();
    const vip = await h.buildTeam({ restricted: true });
    const agent = await h.signIn('agent', team);
    const owner = await h.signIn('agent', team);
    // The agent was told about a ticket someone else holds; it then moves to the restricted VIP desk.
    const ticketId = await h.buildTicket(owner.actor);
    await notify(agent.actor.id, ticketId);
    await notify(agent.actor.id, null, 'subtask.done', {
      subtaskId: ticketId,
      title: '核查',
      number: 'T',
      result: 'ok',
    });
    expect((await inbox(agent)).unread).toBe(2);

    await h.database.db.update(tickets).set({ teamId: vip }).where(eq(tickets.id, ticketId));
    const after = await inbox(agent);
    expect(after.items.map((n) => n.kind)).toEqual(['subtask.done']);
    expect(after.unread).toBe(1);
    // Marking all read leaves the hidden one alone (it comes back unread if the ticket comes back).
    await h.request(agent, { method: 'POST', url: '/api/v1/notifications/read-all' });
    await h.database.db.update(tickets).set({ teamId: team }).where(eq(tickets.id, ticketId));
    expect((await inbox(agent)).unread).toBe(1);
  });

  it('tells colleagues mentioned in an internal note, not for a public reply, an email address or oneself', async () => {
    const team = await h.buildTeam();
    const author = await h.signIn('agent', team);
    const colleague = await h.signIn('agent', team);
    const expert = await h.signIn('expert', team);
    const ticketId = await h.buildTicket(author.actor, { assignToMe: true });
    const note = (body: string, visibility = 'internal') =>
      h.request(author, { method: 'POST', url: `/api/v1/tickets/${ticketId}/messages`, payload: { visibility, body } });
    expect(
      (await note(`@${colleague.username} 请协助核查，抄送@${expert.username}。@${author.username}`)).statusCode,
    ).toBe(201);
    expect((await note(`客户邮箱 ${colleague.username}@example.cn`)).statusCode).toBe(201);
    expect((await note(`@${colleague.username} 您好`, 'public')).statusCode).toBe(201);

    const mentions = async (s: Session) => (await inbox(s)).items.filter((n) => n.kind === 'note.mention');
    const [toColleague, ...more] = await mentions(colleague);
    expect(more).toEqual([]);
    expect(toColleague).toMatchObject({
      ticketId,
      payload: { by: '测试agent', number: expect.stringMatching(/^T/) },
    });
    expect(await mentions(expert)).toHaveLength(1);
    expect(await mentions(author)).toEqual([]);
  });

  it('announces a new notification to my open desks only, without naming the ticket', async () => {
    const me = await h.signIn('agent');
    const other = await h.signIn('agent');
    const mine = await openStream(baseUrl, me, 'notification');
    const theirs = await openStream(baseUrl, other, 'notification');
    try {
      const ticketId = await h.buildTicket(me.actor);
      const id = await notify(me.actor.id, ticketId);
      await mine.waitFor((e) => e.id === id);
      expect(mine.events.find((e) => e.id === id)).toEqual({ id });
      await new Promise((r) => setTimeout(r, 200));
      expect(theirs.events).toEqual([]);
    } finally {
      mine.close();
      theirs.close();
    }
  });
});
