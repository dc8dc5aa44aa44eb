import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../src/core/channels/webhook-signature.js';
import { autoAssign } from '../../src/usecases/routing/auto-assign.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, TEST_WEBHOOK_SECRETS, type Harness, type Session } from '../helpers/harness.js';

// 责任到人: a ticket a customer opens that no routing rule places lands on its channel's intake
// queue and is handed out like any other; the first agent to take it becomes its first-contact owner.

const SMS_DESK = `sms-desk-${Date.now().toString(36)}`;
const FRONTLINE = `intake-${Date.now().toString(36)}`;

describe.each(ENGINES)('intake queues on %s', (engine) => {
  let h: Harness;
  let supervisor: Session;
  beforeAll(async () => {
    h = await startHarness(engine, { env: { LOOPDESK_INTAKE_QUEUES: `sms=${SMS_DESK},${FRONTLINE}` } });
    supervisor = await h.signIn('supervisor');
  }, 180_000);
  afterAll(() => h?.close());

  let counter = 0;
  function deliverSms(msisdn: string, text: string) {
    const payload = JSON.stringify({ messageId: `intake-${Date.now()}-${counter++}`, from: { msisdn }, text });
    const t = Math.floor(Date.now() / 1000);
    return h.request(null, {
      method: 'POST',
      url: '/api/v1/channels/sms/messages',
      payload,
      headers: {
        'content-type': 'application/json',
        'x-loopdesk-signature': sign(TEST_WEBHOOK_SECRETS.sms, t, payload),
      },
    });
  }

  async function onlineAgent(teamId: string): Promise<Session> {
    const agent = await h.signIn('agent', teamId);
    const profile = await h.request(supervisor, {
      method: 'PUT',
      url: `/api/v1/agents/${agent.actor.id}/profile`,
      payload: { tier: 1, skills: { categories: [], languages: ['zh'], regions: [] }, capacity: 5 },
    });
    expect(profile.statusCode, profile.body).toBe(204);
    const online = await h.request(agent, {
      method: 'PUT',
      url: '/api/v1/me/presence',
      payload: { presence: 'online' },
    });
    expect(online.statusCode, online.body).toBe(204);
    return agent;
  }

  it('puts an SMS ticket no rule matches on the SMS intake queue, where auto-assignment gives it to an online agent who becomes its first-contact owner', async () => {
    const teamId = await h.buildTeam({ code: SMS_DESK, assignmentStrategy: 'least_loaded' });
    const agent = await onlineAgent(teamId);
    await h.buildCustomer({ numbers: ['13712349001'] });

    const res = await deliverSms('13712349001', '你好，想问一下营业厅几点关门');
    expect(res.statusCode, res.body).toBe(201);
    const { ticketId } = res.json();

    await autoAssign(h.deps);
    const ticket = (await h.request(supervisor, { method: 'GET', url: `/api/v1/tickets/${ticketId}` })).json();
    expect(ticket).toMatchObject({
      status: 'assigned',
      team: { id: teamId },
      assignee: { id: agent.actor.id },
      firstContactOwner: { id: agent.actor.id },
    });
    const timeline = (
      await h.request(supervisor, { method: 'GET', url: `/api/v1/tickets/${ticketId}/timeline` })
    ).json().items as { kind: string; data: Record<string, unknown> }[];
    expect(timeline.find((e) => e.kind === 'routed')?.data).toMatchObject({
      teamId,
      intakeQueue: SMS_DESK,
    });
  });

  it('sends a channel without an entry of its own to the default intake queue', async () => {
    const teamId = await h.buildTeam({ code: FRONTLINE, assignmentStrategy: 'least_loaded' });
    const customerId = await h.buildCustomer();
    // An administrator (no team of their own) records a WeChat message: no rule, no creator's team.
    const admin = await h.signIn('admin', null);
    const created = await h.request(admin, {
      method: 'POST',
      url: '/api/v1/tickets',
      payload: { type: 'inquiry', channel: 'wechat', subject: '咨询', description: '请问怎么查积分', customerId },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().team).toMatchObject({ id: teamId });
  });

  it('keeps a staff member’s ticket in their own team when no rule places it', async () => {
    const teamId = await h.buildTeam();
    const agent = await h.signIn('agent', teamId);
    const customerId = await h.buildCustomer();
    const created = await h.request(agent, {
      method: 'POST',
      url: '/api/v1/tickets',
      payload: { type: 'inquiry', channel: 'sms', subject: '咨询', description: '请问怎么查积分', customerId },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().team).toMatchObject({ id: teamId });
  });
});
