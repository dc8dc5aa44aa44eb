import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemMetric } from '../../src/core/surveys/problems.js';
import { callbackTeamId } from '../../src/db/reference-data.js';
import { outbox, slaTargets, surveyProblems } from '../../src/db/schema.js';
import { sweepSla } from '../../src/usecases/sla/sweep.js';
import { dispatchSurveys } from '../../src/usecases/surveys/surveys.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

const HOUR = 3_600_000;

// Problems raised in a survey become tracked items: first handled within 24 hours and resolved
// within 48, on two SLA clocks that warn and escalate; visible in a list with their state until closed.

describe.each(ENGINES)('survey problems as tracked items on %s', (engine) => {
  let h: Harness;
  const clock = testClock(new Date('2026-11-20T02:00:00Z'));
  let team: string;
  let agent: Session;
  let caller: Session;

  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    team = await h.buildTeam();
    agent = await h.signIn('agent', team);
    caller = await h.signIn('agent', callbackTeamId);
  });
  afterAll(() => h?.close());

  /** A resolved web ticket whose link survey went out, answered with these scores. */
  async function answered(answer: Record<string, unknown>): Promise<string> {
    const ticketId = await h.buildTicket(agent.actor, { channel: 'web', assignToMe: true });
    for (const [url, payload] of [
      [`/api/v1/tickets/${ticketId}/transitions`, { action: 'start' }],
      [`/api/v1/tickets/${ticketId}/messages`, { visibility: 'public', body: '已为您更换光猫。' }],
      [`/api/v1/tickets/${ticketId}/transitions`, { action: 'resolve' }],
    ] as const)
      expect((await h.request(agent, { method: 'POST', url, payload })).statusCode).toBeLessThan(300);
    clock.advance(121 * 60_000);
    await dispatchSurveys(h.deps, { publicUrl: 'https://kf.example.cn' });
    const sent = await h.database.db.select().from(outbox).where(eq(outbox.ticketId, ticketId));
    const token = (sent.find((i) => i.payload.kind === 'survey')!.payload as { surveyLink: string }).surveyLink;
    const res = await h.request(null, { method: 'POST', url: `/api/portal/v1/surveys/${token}`, payload: answer });
    expect(res.statusCode, res.body).toBe(204);
    agent = await h.signIn('agent', team);
    caller = await h.signIn('agent', callbackTeamId);
    return ticketId;
  }
  const problemsOf = (ticketId: string) =>
    h.database.db.select().from(surveyProblems).where(eq(surveyProblems.ticketId, ticketId));
  const target = async (ticketId: string, metric: string) =>
    (
      await h.database.db
        .select()
        .from(slaTargets)
        .where(and(eq(slaTargets.ticketId, ticketId), eq(slaTargets.metric, metric)))
    )[0]!;
  const act = (id: string, payload: Record<string, unknown>, s = caller) =>
    h.request(s, { method: 'POST', url: `/api/v1/survey-problems/${id}/actions`, payload });
  const list = async (status?: string) =>
    (
      await h.request(caller, { method: 'GET', url: `/api/v1/survey-problems${status ? `?status=${status}` : ''}` })
    ).json().items as { id: string; status: string; topics: string[]; comment: string | null }[];

  it('opens one item for a low dimension and a comment, due in 24 hours for handling and 48 for resolution', async () => {
    const ticketId = await answered({ csat: 2, attitude: 1, speed: 4, comment: '客服态度冷淡，问了三次才回答' });
    const rows = await problemsOf(ticketId);
    expect(rows).toHaveLength(1);
    const p = rows[0]!;
    expect(p).toMatchObject({ status: 'open', topics: ['attitude', 'comment'], firstHandledAt: null });
    expect(p.respondDueAt!.getTime() - clock.now().getTime()).toBe(24 * HOUR);
    expect(p.resolveDueAt!.getTime() - clock.now().getTime()).toBe(48 * HOUR);
    const listed = (await list()).find((i) => i.id === p.id);
    expect(listed).toMatchObject({ status: 'open', comment: '客服态度冷淡，问了三次才回答' });
    const timeline = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${ticketId}/timeline` })).json();
    const opened = timeline.items.find((e: { kind: string }) => e.kind === 'survey_problem');
    expect(opened.data).toMatchObject({ problemId: p.id, step: 'opened', topics: ['attitude', 'comment'] });
    expect(JSON.stringify(opened.data)).not.toContain('态度冷淡');
  });

  it('raises no item for a low overall score without a comment, nor for a comment under good scores', async () => {
    expect(await problemsOf(await answered({ csat: 1 }))).toHaveLength(0);
    expect(await problemsOf(await answered({ csat: 5, quality: 4, comment: '师傅很专业，谢谢' }))).toHaveLength(0);
  });

  it('stops the first-handling clock on the first handling and the resolution clock on the close; then takes nothing more', async () => {
    const ticketId = await answered({ csat: 3, convenience: 2 });
    const [p] = await problemsOf(ticketId);
    clock.advance(2 * HOUR);
    const handled = await act(p!.id, { action: 'handle', note: '已联系营业厅核实排队时长' });
    expect(handled.statusCode, handled.body).toBe(200);
    expect(handled.json()).toMatchObject({ status: 'handling', handler: { id: caller.actor.id } });
    expect((await target(ticketId, problemMetric(p!.id, 'response'))).metAt).toEqual(clock.now());
    expect((await target(ticketId, problemMetric(p!.id, 'resolution'))).metAt).toBeNull();
    const firstHandler = caller.actor.id;

    clock.advance(HOUR);
    caller = await h.signIn('agent', callbackTeamId);
    const again = await act(p!.id, { action: 'handle', note: '营业厅已增加窗口' });
    // A second handling keeps the first handler and time.
    expect(again.json()).toMatchObject({ handler: { id: firstHandler }, handlingNote: '营业厅已增加窗口' });
    const closed = await act(p!.id, { action: 'close', resolution: '周末增开两个窗口，已告知客户' });
    expect(closed.json()).toMatchObject({ status: 'closed', resolution: '周末增开两个窗口，已告知客户' });
    expect((await target(ticketId, problemMetric(p!.id, 'resolution'))).metAt).toEqual(clock.now());
    expect((await list()).map((i) => i.id)).not.toContain(p!.id);
    expect((await list('closed')).map((i) => i.id)).toContain(p!.id);

    const late = await act(p!.id, { action: 'handle', note: '再跟进' });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('survey_problem.closed');
  });

  it('warns and escalates an unhandled item through the SLA engine', async () => {
    const ticketId = await answered({ csat: 2, quality: 1 });
    const [p] = await problemsOf(ticketId);
    const sweep = async () => {
      while ((await sweepSla(h.deps, 50)).claimed > 0);
    };
    clock.advance(18 * HOUR + 1000);
    await sweep();
    expect(await target(ticketId, problemMetric(p!.id, 'response'))).toMatchObject({
      warningsFired: 1,
      breachedAt: null,
    });
    clock.advance(6 * HOUR);
    await sweep();
    const response = await target(ticketId, problemMetric(p!.id, 'response'));
    expect(response.breachedAt).not.toBeNull();
    expect(response.escalationsFired).toBe(1);
    expect((await target(ticketId, problemMetric(p!.id, 'resolution'))).breachedAt).toBeNull();
    caller = await h.signIn('agent', callbackTeamId);
    agent = await h.signIn('agent', team);
  });

  it('keeps the list to supervisors and the callback team, and refuses an action without its text', async () => {
    const ticketId = await answered({ csat: 2, speed: 1 });
    const [p] = await problemsOf(ticketId);
    expect((await h.request(agent, { method: 'GET', url: '/api/v1/survey-problems' })).statusCode).toBe(403);
    const supervisor = await h.signIn('supervisor', team);
    expect((await h.request(supervisor, { method: 'GET', url: '/api/v1/survey-problems' })).statusCode).toBe(200);
    expect((await act(p!.id, { action: 'close', resolution: '  ' })).statusCode).toBe(400);
    expect((await act(p!.id, { action: 'handle', note: 'x' }, agent)).statusCode).toBe(403);
    const [count] = await h.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(surveyProblems)
      .where(eq(surveyProblems.surveyId, p!.surveyId));
    expect(count!.n).toBe(1);
  });
});
