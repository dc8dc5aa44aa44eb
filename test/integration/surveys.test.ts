import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SURVEY_SETTINGS } from '../../src/core/surveys/rules.js';
import { queryRows } from '../../src/db/client.js';
import { outbox, surveys, ticketMessages } from '../../src/db/schema.js';
import { receiveChannelMessage } from '../../src/usecases/channels/receive-channel-message.js';
import { dispatchSurveys, surveyOfTicket } from '../../src/usecases/surveys/surveys.js';
import { transitionTicket } from '../../src/usecases/tickets/transition-ticket.js';
import type { Deps } from '../../src/usecases/deps.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

const MIN = 60_000;
const DAY = 86_400_000;

describe.each(ENGINES)('satisfaction surveys on %s', (engine) => {
  let h: Harness;
  const clock = testClock(new Date('2026-11-20T02:00:00Z'));
  let team: string;
  let agent: Session;
  /** No frequency cap, so one customer can have several surveys in a test. */
  let uncapped: Deps;

  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    team = await h.buildTeam();
    agent = await h.signIn('agent', team);
    uncapped = { ...h.deps, surveys: { ...DEFAULT_SURVEY_SETTINGS, capDays: 0 } };
  });
  afterAll(() => h?.close());

  const post = (s: Session, url: string, payload: Record<string, unknown>) =>
    h.request(s, { method: 'POST', url, payload });

  /** A ticket the agent answered publicly and resolved (through the API unless `deps` is given). */
  async function resolvedTicket(opts: { customerId?: string; channel?: 'hotline' | 'web'; deps?: Deps } = {}) {
    const id = await h.buildTicket(agent.actor, {
      assignToMe: true,
      ...(opts.customerId ? { customerId: opts.customerId } : {}),
      ...(opts.channel ? { channel: opts.channel } : {}),
    });
    await post(agent, `/api/v1/tickets/${id}/transitions`, { action: 'start' });
    await post(agent, `/api/v1/tickets/${id}/messages`, { visibility: 'public', body: '已为您重置端口，请重启光猫。' });
    if (opts.deps) await transitionTicket(opts.deps, agent.actor, id, { action: 'resolve' });
    else expect((await post(agent, `/api/v1/tickets/${id}/transitions`, { action: 'resolve' })).statusCode).toBe(200);
    return id;
  }
  const numberOf = async (customerId: string) =>
    (
      await queryRows<{ msisdn: string }>(
        h.database.db,
        sql`SELECT msisdn FROM customer_numbers WHERE customer_id = ${customerId} ORDER BY position LIMIT 1`,
      )
    )[0]!.msisdn;
  const surveyOutbox = (ticketId: string) =>
    h.database.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.ticketId, ticketId), sql`${outbox.payload}->>'kind' = 'survey'`));
  let smsId = 0;
  const sms = (msisdn: string, text: string) =>
    receiveChannelMessage(h.deps, 'sms', { messageId: `survey-sms-${smsId++}`, from: { msisdn }, text });

  it('creates one survey with the resolution, sent after the delay, and keeps it through a reopen', async () => {
    const id = await resolvedTicket();
    const survey = await surveyOfTicket(h.database.db, id);
    expect(survey).toMatchObject({ status: 'scheduled', agentId: agent.actor.id, teamId: team });
    const panel = await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${id}/survey` });
    expect(panel.json().survey).toMatchObject({ status: 'scheduled', sentAt: null });
    expect(survey!.sendAfter.getTime() - clock.now().getTime()).toBe(120 * MIN);
    await post(agent, `/api/v1/tickets/${id}/confirmation`, { solved: false });
    await post(agent, `/api/v1/tickets/${id}/transitions`, { action: 'resolve' });
    const rows = await h.database.db.select().from(surveys).where(eq(surveys.ticketId, id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe(survey!.id);
  });

  it('sends each due survey exactly once even with two job runs at the same moment, and not before the delay', async () => {
    const id = await resolvedTicket();
    clock.advance(60 * MIN);
    await dispatchSurveys(h.deps, { publicUrl: 'https://kf.example.cn' });
    expect(await surveyOutbox(id)).toHaveLength(0);
    clock.advance(61 * MIN);
    await Promise.all([
      dispatchSurveys(h.deps, { publicUrl: 'https://kf.example.cn' }),
      dispatchSurveys(h.deps, { publicUrl: 'https://kf.example.cn' }),
    ]);
    const sent = await surveyOutbox(id);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.channel).toBe('sms');
    expect(sent[0]!.payload).toMatchObject({ kind: 'survey' });
    expect((sent[0]!.payload as { text: string }).text).toMatch(/回复数字 1–5.*Reply with a digit 1-5/);
    expect(await surveyOfTicket(h.database.db, id)).toMatchObject({ status: 'sent', channel: 'sms' });
  });

  it('holds a reopened ticket’s survey back until the delay after its new resolution', async () => {
    const id = await resolvedTicket();
    await post(agent, `/api/v1/tickets/${id}/confirmation`, { solved: false });
    clock.advance(121 * MIN);
    await dispatchSurveys(h.deps, { publicUrl: 'https://kf.example.cn' });
    expect((await surveyOfTicket(h.database.db, id))!.status).toBe('scheduled');
    await post(agent, `/api/v1/tickets/${id}/transitions`, { action: 'resolve' });
    await dispatchSurveys(h.deps, { publicUrl: 'https://kf.example.cn' });
    // It goes out the delay after the new resolution.
    expect((await surveyOfTicket(h.database.db, id))!.status).toBe('scheduled');
    clock.advance(121 * MIN);
    await dispatchSurveys(h.deps, { publicUrl: 'https://kf.example.cn' });
    expect((await surveyOfTicket(h.database.db, id))!.status).toBe('sent');
  });

  it('expires an unanswered survey after the answer window; a digit after that is an ordinary message', async () => {
    const customerId = await h.buildCustomer();
    const msisdn = await numberOf(customerId);
    const id = await resolvedTicket({ customerId });
    clock.advance(121 * MIN);
    await dispatchSurveys(h.deps, { publicUrl: 'https://kf.example.cn' });
    clock.advance(7 * DAY + MIN);
    expect((await dispatchSurveys(h.deps, { publicUrl: 'https://kf.example.cn' })).expired).toBeGreaterThanOrEqual(1);
    expect((await surveyOfTicket(h.database.db, id))!.status).toBe('expired');
    const late = await sms(msisdn, '5');
    expect(late.survey).toBeUndefined();
    expect(late.messageId).toEqual(expect.any(String));
    // The clock moved by days: a fresh session for the tests after this one.
    agent = await h.signIn('agent', team);
  });

  it('holds the frequency cap: a second resolved ticket of the customer within 30 days gets no survey', async () => {
    const customerId = await h.buildCustomer();
    const first = await resolvedTicket({ customerId });
    const second = await resolvedTicket({ customerId });
    expect((await surveyOfTicket(h.database.db, first))!.status).toBe('scheduled');
    expect(await surveyOfTicket(h.database.db, second)).toMatchObject({
      status: 'skipped',
      skipReason: 'frequency_cap',
    });
  });

  it('answers the newest pending survey of the number with an SMS digit, without adding a ticket message', async () => {
    const customerId = await h.buildCustomer();
    const msisdn = await numberOf(customerId);
    const older = await resolvedTicket({ customerId, deps: uncapped });
    clock.advance(MIN);
    const newer = await resolvedTicket({ customerId, deps: uncapped });
    clock.advance(121 * MIN);
    await dispatchSurveys(h.deps, { publicUrl: 'https://kf.example.cn' });
    // Sent a minute apart: the newer ticket's survey was sent last.
    await h.database.db
      .update(surveys)
      .set({ sentAt: new Date(clock.now().getTime() - MIN) })
      .where(eq(surveys.ticketId, older));
    const messagesBefore = await h.database.db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, newer));

    const result = await sms(msisdn, '2');
    expect(result).toMatchObject({ survey: 'answered', ticketId: newer, messageId: null });
    expect(await surveyOfTicket(h.database.db, newer)).toMatchObject({
      status: 'answered',
      csat: 2,
      answeredVia: 'sms',
    });
    expect((await surveyOfTicket(h.database.db, older))!.status).toBe('sent');
    const messagesAfter = await h.database.db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, newer));
    expect(messagesAfter).toHaveLength(messagesBefore.length);

    const timeline = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${newer}/timeline` })).json();
    const answered = timeline.items.find((e: { kind: string }) => e.kind === 'survey_answered');
    expect(answered.data).toEqual({
      surveyId: expect.any(String),
      via: 'sms',
      csat: 2,
      agentId: agent.actor.id,
      low: ['csat'],
    });

    // The next digit answers the other (now the newest pending) survey.
    expect(await sms(msisdn, '5')).toMatchObject({ survey: 'answered', ticketId: older });
  });

  it('treats a digit from a number with no survey pending as an ordinary message', async () => {
    const customerId = await h.buildCustomer();
    const msisdn = await numberOf(customerId);
    const result = await sms(msisdn, '3');
    expect(result.survey).toBeUndefined();
    expect(result.messageId).toEqual(expect.any(String));
    expect(result.created).toBe(true);
  });

  it('treats other text as an ordinary message even with a survey pending', async () => {
    const customerId = await h.buildCustomer();
    const msisdn = await numberOf(customerId);
    const id = await resolvedTicket({ customerId });
    clock.advance(121 * MIN);
    await dispatchSurveys(h.deps, { publicUrl: 'https://kf.example.cn' });
    const result = await sms(msisdn, '3分吧，网速还是慢');
    expect(result.survey).toBeUndefined();
    expect(result.messageId).toEqual(expect.any(String));
    expect((await surveyOfTicket(h.database.db, id))!.status).toBe('sent');
  });

  it('opts a number out with “退订”: its pending survey is withdrawn and no further survey is scheduled', async () => {
    const customerId = await h.buildCustomer();
    const msisdn = await numberOf(customerId);
    const id = await resolvedTicket({ customerId, deps: uncapped });
    clock.advance(121 * MIN);
    await dispatchSurveys(h.deps, { publicUrl: 'https://kf.example.cn' });
    expect(await sms(msisdn, '退订')).toMatchObject({ survey: 'opted_out', messageId: null });
    expect(await surveyOfTicket(h.database.db, id)).toMatchObject({ status: 'skipped', skipReason: 'opted_out' });
    const next = await resolvedTicket({ customerId, deps: uncapped });
    expect(await surveyOfTicket(h.database.db, next)).toMatchObject({ status: 'skipped', skipReason: 'opted_out' });
    // A digit now is an ordinary message.
    expect((await sms(msisdn, '4')).survey).toBeUndefined();
  });

  describe('answering through the link', () => {
    async function linkToken(): Promise<{ ticketId: string; token: string }> {
      // The clock moves by days in these tests: a fresh session each time.
      agent = await h.signIn('agent', team);
      const ticketId = await resolvedTicket({ channel: 'web' });
      clock.advance(121 * MIN);
      await dispatchSurveys(h.deps, { publicUrl: 'https://kf.example.cn' });
      const [item] = await surveyOutbox(ticketId);
      const payload = item!.payload as { surveyLink: string; text: string };
      expect(payload.text).toContain(`https://kf.example.cn/portal/?survey=${payload.surveyLink}`);
      return { ticketId, token: payload.surveyLink };
    }
    const page = (token: string) => h.request(null, { method: 'GET', url: `/api/portal/v1/surveys/${token}` });
    const answer = (token: string, body: Record<string, unknown>) =>
      h.request(null, { method: 'POST', url: `/api/portal/v1/surveys/${token}`, payload: body });

    it('shows the questions, takes the answer once, and refuses the reused link with a clear state', async () => {
      const { ticketId, token } = await linkToken();
      expect((await page(token)).json()).toMatchObject({ state: 'open', ticketNumber: expect.any(String) });
      const full = { csat: 4, nps: 9, speed: 5, quality: 4, attitude: 5, convenience: 1, comment: '师傅很专业' };
      expect((await answer(token, full)).statusCode).toBe(204);
      expect(await surveyOfTicket(h.database.db, ticketId)).toMatchObject({
        status: 'answered',
        answeredVia: 'link',
        nps: 9,
        convenience: 1,
        comment: '师傅很专业',
      });
      const reused = await answer(token, { csat: 1 });
      expect(reused.statusCode).toBe(409);
      expect(reused.json().error.code).toBe('survey.already_answered');
      expect((await page(token)).json()).toEqual({ state: 'answered', ticketNumber: expect.any(String) });
      // Scores on the timeline, never the comment.
      const timeline = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${ticketId}/timeline` })).json();
      const entry = timeline.items.find((e: { kind: string }) => e.kind === 'survey_answered');
      expect(entry.data).toMatchObject({ csat: 4, nps: 9, hasComment: true, low: ['convenience'] });
      expect(JSON.stringify(entry)).not.toContain('师傅很专业');
      // The desk's survey panel shows the answer, the comment included, to those who may read the ticket.
      const panel = await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${ticketId}/survey` });
      expect(panel.json().survey).toMatchObject({ status: 'answered', csat: 4, nps: 9, comment: '师傅很专业' });
      // By the ticket's own read rule: a ticket one may not read (here: none) is not found.
      const none = await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${crypto.randomUUID()}/survey` });
      expect(none.statusCode).toBe(404);
    });

    it('refuses an expired link and shows it as expired', async () => {
      const { token } = await linkToken();
      clock.advance(7 * DAY + MIN);
      expect((await page(token)).json()).toMatchObject({ state: 'expired' });
      const late = await answer(token, { csat: 5 });
      expect(late.statusCode).toBe(409);
      expect(late.json().error.code).toBe('survey.expired');
    });

    it('answers 404 with a code for an unknown token and 400 for bad scores, never 500', async () => {
      const unknown = await page('x'.repeat(32));
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.code).toBe('survey.not_found');
      const { token } = await linkToken();
      const bad = await answer(token, { csat: 6, nps: 11 });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('request.invalid');
      expect((await page('bad token!')).statusCode).toBe(400);
    });
  });

  describe('texts and the NPS question by SMS', () => {
    let admin: Session;
    const setNps = async (on: boolean) =>
      h.request(admin, { method: 'PUT', url: '/api/v1/survey-settings', payload: { smsNps: on } });
    const putTemplate = (kind: string, body: Record<string, unknown>) =>
      h.request(admin, { method: 'PUT', url: `/api/v1/survey-templates/${kind}`, payload: body });

    beforeAll(async () => {
      admin = await h.signIn('admin', team);
    });

    it('sends the texts an administrator keeps, and refuses a link text without {link}', async () => {
      agent = await h.signIn('agent', team);
      admin = await h.signIn('admin', team);
      expect((await h.request(agent, { method: 'GET', url: '/api/v1/survey-templates' })).statusCode).toBe(403);
      const shipped = (await h.request(admin, { method: 'GET', url: '/api/v1/survey-templates' })).json();
      expect(shipped.smsNps).toBe(false);
      expect(shipped.items.find((i: { kind: string }) => i.kind === 'sms_rating').zh).toContain('回复数字 1–5');
      const saved = await putTemplate('sms_rating', {
        zh: '【某某电信】工单 {ticketNumber} 已办结，请回复 1–5 打分。',
        en: '',
      });
      expect(saved.statusCode, saved.body).toBe(200);
      const bad = await putTemplate('email_link', { zh: '请评价我们的服务', en: 'Rate us: {link} {name}' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error).toMatchObject({
        code: 'survey_template.invalid',
        details: {
          issues: [
            { language: 'zh', problem: 'missing_placeholder', placeholder: 'link' },
            { language: 'en', problem: 'unknown_placeholder', placeholder: 'name' },
          ],
        },
      });
      const id = await resolvedTicket();
      clock.advance(121 * MIN);
      await dispatchSurveys(h.deps, { publicUrl: 'https://kf.example.cn' });
      const [item] = await surveyOutbox(id);
      const ticket = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${id}` })).json();
      expect((item!.payload as { text: string }).text).toBe(
        `【某某电信】工单 ${ticket.number} 已办结，请回复 1–5 打分。`,
      );
      await putTemplate('sms_rating', {
        zh: '【满意度调查】您的工单 {ticketNumber} 已处理完毕。请回复数字 1–5 评价我们的服务（5 = 非常满意，1 = 非常不满意）。回复 TD 退订。',
        en: 'Your ticket {ticketNumber} is resolved. Reply with a digit 1-5 to rate our service (5 = very satisfied, 1 = very dissatisfied). Reply TD to opt out.',
      });
    });

    it('asks the NPS question after the digit when switched on, and takes a reply 0–10 once', async () => {
      expect((await setNps(true)).json().smsNps).toBe(true);
      try {
        const customerId = await h.buildCustomer();
        const msisdn = await numberOf(customerId);
        const id = await resolvedTicket({ customerId });
        clock.advance(121 * MIN);
        await dispatchSurveys(h.deps, { publicUrl: 'https://kf.example.cn' });
        expect(await sms(msisdn, '4')).toMatchObject({ survey: 'answered', ticketId: id });
        const messages = await surveyOutbox(id);
        expect(messages).toHaveLength(2);
        expect(messages.map((m) => (m.payload as { text: string }).text)).toContainEqual(
          expect.stringContaining('请回复 0–10'),
        );
        expect(messages.every((m) => m.recipient === msisdn)).toBe(true);
        clock.advance(MIN);
        expect(await sms(msisdn, '10')).toMatchObject({ survey: 'answered', ticketId: id });
        const survey = await surveyOfTicket(h.database.db, id);
        expect(survey).toMatchObject({ csat: 4, nps: 10, status: 'answered' });
        expect(survey!.npsAnsweredAt).toEqual(clock.now());
        // Answered once: another number is an ordinary message.
        const again = await sms(msisdn, '3');
        expect(again.survey).toBeUndefined();
        expect(again.messageId).toEqual(expect.any(String));
        expect((await surveyOfTicket(h.database.db, id))!.nps).toBe(10);
      } finally {
        await setNps(false);
      }
    });

    it('gives a digit to the newest question of the number: a CSAT sent after an NPS question takes it', async () => {
      await setNps(true);
      try {
        const customerId = await h.buildCustomer();
        const msisdn = await numberOf(customerId);
        const first = await resolvedTicket({ customerId, deps: uncapped });
        clock.advance(121 * MIN);
        await dispatchSurveys(h.deps, { publicUrl: 'https://kf.example.cn' });
        await sms(msisdn, '5'); // CSAT of the first; its NPS question is asked now
        clock.advance(MIN);
        const second = await resolvedTicket({ customerId, deps: uncapped });
        clock.advance(121 * MIN);
        await dispatchSurveys(h.deps, { publicUrl: 'https://kf.example.cn' });
        // "3" fits both; the second ticket's CSAT question is the newer one.
        expect(await sms(msisdn, '3')).toMatchObject({ ticketId: second });
        // The second's NPS question is now the newest; "7" answers it, and "9" then the first's.
        clock.advance(MIN);
        expect(await sms(msisdn, '7')).toMatchObject({ ticketId: second });
        expect(await sms(msisdn, '9')).toMatchObject({ ticketId: first });
        expect(await surveyOfTicket(h.database.db, first)).toMatchObject({ csat: 5, nps: 9 });
        expect(await surveyOfTicket(h.database.db, second)).toMatchObject({ csat: 3, nps: 7 });
      } finally {
        await setNps(false);
      }
    });

    it('treats 0–10 as an ordinary message while the NPS question is off', async () => {
      const customerId = await h.buildCustomer();
      const msisdn = await numberOf(customerId);
      const id = await resolvedTicket({ customerId });
      clock.advance(121 * MIN);
      await dispatchSurveys(h.deps, { publicUrl: 'https://kf.example.cn' });
      await sms(msisdn, '4');
      expect(await surveyOutbox(id)).toHaveLength(1);
      expect((await sms(msisdn, '9')).survey).toBeUndefined();
      expect((await surveyOfTicket(h.database.db, id))!.nps).toBeNull();
    });
  });
});
