import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../src/core/channels/webhook-signature.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, TEST_WEBHOOK_SECRETS, type Harness } from '../helpers/harness.js';
import { openStream } from '../helpers/sse.js';

// The hotline screen pop names who is calling: a known customer by name and tier, an unknown
// number as unknown; the number itself is masked like every number on the desk.

describe.each(ENGINES)('the hotline screen pop on %s', (engine) => {
  let h: Harness;
  let baseUrl: string;
  beforeAll(async () => {
    h = await startHarness(engine);
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  }, 180_000);
  afterAll(() => h?.close());

  const call = (callId: string, caller: string, event: string, agent?: string) => {
    const payload = JSON.stringify({
      callId,
      event,
      at: new Date().toISOString(),
      caller,
      ...(agent ? { agent } : {}),
    });
    return h.request(null, {
      method: 'POST',
      url: '/api/v1/channels/hotline/calls',
      payload,
      headers: {
        'content-type': 'application/json',
        'x-loopdesk-signature': sign(TEST_WEBHOOK_SECRETS.hotline, Math.floor(Date.now() / 1000), payload),
      },
    });
  };

  it('names a known caller with their tier and masks the number', async () => {
    const agent = await h.signIn('agent');
    const customerId = await h.buildCustomer({ name: '周九', numbers: ['13612340001'], tier: 'vip' });
    const stream = await openStream(baseUrl, agent, 'call');
    try {
      expect((await call('pop-known', '13612340001', 'started')).statusCode).toBe(200);
      expect((await call('pop-known', '13612340001', 'answered', agent.username)).statusCode).toBe(200);
      await stream.waitFor((e) => e.callId === 'pop-known');
      const pop = stream.events.find((e) => e.callId === 'pop-known');
      expect(pop).toMatchObject({
        customerId,
        caller: { name: '周九', tier: 'vip', number: '136****0001' },
      });
      expect(JSON.stringify(pop)).not.toContain('13612340001');
    } finally {
      stream.close();
    }
  });

  it('says an unknown number is unknown, without showing it in full', async () => {
    const agent = await h.signIn('agent');
    const stream = await openStream(baseUrl, agent, 'call');
    try {
      await call('pop-unknown', '13612349876', 'answered', agent.username);
      await stream.waitFor((e) => e.callId === 'pop-unknown');
      const pop = stream.events.find((e) => e.callId === 'pop-unknown');
      expect(pop).toMatchObject({
        customerId: null,
        openTicketIds: [],
        caller: { name: null, tier: null, number: '136****9876' },
      });
    } finally {
      stream.close();
    }
  });
});
