import { and, eq, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SCORECARD, itemsOf } from '../../src/core/quality/scorecard.js';
import { queryRows } from '../../src/db/client.js';
import { notifications, qaCoaching, qaReviewFacts, qaSamples, qaScorecards, tickets } from '../../src/db/schema.js';
import { lapseReviewWindows } from '../../src/usecases/quality/lapse-review-windows.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

const full = () =>
  itemsOf(DEFAULT_SCORECARD).map((i) => ({ itemId: i.id, points: i.id === 'beyond' ? 0 : i.maxPoints }));
const scored = (points: Record<string, number>) => full().map((s) => ({ ...s, points: points[s.itemId] ?? s.points }));

describe.each(ENGINES)('QA reviews, disputes and coaching on %s', (engine) => {
  let h: Harness;
  // Friday 20 Nov 2026, 10:00 in Beijing (the China business calendar: Mon–Fri 09:00–12:00, 13:30–18:00).
  const clock = testClock(new Date('2026-11-20T02:00:00Z'));
  let team: string;
  let inspector: Session;
  let supervisor: Session;

  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    team = await h.buildTeam();
    inspector = await h.signIn('qa', await h.buildTeam());
    supervisor = await h.signIn('supervisor', team);
  });
  afterAll(() => h?.close());

  const post = (s: Session, url: string, payload?: Record<string, unknown>) =>
    h.request(s, { method: 'POST', url, ...(payload ? { payload } : {}) });
  const get = (s: Session, url: string) => h.request(s, { method: 'GET', url });
  /** Signs the same person in again (sessions end after 12 hours of the test clock). */
  const again = (s: Session) => h.login({ ...s.actor, username: s.username });

  /** A closed ticket of a fresh agent of the team, sampled for the inspector. */
  async function sampled(): Promise<{ agent: Session; sampleId: string; ticketId: string }> {
    clock.set(new Date('2026-11-20T02:00:00Z'));
    const agent = await h.signIn('agent', team);
    const ticketId = await h.buildTicket(agent.actor, { assignToMe: true });
    await h.database.db
      .update(tickets)
      .set({ status: 'closed', closedAt: clock.now() })
      .where(eq(tickets.id, ticketId));
    const sampleId = uuidv7();
    await h.database.db.insert(qaSamples).values({
      id: sampleId,
      ticketId,
      runDay: '2026-11-20',
      agentId: agent.actor.id,
      teamId: team,
      channel: 'hotline',
      stratum: 'rate',
      inspectorId: inspector.actor.id,
    });
    return { agent, sampleId, ticketId };
  }

  it('lists the sample for its inspector only and scores it on the scorecard in use, notifying the agent with a 3-working-day window', async () => {
    const { agent, sampleId } = await sampled();
    const mine = (await get(inspector, '/api/v1/qa/samples')).json();
    expect(mine.items.map((s: { id: string }) => s.id)).toContain(sampleId);
    expect((await get(agent, `/api/v1/qa/samples/${sampleId}`)).statusCode).toBe(403);
    const other = await h.signIn('qa');
    expect((await get(other, `/api/v1/qa/samples/${sampleId}`)).statusCode).toBe(404);
    const detail = (await get(inspector, `/api/v1/qa/samples/${sampleId}`)).json();
    expect(detail.scorecard).toMatchObject({ version: 1, inUse: true, status: 'published' });

    const res = await post(inspector, `/api/v1/qa/samples/${sampleId}/review`, {
      items: scored({ attitude: 7, logic: 8 }),
      comment: '态度可再热情些',
    });
    expect(res.statusCode).toBe(200);
    const review = res.json();
    // (100·10 + 100·10 + 70·20 + 80·25 + 100·20 + 100·15) / 100 = 89
    expect(review).toMatchObject({ score: 89, finalScore: 89, passed: true, status: 'submitted', coaching: null });
    expect(review.respondBy).toBe('2026-11-25T10:00:00.000Z');
    const [note] = await h.database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.recipientId, agent.actor.id), eq(notifications.kind, 'qa.review_submitted')));
    expect(note?.payload).toMatchObject({ reviewId: review.id, score: 89, passed: true, dueAt: review.respondBy });
    expect((await post(inspector, `/api/v1/qa/samples/${sampleId}/review`, { items: full() })).json().error.code).toBe(
      'qa.already_reviewed',
    );
    // The agent sees it with acknowledge / dispute; another agent does not see it at all.
    const seen = (await get(agent, `/api/v1/qa/reviews/${review.id}`)).json();
    expect(seen.abilities).toEqual(['acknowledge', 'dispute']);
    expect((await get(await h.signIn('agent', team), `/api/v1/qa/reviews/${review.id}`)).statusCode).toBe(404);
    expect((await get(agent, '/api/v1/qa/reviews/mine')).json().items.map((r: { id: string }) => r.id)).toEqual([
      review.id,
    ]);
  });

  it('refuses scores that do not fit the scorecard with every problem listed', async () => {
    const { sampleId } = await sampled();
    const res = await post(inspector, `/api/v1/qa/samples/${sampleId}/review`, {
      items: [{ itemId: 'greeting', points: 11 }],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('qa.scores_invalid');
    expect(res.json().error.details.problems).toContain('item greeting must be scored 0–10');
    expect(res.json().error.details.problems).toContain('item privacy is not scored');
  });

  it('lets the agent dispute within 3 working days, the supervisor decide within 3 working days, and keeps the facts', async () => {
    const sample = await sampled();
    let agent = sample.agent;
    const sampleId = sample.sampleId;
    const review = (
      await post(inspector, `/api/v1/qa/samples/${sampleId}/review`, { items: scored({ logic: 2, process: 4 }) })
    ).json();
    // (100·10 + 100·10 + 100·20 + 20·25 + 40·20 + 100·15) / 100 = 68: failed → coaching.
    expect(review).toMatchObject({ score: 68, passed: false });
    // Tuesday 24 Nov 17:00 Beijing: still inside the window.
    clock.set(new Date('2026-11-24T09:00:00Z'));
    agent = await again(agent);
    supervisor = await again(supervisor);
    const disputed = await post(agent, `/api/v1/qa/reviews/${review.id}/dispute`, { comment: '客户问题已按流程升级' });
    expect(disputed.statusCode).toBe(200);
    // Tue → Wed, Thu, Fri 27 Nov 18:00 Beijing.
    expect(disputed.json()).toMatchObject({ status: 'disputed', decideBy: '2026-11-27T10:00:00.000Z', abilities: [] });
    const [opened] = await h.database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.recipientId, supervisor.actor.id), eq(notifications.kind, 'qa.dispute_opened')));
    expect(opened?.payload).toMatchObject({ reviewId: review.id, dueAt: '2026-11-27T10:00:00.000Z' });
    expect((await get(supervisor, `/api/v1/qa/reviews/${review.id}`)).json().abilities).toEqual(['decide']);
    expect(
      (await post(agent, `/api/v1/qa/reviews/${review.id}/decision`, { decision: 'reject', comment: '自己裁决' }))
        .statusCode,
    ).toBe(403);
    const overview = (await get(supervisor, '/api/v1/qa/overview')).json();
    expect(overview.openDisputes.map((r: { id: string }) => r.id)).toContain(review.id);

    const bad = await post(supervisor, `/api/v1/qa/reviews/${review.id}/decision`, {
      decision: 'partly',
      adjustedScore: 60,
      comment: '部分认可',
    });
    expect(bad.json().error.code).toBe('qa.adjusted_score_invalid');
    const decided = await post(supervisor, `/api/v1/qa/reviews/${review.id}/decision`, {
      decision: 'partly',
      adjustedScore: 75,
      comment: '升级流程正确，问题解决逻辑仍需加强',
    });
    expect(decided.json()).toMatchObject({
      status: 'decided',
      decision: 'partly',
      score: 68,
      finalScore: 75,
      passed: false,
    });
    const [fact] = await h.database.db.select().from(qaReviewFacts).where(eq(qaReviewFacts.reviewId, review.id));
    expect(fact).toMatchObject({
      agentId: agent.actor.id,
      teamId: team,
      scorecardVersion: 1,
      score: 68,
      finalScore: 75,
      passed: false,
      disputed: true,
      disputeOutcome: 'partly',
    });
    const [told] = await h.database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.recipientId, agent.actor.id), eq(notifications.kind, 'qa.dispute_decided')));
    expect(told?.payload).toMatchObject({ decision: 'partly', finalScore: 75 });
  });

  it('closes the dispute window after the third working day and then counts the review as acknowledged', async () => {
    const sample = await sampled();
    let agent = sample.agent;
    const sampleId = sample.sampleId;
    const review = (await post(inspector, `/api/v1/qa/samples/${sampleId}/review`, { items: full() })).json();
    // Wednesday 25 Nov 18:00:01 Beijing: one second too late.
    clock.set(new Date('2026-11-25T10:00:01Z'));
    agent = await again(agent);
    const late = await post(agent, `/api/v1/qa/reviews/${review.id}/dispute`, { comment: '不同意' });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('qa.dispute_window_closed');
    expect((await get(agent, `/api/v1/qa/reviews/${review.id}`)).json().abilities).toEqual([]);
    expect((await lapseReviewWindows(h.deps)).lapsed).toBeGreaterThanOrEqual(1);
    expect((await get(agent, `/api/v1/qa/reviews/${review.id}`)).json()).toMatchObject({
      status: 'acknowledged',
      lapsed: true,
    });
  });

  it('opens coaching for the team supervisor due in 24 business hours when a critical item fails, closed by the agent acknowledging it', async () => {
    const { agent, sampleId } = await sampled();
    const review = (
      await post(inspector, `/api/v1/qa/samples/${sampleId}/review`, { items: scored({ identity_check: 0 }) })
    ).json();
    expect(review).toMatchObject({ score: 0, criticalFailed: true, passed: false });
    // Fri 10:00 + 24 open hours (6.5 Fri, 7.5 Mon, 7.5 Tue, 2.5 Wed) → Wed 25 Nov 11:30 Beijing.
    expect(review.coaching).toMatchObject({ status: 'open', dueAt: '2026-11-25T03:30:00.000Z' });
    const [task] = await h.database.db.select().from(qaCoaching).where(eq(qaCoaching.reviewId, review.id));
    expect(task?.coachId).toBe(supervisor.actor.id);
    const due = await h.database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.recipientId, supervisor.actor.id), eq(notifications.kind, 'qa.coaching_due')));
    expect(due.map((n) => (n.payload as { reviewId: string }).reviewId)).toContain(review.id);

    const early = await post(agent, `/api/v1/qa/coaching/${task!.id}/acknowledge`);
    expect(early.json().error.code).toBe('qa.coaching_not_recorded');
    const recorded = await post(supervisor, `/api/v1/qa/coaching/${task!.id}/record`, {
      note: '复盘账户变更前的身份核验流程',
    });
    expect(recorded.json()).toMatchObject({ status: 'coached', abilities: [] });
    expect((await get(agent, '/api/v1/qa/coaching/mine')).json().items[0]).toMatchObject({
      id: task!.id,
      abilities: ['acknowledge'],
    });
    const closed = await post(agent, `/api/v1/qa/coaching/${task!.id}/acknowledge`);
    expect(closed.json()).toMatchObject({ status: 'done' });
    expect(closed.json().acknowledgedAt).not.toBeNull();
  });

  it('publishes a new scorecard version while earlier reviews keep theirs, and never changes a published version', async () => {
    const admin = await h.signIn('admin');
    const { sampleId } = await sampled();
    const before = (await post(inspector, `/api/v1/qa/samples/${sampleId}/review`, { items: full() })).json();
    const v1 = (await get(admin, '/api/v1/qa/scorecards'))
      .json()
      .items.find((v: { version: number }) => v.version === 1);
    const refused = await h.request(admin, {
      method: 'PUT',
      url: `/api/v1/qa/scorecards/${v1.id}`,
      payload: { name: 'x', definition: DEFAULT_SCORECARD },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('qa.scorecard_published');
    // The database refuses too.
    await expect(
      h.database.db.update(qaScorecards).set({ name: 'changed' }).where(eq(qaScorecards.id, v1.id)),
    ).rejects.toThrow();
    await expect(h.database.db.delete(qaScorecards).where(eq(qaScorecards.id, v1.id))).rejects.toThrow();

    const definition = structuredClone(DEFAULT_SCORECARD);
    definition.sections[0]!.items[0]!.weight = 30;
    const draft = (await post(admin, '/api/v1/qa/scorecards', { name: '2027 评分表', definition })).json();
    expect(draft).toMatchObject({ version: 2, status: 'draft', inUse: false });
    expect((await post(admin, '/api/v1/qa/scorecards', { name: 'again', definition })).json().error.code).toBe(
      'qa.draft_exists',
    );
    expect((await post(inspector, `/api/v1/qa/scorecards/${draft.id}/publish`)).statusCode).toBe(403);
    const published = (await post(admin, `/api/v1/qa/scorecards/${draft.id}/publish`)).json();
    expect(published).toMatchObject({ version: 2, status: 'published', inUse: true });

    const { sampleId: next } = await sampled();
    const after = (await post(inspector, `/api/v1/qa/samples/${next}/review`, { items: full() })).json();
    expect(after.scorecard.version).toBe(2);
    expect((await get(inspector, `/api/v1/qa/reviews/${before.id}`)).json().scorecard).toMatchObject({
      version: 1,
      inUse: false,
    });
  });

  it('shows the spread per item of a calibration session, blind until one has scored, and counts none of it for the agent', async () => {
    const { agent, ticketId } = await sampled();
    const second = await h.signIn('qa');
    const session = (await post(supervisor, '/api/v1/qa/calibrations', { ticketId, title: '11月校准' })).json();
    await post(inspector, `/api/v1/qa/calibrations/${session.id}/scores`, { items: scored({ attitude: 6 }) });
    const blind = (await get(second, `/api/v1/qa/calibrations/${session.id}`)).json();
    expect(blind.reviews).toEqual([]);
    const mine = (
      await post(second, `/api/v1/qa/calibrations/${session.id}/scores`, { items: scored({ attitude: 9 }) })
    ).json();
    expect(mine.reviews).toHaveLength(2);
    expect(mine.spread.items.find((i: { itemId: string }) => i.itemId === 'attitude')).toEqual({
      itemId: 'attitude',
      min: 60,
      max: 90,
      range: 30,
      mean: 75,
    });
    expect(
      (await post(second, `/api/v1/qa/calibrations/${session.id}/scores`, { items: full() })).json().error.code,
    ).toBe('qa.already_reviewed');
    expect((await get(agent, '/api/v1/qa/reviews/mine')).json().items).toEqual([]);
    const facts = await queryRows<{ n: number }>(
      h.database.db,
      sql`SELECT count(*)::int AS n FROM qa_review_facts WHERE agent_id = ${agent.actor.id}`,
    );
    expect(Number(facts[0]!.n)).toBe(0);
  });
});
