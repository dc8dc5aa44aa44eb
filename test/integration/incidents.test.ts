import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_INCIDENT_SETTINGS } from '../../src/core/incidents/incidents.js';
import { categoryId } from '../../src/db/reference-data.js';
import { incidentCandidates, outbox, surveys, tickets } from '../../src/db/schema.js';
import { detectIncidentCandidates } from '../../src/usecases/incidents/candidates.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

const MIN = 60_000;

describe.each(ENGINES)('network incidents on %s', (engine) => {
  let h: Harness;
  const clock = testClock(new Date('2026-11-20T02:00:00Z'));
  let supervisor: Session;
  let netops: Session;
  let agent: Session;
  let team: string;
  let regionNo = 0;
  const region = () => `测试区${engine}${regionNo++}`;

  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    team = await h.buildTeam();
    supervisor = await h.signIn('supervisor');
    const netopsTeam = await h.buildTeam({ code: 'network-ops', name: '网络运维部', kind: 'department' });
    netops = await h.signIn('department', netopsTeam);
    agent = await h.signIn('agent', team);
  });
  afterAll(() => h?.close());

  const post = (s: Session, url: string, payload?: Record<string, unknown>) =>
    h.request(s, { method: 'POST', url, ...(payload ? { payload } : {}) });
  const get = (s: Session, url: string) => h.request(s, { method: 'GET', url });

  async function openIncident(s: Session, areas: string[], extra: Record<string, unknown> = {}) {
    const res = await post(s, '/api/v1/incidents', {
      title: '基站故障',
      category: 'network_performance',
      level: 'II',
      areas,
      publicMessage: '基站故障，正在抢修',
      agentScript: '您好，您所在区域基站故障，正在抢修。',
      expectedRepairAt: new Date(clock.now().getTime() + 4 * 60 * MIN).toISOString(),
      ...extra,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string; number: string; status: string }>();
  }
  const faultTicket = async (area: string, code = 'fault-network-no-signal', customerId?: string) => {
    const customer = customerId ?? (await h.buildCustomer({ region: area }));
    const id = await h.buildTicket(agent.actor, { categoryId: categoryId(code), customerId: customer });
    const [t] = await h.database.db.select().from(tickets).where(eq(tickets.id, id));
    return t!;
  };

  it('lets network operations and supervisors open incidents, and refuses agents', async () => {
    const area = region();
    await openIncident(netops, [area]);
    await openIncident(supervisor, [area]);
    const refused = await post(agent, '/api/v1/incidents', {
      title: 'x',
      category: 'service',
      level: 'II',
      areas: [area],
    });
    expect(refused.statusCode).toBe(403);
    const badLevel = await post(supervisor, '/api/v1/incidents', {
      title: 'x',
      category: 'service',
      level: 'IX',
      areas: [area],
    });
    expect(badLevel.json().error.code).toBe('incident.unknown_level');
    const session = await get(netops, '/api/v1/auth/session');
    expect(session.json().staff.abilities).toContain('manage_incidents');
  });

  it('links new tickets of its area and category automatically, raised to the level priority, only while active', async () => {
    const area = region();
    const incident = await openIncident(supervisor, [area]);
    const linked = await faultTicket(area);
    expect(linked).toMatchObject({ incidentId: incident.id, priority: 1, priorityFloor: 1 });
    const list = (await get(agent, '/api/v1/incidents?status=active')).json();
    expect(list.items.find((i: { id: string }) => i.id === incident.id)).toMatchObject({
      linkedTickets: 1,
      openTickets: 1,
    });
    const timeline = (await get(agent, `/api/v1/tickets/${linked.id}/timeline`)).json();
    expect(JSON.stringify(timeline)).toContain('incident_linked');

    expect((await faultTicket(region())).incidentId).toBeNull(); // another area
    expect((await faultTicket(area, 'fault-terminal')).incidentId).toBeNull(); // another category

    const moved = await post(supervisor, `/api/v1/incidents/${incident.id}/status`, {
      status: 'resolved',
      note: '基站已修复',
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect((await faultTicket(area)).incidentId).toBeNull(); // no longer active
  });

  it('links only tickets with one of the matching words when the incident names some (jieba words)', async () => {
    const area = region();
    const incident = await openIncident(supervisor, [area], { matchWords: '断网' });
    const customerId = await h.buildCustomer({ region: area });
    const plain = await h.buildTicket(agent.actor, {
      categoryId: categoryId('fault-network'),
      customerId,
      subject: '网速慢',
      description: '网速很慢',
    });
    const worded = await h.buildTicket(agent.actor, {
      categoryId: categoryId('fault-network'),
      customerId,
      subject: '小区断网',
      description: '整个小区断网了',
    });
    const rows = await h.database.db
      .select({ id: tickets.id, incidentId: tickets.incidentId })
      .from(tickets)
      .where(eq(tickets.customerId, customerId));
    expect(rows.find((r) => r.id === plain)!.incidentId).toBeNull();
    expect(rows.find((r) => r.id === worded)!.incidentId).toBe(incident.id);
  });

  it('shows the banner for a caller from the area and on a linked ticket', async () => {
    const area = region();
    const incident = await openIncident(supervisor, [area]);
    const customerId = await h.buildCustomer({ region: area });
    const banner = (await get(agent, `/api/v1/incident-banner?customerId=${customerId}`)).json();
    expect(banner).toEqual([
      expect.objectContaining({ id: incident.id, linked: false, agentScript: expect.stringContaining('抢修') }),
    ]);
    const t = await faultTicket(area, 'fault-network-no-signal', customerId);
    expect((await get(agent, `/api/v1/incident-banner?ticketId=${t.id}`)).json()[0]).toMatchObject({
      id: incident.id,
      linked: true,
    });
    expect(
      (await get(agent, `/api/v1/incident-banner?customerId=${await h.buildCustomer({ region: region() })}`)).json(),
    ).toEqual([]);
  });

  it('resolves a VIP complaint nobody holds only through someone the certification rule allows: otherwise the customer is told and it waits unassigned in its queue', async () => {
    const area = region();
    const incident = await openIncident(supervisor, [area]);
    const specialist = await h.signIn('agent', team);
    const certify = await h.request(supervisor, {
      method: 'PUT',
      url: `/api/v1/agents/${specialist.actor.id}/certifications`,
      payload: { items: [{ code: 'complaint_specialist', expiresAt: null }] },
    });
    expect(certify.statusCode, certify.body).toBe(204);
    const vipComplaint = async (owner: Session) => {
      const id = await h.buildTicket(owner.actor, {
        type: 'complaint',
        subject: '断网投诉',
        description: '断网一整天，要求赔偿',
        customerId: await h.buildCustomer({ region: area, tier: 'vip' }),
      });
      const linked = await post(supervisor, `/api/v1/incidents/${incident.id}/tickets`, { ticketId: id });
      expect(linked.statusCode, linked.body).toBe(204);
      return id;
    };
    // The owner (an agent) and the person resolving (a supervisor) both lack the certification.
    const uncertifiedOwner = await vipComplaint(agent);
    const certifiedOwner = await vipComplaint(specialist);
    const plain = await faultTicket(area);

    const res = await post(supervisor, `/api/v1/incidents/${incident.id}/status`, {
      status: 'resolved',
      note: '基站已修复，服务已恢复。',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().resolution).toEqual({ resolved: 2, skipped: 0, told: 3, awaitingSpecialist: 1 });
    const rows = await h.database.db.select().from(tickets).where(eq(tickets.incidentId, incident.id));
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(uncertifiedOwner)).toMatchObject({ status: 'new', assigneeId: null, hasPublicReply: true });
    expect(byId.get(certifiedOwner)).toMatchObject({ status: 'resolved', assigneeId: specialist.actor.id });
    expect(byId.get(plain.id)).toMatchObject({ status: 'resolved', assigneeId: agent.actor.id });
  });

  it('resolves every linked ticket with the note, tells each customer once, and refuses a second resolution (two nodes)', async () => {
    const area = region();
    const incident = await openIncident(supervisor, [area]);
    const twice = await h.buildCustomer({ region: area });
    const a = await faultTicket(area, 'fault-network-no-signal', twice);
    const b = await faultTicket(area, 'fault-network-slow', twice);
    const c = await faultTicket(area);
    const [first, second] = await Promise.all([
      post(supervisor, `/api/v1/incidents/${incident.id}/status`, {
        status: 'resolved',
        note: '基站已修复，服务已恢复。',
      }),
      post(netops, `/api/v1/incidents/${incident.id}/status`, { status: 'resolved', note: '已恢复' }),
    ]);
    const codes = [first.statusCode, second.statusCode].sort();
    expect(codes).toEqual([200, 409]);
    const ok = first.statusCode === 200 ? first : second;
    expect(ok.json().resolution).toEqual({ resolved: 3, skipped: 0, told: 2, awaitingSpecialist: 0 });
    const rows = await h.database.db.select().from(tickets).where(eq(tickets.incidentId, incident.id));
    expect(rows.map((r) => r.status)).toEqual(['resolved', 'resolved', 'resolved']);
    const messages = await h.database.db
      .select()
      .from(outbox)
      .where(sql`${outbox.payload}->>'incidentId' = ${incident.id}`);
    expect(messages).toHaveLength(2);
    expect(new Set(messages.map((m) => m.recipient)).size).toBe(2);
    // Surveys about them are marked as about the incident.
    const marked = await h.database.db.select().from(surveys).where(eq(surveys.incidentId, incident.id));
    expect(marked.map((s) => s.ticketId).sort()).toEqual([a.id, b.id, c.id].sort());
  });

  it('undoes the resolution for one ticket that was a different problem: unlinked and reopened', async () => {
    const area = region();
    const incident = await openIncident(supervisor, [area]);
    const t = await faultTicket(area);
    await post(supervisor, `/api/v1/incidents/${incident.id}/status`, { status: 'resolved', note: '已修复' });
    const res = await h.request(agent, { method: 'DELETE', url: `/api/v1/incidents/${incident.id}/tickets/${t.id}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ reopened: true });
    const [after] = await h.database.db.select().from(tickets).where(eq(tickets.id, t.id));
    expect(after).toMatchObject({ incidentId: null, status: 'assigned' });
    const again = await h.request(agent, { method: 'DELETE', url: `/api/v1/incidents/${incident.id}/tickets/${t.id}` });
    expect(again.json().error.code).toBe('incident.not_linked');
  });

  it('links and unlinks by hand while active', async () => {
    const area = region();
    const incident = await openIncident(supervisor, [area]);
    const other = await faultTicket(region());
    expect((await post(agent, `/api/v1/incidents/${incident.id}/tickets`, { ticketId: other.id })).statusCode).toBe(
      204,
    );
    const detail = (await get(agent, `/api/v1/incidents/${incident.id}`)).json();
    expect(detail.tickets.map((t: { id: string }) => t.id)).toContain(other.id);
    expect(detail.abilities).toContain('link');
    expect(detail.abilities).not.toContain('move');
    const res = await h.request(agent, {
      method: 'DELETE',
      url: `/api/v1/incidents/${incident.id}/tickets/${other.id}`,
    });
    expect(res.json()).toEqual({ reopened: false });
  });

  it('moves only along legal stages', async () => {
    const incident = await openIncident(supervisor, [region()]);
    expect(
      (await post(supervisor, `/api/v1/incidents/${incident.id}/status`, { status: 'repairing' })).statusCode,
    ).toBe(200);
    const bad = await post(supervisor, `/api/v1/incidents/${incident.id}/status`, { status: 'identified' });
    expect(bad.statusCode).toBe(409);
    expect(bad.json().error.code).toBe('incident.invalid_transition');
    const noNote = await post(supervisor, `/api/v1/incidents/${incident.id}/status`, { status: 'resolved' });
    expect(noNote.statusCode).toBe(400);
  });

  it('writes the review on a resolved incident only, marks it reviewed, and exports it as Markdown', async () => {
    const area = region();
    const incident = await openIncident(supervisor, [area]);
    await faultTicket(area);
    const early = await post(netops, `/api/v1/incidents/${incident.id}/review`, { lessons: '太早' });
    expect(early.json().error.code).toBe('incident.invalid_transition');
    clock.advance(90 * MIN);
    await post(supervisor, `/api/v1/incidents/${incident.id}/status`, { status: 'resolved', note: '光缆已熔接' });
    expect((await get(netops, `/api/v1/incidents/${incident.id}`)).json().abilities).toContain('review');
    expect((await post(agent, `/api/v1/incidents/${incident.id}/review`, { lessons: 'x' })).statusCode).toBe(403);
    const reviewed = await post(netops, `/api/v1/incidents/${incident.id}/review`, {
      lessons: '根因：施工挖断光缆。\n改进：与市政建立施工报备。',
    });
    expect(reviewed.statusCode, reviewed.body).toBe(200);
    expect(reviewed.json()).toMatchObject({ status: 'reviewed', lessons: expect.stringContaining('施工') });
    expect(reviewed.json().abilities).not.toContain('review');
    const again = await post(netops, `/api/v1/incidents/${incident.id}/review`, { lessons: '再写' });
    expect(again.statusCode).toBe(409);

    expect((await get(agent, `/api/v1/incidents/${incident.id}/review.md`)).statusCode).toBe(403);
    const md = await get(supervisor, `/api/v1/incidents/${incident.id}/review.md`);
    expect(md.statusCode).toBe(200);
    expect(md.headers['content-type']).toContain('text/markdown');
    expect(md.body).toContain(`# 故障复盘 Post-incident review — ${incident.number}`);
    expect(md.body).toContain('| 恢复用时 Time to restore | 1.5 h (时限 limit 48 h) |');
    expect(md.body).toContain('| 关联工单 Tickets linked | 1 (未结 open: 0) |');
    expect(md.body).toContain('改进：与市政建立施工报备。');
    expect(md.body).toMatch(/完成复盘 reviewed/);
  });

  it('proposes one candidate for a burst of fault tickets in one area, which a supervisor confirms', async () => {
    const area = region();
    const deps = {
      ...h.deps,
      incidents: { ...DEFAULT_INCIDENT_SETTINGS, detection: { threshold: 3, windowMinutes: 30 } },
    };
    await faultTicket(area);
    await faultTicket(area);
    expect((await detectIncidentCandidates(deps)).proposed).toBe(0);
    clock.advance(MIN);
    await faultTicket(area);
    const [one, two] = await Promise.all([detectIncidentCandidates(deps), detectIncidentCandidates(deps)]);
    expect(one.proposed + two.proposed).toBe(1);
    const open = await h.database.db
      .select()
      .from(incidentCandidates)
      .where(and(eq(incidentCandidates.region, area), eq(incidentCandidates.status, 'open')));
    expect(open).toHaveLength(1);
    const listed = (await get(supervisor, '/api/v1/incident-candidates')).json();
    expect(listed.find((c: { region: string }) => c.region === area)).toMatchObject({
      ticketCount: 3,
      proposedCategory: 'network_performance',
    });
    expect((await get(agent, '/api/v1/incident-candidates')).statusCode).toBe(403);

    const confirmed = await post(supervisor, `/api/v1/incident-candidates/${open[0]!.id}/confirm`, { level: 'II' });
    expect(confirmed.statusCode, confirmed.body).toBe(201);
    expect(confirmed.json()).toMatchObject({ areas: [area], linkedTickets: 3, status: 'investigating' });
    const decided = await post(supervisor, `/api/v1/incident-candidates/${open[0]!.id}/dismiss`);
    expect(decided.json().error.code).toBe('incident.candidate_decided');
    // Covered now: no new candidate for the same burst.
    expect((await detectIncidentCandidates(deps)).proposed).toBe(0);
  });
});
