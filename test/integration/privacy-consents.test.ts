import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { receiveChannelMessage } from '../../src/usecases/channels/receive-channel-message.js';
import { dispatchSurveys, surveyOfTicket } from '../../src/usecases/surveys/surveys.js';
import { sendIncidentNotices } from '../../src/usecases/incidents/send-notices.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

// Consent (PIPL Art. 15): a customer withdraws or gives again their consent to surveys, notices and
// marketing with a switch in the portal or by answering "TD"; survey scheduling and dispatch and the
// proactive incident notices honour the consent in force.

const MIN = 60_000;

describe.each(ENGINES)('consents on %s', (engine) => {
  let h: Harness;
  let agent: Session;
  const clock = testClock(new Date('2026-11-20T02:00:00Z'));
  let phoneSeq = 17_800_000_000 + Math.floor(Math.random() * 1e6);
  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    agent = await h.signIn('agent');
  });
  afterAll(() => h?.close());

  async function signIn(region?: string, phone = String(phoneSeq++)) {
    const customerId = await h.buildCustomer({ numbers: [phone], ...(region ? { region } : {}) });
    expect(
      (await h.request(null, { method: 'POST', url: '/api/portal/v1/codes', payload: { phone } })).statusCode,
    ).toBe(202);
    const [sms] = await queryRows<{ payload: { text: string } }>(
      h.database.db,
      sql`SELECT payload FROM outbox WHERE recipient = ${phone} ORDER BY created_at DESC, id DESC LIMIT 1`,
    );
    const res = await h.request(null, {
      method: 'POST',
      url: '/api/portal/v1/session',
      payload: { phone, code: /(\d{6})/.exec(sms!.payload.text)![1] },
    });
    expect(res.statusCode, res.body).toBe(200);
    const headers = {
      cookie: `loopdesk_portal=${res.cookies.find((c) => c.name === 'loopdesk_portal')!.value}`,
      'x-csrf-token': res.json().csrfToken as string,
    };
    const consents = (method: 'GET' | 'PUT', payload?: { purpose: string; granted: boolean }) =>
      h.request(null, { method, url: '/api/portal/v1/privacy/consents', headers, ...(payload ? { payload } : {}) });
    return { phone, customerId, consents };
  }

  async function resolvedTicket(customerId: string) {
    const id = await h.buildTicket(agent.actor, { customerId, assignToMe: true });
    const post = (url: string, payload: Record<string, unknown>) => h.request(agent, { method: 'POST', url, payload });
    await post(`/api/v1/tickets/${id}/transitions`, { action: 'start' });
    await post(`/api/v1/tickets/${id}/messages`, { visibility: 'public', body: '已为您处理。' });
    expect((await post(`/api/v1/tickets/${id}/transitions`, { action: 'resolve' })).statusCode).toBe(200);
    return id;
  }

  it('withdraws and gives again the consent to surveys with the portal switch; a resolution then schedules no survey, and after it one', async () => {
    const c = await signIn();
    const initial = await c.consents('GET');
    expect(initial.statusCode, initial.body).toBe(200);
    expect(initial.json()).toEqual({ surveys: true, notices: true, marketing: false, history: [] });

    const off = await c.consents('PUT', { purpose: 'surveys', granted: false });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json()).toMatchObject({
      surveys: false,
      history: [{ purpose: 'surveys', granted: false, channel: 'portal' }],
    });
    const withdrawn = await resolvedTicket(c.customerId);
    expect(await surveyOfTicket(h.database.db, withdrawn)).toMatchObject({
      status: 'skipped',
      skipReason: 'opted_out',
    });

    expect((await c.consents('PUT', { purpose: 'surveys', granted: true })).json()).toMatchObject({ surveys: true });
    const given = await resolvedTicket(c.customerId);
    expect(await surveyOfTicket(h.database.db, given)).toMatchObject({ status: 'scheduled' });
  });

  it('does not send a scheduled survey once the consent is withdrawn, however it was recorded', async () => {
    const c = await signIn();
    const id = await resolvedTicket(c.customerId);
    expect(await surveyOfTicket(h.database.db, id)).toMatchObject({ status: 'scheduled' });
    // Recorded by another feature (e.g. an agent on the phone) without touching the survey.
    await h.database.db.execute(
      sql`INSERT INTO consents (id, customer_id, purpose, granted, channel, created_at)
          VALUES (${uuidv7()}, ${c.customerId}, 'surveys', false, 'agent', ${clock.now()})`,
    );
    clock.advance(180 * MIN);
    await dispatchSurveys(h.deps, { publicUrl: 'https://kf.example.cn' });
    expect(await surveyOfTicket(h.database.db, id)).toMatchObject({ status: 'skipped', skipReason: 'opted_out' });
    const [sent] = await queryRows<{ n: number }>(
      h.database.db,
      sql`SELECT count(*)::int AS n FROM outbox WHERE ticket_id = ${id} AND payload->>'kind' = 'survey'`,
    );
    expect(sent!.n).toBe(0);
  });

  it('records an SMS "TD" as the withdrawal of the consents to surveys and marketing, shown in the portal', async () => {
    const c = await signIn();
    await c.consents('PUT', { purpose: 'marketing', granted: true });
    await receiveChannelMessage(h.deps, 'sms', { messageId: `td-${uuidv7()}`, from: { msisdn: c.phone }, text: 'TD' });
    const now = (await c.consents('GET')).json();
    expect(now).toMatchObject({ surveys: false, notices: true, marketing: false });
    expect(now.history.filter((r: { channel: string }) => r.channel === 'sms')).toEqual([
      expect.objectContaining({ purpose: 'surveys', granted: false }),
      expect.objectContaining({ purpose: 'marketing', granted: false }),
    ]);
    const id = await resolvedTicket(c.customerId);
    expect(await surveyOfTicket(h.database.db, id)).toMatchObject({ status: 'skipped', skipReason: 'opted_out' });
  });

  it('leaves a customer who switched off service notices out of the proactive notices of an incident', async () => {
    const area = `同意区${engine}`;
    const quiet = await signIn(area);
    const told = await signIn(area);
    expect((await quiet.consents('PUT', { purpose: 'notices', granted: false })).json()).toMatchObject({
      notices: false,
    });
    const supervisor = await h.signIn('supervisor');
    const incident = await h.request(supervisor, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: {
        title: '基站故障',
        category: 'network_performance',
        level: 'II',
        areas: [area],
        publicMessage: '基站故障，正在抢修。',
        notifyCustomers: true,
      },
    });
    expect(incident.statusCode, incident.body).toBe(201);
    while ((await sendIncidentNotices(h.deps)).busy);
    const notices = await queryRows<{ recipient: string }>(
      h.database.db,
      sql`SELECT recipient FROM outbox WHERE payload->>'kind' = 'incident_notice'
            AND payload->>'incidentId' = ${incident.json().id as string}`,
    );
    expect(notices.map((n) => n.recipient)).toEqual([told.phone]);
  });
});
