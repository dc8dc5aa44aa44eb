import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../src/core/channels/webhook-signature.js';
import { queryRows } from '../../src/db/client.js';
import { remindUnfiledCalls } from '../../src/usecases/channels/unfiled-calls.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, TEST_WEBHOOK_SECRETS, type Harness, type Session } from '../helpers/harness.js';

// 首问负责制: an answered call becomes a work order or joins one. A call that ended without either
// reminds its agent once, in the inbox.

const MINUTE = 60_000;

describe.each(ENGINES)('reminders of answered calls that became no ticket on %s', (engine) => {
  let h: Harness;
  const clock = testClock(new Date());
  let agent: Session;
  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    agent = await h.signIn('agent');
  });
  afterAll(() => h?.close());

  const call = (callId: string, caller: string, event: string, extra: Record<string, string> = {}) => {
    const payload = JSON.stringify({ callId, event, at: clock.now().toISOString(), caller, ...extra });
    return h.request(null, {
      method: 'POST',
      url: '/api/v1/channels/hotline/calls',
      payload,
      headers: {
        'content-type': 'application/json',
        'x-loopdesk-signature': sign(TEST_WEBHOOK_SECRETS.hotline, Math.floor(clock.now().getTime() / 1000), payload),
      },
    });
  };
  const answeredAndEnded = async (callId: string, caller: string) => {
    expect((await call(callId, caller, 'answered', { agent: agent.username })).statusCode).toBe(200);
    expect((await call(callId, caller, 'ended')).statusCode).toBe(200);
  };
  const remindersFor = (callId: string) =>
    queryRows<{ payload: Record<string, unknown>; ticket_id: string | null }>(
      h.database.db,
      sql`SELECT payload, ticket_id FROM notifications WHERE kind = 'call.unfiled' AND payload->>'callId' = ${callId}`,
    );
  const remind = () => remindUnfiledCalls(h.deps, { afterMinutes: 10, batch: 50 });

  it('reminds the agent once, ten minutes after the call ended, with the number masked, even with two nodes', async () => {
    const customerId = await h.buildCustomer({ numbers: ['13712340001'] });
    await answeredAndEnded('unfiled-1', '13712340001');
    await remind();
    expect(await remindersFor('unfiled-1')).toEqual([]);
    clock.advance(11 * MINUTE);
    await Promise.all([remind(), remind()]);
    const reminders = await remindersFor('unfiled-1');
    expect(reminders).toHaveLength(1);
    expect(reminders[0]).toMatchObject({
      ticket_id: null,
      payload: { callId: 'unfiled-1', caller: '137****0001', customerId },
    });
    await remind();
    expect(await remindersFor('unfiled-1')).toHaveLength(1);
    // The agent reads it in the inbox (a fresh session: the clock moved on).
    const inbox = await h.request(await h.login({ ...agent.actor, username: agent.username }), {
      method: 'GET',
      url: '/api/v1/notifications',
    });
    expect(inbox.json().items.map((n: { kind: string }) => n.kind)).toContain('call.unfiled');
  });

  it('does not remind when the call was filed to a ticket, or the agent worked a ticket of that caller', async () => {
    const customerId = await h.buildCustomer({ numbers: ['13712340002'] });
    const ticketId = await h.buildTicket(agent.actor, { customerId });
    const [{ number } = { number: '' }] = await queryRows<{ number: string }>(
      h.database.db,
      sql`SELECT number FROM tickets WHERE id = ${ticketId}`,
    );
    await answeredAndEnded('filed', '13712340002');
    expect((await call('filed', '13712340002', 'ended', { ticketNumber: number })).statusCode).toBe(200);

    await answeredAndEnded('worked', '13712340002');
    clock.advance(MINUTE);
    await h.buildTicket(agent.actor, { customerId });

    clock.advance(11 * MINUTE);
    await remind();
    expect(await remindersFor('filed')).toEqual([]);
    expect(await remindersFor('worked')).toEqual([]);
  });
});
