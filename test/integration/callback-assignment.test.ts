import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { callbackTeamId } from '../../src/db/reference-data.js';
import { callbacks, notifications } from '../../src/db/schema.js';
import { receiveChannelMessage } from '../../src/usecases/channels/receive-channel-message.js';
import { dispatchSurveys } from '../../src/usecases/surveys/surveys.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

const MIN = 60_000;

// A supervisor gives a callback to a named agent of the callback team (回访组) and may take it back
// or give it to someone else; the ticket's timeline says who did what, and the holder finds it
// under "mine" and in their inbox.

describe.each(ENGINES)('assigning callbacks on %s', (engine) => {
  let h: Harness;
  const clock = testClock(new Date('2026-11-20T02:00:00Z'));
  let team: string;
  let queue: string;
  let agent: Session;
  let supervisor: Session;
  let caller: Session;
  let otherCaller: Session;

  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    team = await h.buildTeam();
    queue = callbackTeamId;
    agent = await h.signIn('agent', team);
    supervisor = await h.signIn('supervisor', team);
    caller = await h.signIn('agent', queue);
    otherCaller = await h.signIn('agent', queue);
  });
  afterAll(() => h?.close());

  const post = (s: Session, url: string, payload: Record<string, unknown>) =>
    h.request(s, { method: 'POST', url, payload });
  const assign = (s: Session, id: string, assigneeId: string | null) =>
    h.request(s, { method: 'PUT', url: `/api/v1/callbacks/${id}/assignee`, payload: { assigneeId } });
  let smsId = 0;

  /** A callback opened by a customer's SMS rating of 1 on a resolved ticket. */
  async function openCallback(): Promise<{ id: string; ticketId: string }> {
    agent = await h.signIn('agent', team);
    const customerId = await h.buildCustomer();
    const ticketId = await h.buildTicket(agent.actor, { assignToMe: true, customerId });
    await post(agent, `/api/v1/tickets/${ticketId}/transitions`, { action: 'start' });
    await post(agent, `/api/v1/tickets/${ticketId}/messages`, { visibility: 'public', body: '已为您重置端口。' });
    await post(agent, `/api/v1/tickets/${ticketId}/transitions`, { action: 'resolve' });
    clock.advance(121 * MIN);
    await dispatchSurveys(h.deps, { publicUrl: 'https://kf.example.cn' });
    const [{ msisdn }] = (await queryRows<{ msisdn: string }>(
      h.database.db,
      sql`SELECT msisdn FROM customer_numbers WHERE customer_id = ${customerId} ORDER BY position LIMIT 1`,
    )) as [{ msisdn: string }];
    await receiveChannelMessage(h.deps, 'sms', { messageId: `assign-sms-${smsId++}`, from: { msisdn }, text: '1' });
    const [cb] = await h.database.db.select().from(callbacks).where(eq(callbacks.ticketId, ticketId));
    // Sessions last a while; the clock moved.
    supervisor = await h.signIn('supervisor', team);
    caller = await h.signIn('agent', queue);
    otherCaller = await h.signIn('agent', queue);
    return { id: cb!.id, ticketId };
  }
  const listOf = async (s: Session, filter?: string) =>
    (await h.request(s, { method: 'GET', url: `/api/v1/callbacks${filter ? `?assignee=${filter}` : ''}` })).json()
      .items as { id: string; assignee: { id: string; displayName: string } | null }[];
  const timelineOf = async (ticketId: string) =>
    (await h.request(supervisor, { method: 'GET', url: `/api/v1/tickets/${ticketId}/timeline` }))
      .json()
      .items.filter((e: { kind: string }) => e.kind === 'callback_assigned');

  it('lets a supervisor give a callback to a named agent, who then sees it under “mine” and in the inbox', async () => {
    const cb = await openCallback();
    expect((await listOf(caller, 'unassigned')).map((c) => c.id)).toContain(cb.id);
    const res = await assign(supervisor, cb.id, caller.actor.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ assignee: { id: caller.actor.id }, canAssign: true });

    const mine = await listOf(caller, 'me');
    expect(mine.find((c) => c.id === cb.id)?.assignee?.id).toBe(caller.actor.id);
    expect((await listOf(otherCaller, 'me')).map((c) => c.id)).not.toContain(cb.id);
    expect((await listOf(caller, 'unassigned')).map((c) => c.id)).not.toContain(cb.id);
    // The agent sees who holds it but may not hand it on.
    const seen = (await h.request(caller, { method: 'GET', url: `/api/v1/callbacks/${cb.id}` })).json();
    expect(seen).toMatchObject({ canAssign: false, assignee: { id: caller.actor.id } });

    const events = await timelineOf(cb.ticketId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor: { id: supervisor.actor.id },
      data: { callbackId: cb.id, assigneeId: caller.actor.id, previousAssigneeId: null },
    });
    const inbox = await h.database.db
      .select()
      .from(notifications)
      .where(eq(notifications.recipientId, caller.actor.id));
    expect(inbox.filter((n) => n.kind === 'callback.assigned')).toEqual([
      expect.objectContaining({ ticketId: cb.ticketId, payload: expect.objectContaining({ callbackId: cb.id }) }),
    ]);
  });

  it('reassigns to another agent and back to the queue, each move on the timeline once', async () => {
    const cb = await openCallback();
    await assign(supervisor, cb.id, caller.actor.id);
    expect((await assign(supervisor, cb.id, otherCaller.actor.id)).json().assignee.id).toBe(otherCaller.actor.id);
    // The same assignment again changes nothing and writes nothing.
    expect((await assign(supervisor, cb.id, otherCaller.actor.id)).statusCode).toBe(200);
    expect((await assign(supervisor, cb.id, null)).json().assignee).toBeNull();
    const events = await timelineOf(cb.ticketId);
    expect(
      events.map((e: { data: { assigneeId: string | null; previousAssigneeId: string | null } }) => e.data),
    ).toEqual([
      expect.objectContaining({ assigneeId: caller.actor.id, previousAssigneeId: null }),
      expect.objectContaining({ assigneeId: otherCaller.actor.id, previousAssigneeId: caller.actor.id }),
      expect.objectContaining({ assigneeId: null, previousAssigneeId: otherCaller.actor.id }),
    ]);
  });

  it('refuses an agent who assigns, an assignee outside the callback team, and a callback already done', async () => {
    const cb = await openCallback();
    expect((await assign(caller, cb.id, caller.actor.id)).statusCode).toBe(403);
    const outsider = await assign(supervisor, cb.id, agent.actor.id);
    expect(outsider.statusCode).toBe(422);
    expect(outsider.json().error.code).toBe('callback.invalid_assignee');
    expect((await assign(supervisor, cb.id, '00000000-0000-7000-8000-00000000dead')).json().error.code).toBe(
      'callback.invalid_assignee',
    );

    await post(caller, `/api/v1/callbacks/${cb.id}/attempts`, { reached: true, note: '客户接听' });
    const done = await post(caller, `/api/v1/callbacks/${cb.id}/outcome`, {
      rootCause: 'process',
      remedy: '致歉',
      outcome: 'resolved',
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().canAssign).toBe(false);
    const late = await assign(supervisor, cb.id, otherCaller.actor.id);
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('callback.closed');
  });

  it('lists the agents of the callback team with the open callbacks each holds', async () => {
    const cb = await openCallback();
    await assign(supervisor, cb.id, otherCaller.actor.id);
    const res = await h.request(supervisor, { method: 'GET', url: '/api/v1/callbacks/assignees' });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { id: string; open: number }[];
    expect(items.map((p) => p.id)).toEqual(expect.arrayContaining([caller.actor.id, otherCaller.actor.id]));
    expect(items.map((p) => p.id)).not.toContain(agent.actor.id);
    expect(items.find((p) => p.id === otherCaller.actor.id)!.open).toBeGreaterThanOrEqual(1);
  });
});
