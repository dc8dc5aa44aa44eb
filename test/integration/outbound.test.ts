import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSignature } from '../../src/core/channels/webhook-signature.js';
import { MAX_DELIVERY_ATTEMPTS } from '../../src/core/channels/outbound.js';
import { queryRows } from '../../src/db/client.js';
import { customerIdentities } from '../../src/db/schema.js';
import { webhookSender } from '../../src/channels/outbound/senders.js';
import { deliverOutbox } from '../../src/usecases/channels/outbound.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

const SECRET = 'outbound-test-secret-01';

/** A stand-in for the operator's SMS/WeChat gateway: records what it gets, answers `status`. */
function fakeGateway() {
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const gateway = { status: 200, received, url: '', server: undefined as Server | undefined };
  gateway.server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(gateway.status).end(gateway.status === 200 ? '{"ok":true}' : 'gateway down');
    });
  });
  return gateway;
}

describe.each(ENGINES)('outbound replies on %s', (engine) => {
  let h: Harness;
  const clock = testClock();
  const gateway = fakeGateway();
  let agent: Session;
  let senders: Parameters<typeof deliverOutbox>[1];

  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    await new Promise<void>((r) => gateway.server!.listen(0, '127.0.0.1', r));
    gateway.url = `http://127.0.0.1:${(gateway.server!.address() as AddressInfo).port}/send`;
    const send = webhookSender({ url: gateway.url, secret: SECRET, now: () => clock.now() });
    senders = { sms: send, wechat: send };
    agent = await h.signIn('agent');
  });
  afterAll(async () => {
    gateway.server?.close();
    await h?.close();
  });

  const newTicket = async (fields: { channel?: string; customerId?: string } = {}) => {
    const customerId =
      fields.customerId ??
      (await h.buildCustomer({ numbers: [`1370000${String(Math.floor(Math.random() * 1e4)).padStart(4, '0')}`] }));
    const res = await h.request(agent, {
      method: 'POST',
      url: '/api/v1/tickets',
      payload: {
        type: 'inquiry',
        channel: fields.channel ?? 'hotline',
        subject: '套餐咨询',
        description: '想了解流量包',
        customerId,
        assignToMe: true,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return { ticket: res.json(), customerId };
  };
  const reply = (ticketId: string, extra: Record<string, unknown> = {}) =>
    h.request(agent, {
      method: 'POST',
      url: `/api/v1/tickets/${ticketId}/messages`,
      payload: { visibility: 'public', body: '您好，已为您办理 10GB 流量包。', ...extra },
    });
  const outboxOf = (ticketId: string) =>
    queryRows<{ id: string; channel: string; recipient: string; state: string; attempts: number }>(
      h.database.db,
      sql`SELECT id, channel, recipient, state, attempts FROM outbox WHERE ticket_id = ${ticketId}`,
    );

  it('sends a reply to a caller by SMS through the signed gateway, once, with the outbox id as idempotency key', async () => {
    const { ticket } = await newTicket();
    expect((await reply(ticket.id)).statusCode).toBe(201);
    expect(
      (
        await h.request(agent, {
          method: 'POST',
          url: `/api/v1/tickets/${ticket.id}/messages`,
          payload: { visibility: 'internal', body: '内部备注' },
        })
      ).statusCode,
    ).toBe(201);
    const [queued, ...rest] = await outboxOf(ticket.id);
    expect(rest).toEqual([]);
    expect(queued).toMatchObject({ channel: 'sms', state: 'pending' });

    gateway.received.length = 0;
    expect(await deliverOutbox(h.deps, senders)).toEqual({ sent: 1, failed: 0 });
    expect(await deliverOutbox(h.deps, senders)).toEqual({ sent: 0, failed: 0 });
    expect(gateway.received).toHaveLength(1);
    const { headers, body } = gateway.received[0]!;
    expect(checkSignature(SECRET, headers['x-loopdesk-signature'] as string, Buffer.from(body), clock.now())).toBe(
      'ok',
    );
    expect(headers['idempotency-key']).toBe(queued!.id);
    expect(JSON.parse(body)).toMatchObject({
      channel: 'sms',
      to: queued!.recipient,
      text: `【工单 ${ticket.number}】您好，已为您办理 10GB 流量包。`,
    });
    expect((await outboxOf(ticket.id))[0]!.state).toBe('sent');
  });

  it('answers on WeChat a customer who wrote on WeChat, or through the channel the agent picks, and refuses a channel without a contact', async () => {
    const { ticket, customerId } = await newTicket({ channel: 'wechat' });
    await h.database.db
      .insert(customerIdentities)
      .values({ channel: 'wechat', externalUserId: 'o-wx-test-1', customerId, createdAt: clock.now() });
    await reply(ticket.id);
    await reply(ticket.id, { sendVia: 'sms' });
    expect(
      (await outboxOf(ticket.id)).map((o) => [o.channel, o.recipient.startsWith('o-wx') ? 'openid' : 'msisdn']),
    ).toEqual([
      ['wechat', 'openid'],
      ['sms', 'msisdn'],
    ]);
    const impossible = await reply(ticket.id, { sendVia: 'app' });
    expect(impossible.statusCode).toBe(422);
    expect(impossible.json().error).toMatchObject({
      code: 'message.no_contact',
      message: 'The customer has no app contact',
    });
    const messages = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${ticket.id}/messages` })).json()
      .items;
    expect(messages.map((m: { channel: string }) => m.channel)).toEqual(['wechat', 'sms']);
    expect(await deliverOutbox(h.deps, senders)).toEqual({ sent: 2, failed: 0 });
  });

  it('retries a failing gateway with backoff, parks the message in the dead-letter list, and sends it after an admin retry', async () => {
    const { ticket } = await newTicket();
    await reply(ticket.id);
    gateway.status = 503;
    for (let attempt = 1; attempt <= MAX_DELIVERY_ATTEMPTS; attempt++) {
      expect(await deliverOutbox(h.deps, senders)).toMatchObject({ failed: 1 });
      expect(await deliverOutbox(h.deps, senders)).toEqual({ sent: 0, failed: 0 }); // not due again yet
      clock.advance(3_600_000);
    }
    expect((await outboxOf(ticket.id))[0]).toMatchObject({ state: 'dead', attempts: MAX_DELIVERY_ATTEMPTS });

    const admin = await h.signIn('admin', null);
    const dead = (await h.request(admin, { method: 'GET', url: '/api/v1/outbox?state=dead' })).json().items;
    const item = dead.find((d: { ticketId: string }) => d.ticketId === ticket.id);
    expect(item).toMatchObject({ channel: 'sms', lastError: 'gateway answered 503: gateway down' });
    expect(item.recipient).toMatch(/\*{4}/);
    expect((await h.request(agent, { method: 'POST', url: `/api/v1/outbox/${item.id}/retry` })).statusCode).toBe(403);
    expect((await h.request(admin, { method: 'POST', url: `/api/v1/outbox/${item.id}/retry` })).statusCode).toBe(204);
    expect((await h.request(admin, { method: 'POST', url: `/api/v1/outbox/${item.id}/retry` })).json().error.code).toBe(
      'outbox.not_dead',
    );

    gateway.status = 200;
    expect(await deliverOutbox(h.deps, senders)).toMatchObject({ sent: 1 });
    expect((await outboxOf(ticket.id))[0]!.state).toBe('sent');
  });
});
