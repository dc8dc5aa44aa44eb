import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slaTargets, ticketMessages } from '../../src/db/schema.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

// What counts as "answered": a public message has a kind, and the ticket's SLA policy says which
// clocks each kind meets (issue 13). An acknowledgement template is no handling plan.

describe.each(ENGINES)('message kinds and the SLA clocks on %s', (engine) => {
  let h: Harness;
  const clock = testClock(new Date('2026-11-18T02:00:00Z'));
  let agent: Session;

  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    agent = await h.signIn('agent', await h.buildTeam());
  });
  afterAll(() => h?.close());

  const target = async (ticketId: string, metric: string) =>
    (
      await h.database.db
        .select()
        .from(slaTargets)
        .where(and(eq(slaTargets.ticketId, ticketId), eq(slaTargets.metric, metric)))
    )[0];
  const reply = (ticketId: string, body: Record<string, unknown>) =>
    h.request(agent, {
      method: 'POST',
      url: `/api/v1/tickets/${ticketId}/messages`,
      payload: { visibility: 'public', ...body },
    });

  it('meets the response clock but not the handling-plan clock with an acknowledgement; a plan meets it', async () => {
    const ticketId = await h.buildTicket(agent.actor, { assignToMe: true, type: 'complaint' });
    expect(await target(ticketId, 'handling_plan')).toMatchObject({ metAt: null });
    clock.advance(5 * 60_000);
    const ack = await reply(ticketId, { body: '您好，已收到您的反馈，我们正在处理。', kind: 'acknowledgement' });
    expect(ack.statusCode, ack.body).toBe(201);
    expect((await target(ticketId, 'handling_plan'))!.metAt).toBeNull();
    expect((await target(ticketId, 'first_response'))!.metAt).toEqual(clock.now());
    clock.advance(10 * 60_000);
    await reply(ticketId, { body: '处理方案：今天下午 3 点前安排师傅上门更换光猫。', kind: 'handling_plan' });
    expect((await target(ticketId, 'handling_plan'))!.metAt).toEqual(clock.now());
    const kinds = await h.database.db
      .select({ kind: ticketMessages.kind })
      .from(ticketMessages)
      .where(eq(ticketMessages.ticketId, ticketId));
    expect(kinds.map((k) => k.kind).sort()).toEqual(['acknowledgement', 'handling_plan']);
  });

  it('counts a reply without a kind as an answer, and keeps internal notes without one', async () => {
    const ticketId = await h.buildTicket(agent.actor, { assignToMe: true, type: 'complaint' });
    await h.request(agent, {
      method: 'POST',
      url: `/api/v1/tickets/${ticketId}/messages`,
      payload: { visibility: 'internal', body: '内部备注' },
    });
    await reply(ticketId, { body: '已为您重置端口。' });
    expect((await target(ticketId, 'handling_plan'))!.metAt).toEqual(clock.now());
    const rows = await h.database.db
      .select({ kind: ticketMessages.kind, visibility: ticketMessages.visibility })
      .from(ticketMessages)
      .where(eq(ticketMessages.ticketId, ticketId));
    expect(rows).toContainEqual({ kind: null, visibility: 'internal' });
    expect(rows).toContainEqual({ kind: 'answer', visibility: 'public' });
  });

  it('follows the policy: a policy where acknowledgements meet nothing leaves the response clock running', async () => {
    const admin = await h.signIn('admin', null);
    const policies = (await h.request(admin, { method: 'GET', url: '/api/v1/sla/policies' })).json();
    const ticketId = await h.buildTicket(agent.actor, { assignToMe: true, type: 'complaint' });
    const policyId = (await target(ticketId, 'first_response'))!.policyId;
    const policy = policies.items.find((p: { id: string }) => p.id === policyId);
    const put = await h.request(admin, {
      method: 'PUT',
      url: `/api/v1/sla/policies/${policyId}`,
      payload: { ...policy, messageKindMeets: { acknowledgement: [] } },
    });
    expect(put.statusCode, put.body).toBe(200);
    await reply(ticketId, { body: '已收到。', kind: 'acknowledgement' });
    expect((await target(ticketId, 'first_response'))!.metAt).toBeNull();
    const bad = await reply(ticketId, { body: '已收到。', kind: 'greeting' });
    expect(bad.statusCode).toBe(400);
  });

  it('refuses a kind on an internal note with the field named, and shows each reply’s kind in the conversation', async () => {
    const ticketId = await h.buildTicket(agent.actor, { assignToMe: true, type: 'complaint' });
    const note = await h.request(agent, {
      method: 'POST',
      url: `/api/v1/tickets/${ticketId}/messages`,
      payload: { visibility: 'internal', body: '内部备注', kind: 'handling_plan' },
    });
    expect(note.statusCode).toBe(400);
    expect(note.json().error).toMatchObject({
      code: 'request.invalid',
      details: { issues: [expect.objectContaining({ path: ['kind'] })] },
    });
    await h.request(agent, {
      method: 'POST',
      url: `/api/v1/tickets/${ticketId}/messages`,
      payload: { visibility: 'internal', body: '内部备注' },
    });
    await reply(ticketId, { body: '处理方案：明天上门。', kind: 'handling_plan' });
    const items = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${ticketId}/messages` })).json()
      .items as { visibility: string; kind: string | null }[];
    expect(items.map((m) => [m.visibility, m.kind])).toEqual([
      ['internal', null],
      ['public', 'handling_plan'],
    ]);
  });

  it('documents the kinds of a reply in the OpenAPI document', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const post = doc.paths['/api/v1/tickets/{id}/messages'].post;
    const kind = post.requestBody.content['application/json'].schema.properties.kind;
    expect(kind.enum).toEqual(['acknowledgement', 'handling_plan', 'answer', 'other']);
    expect(kind.description).toMatch(/handling-plan clock/);
  });
});
