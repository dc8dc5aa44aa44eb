import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepSla } from '../../src/usecases/sla/sweep.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe.each(ENGINES)('SLA time limits on %s', (engine) => {
  // Monday 23 November 2026, 10:00 in Beijing: inside business hours.
  const clock = testClock(new Date('2026-11-23T10:00:00+08:00'));
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine, { clock });
  });
  afterAll(() => h?.close());

  type Target = {
    metric: string;
    state: string;
    dueAt: string | null;
    limitMinutes: number;
    remainingMs: number;
    calendarId: string;
    counting: boolean;
    countingChangesAt: string | null;
  };
  const sla = async (s: Session, id: string): Promise<Record<string, Target>> =>
    Object.fromEntries(
      ((await h.request(s, { method: 'GET', url: `/api/v1/tickets/${id}/sla` })).json().items as Target[]).map((t) => [
        t.metric,
        t,
      ]),
    );
  const act = (s: Session, id: string, action: string) =>
    h.request(s, { method: 'POST', url: `/api/v1/tickets/${id}/transitions`, payload: { action } });
  const timeline = async (s: Session, id: string) =>
    (await h.request(s, { method: 'GET', url: `/api/v1/tickets/${id}/timeline` })).json().items as {
      kind: string;
      data: Record<string, unknown>;
    }[];

  it('starts the matching policy’s clocks on creation: a fault gets 1 business hour for diagnosis and 24 h to fix', async () => {
    const agent = await h.signIn('agent');
    const id = await h.buildTicket(agent.actor, { type: 'fault' });
    const t = await sla(agent, id);
    expect(t.diagnosis).toMatchObject({
      state: 'ok',
      limitMinutes: 60,
      calendarId: 'cn-business',
      dueAt: new Date('2026-11-23T11:00:00+08:00').toISOString(),
    });
    expect(t.resolution).toMatchObject({
      limitMinutes: 24 * 60,
      calendarId: 'always',
      dueAt: new Date('2026-11-24T10:00:00+08:00').toISOString(),
    });
  });

  it('counts business time only: a diagnosis started at 17:30 on a Friday is due on Monday at 09:30', async () => {
    clock.set(new Date('2026-11-27T17:30:00+08:00'));
    const agent = await h.signIn('agent');
    const id = await h.buildTicket(agent.actor, { type: 'fault' });
    expect((await sla(agent, id)).diagnosis!.dueAt).toBe(new Date('2026-11-30T09:30:00+08:00').toISOString());
    clock.set(new Date('2026-11-23T10:00:00+08:00'));
  });

  it('tells the desk when a countdown moves: business-hour limits hold over the weekend, 7×24 ones never stop', async () => {
    clock.set(new Date('2026-11-27T17:30:00+08:00'));
    const agent = await h.signIn('agent');
    const id = await h.buildTicket(agent.actor, { type: 'fault' });
    let t = await sla(agent, id);
    expect(t.diagnosis).toMatchObject({
      counting: true,
      countingChangesAt: new Date('2026-11-27T18:00:00+08:00').toISOString(),
      remainingMs: HOUR,
    });
    expect(t.resolution).toMatchObject({ counting: true, countingChangesAt: null });
    clock.set(new Date('2026-11-28T11:00:00+08:00'));
    t = await sla(await h.signIn('agent'), id); // a colleague on Saturday (the Friday session has timed out)
    expect(t.diagnosis).toMatchObject({
      counting: false,
      countingChangesAt: new Date('2026-11-30T09:00:00+08:00').toISOString(),
      remainingMs: 30 * MIN,
    });
    clock.set(new Date('2026-11-23T10:00:00+08:00'));
  });

  it('pauses while the ticket waits for the customer and leaves the paused time out', async () => {
    const agent = await h.signIn('agent');
    const id = await h.buildTicket(agent.actor, { type: 'complaint', assignToMe: true });
    await act(agent, id, 'start');
    await h.request(agent, {
      method: 'POST',
      url: `/api/v1/tickets/${id}/messages`,
      payload: { visibility: 'public', body: '正在核实' },
    });
    const before = (await sla(agent, id)).resolution!.dueAt!;
    clock.advance(HOUR);
    await act(agent, id, 'wait_customer');
    clock.advance(5 * HOUR);
    expect((await sla(agent, id)).resolution!.state).toBe('paused');
    await act(agent, id, 'resume');
    const after = (await sla(agent, id)).resolution!.dueAt!;
    expect(new Date(after).getTime() - new Date(before).getTime()).toBe(5 * HOUR);
    expect((await sla(agent, id)).handling_plan!.state).toBe('met');
    clock.set(new Date('2026-11-23T10:00:00+08:00'));
  });

  it('recalculates when the grade changes, keeping the time already used', async () => {
    const agent = await h.signIn('agent');
    const id = await h.buildTicket(agent.actor, { type: 'fault' });
    clock.advance(30 * MIN);
    const ticket = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${id}` })).json();
    const res = await h.request(agent, {
      method: 'PATCH',
      url: `/api/v1/tickets/${id}`,
      payload: { grade: 'urgent', version: ticket.version },
    });
    expect(res.statusCode, res.body).toBe(200);
    const t = await sla(agent, id);
    // Urgent: 15-minute response on 24×7, counted from creation — 30 minutes have passed.
    expect(t.first_response).toMatchObject({ limitMinutes: 15, state: 'breached' });
    expect(t.resolution).toMatchObject({ limitMinutes: 24 * 60, remainingMs: 23.5 * HOUR });
    clock.set(new Date('2026-11-23T10:00:00+08:00'));
  });

  it('warns, breaches and escalates each exactly once, then hands the ticket to tier 2', async () => {
    clock.set(new Date('2026-11-23T10:00:00+08:00'));
    const expertTeam = await h.buildTeam({ kind: 'expert', name: '二线专家组' });
    const agent = await h.signIn('agent');
    const id = await h.buildTicket(agent.actor, { type: 'complaint', grade: 'urgent', assignToMe: true });
    const sweepUntilIdle = async () => {
      while ((await sweepSla(h.deps, 50)).claimed > 0);
    };
    clock.advance(12 * MIN); // past 75 % of the 15-minute response limit
    await sweepUntilIdle();
    await sweepUntilIdle();
    clock.advance(2 * MIN); // past 90 %
    await sweepUntilIdle();
    clock.advance(2 * MIN); // past the limit
    await sweepUntilIdle();
    await sweepUntilIdle();
    clock.advance(40 * MIN); // past the second escalation step (30 minutes after the breach)
    await sweepUntilIdle();
    await sweepUntilIdle();

    const events = (await timeline(agent, id)).filter((e) => e.data.metric === 'first_response');
    expect(
      events.map((e) =>
        e.kind === 'sla_warning'
          ? `warning ${String(e.data.fraction)}`
          : e.kind === 'sla_escalated'
            ? `escalated ${String(e.data.step)}`
            : e.kind,
      ),
    ).toEqual(['warning 0.75', 'warning 0.9', 'sla_breached', 'escalated 0', 'escalated 1']);
    const ticket = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${id}` })).json();
    expect(ticket.team.id).toBe(expertTeam);
    expect(ticket.assignee).toBeNull();
    expect(ticket.tags).toContain('sla-breached');
    expect(ticket.firstContactOwner.id).toBe(agent.actor.id);
    const notes = (await h.request(agent, { method: 'GET', url: '/api/v1/notifications' }))
      .json()
      .items.filter((n: { ticketId: string }) => n.ticketId === id);
    expect(notes.map((n: { kind: string }) => n.kind).sort()).toEqual(['sla.breached', 'sla.warning', 'sla.warning']);

    const supervisor = await h.signIn('supervisor');
    const from = new Date(clock.now().getTime() - 24 * HOUR).toISOString();
    const to = new Date(clock.now().getTime() + HOUR).toISOString();
    const report = (
      await h.request(supervisor, {
        method: 'GET',
        url: `/api/v1/reports/sla?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
      })
    ).json();
    expect(report.ticketsBreached).toBeGreaterThanOrEqual(1);
    expect(report.byPolicy.find((r: { key: string }) => r.key === 'urgent').breached).toBeGreaterThanOrEqual(1);
    clock.set(new Date('2026-11-23T10:00:00+08:00'));
  });

  it('keeps the priority an SLA escalation raised when an agent edits the ticket afterwards', async () => {
    clock.set(new Date('2026-11-23T10:00:00+08:00'));
    const agent = await h.signIn('agent');
    // A general fault of a regular customer is P3; its diagnosis is due in one business hour.
    const id = await h.buildTicket(agent.actor, { type: 'fault', assignToMe: true });
    clock.advance(61 * MIN);
    while ((await sweepSla(h.deps, 50)).claimed > 0);
    const raised = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${id}` })).json();
    expect(raised.priority).toBe(2);
    const res = await h.request(agent, {
      method: 'PATCH',
      url: `/api/v1/tickets/${id}`,
      payload: { subject: '宽带频繁掉线（已超时）', version: raised.version },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().priority).toBe(2);
    const updated = (await timeline(agent, id)).find((e) => e.kind === 'updated')!;
    expect(updated.data.after).not.toHaveProperty('priority');
    clock.set(new Date('2026-11-23T10:00:00+08:00'));
  });

  it('hands a breached ticket to tier 2 as a manual escalation does: support level 2 and a timeline entry with before and after', async () => {
    clock.set(new Date('2026-11-23T10:00:00+08:00'));
    await h.buildTeam({ kind: 'expert', name: '二线专家组' });
    const agent = await h.signIn('agent');
    const id = await h.buildTicket(agent.actor, { type: 'fault', assignToMe: true });
    clock.advance(61 * MIN); // diagnosis breached: notify, raise priority, flag
    while ((await sweepSla(h.deps, 50)).claimed > 0);
    clock.advance(31 * MIN); // 30 minutes after the breach: to tier 2
    while ((await sweepSla(h.deps, 50)).claimed > 0);
    const ticket = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${id}` })).json();
    expect(ticket).toMatchObject({ supportLevel: 2, assignee: null, status: 'new' });
    expect(ticket.team.id).not.toBe(agent.actor.teamId);
    const escalated = (await timeline(agent, id)).filter((e) => e.kind === 'escalated');
    expect(escalated).toHaveLength(1);
    expect(escalated[0]!.data).toMatchObject({
      before: { teamId: agent.actor.teamId, assigneeId: agent.actor.id, supportLevel: 1 },
      after: { teamId: ticket.team.id, assigneeId: null, supportLevel: 2 },
    });
    clock.set(new Date('2026-11-23T10:00:00+08:00'));
  });

  it('puts the earliest due time on the ticket, sorts the queue by it and lists breached tickets', async () => {
    clock.set(new Date('2026-11-23T10:00:00+08:00'));
    const agent = await h.signIn('agent');
    const customerId = await h.buildCustomer();
    const fault = await h.buildTicket(agent.actor, { type: 'fault', customerId }); // diagnosis due 11:00
    const inquiry = await h.buildTicket(agent.actor, { type: 'inquiry', customerId }); // handling plan due 11:00, but created later…
    clock.advance(MIN);
    const urgent = await h.buildTicket(agent.actor, { type: 'complaint', grade: 'urgent', customerId }); // response due 10:16
    const list = async (q: string) =>
      (await h.request(agent, { method: 'GET', url: `/api/v1/tickets?customerId=${customerId}&${q}` })).json()
        .items as { id: string; slaDueAt: string }[];
    const byDue = await list('sort=due');
    expect(byDue[0]!.id).toBe(urgent);
    expect(byDue[0]!.slaDueAt).toBe(new Date('2026-11-23T10:16:00+08:00').toISOString());
    expect(new Set(byDue.slice(1).map((t) => t.id))).toEqual(new Set([fault, inquiry]));
    const page1 = await list('sort=due&limit=2');
    expect(page1.map((t) => t.id)).toEqual(byDue.slice(0, 2).map((t) => t.id));
    expect((await list('sla=due_soon')).map((t) => t.id).sort()).toEqual([fault, inquiry, urgent].sort());
    clock.advance(20 * MIN);
    expect((await list('sla=breached')).map((t) => t.id)).toEqual([urgent]);
    clock.set(new Date('2026-11-23T10:00:00+08:00'));
  });

  it('moves a customer’s open tickets to the VIP policy when the customer becomes VIP', async () => {
    const agent = await h.signIn('agent');
    const customerId = await h.buildCustomer({ tier: 'regular' });
    const id = await h.buildTicket(agent.actor, { type: 'fault', customerId });
    expect((await sla(agent, id)).diagnosis!.limitMinutes).toBe(60);
    const res = await h.request(agent, {
      method: 'PATCH',
      url: `/api/v1/customers/${customerId}`,
      payload: { tier: 'vip' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await sla(agent, id)).diagnosis).toMatchObject({ limitMinutes: 30, calendarId: 'always' });
  });

  it('lets an admin load a year’s holidays from iCalendar, and nobody else', async () => {
    const admin = await h.signIn('admin', null);
    const content =
      'BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20270101\nSUMMARY:元旦\nEND:VEVENT\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20270102\nSUMMARY:元旦补班\nEND:VEVENT\nEND:VCALENDAR';
    const res = await h.request(admin, {
      method: 'POST',
      url: '/api/v1/sla/calendars/cn-business/holidays',
      payload: { format: 'ics', content },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().holidays).toContain('2027-01-01');
    expect(res.json().workdays).toContainEqual({ date: '2027-01-02' });
    const agent = await h.signIn('agent');
    expect(
      (
        await h.request(agent, {
          method: 'POST',
          url: '/api/v1/sla/calendars/cn-business/holidays',
          payload: { format: 'ics', content },
        })
      ).statusCode,
    ).toBe(403);
    const broken = await h.request(admin, {
      method: 'POST',
      url: '/api/v1/sla/calendars/cn-business/holidays',
      payload: { format: 'ics', content: 'not a calendar' },
    });
    expect(broken.statusCode).toBe(400);
  });

  // Last: it replaces the policy set for the rest of this file.
  it('escalates to a named queue when a policy says so, after an admin replaces the policies', async () => {
    clock.set(new Date('2026-11-23T10:00:00+08:00'));
    const admin = await h.signIn('admin', null);
    const queue = await h.buildTeam({ code: 'complaint-desk', name: '投诉督办', kind: 'supervisor' });
    const policies = [
      {
        id: 'strict',
        name: '严格',
        position: 1,
        targets: [{ metric: 'first_response', limitMinutes: 10, calendarId: 'always' }],
        warnAt: [],
        escalation: [{ afterMinutes: 0, actions: ['reassign_queue', 'flag'], queue: 'complaint-desk' }],
      },
    ];
    const put = await h.request(admin, { method: 'PUT', url: '/api/v1/sla/policies', payload: { items: policies } });
    expect(put.statusCode, put.body).toBe(204);
    const unknownCalendar = await h.request(admin, {
      method: 'PUT',
      url: '/api/v1/sla/policies',
      payload: {
        items: [{ ...policies[0], targets: [{ metric: 'resolution', limitMinutes: 5, calendarId: 'nope' }] }],
      },
    });
    expect(unknownCalendar.statusCode).toBe(400);
    const agent = await h.signIn('agent');
    const id = await h.buildTicket(agent.actor, { type: 'inquiry' });
    clock.advance(11 * MIN);
    while ((await sweepSla(h.deps, 50)).claimed > 0);
    const ticket = (await h.request(admin, { method: 'GET', url: `/api/v1/tickets/${id}` })).json();
    expect(ticket.team.id).toBe(queue);
    expect(ticket.tags).toContain('sla-breached');
  });
});
