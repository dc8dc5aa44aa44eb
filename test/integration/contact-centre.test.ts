import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../src/core/channels/webhook-signature.js';
import { eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { chatConversations } from '../../src/db/schema.js';
import { rollUpChatFacts } from '../../src/usecases/contact-centre/chat-facts.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, TEST_WEBHOOK_SECRETS, type Harness, type Session } from '../helpers/harness.js';

// The hotline webhook's CTI events become contact-centre figures per 15-minute interval (Beijing
// time), shown on the supervisors' wallboard and as KPIs on the dashboard.

describe.each(ENGINES)('contact-centre figures from CTI events on %s', (engine) => {
  let h: Harness;
  let supervisor: Session;
  beforeAll(async () => {
    h = await startHarness(engine);
    supervisor = await h.signIn('supervisor');
  });
  afterAll(() => h?.close());

  const deliver = (body: object) => {
    const payload = JSON.stringify(body);
    const t = Math.floor(Date.now() / 1000);
    return h.request(null, {
      method: 'POST',
      url: '/api/v1/channels/hotline/calls',
      payload,
      headers: {
        'content-type': 'application/json',
        'x-loopdesk-signature': sign(TEST_WEBHOOK_SECRETS.hotline, t, payload),
      },
    });
  };
  const event = (day: string, callId: string, event: string, hhmmss: string, extra: object = {}) =>
    deliver({ callId: `${day}-${callId}`, event, at: `${day}T${hhmmss}+08:00`, caller: '13712345678', ...extra });
  const wallboard = async (day: string, queue?: string) => {
    const res = await h.request(supervisor, {
      method: 'GET',
      url: `/api/v1/contact-centre/wallboard?day=${day}${queue ? `&queue=${queue}` : ''}`,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const slot = (board: { intervals: { label: string }[] }, label: string) =>
    board.intervals.find((i) => i.label === label);

  // 09:00 (peak): a answered in 10 s; b offered 09:14:50, answered across the boundary after 25 s;
  // c abandoned after 3 s (short); d abandoned after 60 s (abandon delivered before the offer).
  // 09:15: e answered in 45 s (answer delivered first). 08:45 (not peak): f ends unanswered after
  // 20 s; g answered with the ACD's reported wait of 5 s.
  const sequence: [string, string, string, object?][] = [
    ['a', 'started', '09:00:50'],
    ['a', 'offered', '09:01:00', { queue: 'billing' }],
    ['a', 'answered', '09:01:10'],
    ['b', 'offered', '09:14:50', { queue: 'billing' }],
    ['b', 'answered', '09:15:15'],
    ['c', 'offered', '09:05:00', { queue: 'billing' }],
    ['c', 'abandoned', '09:05:03'],
    ['d', 'abandoned', '09:11:00'],
    ['d', 'offered', '09:10:00', { queue: 'billing' }],
    ['d', 'ended', '09:11:00'],
    ['e', 'answered', '09:20:45'],
    ['e', 'started', '09:19:30'],
    ['e', 'offered', '09:20:00', { skill: 'billing' }],
    ['f', 'queued', '08:50:00', { queue: 'faults' }],
    ['f', 'ended', '08:50:20'],
    ['g', 'offered', '08:59:00', { queue: 'faults' }],
    ['g', 'answered', '08:59:05', { waitSeconds: 5 }],
    ['g', 'ended', '09:03:00'],
  ];

  it('computes offered, answered and abandoned per interval, answer rate, peak answer rate and ASA from a hand-made sequence', async () => {
    const day = '2026-10-13';
    for (const [id, kind, at, extra] of sequence) expect((await event(day, id, kind, at, extra)).statusCode).toBe(200);
    const board = await wallboard(day);
    expect(board.intervals).toHaveLength(96);
    expect(slot(board, '09:00')).toMatchObject({
      peak: true,
      voice: { offered: 4, answered: 2, abandoned: 2, shortAbandoned: 1 },
    });
    expect(slot(board, '09:15')).toMatchObject({ voice: { offered: 1, answered: 1, abandoned: 0 } });
    expect(slot(board, '08:45')).toMatchObject({ peak: false, voice: { offered: 2, answered: 1, abandoned: 1 } });
    expect(board.voice).toMatchObject({ offered: 7, answered: 4, abandoned: 3, shortAbandoned: 1 });
    expect(board.voice.answerRate).toBeCloseTo(4 / 6); // the short abandon is left out of the base
    expect(board.voice.serviceLevel).toBeCloseTo(3 / 6);
    expect(board.voice.asaMs).toBe((10_000 + 25_000 + 45_000 + 5000) / 4);
    expect(board.voice.peak).toMatchObject({
      offered: 5,
      answered: 3,
      answerRate: 0.75,
      target: { value: 0.95, direction: 'min' },
      met: false,
    });
    const billing = await wallboard(day, 'billing');
    expect(billing.voice).toMatchObject({ offered: 5, answered: 3 });

    const dashboard = (
      await h.request(supervisor, { method: 'GET', url: `/api/v1/kpi/dashboard?from=${day}&to=${day}` })
    ).json();
    const kpi = (id: string) => dashboard.kpis.find((k: { id: string }) => k.id === id);
    expect(kpi('answer_rate_peak')).toMatchObject({ value: 0.75, numerator: 3, denominator: 4, met: false });
    expect(kpi('asa')).toMatchObject({ value: 21_250, target: { value: 30_000, direction: 'max' }, met: true });
  });

  it('never counts a retried or duplicated event twice, even when the retries arrive at once', async () => {
    const day = '2026-10-14';
    for (const [id, kind, at, extra] of sequence) await event(day, id, kind, at, extra);
    const before = await wallboard(day);
    for (const [id, kind, at, extra] of sequence.slice(0, 8)) await event(day, id, kind, at, extra);
    const retries = await Promise.all(Array.from({ length: 6 }, () => event(day, 'h', 'offered', '10:00:00')));
    expect(retries.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200, 200]);
    await Promise.all(Array.from({ length: 4 }, () => event(day, 'h', 'abandoned', '10:00:30')));
    const after = await wallboard(day);
    expect(after.voice).toMatchObject({ offered: before.voice.offered + 1, abandoned: before.voice.abandoned + 1 });
    expect(slot(after, '09:00')).toEqual(slot(before, '09:00'));
    expect(slot(after, '10:00')).toMatchObject({ voice: { offered: 1, abandoned: 1, shortAbandoned: 0 } });
  });

  it('shows a call waiting now until it is answered', async () => {
    const now = new Date();
    const callId = `waiting-${now.getTime()}`;
    const send = (kind: string, at: Date) =>
      deliver({ callId, event: kind, at: at.toISOString(), caller: '13712345679', queue: 'waitq' });
    await send('queued', new Date(now.getTime() - 40_000));
    const waiting = (
      await h.request(supervisor, { method: 'GET', url: '/api/v1/contact-centre/wallboard?queue=waitq' })
    ).json();
    expect(waiting.voice.waiting).toBe(1);
    expect(waiting.voice.longestWaitMs).toBeGreaterThanOrEqual(40_000);
    await send('answered', now);
    const answered = (
      await h.request(supervisor, { method: 'GET', url: '/api/v1/contact-centre/wallboard?queue=waitq' })
    ).json();
    expect(answered.voice).toMatchObject({ waiting: 0, answered: 1 });
  });

  it('keeps the old three-event webhook working and refuses unknown events with a code', async () => {
    const day = '2026-10-15';
    expect((await event(day, 'old', 'started', '11:00:00')).json()).toMatchObject({
      startedAt: expect.any(String),
      queue: '',
    });
    await event(day, 'old', 'answered', '11:00:20');
    expect((await event(day, 'old', 'ended', '11:03:00')).json()).toMatchObject({ endedAt: expect.any(String) });
    const board = await wallboard(day);
    expect(slot(board, '11:00')).toMatchObject({ voice: { offered: 1, answered: 1 } });
    const bad = await event(day, 'bad', 'transferred', '11:00:00');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('request.invalid');
    expect((await event(day, 'neg', 'answered', '11:00:00', { waitSeconds: -1 })).statusCode).toBe(400);
  });

  it('lets an administrator change the thresholds and refuses peak hours that end before they start', async () => {
    const agent = await h.signIn('agent');
    expect((await h.request(agent, { method: 'GET', url: '/api/v1/contact-centre/wallboard' })).statusCode).toBe(403);
    const admin = await h.signIn('admin');
    const bad = await h.request(admin, {
      method: 'PUT',
      url: '/api/v1/contact-centre/settings',
      payload: { peakHours: [{ from: '12:00', to: '09:00' }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('contact_centre.invalid_settings');
    expect(
      (
        await h.request(supervisor, {
          method: 'PUT',
          url: '/api/v1/contact-centre/settings',
          payload: { shortAbandonSeconds: 0 },
        })
      ).statusCode,
    ).toBe(403);
    const ok = await h.request(admin, {
      method: 'PUT',
      url: '/api/v1/contact-centre/settings',
      payload: { peakHours: [{ from: '08:00', to: '09:00' }] },
    });
    expect(ok.json()).toMatchObject({ peakHours: [{ from: '08:00', to: '09:00' }], shortAbandonSeconds: 5 });
    // Peak hours apply when read: the 08:45 interval of the first day is now the peak.
    const board = await wallboard('2026-10-13');
    expect(board.voice.peak).toMatchObject({ offered: 2, answered: 1, answerRate: 0.5 });
    await h.request(admin, {
      method: 'PUT',
      url: '/api/v1/contact-centre/settings',
      payload: {
        peakHours: [
          { from: '09:00', to: '12:00' },
          { from: '14:00', to: '17:00' },
        ],
      },
    });
  });

  it('rolls chats up into containment, hand-offs and first human response, once however often the job runs', async () => {
    const day = '2026-10-16';
    const at = (hhmmss: string) => new Date(`${day}T${hhmmss}+08:00`);
    const chat = (fields: Partial<typeof chatConversations.$inferInsert>) =>
      h.deps.db.insert(chatConversations).values({
        id: uuidv7(),
        channel: 'portal',
        tokenHash: uuidv7(),
        createdAt: at('10:01:00'),
        updatedAt: new Date(),
        ...fields,
      });
    // settled by the bot; handed off, accepted after 20 s, first reply after 40 s; still with the bot.
    await chat({ state: 'ended', endedAt: at('10:03:00'), outcome: 'settled' });
    const handedOff = uuidv7();
    const agent = await h.signIn('agent');
    await chat({
      id: handedOff,
      state: 'assigned',
      agentId: agent.actor.id,
      queuedAt: at('10:02:00'),
      acceptedAt: at('10:02:20'),
      firstHumanResponseAt: at('10:02:40'),
    });
    await chat({ state: 'bot' });
    const run = () => rollUpChatFacts(h.deps, { batch: 1000, marginMs: 60_000 });
    expect((await run()).conversations).toBe(3);
    await run();
    const board = await wallboard(day);
    expect(slot(board, '10:00')).toMatchObject({ chat: { offered: 1, answered: 1, abandoned: 0 } });
    expect(board.chat).toMatchObject({
      conversations: 3,
      ended: 1,
      contained: 1,
      containment: 1,
      firstResponseMs: 40_000,
      firstResponseInTarget: 0,
      asaMs: 20_000,
    });
    expect(board.chat.concurrent).toBeGreaterThanOrEqual(1);
    // The agent ends it: the next run counts it ended, not contained.
    await h.deps.db
      .update(chatConversations)
      .set({ state: 'ended', endedAt: at('10:09:00'), outcome: 'settled', updatedAt: new Date() })
      .where(eq(chatConversations.id, handedOff));
    await run();
    expect((await wallboard(day)).chat).toMatchObject({ conversations: 3, ended: 2, contained: 1, containment: 0.5 });
    const dashboard = (
      await h.request(supervisor, { method: 'GET', url: `/api/v1/kpi/dashboard?from=${day}&to=${day}` })
    ).json();
    expect(dashboard.kpis.find((k: { id: string }) => k.id === 'bot_containment')).toMatchObject({ value: 0.5 });
    expect(dashboard.kpis.find((k: { id: string }) => k.id === 'chat_first_response')).toMatchObject({
      value: 40_000,
      met: false,
    });
  });
});
