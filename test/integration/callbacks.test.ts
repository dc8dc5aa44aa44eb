import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callbackMetric } from '../../src/core/callbacks/callbacks.js';
import { queryRows } from '../../src/db/client.js';
import { callbackTeamId } from '../../src/db/reference-data.js';
import { callbacks, slaTargets, teams, tickets } from '../../src/db/schema.js';
import { receiveChannelMessage } from '../../src/usecases/channels/receive-channel-message.js';
import { sweepSla } from '../../src/usecases/sla/sweep.js';
import { dispatchSurveys } from '../../src/usecases/surveys/surveys.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe.each(ENGINES)('callbacks for dissatisfied customers on %s', (engine) => {
  let h: Harness;
  const clock = testClock(new Date('2026-11-20T02:00:00Z'));
  let team: string;
  let agent: Session;

  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    team = await h.buildTeam();
    agent = await h.signIn('agent', team);
  });
  afterAll(() => h?.close());

  const post = (s: Session, url: string, payload: Record<string, unknown>) =>
    h.request(s, { method: 'POST', url, payload });
  let smsId = 0;

  /** A resolved ticket whose SMS survey was sent; returns the ticket and the number that answers it. */
  async function surveyedTicket(): Promise<{ ticketId: string; msisdn: string }> {
    agent = await h.signIn('agent', team);
    const customerId = await h.buildCustomer();
    const ticketId = await h.buildTicket(agent.actor, { assignToMe: true, customerId });
    await post(agent, `/api/v1/tickets/${ticketId}/transitions`, { action: 'start' });
    await post(agent, `/api/v1/tickets/${ticketId}/messages`, { visibility: 'public', body: '已为您重置端口。' });
    expect((await post(agent, `/api/v1/tickets/${ticketId}/transitions`, { action: 'resolve' })).statusCode).toBe(200);
    clock.advance(121 * MIN);
    await dispatchSurveys(h.deps, { publicUrl: 'https://kf.example.cn' });
    const [{ msisdn }] = (await queryRows<{ msisdn: string }>(
      h.database.db,
      sql`SELECT msisdn FROM customer_numbers WHERE customer_id = ${customerId} ORDER BY position LIMIT 1`,
    )) as [{ msisdn: string }];
    return { ticketId, msisdn };
  }
  const sms = (msisdn: string, text: string) =>
    receiveChannelMessage(h.deps, 'sms', { messageId: `callback-sms-${smsId++}`, from: { msisdn }, text });

  it('opens exactly one callback in the callback queue, due in 24 hours, when a customer rates 1', async () => {
    const { ticketId, msisdn } = await surveyedTicket();
    expect(await sms(msisdn, '1')).toMatchObject({ survey: 'answered', ticketId });
    // A second digit is no second answer, and no second callback.
    await sms(msisdn, '2');
    const rows = await h.database.db.select().from(callbacks).where(eq(callbacks.ticketId, ticketId));
    expect(rows).toHaveLength(1);
    const [queue] = await h.database.db.select().from(teams).where(eq(teams.id, rows[0]!.teamId));
    expect(queue).toMatchObject({ code: 'callback', name: '回访组' });
    expect(rows[0]).toMatchObject({ status: 'open', assigneeId: null });
    expect(rows[0]!.dueAt!.getTime() - clock.now().getTime()).toBe(24 * HOUR);
    const timeline = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${ticketId}/timeline` })).json();
    const opened = timeline.items.find((e: { kind: string }) => e.kind === 'callback_opened');
    expect(opened.data).toEqual({
      callbackId: rows[0]!.id,
      surveyId: rows[0]!.surveyId,
      dueAt: rows[0]!.dueAt!.toISOString(),
      low: ['csat'],
    });
  });

  it('opens no callback for a good rating', async () => {
    const { ticketId, msisdn } = await surveyedTicket();
    await sms(msisdn, '5');
    expect(await h.database.db.select().from(callbacks).where(eq(callbacks.ticketId, ticketId))).toHaveLength(0);
  });

  it('warns at 18 hours and escalates at 24 hours through the SLA engine', async () => {
    const { ticketId, msisdn } = await surveyedTicket();
    await sms(msisdn, '1');
    const [cb] = await h.database.db.select().from(callbacks).where(eq(callbacks.ticketId, ticketId));
    const target = async () =>
      (
        await h.database.db
          .select()
          .from(slaTargets)
          .where(and(eq(slaTargets.ticketId, ticketId), eq(slaTargets.metric, callbackMetric(cb!.id))))
      )[0]!;
    const sweep = async () => {
      while ((await sweepSla(h.deps, 50)).claimed > 0);
    };
    expect(await target()).toMatchObject({ warningsFired: 0, escalationsFired: 0, breachedAt: null });
    clock.advance(18 * HOUR + MIN);
    await sweep();
    expect(await target()).toMatchObject({ warningsFired: 1, escalationsFired: 0, breachedAt: null });
    clock.advance(6 * HOUR);
    await sweep();
    const breached = await target();
    expect(breached.escalationsFired).toBe(1);
    expect(breached.breachedAt).not.toBeNull();
  });

  describe('working a callback through the API', () => {
    let caller: Session;
    let supervisor: Session;
    /** A fresh low-rated ticket and its callback id. */
    async function openCallbackTask(): Promise<{ ticketId: string; callbackId: string }> {
      const { ticketId, msisdn } = await surveyedTicket();
      await sms(msisdn, '1');
      const [cb] = await h.database.db.select().from(callbacks).where(eq(callbacks.ticketId, ticketId));
      caller = await h.signIn('agent', callbackTeamId);
      supervisor = await h.signIn('supervisor', team);
      return { ticketId, callbackId: cb!.id };
    }
    const attempt = (s: Session, id: string, reached: boolean) =>
      post(s, `/api/v1/callbacks/${id}/attempts`, { reached, note: reached ? '客户接听' : '无人接听' });
    const outcome = (s: Session, id: string, body: Record<string, unknown>) =>
      post(s, `/api/v1/callbacks/${id}/outcome`, body);

    it('lists open callbacks to a callback-team agent and a supervisor, with the ticket and low scores', async () => {
      const { ticketId, callbackId } = await openCallbackTask();
      for (const s of [caller, supervisor]) {
        const res = await h.request(s, { method: 'GET', url: '/api/v1/callbacks?limit=200' });
        expect(res.statusCode, res.body).toBe(200);
        const item = res.json().items.find((c: { id: string }) => c.id === callbackId);
        expect(item).toMatchObject({ ticket: { id: ticketId }, status: 'open', attempts: 0, low: ['csat'] });
      }
      const detail = await h.request(caller, { method: 'GET', url: `/api/v1/callbacks/${callbackId}` });
      expect(detail.json()).toMatchObject({ scores: { csat: 1 }, attemptList: [], maxAttempts: 3, outcome: null });
    });

    it('grants the work_callbacks ability to callback-team agents and supervisors only', async () => {
      await openCallbackTask();
      const abilities = async (s: Session) =>
        (await h.request(s, { method: 'GET', url: '/api/v1/auth/session' })).json().staff.abilities as string[];
      expect(await abilities(caller)).toContain('work_callbacks');
      expect(await abilities(supervisor)).toContain('work_callbacks');
      expect(await abilities(agent)).not.toContain('work_callbacks');
    });

    it('answers 403 to an agent of another team and to QA', async () => {
      const { callbackId } = await openCallbackTask();
      const qa = await h.signIn('qa', team);
      for (const s of [agent, qa]) {
        const list = await h.request(s, { method: 'GET', url: '/api/v1/callbacks' });
        expect(list.statusCode).toBe(403);
        expect(list.json().error.code).toBe('auth.forbidden');
        expect((await attempt(s, callbackId, true)).statusCode).toBe(403);
      }
    });

    it('records up to three attempts and refuses a fourth with callback.attempts_exhausted', async () => {
      const { callbackId } = await openCallbackTask();
      for (let i = 0; i < 3; i++) expect((await attempt(caller, callbackId, false)).statusCode).toBe(200);
      const fourth = await attempt(caller, callbackId, true);
      expect(fourth.statusCode).toBe(409);
      expect(fourth.json().error.code).toBe('callback.attempts_exhausted');
      const detail = (await h.request(caller, { method: 'GET', url: `/api/v1/callbacks/${callbackId}` })).json();
      expect(detail.attemptList).toHaveLength(3);
      expect(detail.attemptList[0]).toMatchObject({ reached: false, note: '无人接听', by: { id: caller.actor.id } });
    });

    it('calls a customer unreachable only after three unreached attempts', async () => {
      const { callbackId } = await openCallbackTask();
      const body = { rootCause: 'other', remedy: '短信告知回访未接通', outcome: 'unreachable' };
      await attempt(caller, callbackId, false);
      const early = await outcome(caller, callbackId, body);
      expect(early.statusCode).toBe(422);
      expect(early.json().error.code).toBe('callback.attempts_remaining');
      await attempt(caller, callbackId, false);
      await attempt(caller, callbackId, false);
      const res = await outcome(caller, callbackId, body);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ status: 'done', outcome: 'unreachable' });
    });

    it('needs a reached attempt to resolve, then stops the clock and notes it on the timeline', async () => {
      const { ticketId, callbackId } = await openCallbackTask();
      const body = { rootCause: 'service_attitude', remedy: '致歉并赠送 10 元话费', outcome: 'resolved' };
      const early = await outcome(caller, callbackId, body);
      expect(early.statusCode).toBe(422);
      expect(early.json().error.code).toBe('callback.not_reached_yet');
      await attempt(caller, callbackId, true);
      const res = await outcome(caller, callbackId, body);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ status: 'done', rootCause: 'service_attitude', outcome: 'resolved' });
      const [target] = await h.database.db
        .select()
        .from(slaTargets)
        .where(and(eq(slaTargets.ticketId, ticketId), eq(slaTargets.metric, callbackMetric(callbackId))));
      expect(target!.metAt).not.toBeNull();
      const again = await outcome(caller, callbackId, body);
      expect(again.statusCode).toBe(409);
      expect(again.json().error.code).toBe('callback.closed');
      const list = (await h.request(caller, { method: 'GET', url: '/api/v1/callbacks?limit=200' })).json();
      expect(list.items.some((c: { id: string }) => c.id === callbackId)).toBe(false);
      const timeline = (
        await h.request(supervisor, { method: 'GET', url: `/api/v1/tickets/${ticketId}/timeline` })
      ).json();
      const done = timeline.items.find((e: { kind: string }) => e.kind === 'callback_completed');
      expect(done.data).toEqual({ callbackId, outcome: 'resolved', rootCause: 'service_attitude', attempts: 1 });
    });

    it('reopens the ticket when the outcome is ticket_reopened', async () => {
      const { ticketId, callbackId } = await openCallbackTask();
      await attempt(caller, callbackId, true);
      const res = await outcome(caller, callbackId, {
        rootCause: 'network',
        remedy: '重新派单上门检修',
        outcome: 'ticket_reopened',
      });
      expect(res.statusCode, res.body).toBe(200);
      const [row] = await h.database.db.select().from(tickets).where(eq(tickets.id, ticketId));
      expect(['new', 'open', 'in_progress', 'assigned']).toContain(row!.status);
    });

    it('opens a complaint for the same customer, linked to the ticket, with the callback notes', async () => {
      const { ticketId, callbackId } = await openCallbackTask();
      await attempt(caller, callbackId, true);
      const withoutNotes = await outcome(caller, callbackId, {
        rootCause: 'network',
        remedy: '升级处理',
        outcome: 'complaint_opened',
      });
      expect(withoutNotes.statusCode).toBe(400);
      const res = await outcome(caller, callbackId, {
        rootCause: 'network',
        remedy: '升级至网络部并赠送 20 元话费',
        outcome: 'complaint_opened',
        notes: '客户表示宽带每晚掉线，要求正式投诉',
      });
      expect(res.statusCode, res.body).toBe(200);
      const detail = res.json();
      expect(detail).toMatchObject({
        status: 'done',
        outcome: 'complaint_opened',
        rootCause: 'network',
        rootCauseLabel: { zh: '网络质量', en: 'Network' },
      });
      expect(detail.complaint).toMatchObject({ status: 'new' });
      const [original] = await h.database.db.select().from(tickets).where(eq(tickets.id, ticketId));
      const [complaint] = await h.database.db.select().from(tickets).where(eq(tickets.id, detail.complaint.id));
      expect(complaint).toMatchObject({
        type: 'complaint',
        customerId: original!.customerId,
        contactNumber: original!.contactNumber,
        firstContactOwnerId: caller.actor.id,
        number: detail.complaint.number,
      });
      expect(complaint!.description).toContain('客户表示宽带每晚掉线，要求正式投诉');
      expect(complaint!.description).toContain('客户接听');
      expect(complaint!.description).toContain(original!.number);
      // The original ticket is untouched (still resolved) and both sides show the link.
      expect(original!.status).toBe('resolved');
      const links = await h.request(supervisor, { method: 'GET', url: `/api/v1/tickets/${ticketId}/links` });
      expect(links.json().items).toContainEqual(
        expect.objectContaining({ ticketId: complaint!.id, kind: 'callback_complaint', direction: 'incoming' }),
      );
      const timeline = (
        await h.request(supervisor, { method: 'GET', url: `/api/v1/tickets/${ticketId}/timeline` })
      ).json();
      const done = timeline.items.find((e: { kind: string }) => e.kind === 'callback_completed');
      expect(done.data).toEqual({
        callbackId,
        outcome: 'complaint_opened',
        rootCause: 'network',
        attempts: 1,
        complaint: complaint!.id,
        complaintNumber: complaint!.number,
      });
      expect(timeline.items).toContainEqual(
        expect.objectContaining({ kind: 'linked', data: { other: complaint!.id, otherNumber: complaint!.number } }),
      );
      const complaintTimeline = (
        await h.request(supervisor, { method: 'GET', url: `/api/v1/tickets/${complaint!.id}/timeline` })
      ).json();
      expect(complaintTimeline.items.map((e: { kind: string }) => e.kind)).toEqual(
        expect.arrayContaining(['created', 'linked']),
      );
      const [row] = await h.database.db.select().from(callbacks).where(eq(callbacks.id, callbackId));
      expect(row).toMatchObject({ complaintTicketId: complaint!.id });
    });

    it('takes root causes from the list administrators keep, and refuses a deactivated one', async () => {
      const admin = await h.signIn('admin', team);
      const list = await h.request(admin, { method: 'GET', url: '/api/v1/root-causes' });
      expect(list.statusCode).toBe(200);
      expect(list.json().items.map((c: { code: string }) => c.code)).toEqual(
        expect.arrayContaining([
          'network',
          'billing',
          'service_attitude',
          'process',
          'product',
          'misunderstanding',
          'other',
        ]),
      );
      const code = `cause_${smsId++}`;
      expect((await post(agent, '/api/v1/root-causes', { code, nameZh: '天气', nameEn: 'Weather' })).statusCode).toBe(
        403,
      );
      const created = await post(admin, '/api/v1/root-causes', { code, nameZh: '天气', nameEn: 'Weather' });
      expect(created.statusCode, created.body).toBe(200);
      expect(
        (await post(admin, '/api/v1/root-causes', { code, nameZh: '天气', nameEn: 'Weather' })).json().error.code,
      ).toBe('root_cause.code_taken');
      const { callbackId } = await openCallbackTask();
      await attempt(caller, callbackId, true);
      const off = await h.request(admin, {
        method: 'PATCH',
        url: `/api/v1/root-causes/${code}`,
        payload: { active: false },
      });
      expect(off.json()).toMatchObject({ code, active: false });
      const refused = await outcome(caller, callbackId, { rootCause: code, remedy: '致歉', outcome: 'resolved' });
      expect(refused.statusCode).toBe(422);
      expect(refused.json().error.code).toBe('callback.unknown_root_cause');
      const active = (await h.request(caller, { method: 'GET', url: '/api/v1/root-causes' })).json();
      expect(active.items.some((c: { code: string }) => c.code === code)).toBe(false);
      const all = (await h.request(admin, { method: 'GET', url: '/api/v1/root-causes?all=true' })).json();
      expect(all.items.find((c: { code: string }) => c.code === code)).toMatchObject({ active: false });
      expect((await h.request(caller, { method: 'GET', url: '/api/v1/root-causes?all=true' })).statusCode).toBe(403);
      await h.request(admin, { method: 'PATCH', url: `/api/v1/root-causes/${code}`, payload: { active: true } });
      const ok = await outcome(caller, callbackId, { rootCause: code, remedy: '致歉', outcome: 'resolved' });
      expect(ok.json()).toMatchObject({ rootCause: code, rootCauseLabel: { zh: '天气', en: 'Weather' } });
    });

    it('keeps when the customer was first reached, for reporting', async () => {
      const { callbackId } = await openCallbackTask();
      await attempt(caller, callbackId, false);
      clock.advance(30 * MIN);
      const reachedAt = clock.now().toISOString();
      await attempt(caller, callbackId, true);
      clock.advance(5 * MIN);
      const res = await attempt(caller, callbackId, true);
      expect(res.json()).toMatchObject({ firstReachedAt: reachedAt });
    });

    it('refuses bad input with 400 and an unknown callback with 404, never 500', async () => {
      const { callbackId } = await openCallbackTask();
      const bad = await outcome(caller, callbackId, { rootCause: 'weather', remedy: '', outcome: 'resolved' });
      expect(bad.statusCode).toBe(400);
      const unknown = await attempt(caller, crypto.randomUUID(), true);
      expect(unknown.statusCode).toBe(404);
    });
  });
});
