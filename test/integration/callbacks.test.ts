import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callbackMetric } from '../../src/core/callbacks/callbacks.js';
import { queryRows } from '../../src/db/client.js';
import { callbacks, slaTargets, teams } from '../../src/db/schema.js';
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
});
