import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

// SLA policies edited one at a time from the admin console, with every reference checked.

describe.each(ENGINES)('editing one SLA policy on %s', (engine) => {
  let h: Harness;
  let admin: Session;
  let agent: Session;
  const clock = testClock(new Date('2026-11-24T02:00:00Z')); // Tuesday 10:00 in Shanghai

  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    await h.buildTeam({ code: 'complaint-desk', kind: 'supervisor', name: '投诉督办' });
    admin = await h.signIn('admin', null);
    agent = await h.signIn('agent');
  });
  afterAll(() => h?.close());

  const call = (s: Session, method: 'GET' | 'PUT', url: string, payload?: unknown) =>
    h.request(s, { method, url, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  type Policy = { id: string; targets: { metric: string; limitMinutes: number; calendarId: string }[] } & Record<
    string,
    unknown
  >;
  const policy = async (id: string) =>
    ((await call(admin, 'GET', '/api/v1/sla/policies')).json().items as Policy[]).find((p) => p.id === id)!;

  it('changes one policy in place, and new tickets get its limits', async () => {
    const inquiry = await policy('inquiry');
    const changed = {
      ...inquiry,
      targets: [
        { metric: 'handling_plan', limitMinutes: 90, calendarId: 'cn-business' },
        { metric: 'resolution', limitMinutes: 240, calendarId: 'cn-business' },
      ],
      warnAt: [0.5, 0.8],
      escalation: [{ afterMinutes: 10, actions: ['notify_supervisor', 'reassign_queue'], queue: 'complaint-desk' }],
    };
    const res = await call(admin, 'PUT', '/api/v1/sla/policies/inquiry', changed);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items.map((p: Policy) => p.id)).toContain('inquiry');
    expect(await policy('inquiry')).toMatchObject({ warnAt: [0.5, 0.8], targets: changed.targets });

    const ticketId = await h.buildTicket(agent.actor, { type: 'inquiry' });
    const sla = (await call(agent, 'GET', `/api/v1/tickets/${ticketId}/sla`)).json();
    expect(sla.items.find((i: { metric: string }) => i.metric === 'handling_plan')).toMatchObject({
      limitMinutes: 90,
      dueAt: '2026-11-24T03:30:00.000Z',
    });
  });

  it('refuses with 400 sla.unknown_reference a policy naming an unknown calendar, queue, grade or category, listing each', async () => {
    const inquiry = await policy('inquiry');
    const res = await call(admin, 'PUT', '/api/v1/sla/policies/inquiry', {
      ...inquiry,
      conditions: { grades: ['huge'], categoryCodes: ['no-such-category'] },
      targets: [{ metric: 'resolution', limitMinutes: 60, calendarId: 'mars' }],
      escalation: [{ afterMinutes: 0, actions: ['reassign_queue'], queue: 'nowhere' }],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'sla.unknown_reference',
      details: { calendars: ['mars'], queues: ['nowhere'], grades: ['huge'], categories: ['no-such-category'] },
    });
  });

  it('refuses impossible limits and warnings, a queue-less reassignment, a mismatched id, and agents', async () => {
    const inquiry = await policy('inquiry');
    const bad = await call(admin, 'PUT', '/api/v1/sla/policies/inquiry', {
      ...inquiry,
      targets: [{ metric: 'resolution', limitMinutes: -5, calendarId: 'always' }],
      warnAt: [1.5],
      escalation: [{ afterMinutes: 0, actions: ['reassign_queue'] }],
    });
    expect(bad.statusCode).toBe(400);
    const paths = (bad.json().error.details.issues as { path: string[] }[]).map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['targets.0.limitMinutes', 'warnAt.0', 'escalation.0']));
    expect((await call(admin, 'PUT', '/api/v1/sla/policies/other', inquiry)).statusCode).toBe(400);
    expect((await call(agent, 'PUT', '/api/v1/sla/policies/inquiry', inquiry)).statusCode).toBe(403);
  });
});
