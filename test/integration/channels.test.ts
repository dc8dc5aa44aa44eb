import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../src/core/channels/webhook-signature.js';
import { ENGINES } from '../helpers/engines.js';
import type { AddressInfo } from 'node:net';
import { startHarness, TEST_WEBHOOK_SECRETS, type Harness } from '../helpers/harness.js';
import { openStream } from '../helpers/sse.js';

describe.each(ENGINES)('inbound channel webhooks on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine);
  });
  afterAll(() => h?.close());

  let counter = 0;
  const messageId = () => `msg-${Date.now()}-${counter++}`;
  function deliver(
    channel: string,
    body: object,
    opts: { secret?: string; at?: number; raw?: string; path?: string } = {},
  ) {
    const payload = opts.raw ?? JSON.stringify(body);
    const t = opts.at ?? Math.floor(Date.now() / 1000);
    const secret = opts.secret ?? TEST_WEBHOOK_SECRETS[channel as 'sms'] ?? 'unconfigured-channel-secret';
    return h.request(null, {
      method: 'POST',
      url: opts.path ?? `/api/v1/channels/${channel}/messages`,
      payload,
      headers: { 'content-type': 'application/json', 'x-loopdesk-signature': sign(secret, t, payload) },
    });
  }
  const messagesOf = async (ticketId: string) => {
    const admin = await h.signIn('admin', null);
    return (await h.request(admin, { method: 'GET', url: `/api/v1/tickets/${ticketId}/messages` })).json().items as {
      fromCustomer: boolean;
      channel: string;
      bodyHtml: string;
    }[];
  };

  it('opens a ticket for a known customer from a signed SMS', async () => {
    const customerId = await h.buildCustomer({ numbers: ['13712340001'] });
    const res = await deliver('sms', {
      messageId: messageId(),
      from: { msisdn: '+8613712340001' },
      text: '家里宽带又断网了，请尽快处理',
    });
    expect(res.statusCode, res.body).toBe(201);
    const { ticketId, created, duplicate } = res.json();
    expect({ created, duplicate }).toEqual({ created: true, duplicate: false });
    const admin = await h.signIn('admin', null);
    const ticket = (await h.request(admin, { method: 'GET', url: `/api/v1/tickets/${ticketId}` })).json();
    expect(ticket).toMatchObject({
      channel: 'sms',
      status: 'new',
      customer: { id: customerId },
      firstContactOwner: null,
      subject: '家里宽带又断网了，请尽快处理',
    });
    expect(await messagesOf(ticketId)).toEqual([expect.objectContaining({ fromCustomer: true, channel: 'sms' })]);
  });

  it('changes nothing when the gateway delivers the same message again', async () => {
    await h.buildCustomer({ numbers: ['13712340002'] });
    const body = { messageId: messageId(), from: { msisdn: '13712340002' }, text: '查询话费' };
    const first = (await deliver('sms', body)).json();
    const again = await deliver('sms', body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ ...first, created: false, duplicate: true });
    expect(await messagesOf(first.ticketId)).toHaveLength(1);
  });

  it('keeps exactly one message when ten deliveries of it arrive at once', async () => {
    await h.buildCustomer({ numbers: ['13712340003'] });
    const body = { messageId: messageId(), from: { msisdn: '13712340003' }, text: '信号不好' };
    const results = await Promise.all(Array.from({ length: 10 }, () => deliver('sms', body)));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.json().messageId)).size).toBe(1);
    expect(await messagesOf(results[0]!.json().ticketId)).toHaveLength(1);
  });

  it('adds a follow-up to the customer’s open ticket and wakes it when it was waiting for them', async () => {
    await h.buildCustomer({ numbers: ['13712340004'] });
    const first = (
      await deliver('sms', { messageId: messageId(), from: { msisdn: '13712340004' }, text: '网速很慢' })
    ).json();
    const agent = await h.signIn('agent');
    const take = await h.request(agent, {
      method: 'POST',
      url: `/api/v1/tickets/${first.ticketId}/assignment`,
      payload: { assigneeId: agent.actor.id },
    });
    expect(take.json().firstContactOwner.id).toBe(agent.actor.id); // whoever takes it first owns it
    await h.request(agent, {
      method: 'POST',
      url: `/api/v1/tickets/${first.ticketId}/transitions`,
      payload: { action: 'start' },
    });
    await h.request(agent, {
      method: 'POST',
      url: `/api/v1/tickets/${first.ticketId}/messages`,
      payload: { visibility: 'public', body: '请问是哪个时段慢？' },
    });
    await h.request(agent, {
      method: 'POST',
      url: `/api/v1/tickets/${first.ticketId}/transitions`,
      payload: { action: 'wait_customer' },
    });
    const second = await deliver('sms', {
      messageId: messageId(),
      from: { msisdn: '13712340004' },
      text: '晚上八点以后',
    });
    expect(second.json()).toMatchObject({ ticketId: first.ticketId, created: false });
    const ticket = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${first.ticketId}` })).json();
    expect(ticket.status).toBe('in_progress');
    expect(ticket.firstContactOwner.id).toBe(agent.actor.id);
  });

  it('makes an unknown WeChat user a new customer and recognises them next time', async () => {
    const openId = `oWx-${Date.now()}`;
    const first = (
      await deliver('wechat', { messageId: messageId(), from: { openId, name: '微信用户' }, text: '套餐怎么变更？' })
    ).json();
    const second = (await deliver('wechat', { messageId: messageId(), from: { openId }, text: '在吗' })).json();
    expect(second.ticketId).toBe(first.ticketId);
    const admin = await h.signIn('admin', null);
    expect(
      (await h.request(admin, { method: 'GET', url: `/api/v1/tickets/${first.ticketId}` })).json().customer.name,
    ).toBe('微信用户');
  });

  it('refuses a wrong signature, a replayed old request, an unconfigured channel and a bad payload — and keeps nothing', async () => {
    const body = { messageId: messageId(), from: { msisdn: '13712340099' }, text: '你好' };
    const wrong = await deliver('sms', body, { secret: 'not-the-right-secret-at-all' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('webhook.bad_signature');
    const stale = await deliver('sms', body, { at: Math.floor(Date.now() / 1000) - 3600 });
    expect(stale.json().error.code).toBe('webhook.stale_timestamp');
    const disabled = await deliver('app', body);
    expect(disabled.statusCode).toBe(404);
    expect(disabled.json().error.code).toBe('webhook.channel_disabled');
    const bad = await deliver('sms', { messageId: '', from: {}, text: '' });
    expect(bad.statusCode).toBe(400);
    const broken = await deliver('sms', {}, { raw: '{"messageId":' });
    expect(broken.statusCode).toBe(400);
    // None of these created anything: the same message, correctly signed, is new.
    expect((await deliver('sms', body)).statusCode).toBe(201);
  });

  it('pops the caller’s customer and open tickets on the answering agent’s desk, and files the recording on the ticket', async () => {
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const baseUrl = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    const agent = await h.signIn('agent');
    const customerId = await h.buildCustomer({ numbers: ['13712349999'] });
    const ticketId = await h.buildTicket(agent.actor, { customerId });
    const number = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${ticketId}` })).json()
      .number as string;
    const stream = await openStream(baseUrl, agent, 'call');
    const call = (event: string, extra: object = {}) =>
      deliver(
        'hotline',
        { callId: 'call-1', event, at: new Date().toISOString(), caller: '13712349999', ...extra },
        { path: '/api/v1/channels/hotline/calls' },
      );
    try {
      expect((await call('started', { ivrPath: ['2', '1'] })).statusCode).toBe(200);
      const answered = await call('answered', { agent: agent.username });
      expect(answered.json()).toMatchObject({ customerId, openTicketIds: [ticketId] });
      await stream.waitFor((e) => e.callId === 'call-1' && e.customerId === customerId);
      await call('answered', { agent: agent.username }); // a repeat pops nothing new
      await call('ended', { recordingUrl: 'https://cti.example/rec/call-1.mp3', ticketNumber: number });
      await call('ended', { recordingUrl: 'https://cti.example/rec/call-1.mp3', ticketNumber: number });
      const linked = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${ticketId}/timeline` }))
        .json()
        .items.filter((e: { kind: string }) => e.kind === 'call_linked');
      expect(linked).toHaveLength(1);
      expect(linked[0].data).toMatchObject({
        callId: 'call-1',
        recordingUrl: 'https://cti.example/rec/call-1.mp3',
        ivrPath: ['2', '1'],
      });
      expect(stream.events.filter((e) => e.callId === 'call-1')).toHaveLength(1);
    } finally {
      stream.close();
    }
    const wrong = await deliver(
      'hotline',
      { callId: 'x', event: 'started', at: new Date().toISOString(), caller: '13712349999' },
      { path: '/api/v1/channels/hotline/calls', secret: 'wrong-secret-entirely' },
    );
    expect(wrong.statusCode).toBe(401);
  });
});
