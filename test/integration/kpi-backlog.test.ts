import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

const DAY = 86_400_000;

// The dashboard's backlog counts the open tickets now, by age, narrowed by the dashboard's filters:
// the customer's region is the one filter that needs the customer (the others read the open
// backlog's own indexes).
describe.each(ENGINES)('the KPI dashboard’s open backlog on %s', (engine) => {
  let h: Harness;
  const clock = testClock(new Date('2026-11-20T02:00:00Z'));
  let teamA: string;
  let teamB: string;
  let supervisor: Session;

  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    teamA = await h.buildTeam();
    teamB = await h.buildTeam();
    const guangzhou = await h.buildCustomer({ region: '广州' });
    const shenzhen = await h.buildCustomer({ region: '深圳' });
    // Two days ago: one of team A's (广州). Today: team A 广州 and 深圳, team B 深圳, and one resolved.
    await h.buildTicket((await h.signIn('agent', teamA)).actor, { assignToMe: true, customerId: guangzhou });
    clock.advance(2 * DAY);
    // Sessions last 12 hours: today's agents sign in now.
    const agentA = await h.signIn('agent', teamA);
    const agentB = await h.signIn('agent', teamB);
    await h.buildTicket(agentA.actor, { assignToMe: true, customerId: guangzhou });
    await h.buildTicket(agentA.actor, { assignToMe: true, customerId: shenzhen });
    await h.buildTicket(agentB.actor, { assignToMe: true, customerId: shenzhen });
    const done = await h.buildTicket(agentB.actor, { assignToMe: true, customerId: guangzhou });
    const act = (url: string, payload: Record<string, unknown>) =>
      h.request(agentB, { method: 'POST', url: `/api/v1/tickets/${done}/${url}`, payload });
    expect((await act('transitions', { action: 'start' })).statusCode).toBe(200);
    await act('messages', { visibility: 'public', body: '已为您处理，请重启光猫。' });
    expect((await act('transitions', { action: 'resolve' })).statusCode).toBe(200);
    supervisor = await h.signIn('admin');
  });
  afterAll(() => h?.close());

  async function backlog(filters: Record<string, string> = {}) {
    const params = new URLSearchParams({ from: '2026-11-01', to: '2026-11-30', ...filters });
    const res = await h.request(supervisor, { method: 'GET', url: `/api/v1/kpi/dashboard?${params.toString()}` });
    expect(res.statusCode).toBe(200);
    const b = res.json().backlog as { open: number; ageing: { bucket: string; count: number }[] };
    return { open: b.open, ...Object.fromEntries(b.ageing.map((a) => [a.bucket, a.count])) };
  }

  it('counts every open ticket by age, and only the region’s, team’s or both’s when narrowed', async () => {
    expect(await backlog()).toEqual({ open: 4, lt1d: 3, '1to3d': 1, '3to7d': 0, gt7d: 0 });
    expect(await backlog({ region: '广州' })).toEqual({ open: 2, lt1d: 1, '1to3d': 1, '3to7d': 0, gt7d: 0 });
    expect((await backlog({ region: '深圳' })).open).toBe(2);
    expect((await backlog({ teamId: teamA })).open).toBe(3);
    expect((await backlog({ teamId: teamA, region: '深圳' })).open).toBe(1);
    expect((await backlog({ teamId: teamB, region: '广州' })).open).toBe(0);
  });
});
