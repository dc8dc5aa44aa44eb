import { and, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SCORECARD, itemsOf } from '../../src/core/quality/scorecard.js';
import { notifications, qaSamples, tickets, trainingRecords } from '../../src/db/schema.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

// Repeated failed QA reviews (2 within 30 days by default, a setting) put the agent on the
// remedial course's next session through the training records; a session scheduled later enrols
// whoever is due. Once per run of failures.

// (100·10 + 100·10 + 20·20 + 30·25 + 100·20 + 100·15) / 100 = 66.5: below the pass mark of 80.
const failing = () =>
  itemsOf(DEFAULT_SCORECARD).map((i) => ({
    itemId: i.id,
    points: i.id === 'attitude' ? 2 : i.id === 'logic' ? 3 : i.id === 'beyond' ? 0 : i.maxPoints,
  }));

describe.each(ENGINES)('a training course after repeated failed QA reviews on %s', (engine) => {
  let h: Harness;
  const clock = testClock(new Date('2026-11-02T02:00:00Z'));
  let team: string;
  let admin: Session;
  let supervisor: Session;
  let inspector: Session;

  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    team = await h.buildTeam();
    admin = await h.signIn('admin', null);
    supervisor = await h.signIn('supervisor', team);
    inspector = await h.signIn('qa', await h.buildTeam());
  });
  afterAll(() => h?.close());

  const send = (s: Session, method: 'GET' | 'POST' | 'PUT', url: string, payload?: Record<string, unknown>) =>
    h.request(s, { method, url, ...(payload ? { payload } : {}) });
  /** Sessions end after 12 hours of the test clock: sign the same people in again. */
  const fresh = async () => {
    const again = (s: Session) => h.login({ ...s.actor, username: s.username });
    [admin, supervisor, inspector] = await Promise.all([again(admin), again(supervisor), again(inspector)]);
  };

  async function course(code: string): Promise<string> {
    const res = await send(supervisor, 'POST', '/api/v1/training/courses', { code, title: '服务规范复训' });
    expect(res.statusCode, res.body).toBe(201);
    const set = await send(admin, 'PUT', '/api/v1/qa/settings/remedial-training', {
      failures: 2,
      windowDays: 30,
      courseCode: code,
    });
    expect(set.statusCode, set.body).toBe(200);
    return res.json<{ id: string }>().id;
  }
  const schedule = async (courseId: string, startsAt: string) => {
    const res = await send(supervisor, 'POST', '/api/v1/training/sessions', {
      courseId,
      startsAt,
      location: '培训室 B',
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string; enrolled: number }>();
  };
  /** A failed review of one of the agent's closed tickets, scored now. */
  async function failedReview(agent: Session) {
    const ticketId = await h.buildTicket(agent.actor, { assignToMe: true });
    await h.database.db
      .update(tickets)
      .set({ status: 'closed', closedAt: clock.now() })
      .where(eq(tickets.id, ticketId));
    const sampleId = uuidv7();
    await h.database.db.insert(qaSamples).values({
      id: sampleId,
      ticketId,
      runDay: clock.now().toISOString().slice(0, 10),
      agentId: agent.actor.id,
      teamId: team,
      channel: 'hotline',
      stratum: 'rate',
      inspectorId: inspector.actor.id,
    });
    const res = await send(inspector, 'POST', `/api/v1/qa/samples/${sampleId}/review`, { items: failing() });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().passed).toBe(false);
  }
  const rosterOf = (staffId: string) =>
    h.database.db.select().from(trainingRecords).where(eq(trainingRecords.staffId, staffId));

  it('puts the agent on the course’s next session at the second failure within 30 days, once', async () => {
    clock.set(new Date('2026-11-02T02:00:00Z'));
    await fresh();
    const courseId = await course(`refresher-a-${engine}`);
    await schedule(courseId, '2026-10-20T01:00:00Z'); // past
    const late = await schedule(courseId, '2026-12-10T01:00:00Z');
    const next = await schedule(courseId, '2026-11-25T01:00:00Z');
    const agent = await h.signIn('agent', team);

    await failedReview(agent);
    expect(await rosterOf(agent.actor.id)).toEqual([]);

    clock.set(new Date('2026-11-20T02:00:00Z'));
    await fresh();
    await failedReview(agent);
    const roster = await rosterOf(agent.actor.id);
    expect(roster).toMatchObject([{ sessionId: next.id, attended: false, examScore: null, passed: null }]);
    expect(roster[0]!.sessionId).not.toBe(late.id);
    // The agent and their team's supervisor are told, once.
    const told = await h.database.db
      .select({ recipientId: notifications.recipientId, payload: notifications.payload })
      .from(notifications)
      .where(eq(notifications.kind, 'qa.training_assigned'));
    expect(told.map((n) => n.recipientId).sort()).toEqual([agent.actor.id, supervisor.actor.id].sort());
    expect(told[0]!.payload).toMatchObject({ sessionId: next.id, course: '服务规范复训', failures: 2 });

    // A third failure within the window does not enrol the agent again.
    clock.set(new Date('2026-11-21T02:00:00Z'));
    await fresh();
    await failedReview(agent);
    expect(await rosterOf(agent.actor.id)).toHaveLength(1);
    expect(
      await h.database.db.select().from(notifications).where(eq(notifications.kind, 'qa.training_assigned')),
    ).toHaveLength(2);

    // The agent's training record shows the session ahead.
    const again = await h.login({ ...agent.actor, username: agent.username });
    const record = await send(again, 'GET', `/api/v1/training/people/${agent.actor.id}`);
    expect(record.json().sessions).toMatchObject([
      { sessionId: next.id, courseCode: `refresher-a-${engine}`, attended: false },
    ]);
  });

  it('enrols the agent when the first session of the course is scheduled after the failures', async () => {
    clock.set(new Date('2026-11-20T02:00:00Z'));
    await fresh();
    const courseId = await course(`refresher-b-${engine}`);
    const agent = await h.signIn('agent', team);
    const bystander = await h.signIn('agent', team);
    await failedReview(agent);
    await failedReview(agent);
    await failedReview(bystander);
    expect(await rosterOf(agent.actor.id)).toEqual([]);

    const session = await schedule(courseId, '2026-11-27T01:00:00Z');
    const rows = await h.database.db
      .select({ staffId: trainingRecords.staffId })
      .from(trainingRecords)
      .where(and(eq(trainingRecords.sessionId, session.id)));
    const enrolled = rows.map((r) => r.staffId);
    // (The earlier test's agent is due as well: the setting now names this course.)
    expect(session.enrolled).toBe(rows.length);
    expect(enrolled).toContain(agent.actor.id);
    expect(enrolled).not.toContain(bystander.actor.id);
  });

  it('refuses a course code no active course has, and lets supervisors read the setting', async () => {
    const res = await send(admin, 'PUT', '/api/v1/qa/settings/remedial-training', {
      failures: 3,
      windowDays: 30,
      courseCode: 'no-such-course',
    });
    expect([res.statusCode, res.json().error.code]).toEqual([422, 'training.unknown_course']);
    const read = await send(supervisor, 'GET', '/api/v1/qa/settings/remedial-training');
    expect(read.json()).toMatchObject({ failures: 2, windowDays: 30 });
    const agent = await h.signIn('agent', team);
    expect((await send(agent, 'PUT', '/api/v1/qa/settings/remedial-training', read.json())).statusCode).toBe(403);
  });
});
