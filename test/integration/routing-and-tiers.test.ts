import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryId } from '../../src/db/reference-data.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

describe.each(ENGINES)('routing, tiers and cross-department work on %s', (engine) => {
  let h: Harness;
  const clock = testClock(new Date('2026-11-20T02:00:00Z'));
  const team = {} as Record<'frontline' | 'expert' | 'vip-desk' | 'supervisors' | 'network-ops' | 'billing', string>;
  let admin: Session;
  let supervisor: Session;

  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    // The queues the handbook's default rules name.
    for (const [code, kind] of [
      ['frontline', 'frontline'],
      ['expert', 'expert'],
      ['vip-desk', 'vip'],
      ['supervisors', 'supervisor'],
      ['network-ops', 'department'],
      ['billing', 'department'],
    ] as const) {
      team[code] = await h.buildTeam({ code, kind, name: code });
    }
    admin = await h.signIn('admin', null);
    supervisor = await h.signIn('supervisor', team.supervisors);
  });
  afterAll(() => h?.close());

  const create = async (agent: Session, body: Record<string, unknown>) => {
    const customerId = (body.customerId as string | undefined) ?? (await h.buildCustomer());
    const res = await h.request(agent, {
      method: 'POST',
      url: '/api/v1/tickets',
      payload: {
        type: 'inquiry',
        channel: 'hotline',
        subject: '咨询',
        description: '想了解一下业务',
        ...body,
        customerId,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const get = async (s: Session, id: string) =>
    (await h.request(s, { method: 'GET', url: `/api/v1/tickets/${id}` })).json();
  const timeline = async (s: Session, id: string) =>
    (await h.request(s, { method: 'GET', url: `/api/v1/tickets/${id}/timeline` })).json().items as {
      kind: string;
      data: Record<string, unknown>;
    }[];
  const post = (s: Session, url: string, payload: unknown) =>
    h.request(s, { method: 'POST', url, payload: payload as Record<string, unknown> });
  const put = (s: Session, url: string, payload: unknown) =>
    h.request(s, { method: 'PUT', url, payload: payload as Record<string, unknown> });

  describe('routing rules', () => {
    it('routes a network fault to network operations and explains why in the timeline', async () => {
      const agent = await h.signIn('agent', team.frontline);
      const ticket = await create(agent, {
        type: 'fault',
        categoryId: categoryId('fault-broadband-down'),
        subject: '宽带断网',
        description: '光猫亮红灯，断网两天',
      });
      expect(ticket.team.id).toBe(team['network-ops']);
      expect(ticket.firstContactOwner.id).toBe(agent.actor.id);
      const routed = (await timeline(agent, ticket.id)).find((e) => e.kind === 'routed')!;
      expect(routed.data.explanation).toEqual(["matched rule '网络故障 Network faults' → queue → network-ops"]);
      // The same as data, for the desk to say in the agent's language.
      expect(routed.data.matched).toEqual([
        {
          ruleId: 'network-faults',
          name: '网络故障 Network faults',
          effects: [{ kind: 'queue', queue: 'network-ops' }],
        },
      ]);
    });

    it('raises a complaint that threatens the regulator to urgent and sends it to the supervisors', async () => {
      const agent = await h.signIn('agent', team.frontline);
      const ticket = await create(agent, {
        type: 'complaint',
        subject: '乱扣费',
        description: '再不解决我就去工信部投诉，还要找媒体曝光',
      });
      expect(ticket).toMatchObject({ grade: 'urgent', priority: 1, team: { id: team.supervisors } });
      expect(ticket.tags).toContain('high-risk');
    });

    it('keeps a ticket in the creator’s queue when no rule matches', async () => {
      const agent = await h.signIn('agent', team.frontline);
      const ticket = await create(agent, { subject: '营业时间', description: '请问营业厅几点关门' });
      expect(ticket.team.id).toBe(team.frontline);
    });

    it('lets an admin replace the rules, refusing rules that name unknown queues, and applies the new set at once', async () => {
      const agent = await h.signIn('agent', team.frontline);
      const rules = (await h.request(admin, { method: 'GET', url: '/api/v1/routing/rules' })).json().rules;
      expect(rules.map((r: { id: string }) => r.id)).toContain('high-risk-words');

      const bad = await put(admin, '/api/v1/routing/rules', {
        rules: [{ id: 'x', name: 'x', when: {}, then: { queue: 'no-such-queue' } }],
      });
      expect(bad.statusCode).toBe(422);
      expect(bad.json().error).toMatchObject({
        code: 'routing.unknown_reference',
        details: { queues: ['no-such-queue'] },
      });
      expect((await put(agent, '/api/v1/routing/rules', { rules })).statusCode).toBe(403);

      const portability = {
        id: 'number-porting',
        name: '携号转网',
        when: { keywords: ['携号转网'] },
        then: { queue: 'vip-desk', priority: 2 },
      };
      expect((await put(admin, '/api/v1/routing/rules', { rules: [portability, ...rules] })).statusCode).toBe(204);
      const ticket = await create(agent, { subject: '携号转网', description: '我想办理携号转网，为什么不让转' });
      expect(ticket).toMatchObject({ team: { id: team['vip-desk'] }, priority: 2 });
      expect((await put(admin, '/api/v1/routing/rules', { rules })).statusCode).toBe(204);
    });

    it('keeps the priority a rule set when an agent then edits only the subject', async () => {
      const agent = await h.signIn('agent', team.frontline);
      const rules = (await h.request(admin, { method: 'GET', url: '/api/v1/routing/rules' })).json().rules;
      const outage = { id: 'city-outage', name: '全城断网', when: { keywords: ['全城断网'] }, then: { priority: 1 } };
      expect((await put(admin, '/api/v1/routing/rules', { rules: [outage, ...rules] })).statusCode).toBe(204);
      try {
        // An inquiry from a regular customer is P4 by its facts; the rule lifts it to P1.
        const ticket = await create(agent, {
          subject: '全城断网',
          description: '听说全城断网了，什么时候恢复',
          assignToMe: true,
        });
        expect(ticket.priority).toBe(1);
        const res = await h.request(agent, {
          method: 'PATCH',
          url: `/api/v1/tickets/${ticket.id}`,
          payload: { subject: '全城断网何时恢复', version: ticket.version },
        });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json().priority).toBe(1);
        const updated = (await timeline(agent, ticket.id)).find((e) => e.kind === 'updated')!;
        expect(updated.data.after).not.toHaveProperty('priority');
      } finally {
        expect((await put(admin, '/api/v1/routing/rules', { rules })).statusCode).toBe(204);
      }
    });

    it('raises the priority of a customer’s open tickets when the customer becomes VIP, and says so on the timeline', async () => {
      const agent = await h.signIn('agent', team.frontline);
      const customerId = await h.buildCustomer({ tier: 'regular' });
      const ticket = await create(agent, { customerId, assignToMe: true });
      expect(ticket.priority).toBe(4);
      const res = await h.request(agent, {
        method: 'PATCH',
        url: `/api/v1/customers/${customerId}`,
        payload: { tier: 'vip' },
      });
      expect(res.statusCode, res.body).toBeLessThan(300);
      expect((await get(agent, ticket.id)).priority).toBe(3);
      const updated = (await timeline(agent, ticket.id)).find((e) => e.kind === 'updated')!;
      expect(updated.data).toEqual({ changed: ['priority'], before: { priority: 4 }, after: { priority: 3 } });
    });

    it('shows in a dry run what the rules would do, for an existing ticket or a candidate rule set, changing nothing', async () => {
      const agent = await h.signIn('agent', team.frontline);
      const vip = await h.buildCustomer({ tier: 'vip' });
      const existing = await create(agent, {
        customerId: vip,
        type: 'complaint',
        subject: '服务态度',
        description: '营业员态度很差',
      });
      const res = await post(agent, '/api/v1/routing/dry-run', { ticketId: existing.id });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        queue: { code: 'vip-desk', teamId: team['vip-desk'] },
        explanation: ["matched rule 'VIP 客户 VIP customers' → queue → vip-desk"],
      });

      const candidate = await post(agent, '/api/v1/routing/dry-run', {
        type: 'inquiry',
        description: '光猫坏了',
        rules: [
          { id: 'modem', name: '光猫', when: { keywords: ['光猫'] }, then: { queue: 'network-ops', tags: ['modem'] } },
        ],
      });
      expect(candidate.json()).toMatchObject({
        queue: { code: 'network-ops' },
        tags: ['modem'],
        words: ['光猫', '坏', '了'],
      });
      expect((await get(agent, existing.id)).version).toBe(existing.version);
    });
  });

  describe('tiers and transfers', () => {
    it('escalates to tier 2 with a handoff note, keeps the first-contact owner, and de-escalates back to them', async () => {
      const agent = await h.signIn('agent', team.frontline);
      const ticket = await create(agent, { assignToMe: true });
      expect((await post(agent, `/api/v1/tickets/${ticket.id}/escalate`, {})).statusCode).toBe(400);

      const up = await post(agent, `/api/v1/tickets/${ticket.id}/escalate`, {
        note: '用户反映 5G 信号时有时无，已排除终端问题',
      });
      expect(up.statusCode, up.body).toBe(200);
      expect(up.json()).toMatchObject({
        supportLevel: 2,
        team: { id: team.expert },
        assignee: null,
        firstContactOwner: { id: agent.actor.id },
      });
      const again = await post(agent, `/api/v1/tickets/${ticket.id}/escalate`, { note: '再次升级' });
      expect(again.statusCode).toBe(409);
      expect(again.json().error.code).toBe('ticket.already_escalated');

      const expert = await h.signIn('expert', team.expert);
      const down = await post(expert, `/api/v1/tickets/${ticket.id}/de-escalate`, { note: '基站已修复，请回访客户' });
      expect(down.statusCode, down.body).toBe(200);
      expect(down.json()).toMatchObject({
        supportLevel: 1,
        assignee: { id: agent.actor.id },
        team: { id: team.frontline },
      });
      const kinds = (await timeline(agent, ticket.id)).map((e) => e.kind);
      expect(kinds).toEqual(expect.arrayContaining(['escalated', 'de_escalated']));
      const notes = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${ticket.id}/messages` })).json()
        .items;
      expect(
        notes.map((m: { visibility: string; bodyHtml: string }) => [m.visibility, m.bodyHtml.match(/^【.+?】/)?.[0]]),
      ).toEqual([
        ['internal', '【升级至二线】'],
        ['internal', '【退回一线】'],
      ]);
    });

    it('refuses to escalate, edit, reassign, hand out or merge a closed ticket, with one code and message', async () => {
      const agent = await h.signIn('agent', team.frontline);
      const ticket = await create(agent, { assignToMe: true });
      const other = await create(agent, { assignToMe: true, customerId: ticket.customer.id });
      await post(agent, `/api/v1/tickets/${ticket.id}/messages`, { visibility: 'public', body: '已为您处理' });
      await post(agent, `/api/v1/tickets/${ticket.id}/transitions`, { action: 'resolve' });
      const closed = await post(agent, `/api/v1/tickets/${ticket.id}/confirmation`, { solved: true });
      const refusals = [
        await post(agent, `/api/v1/tickets/${ticket.id}/escalate`, { note: '升级看看' }),
        await h.request(agent, {
          method: 'PATCH',
          url: `/api/v1/tickets/${ticket.id}`,
          payload: { subject: '改一下', version: closed.json().version },
        }),
        await post(supervisor, `/api/v1/tickets/${ticket.id}/assignment`, { assigneeId: null, teamId: team.billing }),
        await post(agent, `/api/v1/tickets/${ticket.id}/subtasks`, { teamId: team.billing, title: '核查' }),
        await post(agent, `/api/v1/tickets/${ticket.id}/merge`, { intoTicketId: other.id }),
      ];
      for (const res of refusals) {
        expect(res.statusCode, res.body).toBe(409);
        expect(res.json().error).toMatchObject({
          code: 'ticket.invalid_transition',
          message: 'The ticket is closed; reopen it first',
          details: { status: 'closed' },
        });
      }
    });

    it('transfers between queues and keeps the first-contact owner', async () => {
      const agent = await h.signIn('agent', team.frontline);
      const ticket = await create(agent, { assignToMe: true });
      const res = await post(supervisor, `/api/v1/tickets/${ticket.id}/assignment`, {
        assigneeId: null,
        teamId: team.billing,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        team: { id: team.billing },
        assignee: null,
        firstContactOwner: { id: agent.actor.id },
      });
    });
  });

  describe('department sub-tasks', () => {
    it('blocks resolving the parent until the blocking sub-task is done, and tells the first-contact owner', async () => {
      const agent = await h.signIn('agent', team.frontline);
      const billingClerk = await h.signIn('department', team.billing);
      const ticket = await create(agent, {
        assignToMe: true,
        type: 'complaint',
        subject: '账单有误',
        description: '上月账单多出一笔',
      });
      const created = await post(agent, `/api/v1/tickets/${ticket.id}/subtasks`, {
        teamId: team.billing,
        title: '核查上月账单',
        assigneeId: billingClerk.actor.id,
        dueInMinutes: 120,
      });
      expect(created.statusCode, created.body).toBe(201);
      const subtaskId = created.json().id;

      await post(agent, `/api/v1/tickets/${ticket.id}/messages`, { visibility: 'public', body: '已转计费部门核查' });
      const blocked = await post(agent, `/api/v1/tickets/${ticket.id}/transitions`, { action: 'resolve' });
      expect(blocked.statusCode).toBe(409);
      expect(blocked.json().error.code).toBe('ticket.blocking_subtasks_open');
      expect((await get(agent, ticket.id)).openBlockingSubtasks).toBe(1);

      // The department sees the parent ticket because it has work on it.
      expect((await h.request(billingClerk, { method: 'GET', url: `/api/v1/tickets/${ticket.id}` })).statusCode).toBe(
        200,
      );
      expect(
        (await post(billingClerk, `/api/v1/subtasks/${subtaskId}/complete`, { result: '确有重复计费，已退回 30 元' }))
          .statusCode,
      ).toBe(204);
      expect(
        (await post(billingClerk, `/api/v1/subtasks/${subtaskId}/complete`, { result: '再次完成' })).statusCode,
      ).toBe(409);

      const notes = (await h.request(agent, { method: 'GET', url: '/api/v1/notifications' })).json().items;
      expect(notes[0]).toMatchObject({
        kind: 'subtask.done',
        ticketId: ticket.id,
        payload: { result: '确有重复计费，已退回 30 元' },
      });
      const tasks = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${ticket.id}/subtasks` })).json()
        .items;
      expect(tasks).toMatchObject([{ status: 'done', teamName: 'billing', blocking: true }]);
      expect((await post(agent, `/api/v1/tickets/${ticket.id}/transitions`, { action: 'resolve' })).statusCode).toBe(
        200,
      );
    });

    it('lets only the owning department or a supervisor complete a sub-task; the agent who asked may cancel it', async () => {
      const agent = await h.signIn('agent', team.frontline);
      const ticket = await create(agent, { assignToMe: true });
      const ask = async () =>
        (await post(agent, `/api/v1/tickets/${ticket.id}/subtasks`, { teamId: team.billing, title: '核查账单' })).json()
          .id as string;
      const [first, second, third] = [await ask(), await ask(), await ask()];
      const byAgent = await post(agent, `/api/v1/subtasks/${first}/complete`, { result: '自己办完了' });
      expect(byAgent.statusCode).toBe(403);
      expect(byAgent.json().error.code).toBe('auth.forbidden');
      expect((await post(agent, `/api/v1/subtasks/${first}/cancel`, { reason: '客户已自行解决' })).statusCode).toBe(
        204,
      );
      const clerk = await h.signIn('department', team.billing);
      expect((await post(clerk, `/api/v1/subtasks/${second}/complete`, { result: '已核查' })).statusCode).toBe(204);
      expect((await post(supervisor, `/api/v1/subtasks/${third}/complete`, { result: '督办完成' })).statusCode).toBe(
        204,
      );
      const tasks = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${ticket.id}/subtasks` })).json()
        .items as { id: string; status: string }[];
      expect(Object.fromEntries(tasks.map((t) => [t.id, t.status]))).toEqual({
        [first]: 'cancelled',
        [second]: 'done',
        [third]: 'done',
      });
    });
  });

  describe('assignment', () => {
    async function agentWithProfile(
      teamId: string,
      profile: { capacity: number; presence?: 'online' | 'away' | 'offline' },
    ) {
      const agent = await h.signIn('agent', teamId);
      const res = await put(supervisor, `/api/v1/agents/${agent.actor.id}/profile`, {
        tier: 1,
        skills: { categories: [], languages: ['zh'], regions: [] },
        capacity: profile.capacity,
      });
      expect(res.statusCode, res.body).toBe(204);
      if (profile.presence)
        expect((await put(agent, '/api/v1/me/presence', { presence: profile.presence })).statusCode).toBe(204);
      return agent;
    }

    it('refuses to assign an offline agent unless a supervisor overrides, and never beyond capacity', async () => {
      const owner = await h.signIn('agent', team.frontline);
      const busy = await agentWithProfile(team.frontline, { capacity: 1, presence: 'offline' });
      const [a, b] = [await create(owner, {}), await create(owner, {})];

      const offline = await post(supervisor, `/api/v1/tickets/${a.id}/assignment`, { assigneeId: busy.actor.id });
      expect(offline.statusCode).toBe(409);
      expect(offline.json().error).toMatchObject({
        code: 'ticket.assignee_unavailable',
        details: { presence: 'offline' },
      });
      expect(
        (await post(supervisor, `/api/v1/tickets/${a.id}/assignment`, { assigneeId: busy.actor.id, override: true }))
          .statusCode,
      ).toBe(200);

      const full = await post(supervisor, `/api/v1/tickets/${b.id}/assignment`, {
        assigneeId: busy.actor.id,
        override: true,
      });
      expect(full.statusCode).toBe(409);
      expect(full.json().error).toMatchObject({
        code: 'ticket.assignee_at_capacity',
        details: { openCount: 1, capacity: 1 },
      });
    });

    it('leaves tickets waiting in an automatic queue while nobody is free, and hands them out when an agent comes online', async () => {
      const queue = await h.buildTeam({
        code: `auto-${Date.now()}`,
        kind: 'frontline',
        assignmentStrategy: 'least_loaded',
      });
      const owner = await h.signIn('agent', team.frontline);
      const waiting = [];
      for (let i = 0; i < 3; i++) {
        const t = await create(owner, {});
        await post(supervisor, `/api/v1/tickets/${t.id}/assignment`, { assigneeId: null, teamId: queue });
        waiting.push(t.id);
      }
      const agent = await agentWithProfile(queue, { capacity: 2, presence: 'away' });
      expect((await get(owner, waiting[0])).assignee).toBeNull();

      expect((await put(agent, '/api/v1/me/presence', { presence: 'online' })).statusCode).toBe(204);
      const after = await Promise.all(waiting.map((id) => get(owner, id)));
      expect(after.map((t) => t.assignee?.id ?? null)).toEqual([agent.actor.id, agent.actor.id, null]);
      expect(after[0]).toMatchObject({ status: 'assigned', firstContactOwner: { id: owner.actor.id } });
      const event = (await timeline(owner, waiting[0])).find((e) => e.kind === 'assigned' && e.data.by === 'auto');
      expect(event?.data).toMatchObject({ strategy: 'least_loaded' });

      const agents = (await h.request(supervisor, { method: 'GET', url: '/api/v1/agents' })).json().items;
      expect(agents.find((a: { id: string }) => a.id === agent.actor.id)).toMatchObject({
        presence: 'online',
        openCount: 2,
        capacity: 2,
        queues: [queue],
      });
    });

    it('gives a VIP complaint only to a certified complaint specialist', async () => {
      const queue = await h.buildTeam({ code: `vipq-${Date.now()}`, kind: 'vip', assignmentStrategy: 'round_robin' });
      const plain = await agentWithProfile(queue, { capacity: 5 });
      const certified = await agentWithProfile(queue, { capacity: 5 });
      expect(
        (
          await put(supervisor, `/api/v1/agents/${certified.actor.id}/certifications`, {
            items: [{ code: 'complaint_specialist' }],
          })
        ).statusCode,
      ).toBe(204);
      const owner = await h.signIn('agent', team.frontline);
      const t = await create(owner, {
        customerId: await h.buildCustomer({ tier: 'vip' }),
        type: 'complaint',
        subject: '服务态度',
        description: '营业员态度很差',
      });
      await post(supervisor, `/api/v1/tickets/${t.id}/assignment`, { assigneeId: null, teamId: queue });
      await put(plain, '/api/v1/me/presence', { presence: 'online' });
      expect((await get(owner, t.id)).assignee).toBeNull();
      await put(certified, '/api/v1/me/presence', { presence: 'online' });
      expect((await get(owner, t.id)).assignee?.id).toBe(certified.actor.id);
    });
  });
  describe('duplicates and repeat contacts', () => {
    it('merges a duplicate into the surviving ticket of the same customer, and refuses another customer’s', async () => {
      const agent = await h.signIn('agent', team.frontline);
      const customerId = await h.buildCustomer();
      const first = await create(agent, { customerId, assignToMe: true });
      const dup = await create(agent, { customerId, assignToMe: true });
      const other = await create(agent, { assignToMe: true });

      const wrong = await post(agent, `/api/v1/tickets/${dup.id}/merge`, { intoTicketId: other.id });
      expect(wrong.statusCode).toBe(422);
      expect(wrong.json().error.code).toBe('ticket.merge_invalid');

      expect((await post(agent, `/api/v1/tickets/${dup.id}/merge`, { intoTicketId: first.id })).statusCode).toBe(200);
      expect(await get(agent, dup.id)).toMatchObject({ status: 'closed', mergedIntoId: first.id });
      const links = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${first.id}/links` })).json().items;
      expect(links).toMatchObject([{ ticketId: dup.id, kind: 'duplicate', direction: 'incoming' }]);
    });

    it('flags a ticket as a repeat when the customer had one of the same category in the last 30 days', async () => {
      const agent = await h.signIn('agent', team.frontline);
      const customerId = await h.buildCustomer();
      const body = {
        customerId,
        type: 'fault',
        categoryId: categoryId('fault-terminal'),
        subject: '手机死机',
        description: '手机经常死机',
      };
      const first = await create(agent, body);
      // Sessions expire while the clock moves on: sign in again each time.
      clock.advance(29 * 86_400_000);
      const again = await h.login({ ...agent.actor, username: agent.username });
      const second = await create(again, body);
      expect(first.isRepeat).toBe(false);
      expect(second.isRepeat).toBe(true);
      const links = (await h.request(again, { method: 'GET', url: `/api/v1/tickets/${second.id}/links` })).json().items;
      expect(links).toMatchObject([{ ticketId: first.id, kind: 'repeat', direction: 'outgoing' }]);

      clock.advance(31 * 86_400_000);
      const later = await h.login({ ...agent.actor, username: agent.username });
      expect((await create(later, body)).isRepeat).toBe(false);
      expect(
        (await create(later, { ...body, categoryId: categoryId('complaint-attitude'), type: 'complaint' })).isRepeat,
      ).toBe(false);
    });
  });
});
