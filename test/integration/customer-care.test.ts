import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { surveys } from '../../src/db/schema.js';
import { sweepSla } from '../../src/usecases/sla/sweep.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

const MIN = 60_000;
const DAY = 86_400_000;

describe.each(ENGINES)('customer care and churn risk on %s', (engine) => {
  // Monday 23 November 2026, 10:00 in Beijing: inside business hours, so diagnosis clocks run.
  const clock = testClock(new Date('2026-11-23T10:00:00+08:00'));
  let h: Harness;
  let team: string;
  let agent: Session;

  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    team = await h.buildTeam();
    agent = await h.signIn('agent', team);
  });
  afterAll(() => h?.close());

  const care = (s: Session, customerId: string) =>
    h.request(s, { method: 'GET', url: `/api/v1/customers/${customerId}/care` });
  const post = (s: Session, url: string, payload: Record<string, unknown>) =>
    h.request(s, { method: 'POST', url, payload });
  const sweepUntilIdle = async () => {
    while ((await sweepSla(h.deps, 50)).claimed > 0);
  };
  const complaint = (customerId: string) =>
    h.buildTicket(agent.actor, {
      customerId,
      type: 'complaint',
      subject: '多次投诉宽带断网',
      description: '宽带每天断网，已经投诉过仍未解决。',
    });

  it('scores a customer with no tickets 0 (low) with no reasons', async () => {
    clock.set(new Date('2026-11-23T10:00:00+08:00'));
    const customerId = await h.buildCustomer({ tier: 'vip' });
    const res = await care(agent, customerId);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      customerId,
      windowDays: 90,
      counts: { complaints: 0, repeatComplaints: 0, openComplaints: 0, slaBreaches: 0, reopenedTickets: 0 },
      satisfaction: { answered: 0, averageCsat: null, recent: [] },
      churnRisk: { score: 0, level: 'low', reasons: [] },
    });
  });

  it('counts two repeat complaints and a breached ticket as high risk, with exactly those reasons', async () => {
    clock.set(new Date('2026-11-23T10:00:00+08:00'));
    const customerId = await h.buildCustomer();
    const other = await h.buildCustomer();
    await complaint(customerId);
    await complaint(customerId);
    await complaint(customerId);
    await complaint(other); // another customer's complaint is not counted
    await h.buildTicket(agent.actor, { customerId, type: 'fault' }); // diagnosis: 1 business hour
    clock.advance(61 * MIN);
    await sweepUntilIdle();
    const body = (await care(agent, customerId)).json();
    expect(body.counts).toMatchObject({ complaints: 3, repeatComplaints: 2, openComplaints: 3 });
    expect(body.counts.slaBreaches).toBeGreaterThanOrEqual(1);
    const codes = body.churnRisk.reasons.map((r: { code: string }) => r.code);
    expect(codes).toEqual(['repeat_complaints', 'sla_breaches', 'open_complaints', 'new_customer']);
    expect(body.churnRisk.reasons[0]).toEqual({ code: 'repeat_complaints', count: 2, points: 30 });
    expect(body.churnRisk).toMatchObject({ level: 'high' });
    expect(body.churnRisk.score).toBeGreaterThanOrEqual(60);
  });

  it('forgets complaints and breaches older than 90 days but keeps complaints still open', async () => {
    clock.set(new Date('2026-01-05T10:00:00+08:00'));
    const customerId = await h.buildCustomer();
    clock.set(new Date('2026-06-01T10:00:00+08:00'));
    await complaint(customerId);
    await complaint(customerId);
    clock.set(new Date('2026-11-23T10:00:00+08:00'));
    const body = (await care(agent, customerId)).json();
    expect(body.counts).toMatchObject({ complaints: 0, repeatComplaints: 0, openComplaints: 2, slaBreaches: 0 });
    expect(body.churnRisk.reasons).toEqual([{ code: 'open_complaints', count: 2, points: 20 }]);
    expect(body.churnRisk.level).toBe('low');
  });

  it('counts a reopened ticket, and stops counting a complaint as open once it is resolved', async () => {
    clock.set(new Date('2026-11-23T10:00:00+08:00'));
    const customerId = await h.buildCustomer();
    const id = await h.buildTicket(agent.actor, { customerId, type: 'complaint', assignToMe: true });
    expect((await post(agent, `/api/v1/tickets/${id}/transitions`, { action: 'start' })).statusCode).toBe(200);
    await post(agent, `/api/v1/tickets/${id}/messages`, { visibility: 'public', body: '已为您退还多收的费用。' });
    expect((await post(agent, `/api/v1/tickets/${id}/transitions`, { action: 'resolve' })).statusCode).toBe(200);
    expect((await care(agent, customerId)).json().counts.openComplaints).toBe(0);
    const reopened = await post(agent, `/api/v1/tickets/${id}/confirmation`, { solved: false, note: '还是多扣费' });
    expect(reopened.json().reopenCount).toBe(1);
    const body = (await care(agent, customerId)).json();
    expect(body.counts).toMatchObject({ reopenedTickets: 1, openComplaints: 1 });
    expect(body.churnRisk.reasons.map((r: { code: string }) => r.code)).toEqual([
      'open_complaints',
      'reopened_tickets',
      'new_customer',
    ]);
  });

  it('counts CSAT ratings of 1–2 answered in the window as low ratings, and lists the satisfaction history newest first', async () => {
    clock.set(new Date('2025-01-01T10:00:00+08:00'));
    const customerId = await h.buildCustomer();
    const answered = async (csat: number, nps: number | null, at: string) => {
      clock.set(new Date(at));
      const ticketId = await h.buildTicket(agent.actor, { customerId, type: 'inquiry' });
      await h.database.db.insert(surveys).values({
        id: uuidv7(),
        ticketId,
        customerId,
        status: 'answered',
        sendAfter: new Date(at),
        answeredAt: new Date(at),
        csat,
        nps,
        comment: '客户的原话不应出现在关怀接口里',
      });
    };
    await answered(5, 10, '2026-06-01T10:00:00+08:00'); // outside the 90 days
    await answered(2, 3, '2026-10-01T10:00:00+08:00');
    await answered(4, null, '2026-11-01T10:00:00+08:00');
    await answered(1, 0, '2026-11-20T10:00:00+08:00');
    clock.set(new Date('2026-11-23T10:00:00+08:00'));
    const res = await care(agent, customerId);
    const body = res.json();
    expect(body.satisfaction).toEqual({
      answered: 3,
      averageCsat: 2.3,
      recent: [
        { csat: 1, nps: 0, answeredAt: new Date('2026-11-20T10:00:00+08:00').toISOString() },
        { csat: 4, nps: null, answeredAt: new Date('2026-11-01T10:00:00+08:00').toISOString() },
        { csat: 2, nps: 3, answeredAt: new Date('2026-10-01T10:00:00+08:00').toISOString() },
      ],
    });
    expect(body.churnRisk.reasons).toEqual([{ code: 'low_ratings', count: 2, points: 30 }]);
    expect(body.churnRisk.level).toBe('medium');
    expect(res.body).not.toContain('客户的原话');
  });

  it('follows LOOPDESK_CHURN_WEIGHTS', async () => {
    const h2 = await startHarness(engine, {
      clock,
      env: {
        LOOPDESK_CHURN_WEIGHTS: '{"factors":{"open_complaints":{"points":40,"max":40}},"newCustomer":{"points":0}}',
      },
    });
    try {
      const s = await h2.signIn('agent');
      const customerId = await h2.buildCustomer();
      await h2.buildTicket(s.actor, { customerId, type: 'complaint' });
      const body = (await h2.request(s, { method: 'GET', url: `/api/v1/customers/${customerId}/care` })).json();
      expect(body.churnRisk).toEqual({
        score: 40,
        level: 'medium',
        reasons: [{ code: 'open_complaints', count: 1, points: 40 }],
      });
    } finally {
      await h2.close();
    }
  });

  it('is refused to roles that may not read customers, and answers 404 for an unknown customer', async () => {
    const customerId = await h.buildCustomer();
    const department = await h.signIn('department');
    const refused = await care(department, customerId);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('auth.forbidden');
    const missing = await care(agent, '0190a5d0-0000-7000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('resource.not_found');
    const bad = await care(agent, 'not-a-uuid');
    expect(bad.statusCode).toBe(400);
    const anonymous = await h.request(null, { method: 'GET', url: `/api/v1/customers/${customerId}/care` });
    expect(anonymous.statusCode).toBe(401);
  });

  it('counts a customer’s tickets created long ago as tenure, not as new', async () => {
    clock.set(new Date('2025-01-01T10:00:00+08:00'));
    const customerId = await h.buildCustomer({ tier: 'gold' });
    clock.set(new Date(new Date('2026-11-23T10:00:00+08:00').getTime() - DAY));
    await complaint(customerId);
    clock.set(new Date('2026-11-23T10:00:00+08:00'));
    const reasons = (await care(agent, customerId)).json().churnRisk.reasons;
    expect(reasons).toEqual([
      { code: 'open_complaints', count: 1, points: 10 },
      { code: 'tier', tier: 'gold', points: 5 },
    ]);
  });
});
