import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactMetric, reportMetric } from '../../src/core/regulator/referrals.js';
import { slaTargets, surveys, teams, tickets } from '../../src/db/schema.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.each(ENGINES)('regulator referrals on %s', (engine) => {
  let h: Harness;
  // 2026-11-20 10:00 in Shanghai.
  const clock = testClock(new Date('2026-11-20T02:00:00Z'));
  let agent: Session;
  let supervisor: Session;
  let seq = 0;
  let phone = 13_700_000_000 + Math.floor(Math.random() * 90_000_000);

  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    const team = await h.buildTeam();
    agent = await h.signIn('agent', team);
    supervisor = await h.signIn('supervisor', team);
  });
  afterAll(() => h?.close());

  const post = (s: Session, url: string, payload: unknown) =>
    h.request(s, { method: 'POST', url, payload: payload as Record<string, unknown> });
  const get = (s: Session, url: string) => h.request(s, { method: 'GET', url });
  const referral = (fields: Record<string, unknown> = {}) => ({
    sourceCode: 'miit',
    referralNumber: `GXB2026-${Date.now()}-${seq++}`,
    receivedOn: '2026-11-20',
    deadline: '2026-11-27',
    appellant: { name: '李四', msisdn: String(phone++) },
    respondentUnit: '广州分公司',
    category: 'fee_dispute',
    claim: '要求退还多扣的流量费 58 元，已向工信部投诉。',
    facts: '用户称 10 月账单多扣流量费，营业厅未处理。',
    ...fields,
  });
  const targetsOf = (ticketId: string) =>
    h.database.db.select().from(slaTargets).where(eq(slaTargets.ticketId, ticketId));

  it('keeps the regulator policy’s clocks on a regulator-channel ticket whose text names 工信部', async () => {
    const res = await post(agent, '/api/v1/tickets', {
      customerId: await h.buildCustomer(),
      type: 'complaint',
      grade: 'general',
      channel: 'regulator',
      subject: '工信部转办：用户投诉乱扣费',
      description: '用户已向工信部申诉，要求三日内答复。',
    });
    expect(res.statusCode).toBe(201);
    const ticket = res.json();
    expect(ticket.grade).toBe('urgent'); // the high-risk rule raised it
    const targets = await targetsOf(ticket.id);
    expect(new Set(targets.map((t) => t.policyId))).toEqual(new Set(['regulator']));
    expect(targets.find((t) => t.metric === 'resolution')?.limitMs).toBe(48 * HOUR);
  });

  it('files a referral as an urgent complaint on the regulator channel in the regulator queue, with its two clocks', async () => {
    const res = await post(agent, '/api/v1/regulator/referrals', referral());
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ status: 'open', category: 'fee_dispute', source: { code: 'miit' } });
    expect(body.contactNumber).toMatch(/^\d{3}\*{4}\d{4}$/);
    const [ticket] = await h.database.db.select().from(tickets).where(eq(tickets.id, body.ticket.id));
    const [queue] = await h.database.db.select().from(teams).where(eq(teams.id, ticket!.teamId!));
    expect(ticket).toMatchObject({
      channel: 'regulator',
      type: 'complaint',
      grade: 'urgent',
      firstContactOwnerId: agent.actor.id,
    });
    expect(queue).toMatchObject({ code: 'regulator-desk', name: '申诉处理组', kind: 'supervisor' });
    const targets = await targetsOf(body.ticket.id);
    const contact = targets.find((t) => t.metric === contactMetric(body.id))!;
    const report = targets.find((t) => t.metric === reportMetric(body.id))!;
    expect(contact.dueAt!.getTime()).toBe(clock.now().getTime() + 24 * HOUR);
    // The end of the deadline day in Shanghai.
    expect(report.dueAt!.toISOString()).toBe('2026-11-27T16:00:00.000Z');
    expect(body.clocks.report.dueAt).toBe('2026-11-27T16:00:00.000Z');
    // The ticket's own clocks are the regulator policy's, whatever the text (工信部) made of it.
    expect(targets.filter((t) => !t.metric.includes(':')).every((t) => t.policyId === 'regulator')).toBe(true);
  });

  it('refuses a second referral with the same source and number, and takes the number from another source', async () => {
    const first = referral();
    expect((await post(agent, '/api/v1/regulator/referrals', first)).statusCode).toBe(201);
    const again = await post(agent, '/api/v1/regulator/referrals', {
      ...first,
      appellant: { name: '王五', msisdn: String(phone++) },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('regulator.duplicate_referral');
    const other = await post(agent, '/api/v1/regulator/referrals', { ...first, sourceCode: 'ca-12300' });
    expect(other.statusCode).toBe(201);
  });

  it('answers bad input with machine-readable codes', async () => {
    const unknown = await post(agent, '/api/v1/regulator/referrals', referral({ sourceCode: 'nobody' }));
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([422, 'regulator.unknown_source']);
    const early = await post(agent, '/api/v1/regulator/referrals', referral({ deadline: '2026-11-19' }));
    expect([early.statusCode, early.json().error.code]).toEqual([400, 'regulator.deadline_before_received']);
    const badDay = await post(agent, '/api/v1/regulator/referrals', referral({ deadline: '2026-02-30' }));
    expect([badDay.statusCode, badDay.json().error.code]).toEqual([400, 'request.invalid']);
    const badCategory = await post(agent, '/api/v1/regulator/referrals', referral({ category: '其他' }));
    expect(badCategory.statusCode).toBe(400);
  });

  it('links the customer’s own recent complaints and hints when the customer appealed within 15 days', async () => {
    const msisdn = String(phone++);
    const customerId = await h.buildCustomer({ numbers: [msisdn] });
    const appealDay = clock.now();
    clock.set(new Date(appealDay.getTime() - 3 * DAY)); // complained on 2026-11-17
    const complaint = await h.buildTicket(agent.actor, {
      customerId,
      type: 'complaint',
      subject: '流量费多扣',
      description: '十月账单多扣 58 元。',
    });
    const inquiry = await h.buildTicket(agent.actor, {
      customerId,
      type: 'inquiry',
      subject: '资费咨询',
      description: '问套餐',
    });
    clock.set(appealDay);
    const res = await post(agent, '/api/v1/regulator/referrals', referral({ appellant: { name: '张三', msisdn } }));
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.linkedTickets.map((t: { id: string }) => t.id)).toEqual([complaint]);
    expect(body.linkedTickets.map((t: { id: string }) => t.id)).not.toContain(inquiry);
    expect(body.hints).toEqual(['complained_recently']);
    const links = await get(agent, `/api/v1/tickets/${complaint}/links`);
    expect(links.json().items.map((l: { ticketId: string }) => l.ticketId)).toContain(body.ticket.id);
  });

  it('hints that a customer who never complained to us first and a fee dispute older than 5 months', async () => {
    const res = await post(
      agent,
      '/api/v1/regulator/referrals',
      referral({ appealedOn: '2026-11-19', matterOn: '2026-06-18' }),
    );
    expect(res.json().hints).toEqual(['no_prior_complaint', 'fee_dispute_too_old']);
  });

  async function certifiedSpecialist(): Promise<Session> {
    const specialist = await h.signIn('agent');
    const certify = await h.request(supervisor, {
      method: 'PUT',
      url: `/api/v1/agents/${specialist.actor.id}/certifications`,
      payload: { items: [{ code: 'complaint_specialist', expiresAt: null }] },
    });
    expect(certify.statusCode).toBe(204);
    return specialist;
  }

  it('is handled only by certified complaint specialists', async () => {
    const { ticket } = (await post(agent, '/api/v1/regulator/referrals', referral())).json();
    const plain = await h.signIn('agent');
    const refused = await post(supervisor, `/api/v1/tickets/${ticket.id}/assignment`, {
      assigneeId: plain.actor.id,
      override: true,
    });
    expect([refused.statusCode, refused.json().error.code]).toEqual([409, 'ticket.assignee_not_certified']);
    const specialist = await certifiedSpecialist();
    const ok = await post(supervisor, `/api/v1/tickets/${ticket.id}/assignment`, {
      assigneeId: specialist.actor.id,
      override: true,
    });
    expect(ok.statusCode).toBe(200);
  });

  it('records the first contact and the reply to the regulator once each, stopping their clocks', async () => {
    const created = (await post(agent, '/api/v1/regulator/referrals', referral())).json();
    expect(created.abilities).toEqual(expect.arrayContaining(['record_contact', 'record_reply']));
    clock.advance(2 * HOUR);
    const contact = await post(agent, `/api/v1/regulator/referrals/${created.id}/first-contact`, {
      note: '已电话联系用户，解释计费规则。',
    });
    expect(contact.statusCode).toBe(200);
    expect(contact.json().clocks.firstContact.metAt).toBe(clock.now().toISOString());
    expect(contact.json().abilities).not.toContain('record_contact');
    const twice = await post(agent, `/api/v1/regulator/referrals/${created.id}/first-contact`, { note: '再次联系' });
    expect(twice.json().error.code).toBe('regulator.first_contact_recorded');

    const reply = await post(agent, `/api/v1/regulator/referrals/${created.id}/reply`, {
      text: '已核实并退还 58 元，用户表示认可。',
      repliedOn: '2026-11-21',
    });
    expect(reply.statusCode).toBe(200);
    expect(reply.json()).toMatchObject({
      status: 'replied',
      reply: { repliedOn: '2026-11-21', recordedBy: { id: agent.actor.id } },
    });
    expect(reply.json().clocks.report.metAt).toBe(clock.now().toISOString());
    const again = await post(agent, `/api/v1/regulator/referrals/${created.id}/reply`, {
      text: 'x',
      repliedOn: '2026-11-21',
    });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'regulator.already_replied']);
    const timeline = await get(agent, `/api/v1/tickets/${created.ticket.id}/timeline`);
    const steps = timeline
      .json()
      .items.filter((e: { kind: string }) => e.kind === 'regulator_case')
      .map((e: { data: { step: string } }) => e.data.step);
    expect(steps).toEqual(['received', 'first_contact', 'reply_recorded']);
  });

  it('sends no satisfaction survey when a referral case is resolved', async () => {
    const created = (await post(agent, '/api/v1/regulator/referrals', referral())).json();
    const id = created.ticket.id;
    const specialist = await certifiedSpecialist();
    await post(supervisor, `/api/v1/tickets/${id}/assignment`, { assigneeId: specialist.actor.id, override: true });
    expect((await post(specialist, `/api/v1/tickets/${id}/transitions`, { action: 'start' })).statusCode).toBe(200);
    await post(specialist, `/api/v1/tickets/${id}/messages`, { visibility: 'public', body: '您好，已为您处理。' });
    const resolved = await post(specialist, `/api/v1/tickets/${id}/transitions`, { action: 'resolve' });
    expect(resolved.statusCode).toBe(200);
    const [survey] = await h.database.db.select().from(surveys).where(eq(surveys.ticketId, id));
    expect(survey).toMatchObject({ status: 'skipped', skipReason: 'regulator' });
  });

  it('lists referral cases newest first with masked names, and counts appeals per month and category', async () => {
    const page = await get(agent, '/api/v1/regulator/referrals?limit=2');
    expect(page.statusCode).toBe(200);
    expect(page.json().items).toHaveLength(2);
    expect(page.json().nextCursor).not.toBeNull();
    const next = await get(agent, `/api/v1/regulator/referrals?limit=2&cursor=${page.json().nextCursor}`);
    expect(next.json().items[0].id).not.toBe(page.json().items[1].id);
    const figures = await get(agent, '/api/v1/regulator/appeals-by-month?from=2026-11&to=2026-11');
    const fee = figures.json().items.find((i: { category: string }) => i.category === 'fee_dispute');
    const rows = await h.database.db
      .select()
      .from(tickets)
      .where(and(eq(tickets.channel, 'regulator'), like(tickets.subject, '【%')));
    expect(fee).toMatchObject({ month: '2026-11', appeals: rows.length });
    const department = await h.signIn('department');
    expect((await get(department, '/api/v1/regulator/referrals')).statusCode).toBe(403);
  });
});
