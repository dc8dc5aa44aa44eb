import { asc, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_KPI_SETTINGS } from '../../src/core/kpi/settings.js';
import { cellKey, cellsOf, MEASURES, ticketFacts, type FactCell } from '../../src/core/kpi/ticket-facts.js';
import { queryRows } from '../../src/db/client.js';
import { categoryId } from '../../src/db/reference-data.js';
import { kpiCursors, kpiDailyFacts, slaTargets, ticketEvents, tickets } from '../../src/db/schema.js';
import { rollUpFacts } from '../../src/usecases/kpi/roll-up-facts.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

const HOUR = 3_600_000;
const CATEGORY = categoryId('fault-network');

describe.each(ENGINES)('KPI facts kept from the timeline on %s', (engine) => {
  let h: Harness;
  const clock = testClock(new Date('2026-11-20T02:00:00Z'));
  let team: string;
  let agent: Session;
  let supervisor: Session;
  const ids: Record<string, string> = {};
  const later: Record<string, string[]> = {};

  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    team = await h.buildTeam();
    agent = await h.signIn('agent', team);
    supervisor = await h.signIn('supervisor', team);
  });
  afterAll(() => h?.close());

  /** Moves the clock by a long spell; sessions last 12 hours, so both sign in again. */
  async function later_(ms: number) {
    clock.advance(ms);
    agent = await h.login({ ...agent.actor, username: agent.username });
    supervisor = await h.login({ ...supervisor.actor, username: supervisor.username });
  }
  const post = (s: Session, url: string, payload: Record<string, unknown>) =>
    h.request(s, { method: 'POST', url, payload });
  async function answerAndResolve(id: string) {
    clock.advance(HOUR);
    await post(agent, `/api/v1/tickets/${id}/messages`, { visibility: 'public', body: '已为您处理，请重启光猫。' });
    clock.advance(HOUR);
    expect((await post(agent, `/api/v1/tickets/${id}/transitions`, { action: 'resolve' })).json().status).toBe(
      'resolved',
    );
  }
  async function ticket(customerId?: string) {
    const id = await h.buildTicket(agent.actor, {
      assignToMe: true,
      categoryId: CATEGORY,
      ...(customerId ? { customerId } : {}),
    });
    expect((await post(agent, `/api/v1/tickets/${id}/transitions`, { action: 'start' })).statusCode).toBe(200);
    return id;
  }
  const runJob = async () => {
    let total = 0;
    for (;;) {
      const { events } = await rollUpFacts(h.deps, { batch: 7, settleMs: 30_000 });
      if (events === 0) return total;
      total += events;
    }
  };

  /** The roll-up of this test's team, by cell. */
  async function rollUp(): Promise<Map<string, Record<string, number>>> {
    const rows = await h.deps.db.select().from(kpiDailyFacts).where(eq(kpiDailyFacts.teamId, team));
    const out = new Map<string, Record<string, number>>();
    for (const r of rows) {
      const m = {
        contacts: r.contacts,
        repeats: r.repeats,
        complaints: r.complaints,
        appeals: r.appeals,
        resolved: r.resolved,
        fcr: r.fcr,
        reopened: r.reopened,
        transferred: r.transferred,
        handling_ms: r.handlingMs,
        handling_business_ms: r.handlingBusinessMs,
        handling_business_n: r.handlingBusinessN,
        within_target: r.withinTarget,
        first_responses: r.firstResponses,
        first_response_ms: r.firstResponseMs,
        with_limits: r.withLimits,
        breached: r.breached,
        sla_met: r.slaMet,
        sla_breached: r.slaBreached,
      };
      const nonZero = Object.fromEntries(
        Object.entries(m)
          .filter(([, v]) => Number(v) !== 0)
          .map(([k, v]) => [k, Number(v)]),
      );
      if (Object.keys(nonZero).length > 0)
        out.set(cellKey({ ...r, type: r.type as 'fault', channel: r.channel as 'hotline' }), nonZero);
    }
    return out;
  }

  /** The same cells computed directly by the pure core from each ticket's stored timeline. */
  async function pure(): Promise<Map<string, Record<string, number>>> {
    const db = h.deps.db;
    const cells: FactCell[] = [];
    for (const id of Object.values(ids)) {
      const [t] = await db.select().from(tickets).where(eq(tickets.id, id));
      const events = await db
        .select()
        .from(ticketEvents)
        .where(eq(ticketEvents.ticketId, id))
        .orderBy(asc(ticketEvents.id));
      const targets = await db.select().from(slaTargets).where(eq(slaTargets.ticketId, id));
      const laterAt = later[id]?.length
        ? (await db.select({ at: tickets.createdAt }).from(tickets).where(inArray(tickets.id, later[id]))).map(
            (r) => r.at,
          )
        : [];
      const f = ticketFacts(
        {
          ticket: { ...t!, region: null },
          events: events.map((e) => ({ kind: e.kind, at: e.createdAt, data: e.data })),
          slaTargets: targets,
          laterContacts: laterAt,
          words: [],
        },
        { ...DEFAULT_KPI_SETTINGS, timeZone: 'Asia/Shanghai' },
      );
      cells.push(...cellsOf(f));
    }
    const out = new Map<string, Record<string, number>>();
    for (const c of cells) {
      const key = cellKey(c);
      const m = out.get(key) ?? {};
      for (const k of MEASURES) if (c.measures[k]) m[k] = (m[k] ?? 0) + c.measures[k];
      out.set(key, m);
    }
    return out;
  }

  it('keeps roll-up rows equal to the pure computation as tickets are created, resolved, reopened and come back', async () => {
    const customerA = await h.buildCustomer();
    ids.a = await ticket(customerA);
    await answerAndResolve(ids.a);
    ids.b = await ticket();
    await answerAndResolve(ids.b);
    ids.c = await ticket();
    await runJob();
    expect(await rollUp()).toEqual(await pure());
    const before = [...(await rollUp()).values()].reduce((s, m) => s + (m.fcr ?? 0), 0);
    expect(before).toBe(2);

    // B is reopened ("not solved") and resolved again the next Beijing day; A's customer comes
    // back on the same category two days after A was resolved; C stays open.
    await later_(14 * HOUR);
    const reopened = await post(agent, `/api/v1/tickets/${ids.b}/confirmation`, { solved: false, note: '还是断网' });
    expect(reopened.json().status).toBe('assigned');
    await post(agent, `/api/v1/tickets/${ids.b}/transitions`, { action: 'start' });
    await answerAndResolve(ids.b);
    await later_(30 * HOUR);
    ids.d = await ticket(customerA);
    later[ids.a] = [ids.d];
    await runJob();

    const rows = await rollUp();
    expect(rows).toEqual(await pure());
    const sum = (k: string) => [...rows.values()].reduce((s, m) => s + (m[k] ?? 0), 0);
    expect({
      contacts: sum('contacts'),
      resolved: sum('resolved'),
      fcr: sum('fcr'),
      reopened: sum('reopened'),
    }).toEqual({
      contacts: 4,
      resolved: 2,
      fcr: 0,
      reopened: 1,
    });
    expect(sum('repeats')).toBe(1);
  });

  it('gives the same roll-up when rebuilt from the start and when two nodes run at once', async () => {
    const expected = await rollUp();
    await h.deps.db.update(kpiCursors).set({ lastEventId: 0 }).where(eq(kpiCursors.name, 'facts'));
    await runJob();
    expect(await rollUp()).toEqual(expected);

    ids.e = await ticket();
    await answerAndResolve(ids.e);
    await Promise.all([runJob(), runJob()]);
    expect(await rollUp()).toEqual(await pure());
  });

  it('keeps the roll-up summed by each dimension equal to the full roll-up, which the unfiltered dashboard reads', async () => {
    const db = h.deps.db;
    const norm = (rows: Record<string, unknown>[]) =>
      rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)])))).sort();
    const measures = sql.raw(MEASURES.map((m) => `sum(${m})::bigint AS ${m}`).join(', '));
    const nonZero = sql.raw(MEASURES.map((m) => `sum(${m}) <> 0`).join(' OR '));
    const fromFacts = await queryRows(
      db,
      sql`SELECT d.dim, f.metric, f.day::text AS day, d.key, ${measures} FROM kpi_daily_facts f
          CROSS JOIN LATERAL (VALUES ('', ''), ('team', f.team_id), ('agent', f.agent_id), ('type', f.type),
            ('category', f.category_id), ('channel', f.channel), ('region', f.region)) AS d(dim, key)
          GROUP BY 1, 2, 3, 4 HAVING ${nonZero}`,
    );
    const kept = await queryRows(
      db,
      sql`SELECT dim, metric, day::text AS day, key, ${measures} FROM kpi_daily_marginals GROUP BY 1, 2, 3, 4 HAVING ${nonZero}`,
    );
    expect(fromFacts.length).toBeGreaterThan(0);
    expect(norm(kept)).toEqual(norm(fromFacts));

    // The same figures without a filter, with one (per-dimension roll-up) and with two (full grain)
    // that select everything: this test's team holds every ticket here, all faults on the hotline.
    const url = (extra: string) => `/api/v1/kpi/dashboard?from=2026-11-19&to=2026-11-30${extra}`;
    const read = async (extra: string) => (await h.request(supervisor, { method: 'GET', url: url(extra) })).json();
    const figures = (d: {
      kpis: { drill: unknown }[];
      trend: unknown;
      sla: unknown;
      breakdown: Record<string, unknown>;
      hotIssues: unknown;
    }) => ({
      kpis: d.kpis.map((k) => ({ ...k, drill: null })),
      trend: d.trend,
      sla: d.sla,
      // Drill links carry the filters; the figures are compared.
      breakdown: JSON.parse(JSON.stringify(d.breakdown, (k, v: unknown) => (k === 'drill' ? undefined : v))) as Record<
        string,
        unknown
      >,
      hotIssues: JSON.parse(JSON.stringify(d.hotIssues, (k, v: unknown) => (k === 'drill' ? undefined : v))) as unknown,
    });
    const all = figures(await read(''));
    expect(all.breakdown.agent).toEqual([expect.objectContaining({ key: agent.actor.id })]);
    for (const filtered of [
      `&teamId=${team}`,
      '&channel=hotline',
      `&teamId=${team}&type=fault`,
      '&type=fault&channel=hotline',
    ])
      expect({ filtered, ...figures(await read(filtered)) }).toEqual({ filtered, ...all });
  });

  it('shows the KPIs on the dashboard against their targets, and drills down to the tickets behind a red tile', async () => {
    const url = `/api/v1/kpi/dashboard?from=2026-11-20&to=2026-11-30&teamId=${team}`;
    expect((await h.request(agent, { method: 'GET', url })).statusCode).toBe(403);
    const res = await h.request(supervisor, { method: 'GET', url });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const fcr = body.kpis.find((k: { id: string }) => k.id === 'fcr');
    expect(fcr).toMatchObject({ value: 1 / 3, numerator: 1, denominator: 3, met: false, target: { value: 0.85 } });
    // No QA review in this team: no data, never a made-up score.
    expect(body.kpis.find((k: { id: string }) => k.id === 'qa_score')).toMatchObject({
      value: null,
      noData: 'no_facts',
    });
    expect(body.kpis.find((k: { id: string }) => k.id === 'complaint_rate')).toMatchObject({ value: null });
    // SLA compliance over every limit: the sum of the per-limit table beside it.
    const sla = body.sla as { met: number; breached: number }[];
    const met = sla.reduce((n, r) => n + r.met, 0);
    const limits = sla.reduce((n, r) => n + r.met + r.breached, 0);
    expect(limits).toBeGreaterThan(0);
    expect(body.kpis.find((k: { id: string }) => k.id === 'sla_compliance')).toMatchObject({
      value: met / limits,
      numerator: met,
      denominator: limits,
    });
    expect(body.breakdown.agent).toEqual([expect.objectContaining({ key: agent.actor.id, contacts: 5, resolved: 3 })]);
    expect(body.backlog.open).toBeGreaterThanOrEqual(2);

    const list = await h.request(supervisor, {
      method: 'GET',
      url: `/api/v1/tickets?${new URLSearchParams(fcr.drill).toString()}`,
    });
    expect(list.statusCode).toBe(200);
    expect(
      list
        .json()
        .items.map((t: { id: string }) => t.id)
        .sort(),
    ).toEqual([ids.a, ids.b].sort());
  });

  it('refuses a malformed period with a machine-readable code', async () => {
    const res = await h.request(supervisor, {
      method: 'GET',
      url: '/api/v1/kpi/dashboard?from=2026-12-01&to=2026-11-01',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('request.invalid');
  });
});
