import { and, eq, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_INCIDENT_SETTINGS } from '../../src/core/incidents/incidents.js';
import { categoryId } from '../../src/db/reference-data.js';
import { consents, customerNumbers, incidentNotices, noticeOptOuts, outbox } from '../../src/db/schema.js';
import { deliverOutbox } from '../../src/usecases/channels/outbound.js';
import { sendIncidentNotices } from '../../src/usecases/incidents/send-notices.js';
import type { Deps } from '../../src/usecases/deps.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

// Proactive incident notices: every customer of the area told once by SMS before they call, in
// batches that survive a crash, never in the quiet hours, and told again when the service is back.

const MIN = 60_000;

describe.each(ENGINES)('proactive incident notices on %s', (engine) => {
  let h: Harness;
  const clock = testClock(new Date('2026-11-20T02:00:00Z')); // 10:00 Beijing
  let supervisor: Session;
  let agent: Session;
  let regionNo = 0;
  const region = () => `通知区${engine}${regionNo++}`;

  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    supervisor = await h.signIn('supervisor');
    agent = await h.signIn('agent', await h.buildTeam());
  });
  afterAll(() => h?.close());

  const deps = (over: Partial<NonNullable<Deps['incidents']>> = {}): Deps => ({
    ...h.deps,
    incidents: { ...DEFAULT_INCIDENT_SETTINGS, ...over },
  });

  async function openIncident(areas: string[]) {
    const res = await h.request(supervisor, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: {
        title: '基站故障',
        category: 'network_performance',
        level: 'II',
        areas,
        publicMessage: '基站故障，正在抢修。',
        notifyCustomers: true,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string; number: string }>();
  }

  async function customersOf(area: string, n: number) {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push(await h.buildCustomer({ region: area }));
    return ids;
  }

  /** Runs the job until it has nothing left, as the registry does while it is busy. */
  async function drain(d: Deps, batch: number) {
    let runs = 0;
    for (;;) {
      runs++;
      const r = await sendIncidentNotices(d, { batch });
      if (!r.busy) return runs;
    }
  }

  const messagesOf = (incidentId: string) =>
    h.database.db
      .select()
      .from(outbox)
      .where(sql`${outbox.payload}->>'incidentId' = ${incidentId} and ${outbox.payload}->>'kind' = 'incident_notice'`);

  it('tells every customer of the area once by SMS, in batches, leaving out opted-out numbers and withdrawn consent', async () => {
    const area = region();
    const incident = await openIncident([area]);
    const [optedOut, withdrew, ...told] = await customersOf(area, 7);
    await customersOf(region(), 2); // another area
    const [number] = await h.database.db
      .select()
      .from(customerNumbers)
      .where(eq(customerNumbers.customerId, optedOut!));
    await h.database.db.insert(noticeOptOuts).values({ msisdn: number!.msisdn });
    await h.database.db
      .insert(consents)
      .values({ id: uuidv7(), customerId: withdrew!, purpose: 'notices', granted: false, channel: 'sms' });

    expect(await drain(deps(), 2)).toBeGreaterThan(2);
    expect(await drain(deps(), 2)).toBe(1); // again: nothing more

    const messages = await messagesOf(incident.id);
    expect(messages).toHaveLength(5);
    expect(messages.every((m) => m.channel === 'sms' && m.ticketId === null)).toBe(true);
    expect(messages[0]!.payload).toMatchObject({ text: expect.stringContaining('基站故障，正在抢修') });
    const notices = await h.database.db
      .select()
      .from(incidentNotices)
      .where(eq(incidentNotices.incidentId, incident.id));
    expect(notices.map((n) => n.customerId).sort()).toEqual([...told].sort());
    expect(new Set(messages.map((m) => m.recipient))).toEqual(new Set(notices.map((n) => n.msisdn)));

    const detail = (await h.request(agent, { method: 'GET', url: `/api/v1/incidents/${incident.id}` })).json();
    expect(detail.notices).toEqual({ notified: 5, delivered: 0, contactedAfter: 0 });
  });

  it('sends each notice once when two nodes run the job at the same time', async () => {
    const area = region();
    const incident = await openIncident([area]);
    await customersOf(area, 12);
    const d = deps();
    await Promise.all([drain(d, 3), drain(d, 3), drain(d, 3)]);
    const messages = await messagesOf(incident.id);
    expect(messages).toHaveLength(12);
    expect(new Set(messages.map((m) => m.recipient)).size).toBe(12);
  });

  it('loses and duplicates nothing when a batch dies halfway: the rerun sends each customer exactly one notice', async () => {
    const area = region();
    const incident = await openIncident([area]);
    const customers = await customersOf(area, 10);
    // The 7th notice's outbox row fails: the second batch of 4 dies after its notice rows and
    // three of its outbox rows were written (a sequence is not rolled back, so it fails once).
    await h.database.db.execute(sql.raw('CREATE SEQUENCE notice_crash_seq'));
    await h.database.db.execute(
      sql.raw(`
      CREATE FUNCTION notice_crash() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.payload->>'incidentId' = '${incident.id}' AND nextval('notice_crash_seq') = 7 THEN
          RAISE EXCEPTION 'node died mid-batch';
        END IF;
        RETURN NEW;
      END $$`),
    );
    await h.database.db.execute(
      sql.raw('CREATE TRIGGER notice_crash BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION notice_crash()'),
    );
    try {
      const d = deps();
      expect((await sendIncidentNotices(d, { batch: 4 })).queued).toBe(4);
      const died: unknown = await sendIncidentNotices(d, { batch: 4 }).catch((e: unknown) => e);
      const cause = died instanceof Error && died.cause instanceof Error ? died.cause : died;
      expect(cause instanceof Error ? cause.message : 'no error').toMatch(/node died mid-batch/);
      expect(await messagesOf(incident.id)).toHaveLength(4); // the half batch left nothing
      await drain(d, 4);
    } finally {
      for (const drop of [
        'DROP TRIGGER notice_crash ON outbox',
        'DROP FUNCTION notice_crash()',
        'DROP SEQUENCE notice_crash_seq',
      ])
        await h.database.db.execute(sql.raw(drop));
    }
    const messages = await messagesOf(incident.id);
    expect(messages).toHaveLength(10);
    const notices = await h.database.db
      .select()
      .from(incidentNotices)
      .where(eq(incidentNotices.incidentId, incident.id));
    expect(notices.map((n) => n.customerId).sort()).toEqual([...customers].sort());
    expect(new Set(messages.map((m) => m.id))).toEqual(new Set(notices.map((n) => n.outboxId)));
  });

  it('never sends in the quiet hours: queued at 23:00 they leave from 08:00, at the rate limit', async () => {
    const area = region();
    const incident = await openIncident([area]);
    await customersOf(area, 5);
    const start = clock.now();
    clock.set(new Date('2026-11-20T15:00:00Z')); // 23:00 Beijing
    try {
      await drain(deps({ messagesPerMinute: 2 }), 10);
      const sent: string[] = [];
      await deliverOutbox(h.deps, {
        sms: async (item) => {
          sent.push(item.id);
          await Promise.resolve();
        },
      });
      const messages = await messagesOf(incident.id);
      expect(messages.filter((m) => sent.includes(m.id))).toEqual([]);
      expect(messages.map((m) => m.nextAttemptAt.toISOString()).sort()).toEqual([
        '2026-11-21T00:00:00.000Z', // 08:00
        '2026-11-21T00:00:00.000Z',
        '2026-11-21T00:01:00.000Z',
        '2026-11-21T00:01:00.000Z',
        '2026-11-21T00:02:00.000Z',
      ]);
    } finally {
      clock.set(start);
    }
  });

  it('tells the notified customers once that the service is back, and withdraws a notice that never left', async () => {
    const area = region();
    const incident = await openIncident([area]);
    const [caller, quiet, late] = await customersOf(area, 3);
    await drain(deps({ messagesPerMinute: 2 }), 10); // the third notice waits a minute
    await deliverOutbox(h.deps, { sms: async () => {} });
    // One notified customer still calls: the bulk resolution tells them on their ticket.
    await h.buildTicket(agent.actor, { categoryId: categoryId('fault-network-no-signal'), customerId: caller! });
    clock.advance(MIN / 2);
    const resolved = await h.request(supervisor, {
      method: 'POST',
      url: `/api/v1/incidents/${incident.id}/status`,
      payload: { status: 'resolved', note: '基站已修复。' },
    });
    expect(resolved.json().resolution).toMatchObject({ resolved: 1, told: 1 });
    await drain(deps(), 1);
    await drain(deps(), 1);

    const notices = await h.database.db
      .select()
      .from(incidentNotices)
      .where(eq(incidentNotices.incidentId, incident.id));
    const byCustomer = new Map(notices.map((n) => [n.customerId, n]));
    expect(notices.every((n) => n.restoredAt !== null)).toBe(true);
    expect(byCustomer.get(caller!)!.restoredOutboxId).toBeNull(); // told on the ticket
    const restoredTo = byCustomer.get(quiet!)!;
    expect(restoredTo.restoredOutboxId).not.toBeNull();
    const [back] = await h.database.db.select().from(outbox).where(eq(outbox.id, restoredTo.restoredOutboxId!));
    expect(back!.payload).toMatchObject({ text: expect.stringContaining('故障已恢复') });
    // The notice still waiting for its minute is withdrawn, and not followed by a restoration.
    const withdrawn = (await messagesOf(incident.id)).filter((m) => m.state === 'dead');
    expect(withdrawn).toHaveLength(1);
    expect(byCustomer.get(late!)).toMatchObject({ outboxId: withdrawn[0]!.id, restoredOutboxId: null });
    const restorations = await h.database.db
      .select()
      .from(outbox)
      .where(
        and(
          sql`${outbox.payload}->>'incidentId' = ${incident.id}`,
          sql`${outbox.payload}->>'text' like '%故障已恢复%'`,
        ),
      );
    expect(restorations).toHaveLength(2); // the caller on the ticket, and the one notified customer
  });
});
