import { eq, inArray } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_QA_SETTINGS } from '../../src/core/quality/settings.js';
import { qaSamples, qaSamplingRuns, surveys, tickets } from '../../src/db/schema.js';
import { runDailySampling } from '../../src/usecases/quality/run-sampling.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness } from '../helpers/harness.js';

describe.each(ENGINES)('daily QA sampling on %s', (engine) => {
  let h: Harness;
  // Friday 20 Nov 2026, 10:00 in Beijing.
  const clock = testClock(new Date('2026-11-20T02:00:00Z'));

  beforeAll(async () => {
    h = await startHarness(engine, { clock });
  });
  afterAll(() => h?.close());

  /** A closed ticket of `agent` on `channel`, closed at `closedAt`. */
  async function closedTicket(
    agent: { id: string; role: 'agent'; teamId: string | null },
    closedAt: Date,
    fields: { channel?: 'hotline' | 'app' | 'regulator'; tags?: string[] } = {},
  ): Promise<string> {
    const id = await h.buildTicket(agent, {
      assignToMe: true,
      channel: fields.channel ?? 'hotline',
      tags: fields.tags ?? [],
    });
    await h.database.db.update(tickets).set({ status: 'closed', closedAt }).where(eq(tickets.id, id));
    return id;
  }

  it('samples each ticket once when two runners start the day together, with the rate, the mandatory strata and the monthly minimum', async () => {
    const teamA = await h.buildTeam();
    const qaTeam = await h.buildTeam();
    const busy = { ...(await h.buildStaff('agent', teamA)), role: 'agent' as const };
    const quiet = { ...(await h.buildStaff('agent', teamA)), role: 'agent' as const };
    const ownTeamInspector = await h.buildStaff('qa', teamA);
    const otherInspector = await h.buildStaff('qa', qaTeam);
    const yesterday = new Date('2026-11-19T06:00:00Z');
    const ordinary: string[] = [];
    for (let i = 0; i < 28; i++)
      ordinary.push(await closedTicket(busy, yesterday, { channel: i % 2 ? 'app' : 'hotline' }));
    const regulator = await closedTicket(busy, yesterday, { channel: 'regulator' });
    const risky = await closedTicket(busy, yesterday, { tags: ['high-risk'] });
    const rated = await closedTicket(quiet, yesterday);
    const customerId = (await h.database.db.select().from(tickets).where(eq(tickets.id, rated)))[0]!.customerId;
    await h.database.db
      .insert(surveys)
      .values({ id: uuidv7(), ticketId: rated, customerId, status: 'answered', sendAfter: yesterday, csat: 2 });
    const quietOther = await closedTicket(quiet, yesterday);
    // Closed today: tomorrow's run takes it, not today's.
    const today = await closedTicket(quiet, new Date('2026-11-20T01:00:00Z'));

    const deps = { ...h.deps, qa: { ...DEFAULT_QA_SETTINGS, separateTeams: true } };
    const runs = await Promise.all([runDailySampling(deps), runDailySampling(deps)]);
    expect(runs.filter((r) => r.ran)).toHaveLength(1);
    expect(runs.find((r) => r.ran)).toMatchObject({ considered: 32 });

    const rows = await h.database.db.select().from(qaSamples);
    expect(new Set(rows.map((r) => r.ticketId)).size).toBe(rows.length);
    const of = (agentId: string) => rows.filter((r) => r.agentId === agentId);
    // busy: 3 of 28 ordinary (10 %, rounded up) + the regulator case + the high-risk one.
    expect(of(busy.id).filter((r) => r.stratum === 'rate')).toHaveLength(3);
    expect(
      of(busy.id)
        .filter((r) => r.stratum === 'rate')
        .every((r) => ordinary.includes(r.ticketId)),
    ).toBe(true);
    expect(of(busy.id).find((r) => r.ticketId === regulator)?.stratum).toBe('regulator');
    expect(of(busy.id).find((r) => r.ticketId === risky)?.stratum).toBe('high_risk');
    expect(of(busy.id)).toHaveLength(5);
    // quiet: the rated-2 ticket is mandatory; the other one is the rate share (ceil 10 % of 1).
    expect(
      of(quiet.id)
        .map((r) => [r.ticketId, r.stratum])
        .sort(),
    ).toEqual(
      [
        [rated, 'low_rating'],
        [quietOther, 'rate'],
      ].sort(),
    );
    expect(rows.some((r) => r.ticketId === today)).toBe(false);
    // Team A's work never goes to the inspector of team A.
    expect(rows.every((r) => r.inspectorId === otherInspector.id)).toBe(true);
    expect(rows.some((r) => r.inspectorId === ownTeamInspector.id)).toBe(false);

    const [run] = await h.database.db.select().from(qaSamplingRuns).where(eq(qaSamplingRuns.day, '2026-11-20'));
    expect(run?.counts).toMatchObject({
      considered: 32,
      sampled: 7,
      regulator: 1,
      low_rating: 1,
      high_risk: 1,
      rate: 4,
    });

    // Again the same day: nothing. The next day: today's closed ticket, never the ones before.
    expect(await runDailySampling(deps)).toEqual({ ran: false, sampled: 0, considered: 0 });
    clock.set(new Date('2026-11-21T01:00:00Z'));
    const next = await runDailySampling(deps);
    expect(next).toMatchObject({ ran: true, considered: 1 });
    const after = await h.database.db
      .select()
      .from(qaSamples)
      .where(inArray(qaSamples.agentId, [busy.id, quiet.id]));
    expect(after.filter((r) => r.ticketId === today)).toHaveLength(1);
    expect(after).toHaveLength(8);
  });
});
