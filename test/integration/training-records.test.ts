import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications } from '../../src/db/schema.js';
import { autoAssign } from '../../src/usecases/routing/auto-assign.js';
import { remindExpiringCertifications } from '../../src/usecases/quality/training.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

const DAY = 86_400_000;

describe.each(ENGINES)('training records and certifications on %s', (engine) => {
  let h: Harness;
  const clock = testClock(new Date('2026-11-20T02:00:00Z'));
  let team: string;
  let supervisor: Session;
  let passing: Session;
  let failing: Session;
  let courseId: string;
  let sessionId: string;

  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    team = await h.buildTeam({ code: `vip-train-${engine}`, kind: 'vip', assignmentStrategy: 'round_robin' });
    supervisor = await h.signIn('supervisor', team);
    passing = await h.signIn('agent', team);
    failing = await h.signIn('agent', team);
  });
  afterAll(() => h?.close());

  // Sessions last 12 hours: after the clock jumps by months, everyone signs in again.
  const signInAgain = async () => {
    const again = (s: Session) => h.login({ ...s.actor, username: s.username });
    [supervisor, passing, failing] = await Promise.all([again(supervisor), again(passing), again(failing)]);
  };
  const send = (s: Session, method: 'GET' | 'POST' | 'PUT', url: string, payload?: Record<string, unknown>) =>
    h.request(s, { method, url, ...(payload ? { payload } : {}) });

  it('grants the course’s certification to whoever passes its exam, from the session’s date for its validity', async () => {
    const course = await send(supervisor, 'POST', '/api/v1/training/courses', {
      code: `complaint-${engine}`,
      title: '投诉处理专员认证',
      certificationCode: 'complaint_specialist',
      passScore: 80,
      validityMonths: 12,
    });
    expect(course.statusCode, course.body).toBe(201);
    courseId = course.json().id;
    const again = await send(supervisor, 'POST', '/api/v1/training/courses', {
      code: `complaint-${engine}`,
      title: '重复',
    });
    expect(again.json().error.code).toBe('training.course_code_taken');

    const session = await send(supervisor, 'POST', '/api/v1/training/sessions', {
      courseId,
      startsAt: clock.now().toISOString(),
      location: '培训室 A',
      trainer: '王老师',
    });
    expect(session.statusCode).toBe(201);
    sessionId = session.json().id;

    const failed = await send(supervisor, 'PUT', `/api/v1/training/sessions/${sessionId}/records`, {
      staffId: failing.actor.id,
      attended: true,
      examScore: 79,
    });
    expect(failed.json()).toEqual({ passed: false, certification: null });
    const passed = await send(supervisor, 'PUT', `/api/v1/training/sessions/${sessionId}/records`, {
      staffId: passing.actor.id,
      attended: true,
      examScore: 92,
    });
    expect(passed.json()).toEqual({
      passed: true,
      certification: {
        code: 'complaint_specialist',
        issuedAt: '2026-11-20T02:00:00.000Z',
        expiresAt: '2027-11-20T02:00:00.000Z',
      },
    });
    const bad = await send(supervisor, 'PUT', `/api/v1/training/sessions/${sessionId}/records`, {
      staffId: passing.actor.id,
      attended: true,
      examScore: 101,
    });
    expect(bad.json().error.code).toBe('request.invalid');
    expect(
      (
        await send(passing, 'PUT', `/api/v1/training/sessions/${sessionId}/records`, {
          staffId: passing.actor.id,
          attended: true,
        })
      ).statusCode,
    ).toBe(403);

    // Each person reads their own record; supervisors read anyone's; others nobody's.
    const own = (await send(passing, 'GET', `/api/v1/training/people/${passing.actor.id}`)).json();
    expect(own).toMatchObject({
      trainingTier: 'new',
      certifications: [{ code: 'complaint_specialist', state: 'valid', fromTraining: true }],
      sessions: [{ sessionId, attended: true, examScore: 92, passed: true }],
    });
    expect((await send(failing, 'GET', `/api/v1/training/people/${passing.actor.id}`)).statusCode).toBe(403);
    expect(
      (await send(supervisor, 'PUT', `/api/v1/training/people/${failing.actor.id}/tier`, { trainingTier: 'growing' }))
        .statusCode,
    ).toBe(204);
    expect((await send(supervisor, 'GET', `/api/v1/training/people/${failing.actor.id}`)).json()).toMatchObject({
      trainingTier: 'growing',
      certifications: [],
      sessions: [{ examScore: 79, passed: false }],
    });
  });

  it('reminds the holder and their supervisor once, 30 days before the certification expires', async () => {
    clock.set(new Date(new Date('2027-11-20T02:00:00Z').getTime() - 31 * DAY));
    expect(await remindExpiringCertifications(h.deps)).toEqual({ reminded: 0 });
    clock.advance(2 * DAY);
    await signInAgain();
    // Two nodes at once: each certification is claimed by one of them.
    const runs = await Promise.all([remindExpiringCertifications(h.deps), remindExpiringCertifications(h.deps)]);
    expect(runs.reduce((n, r) => n + r.reminded, 0)).toBe(1);
    expect(await remindExpiringCertifications(h.deps)).toEqual({ reminded: 0 });
    const notes = await h.database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.kind, 'training.certification_expiring')));
    expect(notes.map((n) => n.recipientId).sort()).toEqual([passing.actor.id, supervisor.actor.id].sort());
    expect(notes[0]!.payload).toMatchObject({ code: 'complaint_specialist', expiresAt: '2027-11-20T02:00:00.000Z' });
    const own = (await send(passing, 'GET', `/api/v1/training/people/${passing.actor.id}`)).json();
    expect(own.certifications[0].state).toBe('expiring');
  });

  it('takes a person whose certification expired out of certified routing', async () => {
    const profile = { tier: 1, skills: { categories: [], languages: ['zh'], regions: [] }, capacity: 5 };
    expect((await send(supervisor, 'PUT', `/api/v1/agents/${passing.actor.id}/profile`, profile)).statusCode).toBe(204);
    expect((await send(passing, 'PUT', '/api/v1/me/presence', { presence: 'online' })).statusCode).toBe(204);
    const vipComplaint = async () => {
      const id = await h.buildTicket(supervisor.actor, {
        customerId: await h.buildCustomer({ tier: 'vip' }),
        type: 'complaint',
        subject: '服务态度',
        description: '营业员态度很差',
      });
      await send(supervisor, 'POST', `/api/v1/tickets/${id}/assignment`, { assigneeId: null, teamId: team });
      await autoAssign(h.deps);
      return (await send(supervisor, 'GET', `/api/v1/tickets/${id}`)).json();
    };
    // Still valid (a few days before expiry): the certified specialist gets the VIP complaint.
    expect((await vipComplaint()).assignee?.id).toBe(passing.actor.id);
    // The day after it expired: nobody certified is left, so it waits.
    clock.set(new Date('2027-11-21T02:00:00Z'));
    await signInAgain();
    expect((await vipComplaint()).assignee).toBeNull();
    const own = (await send(passing, 'GET', `/api/v1/training/people/${passing.actor.id}`)).json();
    expect(own.certifications[0].state).toBe('expired');

    // Passing the exam again renews it, and the specialist is back in certified routing.
    const session = await send(supervisor, 'POST', '/api/v1/training/sessions', {
      courseId,
      startsAt: clock.now().toISOString(),
    });
    await send(supervisor, 'PUT', `/api/v1/training/sessions/${session.json().id}/records`, {
      staffId: passing.actor.id,
      attended: true,
      examScore: 85,
    });
    expect((await vipComplaint()).assignee?.id).toBe(passing.actor.id);
  });
});
