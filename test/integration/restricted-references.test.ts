import { eq } from 'drizzle-orm';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../src/core/channels/webhook-signature.js';
import { categoryId } from '../../src/db/reference-data.js';
import { customerNumbers } from '../../src/db/schema.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, TEST_WEBHOOK_SECRETS, type Harness, type Session } from '../helpers/harness.js';
import { openStream } from '../helpers/sse.js';

// A ticket of a restricted team (VIP desk, regulator referrals) is invisible to agents outside
// that team: not only on its own page, but also where another ticket refers to it.

describe.each(ENGINES)('references to tickets the reader may not read, on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine);
  });
  afterAll(() => h?.close());

  const get = (s: Session, url: string) => h.request(s, { method: 'GET', url });

  /** A VIP-desk ticket and an ordinary one of the same customer, and an agent outside the VIP desk. */
  async function setUp(opts: { categoryId?: string } = {}) {
    const vipTeam = await h.buildTeam({ kind: 'vip', restricted: true, name: 'VIP专席' });
    const vipAgent = await h.buildStaff('agent', vipTeam);
    const customerId = await h.buildCustomer();
    const restrictedId = await h.buildTicket(vipAgent, {
      customerId,
      subject: '董事长专线投诉',
      ...(opts.categoryId ? { categoryId: opts.categoryId } : {}),
    });
    const agent = await h.signIn('agent');
    const admin = await h.signIn('admin', null);
    const restricted = (await get(admin, `/api/v1/tickets/${restrictedId}`)).json<{ id: string; number: string }>();
    return { agent, admin, customerId, restricted };
  }

  /** Nothing that identifies the restricted ticket appears anywhere in the body. */
  const expectNoTrace = (body: string, t: { id: string; number: string }) => {
    expect(body).not.toContain(t.id);
    expect(body).not.toContain(t.number);
    expect(body).not.toContain('董事长专线投诉');
  };

  it('lists only the linked tickets the reader may read', async () => {
    const { agent, admin, customerId, restricted } = await setUp();
    const mine = await h.buildTicket(agent.actor, { customerId });
    const link = await h.request(admin, {
      method: 'POST',
      url: `/api/v1/tickets/${mine}/links`,
      payload: { otherTicketId: restricted.id },
    });
    expect(link.statusCode, link.body).toBe(204);

    const links = await get(agent, `/api/v1/tickets/${mine}/links`);
    expect(links.statusCode).toBe(200);
    expect(links.json().items).toEqual([]);
    expectNoTrace(links.body, restricted);
    // The administrator, who may read both, still sees the link.
    expect((await get(admin, `/api/v1/tickets/${mine}/links`)).json().items).toMatchObject([
      { ticketId: restricted.id, number: restricted.number },
    ]);
  });

  it('shows a `linked` timeline event as a link to a ticket the reader cannot see', async () => {
    const { agent, admin, customerId, restricted } = await setUp();
    const mine = await h.buildTicket(agent.actor, { customerId });
    await h.request(admin, {
      method: 'POST',
      url: `/api/v1/tickets/${mine}/links`,
      payload: { otherTicketId: restricted.id },
    });

    const timeline = await get(agent, `/api/v1/tickets/${mine}/timeline`);
    expect(timeline.statusCode).toBe(200);
    expectNoTrace(timeline.body, restricted);
    const linked = timeline.json().items.find((e: { kind: string }) => e.kind === 'linked');
    expect(linked.data).toEqual({ hiddenTicket: true });
    const seenByAdmin = (await get(admin, `/api/v1/tickets/${mine}/timeline`)).json().items;
    expect(seenByAdmin.find((e: { kind: string }) => e.kind === 'linked').data).toEqual({
      other: restricted.id,
      otherNumber: restricted.number,
    });
  });

  it('shows a `repeat_detected` event for an earlier restricted ticket without its number or id', async () => {
    const { agent, customerId, restricted } = await setUp({ categoryId: categoryId('fault-terminal') });
    const repeat = await h.buildTicket(agent.actor, { customerId, categoryId: categoryId('fault-terminal') });

    const ticket = (await get(agent, `/api/v1/tickets/${repeat}`)).json();
    expect(ticket.isRepeat).toBe(true);
    const timeline = await get(agent, `/api/v1/tickets/${repeat}/timeline`);
    expectNoTrace(timeline.body, restricted);
    const event = timeline.json().items.find((e: { kind: string }) => e.kind === 'repeat_detected');
    expect(event.data).toMatchObject({ hiddenTicket: true, windowDays: 30 });
    expect(event.data).not.toHaveProperty('earlier');
    expect((await get(agent, `/api/v1/tickets/${repeat}/links`)).json().items).toEqual([]);
  });

  it('pops only the open tickets the answering agent may read', async () => {
    const { agent, customerId, restricted } = await setUp();
    const mine = await h.buildTicket(agent.actor, { customerId });
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    const stream = await openStream(base, agent, 'call');
    const caller = await callerOf(customerId);
    const callId = `call-${Date.now()}`;
    try {
      const payload = JSON.stringify({
        callId,
        event: 'answered',
        at: new Date().toISOString(),
        caller,
        agent: agent.username,
      });
      const t = Math.floor(Date.now() / 1000);
      const answered = await h.request(null, {
        method: 'POST',
        url: '/api/v1/channels/hotline/calls',
        payload,
        headers: {
          'content-type': 'application/json',
          'x-loopdesk-signature': sign(TEST_WEBHOOK_SECRETS.hotline, t, payload),
        },
      });
      expect(answered.statusCode, answered.body).toBe(200);
      await stream.waitFor((e) => e.callId === callId);
      const pop = stream.events.find((e) => e.callId === callId)!;
      expect(pop.openTicketIds).toEqual([mine]);
      expectNoTrace(JSON.stringify(pop), restricted);
      // The call as the agent reads it later says the same.
      const call = await get(agent, `/api/v1/calls/${callId}`);
      expect(call.json().openTicketIds).toEqual([mine]);
    } finally {
      stream.close();
    }
  });

  /** The customer's number in clear, straight from the database (the API masks it). */
  async function callerOf(customerId: string): Promise<string> {
    const [row] = await h.database.db
      .select({ msisdn: customerNumbers.msisdn })
      .from(customerNumbers)
      .where(eq(customerNumbers.customerId, customerId));
    return row!.msisdn;
  }
});
