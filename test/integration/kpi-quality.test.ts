import { asc, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SCORECARD, itemsOf } from '../../src/core/quality/scorecard.js';
import { kpiCursors, kpiDailyQuality, qaSamples, tickets } from '../../src/db/schema.js';
import { rollUpQuality } from '../../src/usecases/kpi/roll-up-quality.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

// QA score, dispute rate, script and process compliance on the KPI dashboard: read from the QA
// review facts and the reply checks through the quality roll-up (kpi_daily_quality).

const full = () =>
  itemsOf(DEFAULT_SCORECARD).map((i) => ({ itemId: i.id, points: i.id === 'beyond' ? 0 : i.maxPoints }));
const scored = (points: Record<string, number>) => full().map((s) => ({ ...s, points: points[s.itemId] ?? s.points }));

type Kpi = { id: string; value: number | null; numerator: number | null; denominator: number | null };

describe.each(ENGINES)('Quality KPIs from QA reviews and reply checks on %s', (engine) => {
  let h: Harness;
  // Friday 20 Nov 2026, 10:00 in Beijing.
  const clock = testClock(new Date('2026-11-20T02:00:00Z'));
  let team: string;
  let agent: Session;
  let inspector: Session;
  let supervisor: Session;
  const reviews: string[] = [];

  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    team = await h.buildTeam();
    agent = await h.signIn('agent', team);
    inspector = await h.signIn('qa', await h.buildTeam());
    supervisor = await h.signIn('supervisor', team);
  });
  afterAll(() => h?.close());

  const post = (s: Session, url: string, payload: Record<string, unknown>) =>
    h.request(s, { method: 'POST', url, payload });
  const again = (s: Session) => h.login({ ...s.actor, username: s.username });
  const roll = () => rollUpQuality(h.deps, { marginMs: 5 * 60_000 });
  async function kpis(query = `teamId=${team}`): Promise<Record<string, Kpi>> {
    const res = await h.request(supervisor, {
      method: 'GET',
      url: `/api/v1/kpi/dashboard?from=2026-11-20&to=2026-11-30&${query}`,
    });
    expect(res.statusCode).toBe(200);
    return Object.fromEntries(res.json().kpis.map((k: Kpi) => [k.id, k]));
  }
  async function sampleOf(ticketId: string) {
    await h.database.db
      .update(tickets)
      .set({ status: 'closed', closedAt: clock.now() })
      .where(eq(tickets.id, ticketId));
    const id = uuidv7();
    await h.database.db.insert(qaSamples).values({
      id,
      ticketId,
      runDay: '2026-11-20',
      agentId: agent.actor.id,
      teamId: team,
      channel: 'hotline',
      stratum: 'rate',
      inspectorId: inspector.actor.id,
    });
    return id;
  }

  it('shows no data before any review or checked reply, never a made-up figure', async () => {
    await roll();
    const k = await kpis();
    for (const id of ['qa_score', 'dispute_rate', 'script_compliance', 'process_compliance'])
      expect(k[id]).toMatchObject({ value: null, met: null, noData: 'no_facts' });
  });

  it('counts QA scores, the process item and script checks of the day once the job has run', async () => {
    const t1 = await h.buildTicket(agent.actor, { assignToMe: true });
    const t2 = await h.buildTicket(agent.actor, { assignToMe: true });
    const reply = (id: string, body: string) =>
      post(agent, `/api/v1/tickets/${id}/messages`, { visibility: 'public', body });
    expect((await reply(t1, '您好，已为您重置宽带端口，感谢您的来电。')).statusCode).toBe(201);
    expect((await reply(t1, '这不归我管，你自己看着办。')).statusCode).toBe(201);
    expect((await reply(t2, '您好，已为您登记，感谢您的来电。')).statusCode).toBe(201);

    const full100 = await post(inspector, `/api/v1/qa/samples/${await sampleOf(t1)}/review`, { items: full() });
    expect(full100.json()).toMatchObject({ score: 100 });
    const weak = await post(inspector, `/api/v1/qa/samples/${await sampleOf(t2)}/review`, {
      items: scored({ logic: 2, process: 4 }),
    });
    expect(weak.json()).toMatchObject({ score: 68 });
    reviews.push(full100.json().id, weak.json().id);

    // Not yet rolled up: still no data.
    expect((await kpis()).qa_score?.value).toBeNull();
    expect(await roll()).toEqual({ days: 1 });
    const k = await kpis();
    expect(k.qa_score).toMatchObject({ value: 84, numerator: 168, denominator: 2 });
    expect(k.process_compliance).toMatchObject({ value: 0.5, numerator: 1, denominator: 2, met: false });
    expect(k.script_compliance).toMatchObject({ value: 2 / 3, numerator: 2, denominator: 3, met: false });
    expect(k.dispute_rate).toMatchObject({ value: 0, numerator: 0, denominator: 2 });
    // Another agent's view has none of it.
    const other = await h.signIn('agent', team);
    expect((await kpis(`agentId=${other.actor.id}`)).qa_score?.value).toBeNull();
    // Changes within the margin before the watermark are looked at again; older ones are not.
    clock.advance(10 * 60_000);
    expect(await roll()).toEqual({ days: 1 });
    expect(await roll()).toEqual({ days: 0 });
    expect((await kpis()).qa_score?.value).toBe(84);
  });

  it('follows a dispute and its decision back to the day of the review', async () => {
    // Tuesday 24 Nov 17:00 Beijing: the agent disputes, the supervisor takes 75.
    clock.set(new Date('2026-11-24T09:00:00Z'));
    agent = await again(agent);
    supervisor = await again(supervisor);
    const weak = reviews[1]!;
    expect((await post(agent, `/api/v1/qa/reviews/${weak}/dispute`, { comment: '已按流程升级' })).statusCode).toBe(200);
    expect(
      (
        await post(supervisor, `/api/v1/qa/reviews/${weak}/decision`, {
          decision: 'partly',
          adjustedScore: 75,
          comment: '部分认可',
        })
      ).statusCode,
    ).toBe(200);
    expect(await roll()).toEqual({ days: 1 });
    const k = await kpis();
    expect(k.qa_score).toMatchObject({ value: 87.5, numerator: 175, denominator: 2 });
    expect(k.dispute_rate).toMatchObject({ value: 0.5, numerator: 1, denominator: 2 });
  });

  it('appraises the team’s agents for the month with the QA weight, ranks them, and shows an agent their own sheet', async () => {
    const idle = await h.signIn('agent', team);
    const get = (sess: Session, url: string) => h.request(sess, { method: 'GET', url });
    expect((await get(agent, '/api/v1/kpi/appraisals?period=month&key=2026-11')).statusCode).toBe(403);
    const res = await get(supervisor, '/api/v1/kpi/appraisals?period=month&key=2026-11');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ from: '2026-11-01', to: '2026-11-30', weights: { qa_score: 30, satisfaction: 21 } });
    const mine = body.sheets.find((x: { agent: { id: string } }) => x.agent.id === agent.actor.id);
    // Only QA has facts (87.5): the other components' weights are shared out, so the score is the QA score.
    expect(mine).toMatchObject({ score: 87.5, rank: 1 });
    expect(mine.redistributed).toEqual([
      'satisfaction',
      'response_time',
      'resolution_rate',
      'handling_time',
      'complaint_rate',
    ]);
    expect(mine.parts.find((p: { component: string }) => p.component === 'qa_score')).toMatchObject({
      score: 87.5,
      weight: 30,
      effectiveWeight: 100,
      points: 87.5,
      basis: { value: 87.5, numerator: 175, denominator: 2 },
    });
    // An agent without facts has no score and no rank, listed after the ranked ones.
    const last = body.sheets[body.sheets.length - 1];
    expect(body.sheets.map((x: { agent: { id: string } }) => x.agent.id)).toContain(idle.actor.id);
    expect(last).toMatchObject({ score: null, rank: null });

    const own = (await get(agent, '/api/v1/kpi/appraisals/me?period=month&key=2026-11')).json();
    expect(own.sheets).toEqual([{ ...mine, rank: null }]);
    const quarter = (await get(agent, '/api/v1/kpi/appraisals/me?period=quarter&key=2026-Q4')).json();
    expect(quarter.sheets[0].score).toBe(87.5);
    const october = (await get(agent, '/api/v1/kpi/appraisals/me?period=month&key=2026-10')).json();
    expect(october.sheets[0]).toMatchObject({ score: null });

    const wrong = await get(supervisor, '/api/v1/kpi/appraisals?period=quarter&key=2026-11');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe('kpi.invalid_period');
  });

  it('gives the same roll-up when rebuilt from the start', async () => {
    const rows = () =>
      h.database.db
        .select()
        .from(kpiDailyQuality)
        .orderBy(asc(kpiDailyQuality.day), asc(kpiDailyQuality.agentId), asc(kpiDailyQuality.channel));
    const before = await rows();
    expect(before.length).toBeGreaterThan(0);
    await h.database.db
      .update(kpiCursors)
      .set({ updatedAt: new Date(0) })
      .where(eq(kpiCursors.name, 'quality'));
    await Promise.all([roll(), roll()]);
    expect(await rows()).toEqual(before);
  });
});
