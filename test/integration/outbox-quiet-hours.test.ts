import { eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxPayload } from '../../src/contracts/events.js';
import { outbox } from '../../src/db/schema.js';
import { deliverOutbox, type OutboxItem } from '../../src/usecases/channels/outbound.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness } from '../helpers/harness.js';
import type { z } from 'zod';

// The deliverer keeps proactive incident notices out of the quiet hours (default 22:00–08:00,
// Asia/Shanghai) even when they become due there late: a retry after a failed send, or a backlog
// running past 22:00. Replies on a customer's own ticket are not held.

describe.each(ENGINES)('outbox deliverer and the quiet hours on %s', (engine) => {
  let h: Harness;
  const clock = testClock(new Date('2026-11-20T14:30:00Z')); // 22:30 in Shanghai
  beforeAll(async () => {
    h = await startHarness(engine, { clock });
  });
  afterAll(() => h?.close());

  const pending = async (payload: z.input<typeof OutboxPayload>, dueAt: Date, attempts = 0) => {
    const id = uuidv7();
    await h.database.db.insert(outbox).values({
      id,
      channel: 'sms',
      recipient: `1391234${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`,
      payload,
      attempts,
      nextAttemptAt: dueAt,
    });
    return id;
  };
  const row = async (id: string) => (await h.database.db.select().from(outbox).where(eq(outbox.id, id)))[0]!;

  it('holds an incident notice that falls due at 22:30 until 08:00, while a ticket reply due then goes out', async () => {
    const incidentId = uuidv7();
    // Failed at 21:50 and retried by backoff: due again inside the quiet hours.
    const retried = await pending(
      { kind: 'incident_notice', incidentId, text: '【网络故障通知】天河区基站故障，正在抢修。' },
      new Date('2026-11-20T14:20:00Z'),
      2,
    );
    // The tail of a backlog that ran past 22:00.
    const backlog = await pending(
      { kind: 'incident_notice', incidentId, text: '【网络故障通知】天河区基站故障，正在抢修。' },
      new Date('2026-11-20T13:59:00Z'),
    );
    const reply = await pending(
      {
        kind: 'reply',
        messageId: uuidv7(),
        ticketNumber: 'TS20261120000001',
        subject: '宽带掉线',
        body: '您好，已为您重置端口。',
        portalLink: 'token',
      },
      new Date('2026-11-20T14:29:00Z'),
    );
    const sent: OutboxItem[] = [];
    const senders = { sms: async (item: OutboxItem) => void sent.push(item) };

    expect(await deliverOutbox(h.deps, senders)).toEqual({ sent: 1, failed: 0 });
    expect(sent.map((s) => s.id)).toEqual([reply]);
    const morning = new Date('2026-11-21T00:00:00Z'); // 08:00 in Shanghai
    expect(await row(retried)).toMatchObject({ state: 'pending', nextAttemptAt: morning, attempts: 2 });
    expect(await row(backlog)).toMatchObject({ state: 'pending', nextAttemptAt: morning, attempts: 0 });

    clock.set(new Date('2026-11-20T23:59:00Z')); // 07:59: still quiet
    expect(await deliverOutbox(h.deps, senders)).toEqual({ sent: 0, failed: 0 });
    clock.set(morning);
    expect(await deliverOutbox(h.deps, senders)).toEqual({ sent: 2, failed: 0 });
    expect(sent.map((s) => s.id).sort()).toEqual([reply, retried, backlog].sort());
    expect((await row(retried)).state).toBe('sent');
  });
});
