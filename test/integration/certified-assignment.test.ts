import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customers } from '../../src/db/schema.js';
import { autoAssign } from '../../src/usecases/routing/auto-assign.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

// The certification rule (core/routing/assignment.ts) holds on every assignment path: a supervisor
// assigning by hand (override or not), an escalation to a named expert, and the auto-assign job,
// including its offer to a customer's account manager. VIP and urgent complaints and regulator
// cases need a valid complaint-specialist certification.

describe.each(ENGINES)('certified assignment on every path on %s', (engine) => {
  let h: Harness;
  const clock = testClock(new Date('2026-11-20T02:00:00Z'));
  let supervisor: Session;
  let frontline: string;
  let experts: string;

  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    frontline = await h.buildTeam({ code: 'frontline', kind: 'frontline', name: 'frontline' });
    experts = await h.buildTeam({ code: 'expert', kind: 'expert', name: 'expert' });
    supervisor = await h.signIn('supervisor', frontline);
  });
  afterAll(() => h?.close());

  const post = (s: Session, url: string, payload: unknown) =>
    h.request(s, { method: 'POST', url, payload: payload as Record<string, unknown> });
  const put = (s: Session, url: string, payload: unknown) =>
    h.request(s, { method: 'PUT', url, payload: payload as Record<string, unknown> });
  const get = async (s: Session, id: string) =>
    (await h.request(s, { method: 'GET', url: `/api/v1/tickets/${id}` })).json();

  async function person(role: 'agent' | 'expert', teamId: string, opts: { certified?: boolean } = {}) {
    const p = await h.signIn(role, teamId);
    const profile = await put(supervisor, `/api/v1/agents/${p.actor.id}/profile`, {
      tier: role === 'expert' ? 2 : 1,
      skills: { categories: [], languages: ['zh'], regions: [] },
      capacity: 5,
    });
    expect(profile.statusCode, profile.body).toBe(204);
    if (opts.certified) {
      const certify = await put(supervisor, `/api/v1/agents/${p.actor.id}/certifications`, {
        items: [{ code: 'complaint_specialist', expiresAt: null }],
      });
      expect(certify.statusCode, certify.body).toBe(204);
    }
    return p;
  }
  async function vipComplaint(owner: Session, customerId?: string) {
    const res = await post(owner, '/api/v1/tickets', {
      type: 'complaint',
      channel: 'hotline',
      subject: '营业厅服务态度',
      description: '营业员态度很差，要求道歉',
      customerId: customerId ?? (await h.buildCustomer({ tier: 'vip' })),
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string }>();
  }

  it('refuses to assign a VIP complaint by hand to someone without the certification, even with an override', async () => {
    const owner = await h.signIn('agent', frontline);
    const plain = await person('agent', frontline);
    const specialist = await person('agent', frontline, { certified: true });
    await put(plain, '/api/v1/me/presence', { presence: 'online' });
    const t = await vipComplaint(owner);

    for (const override of [false, true]) {
      const refused = await post(supervisor, `/api/v1/tickets/${t.id}/assignment`, {
        assigneeId: plain.actor.id,
        override,
      });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error).toMatchObject({
        code: 'ticket.assignee_not_certified',
        details: { field: 'assigneeId', missing: ['complaint_specialist'] },
      });
    }
    const ok = await post(supervisor, `/api/v1/tickets/${t.id}/assignment`, {
      assigneeId: specialist.actor.id,
      override: true,
    });
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('opens a VIP complaint taken at creation by someone without the certification unassigned in its queue, the creator still its first-contact owner', async () => {
    const plain = await person('agent', frontline);
    const specialist = await person('agent', frontline, { certified: true });
    const body = {
      type: 'complaint',
      channel: 'hotline',
      subject: '营业厅服务态度',
      description: '营业员态度很差，要求道歉',
      assignToMe: true,
    };
    const taken = await post(plain, '/api/v1/tickets', { ...body, customerId: await h.buildCustomer({ tier: 'vip' }) });
    expect(taken.statusCode, taken.body).toBe(201);
    const ticket = await get(plain, taken.json().id);
    expect(ticket.assignee).toBeNull();
    expect(ticket.firstContactOwner?.id).toBe(plain.actor.id);
    const byCertified = await post(specialist, '/api/v1/tickets', {
      ...body,
      customerId: await h.buildCustomer({ tier: 'vip' }),
    });
    expect((await get(specialist, byCertified.json().id)).assignee?.id).toBe(specialist.actor.id);
  });

  it('offers "take" on a VIP complaint, on its page and in the list, only to an agent holding the certification', async () => {
    const plain = await person('agent', frontline);
    const specialist = await person('agent', frontline, { certified: true });
    const customerId = await h.buildCustomer({ tier: 'vip' });
    const t = await vipComplaint(await h.signIn('agent', frontline), customerId);
    const listed = async (s: Session) =>
      (await h.request(s, { method: 'GET', url: `/api/v1/tickets?customerId=${customerId}` }))
        .json<{ items: { id: string; abilities: string[] }[] }>()
        .items.find((i) => i.id === t.id)?.abilities;

    expect((await get(plain, t.id)).abilities).not.toContain('take');
    expect(await listed(plain)).not.toContain('take');
    expect((await get(specialist, t.id)).abilities).toContain('take');
    expect(await listed(specialist)).toContain('take');
    // What is offered is what the server accepts.
    await put(specialist, '/api/v1/me/presence', { presence: 'online' });
    const taken = await post(specialist, `/api/v1/tickets/${t.id}/assignment`, { assigneeId: specialist.actor.id });
    expect(taken.statusCode, taken.body).toBe(200);

    // A complaint that needs no certification is still offered to everyone.
    const plainComplaint = await post(supervisor, '/api/v1/tickets', {
      type: 'complaint',
      channel: 'hotline',
      subject: '宽带断线',
      description: '宽带经常断线',
      customerId: await h.buildCustomer({ tier: 'regular' }),
    });
    expect((await get(plain, plainComplaint.json().id)).abilities).toContain('take');
  });

  it('refuses to escalate a VIP complaint to a named expert without the certification', async () => {
    const owner = await h.signIn('agent', frontline);
    const expert = await person('expert', experts);
    await put(expert, '/api/v1/me/presence', { presence: 'online' });
    const t = await vipComplaint(owner);
    const before = (await get(owner, t.id)).assignee?.id ?? null;
    const refused = await post(owner, `/api/v1/tickets/${t.id}/escalate`, {
      note: '客户要求主管处理，已道歉，需专家跟进',
      teamId: experts,
      assigneeId: expert.actor.id,
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('ticket.assignee_not_certified');
    expect((await get(owner, t.id)).assignee?.id ?? null).toBe(before);
  });

  it('passes over an uncertified account manager: the auto-assign job gives the VIP complaint to a certified queue member', async () => {
    const queue = await h.buildTeam({ code: `vipq-${engine}`, kind: 'vip', assignmentStrategy: 'round_robin' });
    const manager = await person('agent', queue);
    const specialist = await person('agent', queue, { certified: true });
    const customerId = await h.buildCustomer({ tier: 'vip' });
    await h.database.db
      .update(customers)
      .set({ accountManagerId: manager.actor.id })
      .where(eq(customers.id, customerId));
    const owner = await h.signIn('agent', frontline);
    const t = await vipComplaint(owner, customerId);
    await post(supervisor, `/api/v1/tickets/${t.id}/assignment`, { assigneeId: null, teamId: queue });
    await put(manager, '/api/v1/me/presence', { presence: 'online' });
    await autoAssign(h.deps);
    expect((await get(owner, t.id)).assignee).toBeNull();

    await put(specialist, '/api/v1/me/presence', { presence: 'online' });
    await autoAssign(h.deps);
    expect((await get(owner, t.id)).assignee?.id).toBe(specialist.actor.id);
  });

  it('tells a supervisor, for a VIP complaint, whom they may assign it to and which certification each of the others lacks', async () => {
    const owner = await h.signIn('agent', frontline);
    const plain = await person('agent', frontline);
    const specialist = await person('agent', frontline, { certified: true });
    // A certification that ran out counts as none.
    const lapsed = await person('agent', frontline);
    await put(supervisor, `/api/v1/agents/${lapsed.actor.id}/certifications`, {
      items: [{ code: 'complaint_specialist', expiresAt: new Date(clock.now().getTime() - 60_000).toISOString() }],
    });
    const t = await vipComplaint(owner);

    const res = await h.request(supervisor, { method: 'GET', url: `/api/v1/tickets/${t.id}/assignees` });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{
      required: string[];
      items: { id: string; displayName: string; missingCertifications: string[] }[];
    }>();
    expect(body.required).toEqual(['complaint_specialist']);
    const of = (id: string) => body.items.find((i) => i.id === id)?.missingCertifications;
    expect(of(specialist.actor.id)).toEqual([]);
    expect(of(plain.actor.id)).toEqual(['complaint_specialist']);
    expect(of(lapsed.actor.id)).toEqual(['complaint_specialist']);
    // What the list calls assignable the server takes; what it rules out the server refuses.
    const refused = await post(supervisor, `/api/v1/tickets/${t.id}/assignment`, {
      assigneeId: plain.actor.id,
      override: true,
    });
    expect(refused.json().error.code).toBe('ticket.assignee_not_certified');
    const taken = await post(supervisor, `/api/v1/tickets/${t.id}/assignment`, {
      assigneeId: specialist.actor.id,
      override: true,
    });
    expect(taken.statusCode, taken.body).toBe(200);

    // An ordinary inquiry needs nobody certified.
    const inquiry = await h.buildTicket(owner.actor, {});
    const open = await h.request(supervisor, { method: 'GET', url: `/api/v1/tickets/${inquiry}/assignees` });
    expect(open.json().required).toEqual([]);
    expect(
      open.json().items.every((i: { missingCertifications: string[] }) => i.missingCertifications.length === 0),
    ).toBe(true);

    // Only those who may assign others ask.
    const asked = await h.request(owner, { method: 'GET', url: `/api/v1/tickets/${t.id}/assignees` });
    expect(asked.statusCode).toBe(403);
  });

  it('names, for each ticket of a board list, the people a supervisor may not assign it to and what they lack', async () => {
    const owner = await h.signIn('agent', frontline);
    const plain = await person('agent', frontline);
    const specialist = await person('agent', frontline, { certified: true });
    const vip = await vipComplaint(owner);
    const inquiry = await h.buildTicket(owner.actor, {});
    const ids = [vip.id, inquiry, '01a22000-0000-7000-8000-000000000000'].join(',');

    const res = await h.request(supervisor, { method: 'GET', url: `/api/v1/tickets/assignees?ids=${ids}` });
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json<{
      items: {
        ticketId: string;
        required: string[];
        blocked: { staffId: string; missingCertifications: string[] }[];
      }[];
    }>().items;
    // The unknown ticket is left out; the inquiry rules nobody out.
    expect(items.map((i) => i.ticketId)).toEqual([vip.id, inquiry]);
    const [forVip, forInquiry] = items;
    expect(forVip!.required).toEqual(['complaint_specialist']);
    expect(forVip!.blocked).toContainEqual({
      staffId: plain.actor.id,
      missingCertifications: ['complaint_specialist'],
    });
    expect(forVip!.blocked.map((b) => b.staffId)).not.toContain(specialist.actor.id);
    expect(forInquiry).toEqual({ ticketId: inquiry, required: [], blocked: [] });
    // Someone who may not assign others learns nothing about anyone.
    const asked = await h.request(owner, { method: 'GET', url: `/api/v1/tickets/assignees?ids=${ids}` });
    expect(asked.json().items).toEqual([]);
    expect((await h.request(supervisor, { method: 'GET', url: '/api/v1/tickets/assignees?ids=nope' })).statusCode).toBe(
      400,
    );
  });
});
