import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  csatMean,
  csatShare,
  emptySurveyFacts,
  netPromoterScore,
  surveyResponseRate,
  type SurveyFacts,
} from '../../src/core/kpi/formulas.js';
import { instantsOf } from '../../src/core/kpi/periods.js';
import { DEFAULT_KPI_SETTINGS } from '../../src/core/kpi/settings.js';
import { SURVEY_MEASURES } from '../../src/core/kpi/survey-facts.js';
import { queryRows } from '../../src/db/client.js';
import { receiveChannelMessage } from '../../src/usecases/channels/receive-channel-message.js';
import { rollUpFacts } from '../../src/usecases/kpi/roll-up-facts.js';
import { answerSurveyByLink, dispatchSurveys } from '../../src/usecases/surveys/surveys.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

const MIN = 60_000;
const DAY = 86_400_000;
const TZ = 'Asia/Shanghai';
const KPIS = ['csat_share', 'csat_mean', 'nps', 'survey_response_rate'] as const;

describe.each(ENGINES)('survey KPIs from the survey roll-up on %s', (engine) => {
  let h: Harness;
  // 10:00 Beijing on 20 November.
  const clock = testClock(new Date('2026-11-20T02:00:00Z'));
  let teamA: string;
  let teamB: string;
  let agentA: Session;
  let agentB: Session;
  let supervisor: Session;
  const numbers: Record<string, string> = {};
  const links: Record<string, string> = {};

  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    teamA = await h.buildTeam();
    teamB = await h.buildTeam();
    await signIn();
  });
  afterAll(() => h?.close());

  /** Sessions last 12 hours: sign in again after the clock moves by days. */
  async function signIn() {
    agentA = await h.signIn('agent', teamA);
    agentB = await h.signIn('agent', teamB);
    supervisor = await h.signIn('supervisor', teamA);
  }
  const post = (s: Session, url: string, payload: Record<string, unknown>) =>
    h.request(s, { method: 'POST', url, payload });

  /** A resolved ticket of the agent's, on `channel`, for a new customer (no frequency cap between them). */
  async function resolved(name: string, agent: Session, channel: 'hotline' | 'web') {
    const customerId = await h.buildCustomer();
    const id = await h.buildTicket(agent.actor, { assignToMe: true, channel, customerId });
    await post(agent, `/api/v1/tickets/${id}/transitions`, { action: 'start' });
    await post(agent, `/api/v1/tickets/${id}/messages`, { visibility: 'public', body: '已为您处理，请重启光猫。' });
    expect((await post(agent, `/api/v1/tickets/${id}/transitions`, { action: 'resolve' })).statusCode).toBe(200);
    numbers[name] = (
      await queryRows<{ msisdn: string }>(
        h.database.db,
        sql`SELECT msisdn FROM customer_numbers WHERE customer_id = ${customerId} ORDER BY position LIMIT 1`,
      )
    )[0]!.msisdn;
    return id;
  }
  /** Sends the due surveys and keeps the link token of each link survey by ticket. */
  async function dispatch(names: Record<string, string>) {
    await dispatchSurveys(h.deps, { publicUrl: 'https://kf.example.cn' });
    for (const [name, ticketId] of Object.entries(names)) {
      const rows = await queryRows<{ link: string | null }>(
        h.database.db,
        sql`SELECT payload->>'surveyLink' AS link FROM outbox WHERE ticket_id = ${ticketId} AND payload->>'kind' = 'survey'`,
      );
      if (rows[0]?.link) links[name] = rows[0].link;
    }
  }
  let smsId = 0;
  const digit = (name: string, text: string) =>
    receiveChannelMessage(h.deps, 'sms', {
      messageId: `kpi-survey-${smsId++}`,
      from: { msisdn: numbers[name]! },
      text,
    });

  const runJob = async () => {
    for (;;) {
      const { events, surveys } = await rollUpFacts(h.deps, { batch: 3, settleMs: 30_000 });
      if (events === 0 && surveys === 0) return;
    }
  };

  /** The same figures counted directly from the surveys table, as the dashboard counted them before the roll-up. */
  async function fromRawRows(from: string, to: string, f: { teamId?: string; channel?: string }): Promise<SurveyFacts> {
    const { start, end } = instantsOf(from, to, TZ);
    const where = sql.join(
      [
        sql`TRUE`,
        ...(f.teamId ? [sql`s.team_id = ${f.teamId}`] : []),
        ...(f.channel ? [sql`t.channel = ${f.channel}`] : []),
      ],
      sql` AND `,
    );
    const inPeriod = (col: string) => sql`${sql.raw(col)} >= ${start} AND ${sql.raw(col)} < ${end}`;
    // Sent on the day of sending; answered (when sent) and the scores on the day of the answer.
    const [scores] = await queryRows<Record<string, number>>(
      h.database.db,
      sql`SELECT count(*) FILTER (WHERE ${inPeriod('s.sent_at')})::int AS sent,
                 count(*) FILTER (WHERE ${inPeriod('s.answered_at')} AND s.sent_at IS NOT NULL)::int AS answered,
                 ${sql.join(
                   [
                     ...[1, 2, 3, 4, 5].map(
                       (k) =>
                         sql`count(*) FILTER (WHERE s.csat = ${sql.raw(String(k))} AND ${inPeriod('s.answered_at')})::int AS ${sql.raw(`csat_${k}`)}`,
                     ),
                     ...Array.from(
                       { length: 11 },
                       (_, k) =>
                         sql`count(*) FILTER (WHERE s.nps = ${sql.raw(String(k))} AND ${inPeriod('s.answered_at')})::int AS ${sql.raw(`nps_${k}`)}`,
                     ),
                   ],
                   sql`, `,
                 )}
          FROM surveys s JOIN tickets t ON t.id = s.ticket_id
          WHERE ${where}`,
    );
    const out = emptySurveyFacts();
    out.sent = Number(scores!.sent);
    out.answered = Number(scores!.answered);
    for (const k of [1, 2, 3, 4, 5] as const) out.csat[k] = Number(scores![`csat_${k}`]);
    for (let k = 0; k <= 10; k++) out.nps[k] = Number(scores![`nps_${k}`]);
    return out;
  }

  /** CSAT share and mean, NPS and response rate as the dashboard shows them. */
  async function dashboard(
    from: string,
    to: string,
    f: { teamId?: string; channel?: string } = {},
    ids: readonly string[] = KPIS,
  ) {
    const params = new URLSearchParams({ from, to, ...f });
    const res = await h.request(supervisor, { method: 'GET', url: `/api/v1/kpi/dashboard?${params.toString()}` });
    expect(res.statusCode).toBe(200);
    const kpis = res.json().kpis as {
      id: string;
      value: number | null;
      numerator: number | null;
      denominator: number | null;
    }[];
    return Object.fromEntries(
      ids.map((id) => {
        const k = kpis.find((x) => x.id === id)!;
        return [id, { value: k.value, numerator: k.numerator, denominator: k.denominator }];
      }),
    );
  }
  const expected = (facts: SurveyFacts) => {
    const s = DEFAULT_KPI_SETTINGS;
    return Object.fromEntries(
      [csatShare(facts, s), csatMean(facts, s), netPromoterScore(facts, s), surveyResponseRate(facts, s)].map((k) => [
        k.id,
        { value: k.value, numerator: k.numerator, denominator: k.denominator },
      ]),
    );
  };

  it('counts a survey once the facts job has run, not before: the dashboard reads the roll-up, not the surveys', async () => {
    const a1 = await resolved('a1', agentA, 'web');
    clock.advance(121 * MIN);
    await dispatch({ a1 });
    await answerSurveyByLink(h.deps, links.a1!, { csat: 5, nps: 10 });
    expect((await dashboard('2026-11-20', '2026-11-20')).survey_response_rate).toMatchObject({
      value: null,
      denominator: 0,
    });
    await runJob();
    expect((await dashboard('2026-11-20', '2026-11-20')).survey_response_rate).toEqual({
      value: 1,
      numerator: 1,
      denominator: 1,
    });
  });

  it('gives the same CSAT, NPS and response rate from the roll-up as from the raw rows, a survey answered days after it was sent included, with and without filters', async () => {
    // Still 20 November, 12:01 Beijing: three more surveys of team A, one of team B.
    const ids = {
      a2: await resolved('a2', agentA, 'hotline'),
      a3: await resolved('a3', agentA, 'hotline'),
      a4: await resolved('a4', agentA, 'web'),
      b1: await resolved('b1', agentB, 'web'),
    };
    clock.advance(121 * MIN);
    await dispatch(ids);
    expect(await digit('a2', '2')).toMatchObject({ survey: 'answered' });
    await answerSurveyByLink(h.deps, links.b1!, { csat: 1, nps: 3 });
    await runJob();

    // Two days later (22 November): a3 answers its survey of the 20th; a5 is sent and not answered; a4 answers with NPS.
    clock.advance(2 * DAY);
    await signIn();
    expect(await digit('a3', '4')).toMatchObject({ survey: 'answered' });
    await answerSurveyByLink(h.deps, links.a4!, { csat: 3, nps: 7 });
    const a5 = await resolved('a5', agentA, 'hotline');
    clock.advance(121 * MIN);
    await dispatch({ a5 });
    await runJob();

    const periods = [
      ['2026-11-20', '2026-11-20'],
      ['2026-11-22', '2026-11-22'],
      ['2026-11-20', '2026-11-30'],
    ] as const;
    const filters = [
      {},
      { teamId: teamA },
      { teamId: teamB },
      { channel: 'web' },
      { teamId: teamA, channel: 'hotline' },
    ];
    for (const [from, to] of periods)
      for (const f of filters)
        expect({ from, to, f, kpis: await dashboard(from, to, f) }).toEqual({
          from,
          to,
          f,
          kpis: expected(await fromRawRows(from, to, f)),
        });

    // Team A: a1–a4 sent on the 20th, a5 on the 22nd; a1 and a2 answered on the 20th, a3 and a4 on the 22nd.
    expect((await dashboard('2026-11-20', '2026-11-20', { teamId: teamA })).survey_response_rate).toEqual({
      value: 2 / 4,
      numerator: 2,
      denominator: 4,
    });
    expect((await dashboard('2026-11-22', '2026-11-22', { teamId: teamA })).survey_response_rate).toEqual({
      value: 2,
      numerator: 2,
      denominator: 1,
    });
    expect((await dashboard('2026-11-20', '2026-11-30', { teamId: teamA })).csat_mean).toEqual({
      value: (5 + 2 + 4 + 3) / 4,
      numerator: 5 + 2 + 4 + 3,
      denominator: 4,
    });
    // The low ratings (a2: 2, b1: 1) opened callbacks, counted from the callbacks table by the survey's team.
    const opened = async (f: { teamId?: string }) =>
      (await dashboard('2026-11-20', '2026-11-30', f, ['callbacks_24h'])).callbacks_24h!.denominator;
    expect(await opened({})).toBe(2);
    expect(await opened({ teamId: teamA })).toBe(1);
    expect(await opened({ teamId: teamB })).toBe(1);
    // Team B's single answer is not in team A's figures.
    expect((await dashboard('2026-11-20', '2026-11-30', { teamId: teamB })).nps).toMatchObject({
      value: -100,
      denominator: 1,
    });
  });

  it('appraises agents’ satisfaction from the survey roll-up: the answers the facts job has counted, a newer answer once it has run', async () => {
    type Sheet = { agent: { id: string }; parts: { component: string; basis: { denominator: number } }[] };
    /** The satisfaction basis of each of team A's agents with answers in November. */
    const answered = async () => {
      const res = await h.request(supervisor, {
        method: 'GET',
        url: '/api/v1/kpi/appraisals?period=month&key=2026-11',
      });
      expect(res.statusCode).toBe(200);
      return Object.fromEntries(
        (res.json().sheets as Sheet[])
          .map((x) => [x.agent.id, x.parts.find((p) => p.component === 'satisfaction')!.basis] as const)
          .filter(([, basis]) => basis.denominator > 0),
      );
    };
    // The agent who resolved a1–a4 (signed in before the 22nd) had them answered 5, 2, 4 and 3;
    // today's agent A resolved a5, sent and not answered.
    const before = await answered();
    expect(Object.values(before)).toEqual([{ value: 3.5, numerator: 14, denominator: 4 }]);
    expect(await digit('a5', '5')).toMatchObject({ survey: 'answered' });
    expect(await answered()).toEqual(before);
    await runJob();
    expect(await answered()).toEqual({ ...before, [agentA.actor.id]: { value: 5, numerator: 5, denominator: 1 } });
  });

  it('keeps the per-dimension survey sums equal to the full survey roll-up, and both unchanged when every survey is counted again', async () => {
    const db = h.database.db;
    const measures = sql.raw(SURVEY_MEASURES.map((m) => `sum(${m})::bigint AS ${m}`).join(', '));
    const nonZero = sql.raw(SURVEY_MEASURES.map((m) => `sum(${m}) <> 0`).join(' OR '));
    const norm = (rows: Record<string, unknown>[]) =>
      rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)])))).sort();
    const fromFull = async () =>
      norm(
        await queryRows(
          db,
          sql`SELECT d.dim, d.key, f.day::text AS day, ${measures} FROM kpi_daily_surveys f
              CROSS JOIN LATERAL (VALUES ('', ''), ('team', f.team_id), ('agent', f.agent_id), ('type', f.type),
                ('category', f.category_id), ('channel', f.channel), ('region', f.region)) AS d(dim, key)
              GROUP BY 1, 2, 3 HAVING ${nonZero}`,
        ),
      );
    const kept = async () =>
      norm(
        await queryRows(
          db,
          sql`SELECT dim, key, day::text AS day, ${measures} FROM kpi_daily_survey_marginals GROUP BY 1, 2, 3 HAVING ${nonZero}`,
        ),
      );
    const before = await kept();
    expect(before.length).toBeGreaterThan(0);
    expect(before).toEqual(await fromFull());
    await queryRows(db, sql`UPDATE surveys SET facts_pending = true`);
    await runJob();
    expect(await kept()).toEqual(before);
  });
  it('fills the survey roll-up from the surveys already there as the facts job counts them (migration 0049)', async () => {
    const db = h.database.db;
    const snapshot = async () => ({
      full: (await queryRows(db, sql`SELECT * FROM kpi_daily_surveys ORDER BY 1, 2, 3, 4, 5, 6, 7`)).map((r) =>
        JSON.stringify(r),
      ),
      marginals: (await queryRows(db, sql`SELECT * FROM kpi_daily_survey_marginals ORDER BY 1, 2, 3`)).map((r) =>
        JSON.stringify(r),
      ),
      counted: await queryRows(
        db,
        sql`SELECT survey_id, team_id, agent_id, type, category_id, channel, region, sent_day::text, answered_day::text, csat, nps
            FROM kpi_survey_facts ORDER BY survey_id`,
      ),
    });
    const kept = await snapshot();
    await queryRows(db, sql`DELETE FROM kpi_daily_survey_marginals`);
    await queryRows(db, sql`DELETE FROM kpi_daily_surveys`);
    await queryRows(db, sql`DELETE FROM kpi_survey_facts`);
    const migration = readFileSync(
      fileURLToPath(new URL('../../src/db/migrations/0049_kpi_survey_rollup.sql', import.meta.url)),
      'utf8',
    );
    const fills = migration
      .split('--> statement-breakpoint')
      .map((st) => st.replace(/^\s*--.*$/gm, '').trim())
      .filter((st) => st.startsWith('INSERT'));
    expect(fills).toHaveLength(3);
    for (const st of fills) await queryRows(db, sql.raw(st));
    expect(await snapshot()).toEqual(kept);
  });
});
