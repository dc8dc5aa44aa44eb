import { and, eq, inArray } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/auth/policy.js';
import { OPEN_STATUSES } from '../../src/core/tickets/state-machine.js';
import { customers, subtasks, teams, tickets } from '../../src/db/schema.js';
import type { Deps } from '../../src/usecases/deps.js';
import { countQueues, DUE_SOON_MS } from '../../src/usecases/tickets/queue-counts.js';
import { visibleTo } from '../../src/usecases/tickets/visibility.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness } from '../helpers/harness.js';

// The sidebar counts the open backlog by queue once for every viewer and adds each viewer's own
// tickets in queues they may not open; whatever the role, the sums must be what the list's
// visibility rule gives when every open ticket is looked at.

describe.each(ENGINES)('queue counts on %s', (engine) => {
  const clock = testClock();
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine, { clock });
  });
  afterAll(() => h?.close());

  /** Every open ticket the actor may read, counted directly: the rule the shared counts must agree with. */
  async function countedOneByOne(actor: Actor) {
    const now = clock.now();
    const rows = await h.database.db
      .select({
        teamId: tickets.teamId,
        assigneeId: tickets.assigneeId,
        slaDueAt: tickets.slaDueAt,
        tier: customers.tier,
      })
      .from(tickets)
      .leftJoin(teams, eq(teams.id, tickets.teamId))
      .innerJoin(customers, eq(customers.id, tickets.customerId))
      .where(and(inArray(tickets.status, [...OPEN_STATUSES]), visibleTo(actor)));
    const due = (r: (typeof rows)[number]) => r.slaDueAt?.getTime() ?? Infinity;
    return {
      all: rows.length,
      mine: rows.filter((r) => r.assigneeId === actor.id).length,
      unassigned: rows.filter((r) => r.assigneeId === null).length,
      breached: rows.filter((r) => due(r) < now.getTime()).length,
      due_soon: rows.filter((r) => due(r) >= now.getTime() && due(r) < now.getTime() + DUE_SOON_MS).length,
      vip: rows.filter((r) => r.tier === 'vip').length,
      byQueue: rows.reduce((m, r) => m.set(r.teamId, (m.get(r.teamId) ?? 0) + 1), new Map<string | null, number>()),
    };
  }

  async function set(ticketId: string, fields: Partial<typeof tickets.$inferInsert>) {
    await h.database.db.update(tickets).set(fields).where(eq(tickets.id, ticketId));
  }

  it('gives every role the counts its visibility rule gives, whether the backlog is counted per request or shared', async () => {
    const frontline = await h.buildTeam({ name: '一线' });
    const vipDesk = await h.buildTeam({ kind: 'vip', restricted: true, name: 'VIP专席' });
    const closedDesk = await h.buildTeam({ restricted: true, supervisorsSeeRestricted: false, name: '内控' });
    const department = await h.buildTeam({ kind: 'department', name: '网络部' });
    const agent = await h.buildStaff('agent', frontline);
    const vipAgent = await h.buildStaff('agent', vipDesk);
    const supervisor = await h.buildStaff('supervisor', frontline);
    const expert = await h.buildStaff('expert', null);
    const engineer = await h.buildStaff('department', department);
    const qa = await h.buildStaff('qa', null);
    const admin = await h.buildStaff('admin', null);
    const vip = await h.buildCustomer({ tier: 'vip' });
    const regular = await h.buildCustomer();
    const now = clock.now().getTime();

    const ticket = async (fields: Partial<typeof tickets.$inferInsert>, customerId = regular) => {
      const id = await h.buildTicket(agent, { customerId });
      await set(id, { assigneeId: null, ...fields });
      return id;
    };
    await ticket({ teamId: frontline });
    await ticket({ teamId: frontline, assigneeId: agent.id, slaDueAt: new Date(now - 60_000) });
    await ticket({ teamId: frontline, slaDueAt: new Date(now + 600_000) });
    await ticket({ teamId: frontline, status: 'closed' });
    await ticket({ teamId: null });
    await ticket({ teamId: vipDesk, assigneeId: vipAgent.id }, vip);
    // Personally involved in queues they may not open: assigned, or the first contact.
    await ticket({ teamId: vipDesk, assigneeId: agent.id, slaDueAt: new Date(now - 1) }, vip);
    await ticket({ teamId: vipDesk, firstContactOwnerId: expert.id });
    await ticket({ teamId: closedDesk, firstContactOwnerId: supervisor.id });
    await ticket({ teamId: closedDesk });
    // Handed to the department as a sub-task, and one whose sub-task is done.
    for (const status of ['open', 'done']) {
      const id = await ticket({ teamId: frontline });
      await h.database.db
        .insert(subtasks)
        .values({ id: uuidv7(), ticketId: id, teamId: department, title: '上门检修', status });
    }
    await ticket({ teamId: department, firstContactOwnerId: engineer.id });
    await ticket({ teamId: frontline, assigneeId: engineer.id });
    await ticket({ teamId: vipDesk, firstContactOwnerId: engineer.id }, vip);

    for (const sharing of [undefined, { fromOpenTickets: 0, freshMs: 5_000, staleMs: 60_000 }]) {
      const deps: Deps = { ...h.deps, queueCountSharing: sharing };
      for (const actor of [agent, vipAgent, supervisor, expert, engineer, qa, admin]) {
        const expected = await countedOneByOne(actor);
        const counts = await countQueues(deps, actor);
        const { byQueue, ...views } = expected;
        expect(counts.views, `${actor.role} ${actor.teamId}`).toEqual(views);
        for (const queue of counts.teams) expect(queue.open, queue.name).toBe(byQueue.get(queue.teamId) ?? 0);
      }
    }
  });

  it('shares a large backlog’s counts between viewers for a few seconds, while "Mine" stays exact', async () => {
    const deps: Deps = { ...h.deps, queueCountSharing: { fromOpenTickets: 1, freshMs: 5_000, staleMs: 60_000 } };
    const team = await h.buildTeam();
    const agent = await h.buildStaff('agent', team);
    const colleague = await h.buildStaff('agent', team);
    clock.advance(120_000); // past any count an earlier test left
    const before = await countQueues(deps, agent);
    const ticketId = await h.buildTicket(agent, {});
    await set(ticketId, { teamId: team, assigneeId: colleague.id });

    // Another viewer within five seconds reads the same count; their own tickets are counted now.
    clock.advance(4_000);
    const shared = await countQueues(deps, colleague);
    expect(shared.views.all).toBe(before.views.all);
    expect(shared.teams.find((q) => q.teamId === team)!.open).toBe(0);
    expect(shared.views.mine).toBe(1);

    // Older: answered at once from the last count while a new one runs, then the new one.
    clock.advance(2_000);
    expect((await countQueues(deps, agent)).views.all).toBe(before.views.all);
    await expect
      .poll(async () => (await countQueues(deps, agent)).views.all, { timeout: 10_000 })
      .toBe(before.views.all + 1);

    // Past a minute nobody is answered from the old count.
    await set(ticketId, { status: 'closed' });
    clock.advance(61_000);
    expect((await countQueues(deps, agent)).views.all).toBe(before.views.all);
  });
});
