import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { notifications } from '../../src/db/schema.js';
import { autoAssign } from '../../src/usecases/routing/auto-assign.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, type Harness, type Session } from '../helpers/harness.js';

describe.each(ENGINES)('dedicated account managers on %s', (engine) => {
  let h: Harness;
  let supervisor: Session;

  beforeAll(async () => {
    h = await startHarness(engine);
    supervisor = await h.signIn('supervisor');
  });
  afterAll(() => h?.close());

  const put = (s: Session, url: string, payload: Record<string, unknown>) =>
    h.request(s, { method: 'PUT', url, payload });
  const patchCustomer = (s: Session, id: string, payload: Record<string, unknown>) =>
    h.request(s, { method: 'PATCH', url: `/api/v1/customers/${id}`, payload });
  const assigneeOf = async (s: Session, id: string) =>
    (await h.request(s, { method: 'GET', url: `/api/v1/tickets/${id}` })).json().assignee?.id ?? null;

  async function agentWithProfile(teamId: string, capacity: number, presence: 'online' | 'offline') {
    const agent = await h.signIn('agent', teamId);
    const res = await put(supervisor, `/api/v1/agents/${agent.actor.id}/profile`, {
      tier: 1,
      skills: { categories: [], languages: ['zh'], regions: [] },
      capacity,
    });
    expect(res.statusCode, res.body).toBe(204);
    expect((await put(agent, '/api/v1/me/presence', { presence })).statusCode).toBe(204);
    return agent;
  }

  /** A ticket of the customer waiting unassigned in the queue. */
  async function waitingIn(queue: string, customerId: string, owner: Session) {
    const id = await h.buildTicket(owner.actor, { customerId });
    const moved = await h.request(supervisor, {
      method: 'POST',
      url: `/api/v1/tickets/${id}/assignment`,
      payload: { assigneeId: null, teamId: queue },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    await autoAssign(h.deps);
    return id;
  }

  it('lets a supervisor give a VIP customer an account manager, shown with the customer, and remove them', async () => {
    const manager = await h.signIn('agent');
    const customerId = await h.buildCustomer({ tier: 'vip' });
    const res = await patchCustomer(supervisor, customerId, { accountManagerId: manager.actor.id });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().accountManager).toEqual({ id: manager.actor.id, name: '测试agent' });
    const agent = await h.signIn('agent');
    const seen = await h.request(agent, { method: 'GET', url: `/api/v1/customers/${customerId}` });
    expect(seen.json().accountManager?.id).toBe(manager.actor.id);
    const cleared = await patchCustomer(supervisor, customerId, { accountManagerId: null });
    expect(cleared.json().accountManager).toBeNull();
  });

  it('refuses an account manager set by an agent, for a regular customer, or who is not staff who takes tickets', async () => {
    const manager = await h.signIn('agent');
    const vip = await h.buildCustomer({ tier: 'vip' });
    const agent = await h.signIn('agent');
    const byAgent = await patchCustomer(agent, vip, { accountManagerId: manager.actor.id });
    expect(byAgent.statusCode).toBe(403);
    expect(byAgent.json().error.code).toBe('auth.forbidden');

    const regular = await h.buildCustomer({ tier: 'regular' });
    const notHighValue = await patchCustomer(supervisor, regular, { accountManagerId: manager.actor.id });
    expect(notHighValue.statusCode).toBe(422);
    expect(notHighValue.json().error.code).toBe('customer.not_high_value');

    const unknown = await patchCustomer(supervisor, vip, { accountManagerId: '0190a5d0-0000-7000-8000-000000000000' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error.code).toBe('customer.account_manager_invalid');
    const qa = await h.buildStaff('qa');
    const notWorker = await patchCustomer(supervisor, vip, { accountManagerId: qa.id });
    expect(notWorker.json().error.code).toBe('customer.account_manager_invalid');

    const malformed = await patchCustomer(supervisor, vip, { accountManagerId: 'someone' });
    expect(malformed.statusCode).toBe(400);
    expect(
      (await h.request(agent, { method: 'GET', url: `/api/v1/customers/${vip}` })).json().accountManager,
    ).toBeNull();
  });

  it('sends a managed customer’s waiting ticket to the account manager first, even outside the queue, and to the queue once the manager is full or offline', async () => {
    const queue = await h.buildTeam({
      code: `am-auto-${Date.now()}`,
      kind: 'frontline',
      assignmentStrategy: 'least_loaded',
    });
    const queueAgent = await agentWithProfile(queue, 10, 'online');
    const manager = await agentWithProfile(await h.buildTeam(), 1, 'online');
    const owner = await h.signIn('agent');
    const customerId = await h.buildCustomer({ tier: 'gold' });
    expect((await patchCustomer(supervisor, customerId, { accountManagerId: manager.actor.id })).statusCode).toBe(200);

    const first = await waitingIn(queue, customerId, owner);
    expect(await assigneeOf(supervisor, first)).toBe(manager.actor.id);
    const timeline = (await h.request(supervisor, { method: 'GET', url: `/api/v1/tickets/${first}/timeline` })).json()
      .items as { kind: string; data: Record<string, unknown> }[];
    expect(timeline.find((e) => e.kind === 'assigned' && e.data.by === 'auto')?.data).toMatchObject({
      strategy: 'account_manager',
      after: { assigneeId: manager.actor.id },
    });

    // The manager's capacity (1) is used: the next ticket goes to the queue.
    const second = await waitingIn(queue, customerId, owner);
    expect(await assigneeOf(supervisor, second)).toBe(queueAgent.actor.id);

    // Another customer of the same manager while the manager is offline: the queue again.
    await put(supervisor, `/api/v1/agents/${manager.actor.id}/profile`, {
      tier: 1,
      skills: { categories: [], languages: ['zh'], regions: [] },
      capacity: 5,
    });
    expect((await put(manager, '/api/v1/me/presence', { presence: 'offline' })).statusCode).toBe(204);
    const other = await h.buildCustomer({ tier: 'vip' });
    await patchCustomer(supervisor, other, { accountManagerId: manager.actor.id });
    const third = await waitingIn(queue, other, owner);
    expect(await assigneeOf(supervisor, third)).toBe(queueAgent.actor.id);
  });

  it('offers a managed customer’s ticket in a manual queue to the account manager, and leaves it waiting while they are away', async () => {
    const queue = await h.buildTeam({ code: `am-manual-${Date.now()}`, kind: 'vip', assignmentStrategy: 'manual' });
    const manager = await agentWithProfile(await h.buildTeam(), 5, 'offline');
    const owner = await h.signIn('agent');
    const customerId = await h.buildCustomer({ tier: 'vip' });
    await patchCustomer(supervisor, customerId, { accountManagerId: manager.actor.id });
    const id = await waitingIn(queue, customerId, owner);
    expect(await assigneeOf(supervisor, id)).toBeNull();
    expect((await put(manager, '/api/v1/me/presence', { presence: 'online' })).statusCode).toBe(204);
    await autoAssign(h.deps);
    expect(await assigneeOf(supervisor, id)).toBe(manager.actor.id);
    // A customer without a manager in the same manual queue still waits for a person to assign it.
    const plain = await waitingIn(queue, await h.buildCustomer({ tier: 'vip' }), owner);
    expect(await assigneeOf(supervisor, plain)).toBeNull();
  });

  it('alerts the account manager once when a new ticket leaves their customer at a high churn risk', async () => {
    const manager = await h.signIn('agent');
    const owner = await h.signIn('agent');
    const customerId = await h.buildCustomer({ tier: 'gold' });
    await patchCustomer(supervisor, customerId, { accountManagerId: manager.actor.id });
    const inbox = async () =>
      (
        (await h.request(manager, { method: 'GET', url: '/api/v1/notifications' })).json().items as {
          kind: string;
          ticketId: string;
          payload: Record<string, unknown>;
        }[]
      ).filter((n) => n.kind === 'care.churn_high');
    const complaint = () => h.buildTicket(owner.actor, { customerId, type: 'complaint', subject: '投诉宽带断网' });
    await complaint();
    await complaint();
    expect(await inbox()).toEqual([]); // 15 + 20 + 5 + 10 = 50: medium
    const third = await complaint(); // 30 + 20 + 5 + 10 = 65: high
    await complaint();
    const alerts = await inbox();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      ticketId: third,
      payload: { customerId, score: 65, reasons: ['repeat_complaints', 'open_complaints', 'tier', 'new_customer'] },
    });
  });

  it('sends no care alert for a customer without an account manager', async () => {
    const owner = await h.signIn('agent');
    const customerId = await h.buildCustomer({ tier: 'gold' });
    for (let i = 0; i < 4; i++) await h.buildTicket(owner.actor, { customerId, type: 'complaint' });
    const [row] = await h.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(notifications)
      .where(
        and(eq(notifications.kind, 'care.churn_high'), sql`${notifications.payload}->>'customerId' = ${customerId}`),
      );
    expect(Number(row!.n)).toBe(0);
  });
});
