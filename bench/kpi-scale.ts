import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Actor } from '../src/core/auth/policy.js';
import { shiftDay } from '../src/core/kpi/periods.js';
import { DashboardQuery } from '../src/contracts/kpi.js';
import { openPostgres } from '../src/db/client.js';
import { ensureReferenceData } from '../src/db/reference-data.js';
import { systemClock } from '../src/system-clock.js';
import { tokenizeForSearch } from '../src/text/segmenter.js';
import { readDashboard } from '../src/usecases/kpi/read-dashboard.js';
import { createScratchDatabase } from '../test/helpers/engines.js';
import { printTable } from './harness.js';

const SMALL = Number(process.env.BENCH_KPI_SMALL ?? 50_000);
const LARGE = Number(process.env.BENCH_KPI_LARGE ?? 5_000_000);
const RUNS = Number(process.env.BENCH_KPI_RUNS ?? 20);
const TZ = 'Asia/Shanghai';

/**
 * Does the KPI dashboard stay fast on years of history? The dashboard's use case (every query the
 * route runs: roll-up sums, trend, six breakdowns, SLA, surveys and callbacks, backlog, hot issues,
 * labels) timed at SMALL and LARGE tickets of two years' history, p95 of RUNS each, and the ratio.
 *
 * Loading: tickets, customers, surveys and callbacks by INSERT … SELECT generate_series into a
 * scratch database (secondary indexes built after the load, foreign-key triggers off while it runs);
 * the roll-up (kpi_daily_facts, kpi_daily_words, kpi_daily_quality) is written by SQL as the rows the
 * facts job would write for those tickets (core/kpi/ticket-facts.ts: contacts, repeats, SLA outcome
 * on the creation day; first response on its day; resolution facts on the resolution day), since
 * running the job over millions of timelines would take hours and is not what is measured here; the
 * survey roll-up (kpi_daily_surveys and its per-dimension sums) by migration 0049's fill.
 */
export async function kpiScale() {
  const rows: Record<string, string | number>[] = [];
  const results: Record<string, Record<string, number>> = {};
  const loads: Record<string, string | number>[] = [];
  for (const total of process.env.BENCH_KPI_SIZES?.split(',').map(Number) ?? [SMALL, LARGE]) {
    const db = await loadHistory(total);
    loads.push({ tickets: total, ...db.load });
    console.log(`loaded ${total.toLocaleString()} tickets`, db.load);
    try {
      results[total] = {};
      for (const [name, query] of cases(db.teamId)) {
        results[total][name] = await p95Ms(() => query(db.deps, db.actor));
        console.log(`${name} at ${total.toLocaleString()}: p95 ${results[total][name].toFixed(0)} ms`);
      }
      console.log(`p95 ms at ${total.toLocaleString()}`, results[total]);
    } finally {
      await db.close();
    }
  }
  console.log('load (seconds)');
  printTable(loads);
  for (const [name] of cases('00000000-0000-0000-0000-000000000000')) {
    const small = results[SMALL]?.[name] ?? NaN;
    const large = results[LARGE]?.[name] ?? NaN;
    rows.push({
      dashboard: name,
      [`p95 ms at ${SMALL.toLocaleString()}`]: small,
      [`p95 ms at ${LARGE.toLocaleString()}`]: large,
      ratio: large / small,
    });
  }
  printTable(rows);
}

type Loaded = Awaited<ReturnType<typeof loadHistory>>;
type Case = [string, (deps: Loaded['deps'], actor: Actor) => Promise<unknown>];

const ONLY = process.env.BENCH_KPI_CASES?.split(',');

function cases(teamId: string): Case[] {
  return allCases(teamId).filter(([name]) => !ONLY || ONLY.some((o) => name.includes(o)));
}

function allCases(teamId: string): Case[] {
  const today = new Date().toISOString().slice(0, 10);
  const dash = (from: string, granularity: string, extra: Record<string, string> = {}) => {
    const q = DashboardQuery.parse({ from, to: today, granularity, ...extra });
    return (deps: Loaded['deps'], actor: Actor) => readDashboard(deps, actor, q);
  };
  return [
    ['last 30 days by day', dash(shiftDay(today, -29), 'day')],
    ['last 30 days, one team', dash(shiftDay(today, -29), 'day', { teamId })],
    ['last 30 days, complaints', dash(shiftDay(today, -29), 'day', { type: 'complaint' })],
    ['last 12 months by month', dash(shiftDay(today, -364), 'month')],
    ['two years by week', dash(shiftDay(today, -729), 'week')],
  ];
}

async function p95Ms(op: () => Promise<unknown>): Promise<number> {
  await op(); // warm caches and plans
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await op();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.min(times.length - 1, Math.ceil(RUNS * 0.95) - 1)]!;
}

const REGIONS = [
  '广州',
  '深圳',
  '佛山',
  '东莞',
  '珠海',
  '中山',
  '惠州',
  '汕头',
  '江门',
  '湛江',
  '茂名',
  '肇庆',
  '韶关',
  '梅州',
];
const WORDS = [
  '宽带 掉线 家里',
  '话费 扣费 异常',
  '信号 差 小区',
  '套餐 变更 咨询',
  '携号转网 办理',
  '流量 超出 提醒',
  '光猫 故障 上门',
  '积分 兑换 问题',
  '5G 套餐 资费',
  '发票 开具 邮寄',
];

/**
 * TOTAL tickets over two years: 12 teams of 10 agents, TOTAL/10 customers in 14 regions, types
 * inquiry 50 % / fault 30 % / service request 15 % / complaint 5 %, nine channels (hotline most),
 * the shipped categories of each type; all closed except the last two days; 20 % of resolved
 * tickets surveyed (40 % answer), callbacks for low scores.
 */
export async function loadHistory(total: number) {
  // BENCH_KPI_KEEP=1 keeps the loaded database (its URL is printed); BENCH_KPI_URL_<total>=url
  // times a database loaded that way again (to compare before and after a change of the queries).
  const reuse = process.env[`BENCH_KPI_URL_${total}`];
  if (reuse) return opened(reuse, { reused: 1 }, async () => undefined);
  const scratch = await createScratchDatabase();
  const database = await openPostgres(scratch.url, 12);
  const raw = new pg.Client({ connectionString: scratch.url });
  await raw.connect();
  await ensureReferenceData(database.db);
  const timed = async (what: string, sqlText: string, params: unknown[] = []) => {
    const start = performance.now();
    await raw.query(sqlText, params);
    load[`${what} s`] = (load[`${what} s`] ?? 0) + (performance.now() - start) / 1000;
  };
  const load: Record<string, number> = {};

  await raw.query(`
    INSERT INTO teams (id, code, name, kind)
    SELECT gen_random_uuid(), 'bt' || g, '班组' || g, 'frontline' FROM generate_series(1, 12) g;
    INSERT INTO staff (id, username, display_name, role, team_id, password_hash)
    SELECT gen_random_uuid(), 'a' || t.code || '_' || g, '坐席' || t.code || g,
           (CASE WHEN g = 1 THEN 'supervisor' ELSE 'agent' END)::staff_role, t.id, 'x'
    FROM teams t CROSS JOIN generate_series(1, 10) g WHERE t.code LIKE 'bt%';`);
  await raw.query(
    `INSERT INTO kpi_subscriber_base (region, subscribers)
    SELECT r, 1000000 + 100000 * o FROM unnest($1::text[]) WITH ORDINALITY AS x(r, o) ON CONFLICT DO NOTHING`,
    [REGIONS],
  );

  // Bulk load as a DBA would: secondary indexes dropped and built after, FK triggers off.
  const indexes = (
    await raw.query<{ indexdef: string; indexname: string }>(
      `SELECT i.indexname, i.indexdef FROM pg_indexes i
       WHERE i.schemaname = 'public' AND i.tablename IN ('tickets', 'customers', 'surveys', 'callbacks')
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    )
  ).rows;
  for (const i of indexes) await raw.query(`DROP INDEX ${i.indexname}`);
  await raw.query(`SET session_replication_role = replica`);

  const customers = Math.max(5_000, Math.round(total / 10));
  await timed(
    'customers',
    `INSERT INTO customers (id, name, tier, region)
     SELECT gen_random_uuid(), '客户' || g, CASE WHEN g % 20 = 0 THEN 'vip'::customer_tier ELSE 'regular'::customer_tier END,
            ($2::text[])[1 + (g::bigint * 7919) % array_length($2::text[], 1)]
     FROM generate_series(1, $1::int) g`,
    [customers, REGIONS],
  );
  await timed(
    'tickets',
    `WITH s AS (SELECT array_agg(id ORDER BY id) AS ids, array_agg(team_id ORDER BY id) AS teams FROM staff WHERE username LIKE 'abt%'),
          c AS (SELECT array_agg(id) AS ids FROM customers),
          cat AS (SELECT ticket_type, array_agg(id) AS ids FROM categories WHERE ticket_type IS NOT NULL GROUP BY ticket_type),
          raw AS (
            SELECT g, now() - (random() ^ 1.15) * interval '730 days' AS created,
                   1 + (random() * 119)::int AS who, 1 + (random() * ($2::int - 1))::int AS cust,
                   random() AS r, random() AS rt, random() AS rc, random() AS rh
            FROM generate_series(1, $1::int) g),
          typed AS (
            SELECT raw.*, CASE WHEN rt < 0.5 THEN 'inquiry' WHEN rt < 0.8 THEN 'fault' WHEN rt < 0.95 THEN 'service_request' ELSE 'complaint' END AS type,
                   CASE WHEN rc < 0.45 THEN 'hotline' WHEN rc < 0.65 THEN 'app' WHEN rc < 0.77 THEN 'wechat' WHEN rc < 0.85 THEN 'web'
                        WHEN rc < 0.90 THEN 'sms' WHEN rc < 0.93 THEN 'email' WHEN rc < 0.98 THEN 'shop' WHEN rc < 0.995 THEN 'enterprise' ELSE 'regulator' END AS channel
            FROM raw)
     INSERT INTO tickets (id, number, type, category_id, grade, priority, status, channel, subject, description, customer_id,
                          team_id, assignee_id, first_contact_owner_id, created_by_id, search_text, is_repeat, sla_due_at,
                          created_at, updated_at, resolved_at, closed_at)
     SELECT gen_random_uuid(), 'K' || g, t.type::ticket_type, cat.ids[1 + (g % array_length(cat.ids, 1))], 'general', 1 + g % 4,
            st.status::ticket_status, t.channel::channel, '问题', '问题', c.ids[cust], s.teams[who],
            CASE WHEN st.status = 'new' THEN NULL ELSE s.ids[who] END, s.ids[who], s.ids[who],
            ($3::text[])[1 + (g * 31) % 10], r < 0.08,
            CASE WHEN st.status IN ('resolved', 'closed') THEN NULL ELSE created + interval '1 day' END,
            created, created,
            CASE WHEN st.status IN ('resolved', 'closed') THEN created + rh * rh * interval '48 hours' END,
            CASE WHEN st.status = 'closed' THEN created + rh * rh * interval '48 hours' + interval '3 days' END
     FROM typed t JOIN cat ON cat.ticket_type::text = t.type, s, c,
          LATERAL (SELECT CASE
            WHEN created > now() - interval '2 days' THEN (ARRAY['new', 'assigned', 'in_progress', 'pending_customer', 'resolved'])[1 + (r * 5)::int % 5]
            WHEN r < 0.01 THEN 'pending_department'
            ELSE 'closed' END AS status) st
     ORDER BY created -- stored in arrival order, as in production`,
    [total, customers, WORDS],
  );
  await timed(
    'surveys',
    `INSERT INTO surveys (id, ticket_id, customer_id, status, channel, agent_id, team_id, send_after, sent_at, answered_at, csat, nps, created_at)
     SELECT gen_random_uuid(), t.id, t.customer_id, CASE WHEN x.answered THEN 'answered' ELSE 'expired' END, 'sms', t.assignee_id, t.team_id,
            t.resolved_at + interval '1 hour', t.resolved_at + interval '1 hour',
            CASE WHEN x.answered THEN t.resolved_at + interval '3 hours' END,
            CASE WHEN x.answered THEN (ARRAY[1, 2, 3, 4, 4, 5, 5, 5, 5, 5])[1 + (x.r * 1000)::int % 10] END,
            CASE WHEN x.answered THEN (x.r * 10.99)::int END, t.resolved_at
     FROM tickets t, LATERAL (SELECT random() AS r, random() < 0.4 AS answered) x
     WHERE t.resolved_at IS NOT NULL AND hashtext(t.number) % 5 = 0`,
  );
  await timed(
    'callbacks',
    `INSERT INTO callbacks (id, ticket_id, survey_id, team_id, status, created_at, completed_at)
     SELECT gen_random_uuid(), s.ticket_id, s.id, s.team_id, 'done', s.answered_at + interval '1 hour',
            s.answered_at + interval '1 hour' + (random() * 40) * interval '1 hour'
     FROM surveys s WHERE s.csat <= 2 AND s.team_id IS NOT NULL`,
  );
  await raw.query(`SET session_replication_role = origin`);
  const idxStart = performance.now();
  for (const i of indexes) await raw.query(i.indexdef);
  load['indexes s'] = (performance.now() - idxStart) / 1000;

  // The roll-up as the facts job leaves it (see the doc comment above).
  await timed(
    'roll-up',
    `CREATE TEMP TABLE bench_facts AS
     SELECT t.id, (t.created_at AT TIME ZONE '${TZ}')::date AS created_day,
            (t.resolved_at AT TIME ZONE '${TZ}')::date AS resolved_day,
            ((t.created_at + x.fr * interval '1 minute') AT TIME ZONE '${TZ}')::date AS response_day,
            coalesce(t.team_id::text, '') AS team_id, coalesce(t.assignee_id::text, '') AS agent_id, t.type::text AS type,
            coalesce(t.category_id::text, '') AS category_id, t.channel::text AS channel, coalesce(c.region, '') AS region,
            t.is_repeat, x.fr * 60000 AS first_response_ms,
            extract(epoch FROM t.resolved_at - t.created_at) * 1000 AS handling_ms,
            x.rb < 0.05 AS breached, x.rr < 0.04 AS reopened, x.rx < 0.07 AS transferred,
            t.resolved_at - t.created_at <= CASE t.type WHEN 'inquiry' THEN interval '2 hours' WHEN 'fault' THEN interval '24 hours' ELSE interval '48 hours' END AS within_target
     FROM tickets t JOIN customers c ON c.id = t.customer_id,
          LATERAL (SELECT (random() * 90)::int AS fr, random() AS rb, random() AS rr, random() AS rx) x`,
  );
  await timed(
    'roll-up',
    `INSERT INTO kpi_daily_facts (day, metric, team_id, agent_id, type, category_id, channel, region, contacts, repeats,
        complaints, appeals, resolved, fcr, reopened, transferred, handling_ms, handling_business_ms, handling_business_n,
        within_target, first_responses, first_response_ms, with_limits, breached, sla_met, sla_breached)
     SELECT day, metric, team_id, agent_id, type, category_id, channel, region, sum(contacts), sum(repeats), sum(complaints),
            sum(appeals), sum(resolved), sum(fcr), sum(reopened), sum(transferred), sum(handling_ms), sum(handling_business_ms),
            sum(handling_business_n), sum(within_target), sum(first_responses), sum(first_response_ms), sum(with_limits),
            sum(breached), sum(sla_met), sum(sla_breached)
     FROM (
       SELECT created_day AS day, '' AS metric, team_id, agent_id, type, category_id, channel, region, 1 AS contacts,
              is_repeat::int AS repeats, (type = 'complaint')::int AS complaints, (channel = 'regulator')::int AS appeals,
              0 AS resolved, 0 AS fcr, 0 AS reopened, 0 AS transferred, 0 AS handling_ms, 0 AS handling_business_ms,
              0 AS handling_business_n, 0 AS within_target, 0 AS first_responses, 0 AS first_response_ms, 1 AS with_limits,
              breached::int AS breached, 0 AS sla_met, 0 AS sla_breached
       FROM bench_facts
       UNION ALL
       SELECT response_day, '', team_id, agent_id, type, category_id, channel, region, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
              1, first_response_ms, 0, 0, 0, 0
       FROM bench_facts
       UNION ALL
       SELECT resolved_day, '', team_id, agent_id, type, category_id, channel, region, 0, 0, 0, 0, 1,
              (NOT reopened AND NOT transferred AND NOT is_repeat)::int, reopened::int, transferred::int, handling_ms,
              handling_ms * 0.6, 1, within_target::int, 0, 0, 0, 0, 0, 0
       FROM bench_facts WHERE resolved_day IS NOT NULL
       UNION ALL
       SELECT created_day, m.metric, team_id, agent_id, type, category_id, channel, region, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
              0, 0, 0, 0, (NOT breached)::int, breached::int
       FROM bench_facts, (VALUES ('first_response'), ('resolution')) AS m(metric)
     ) cells
     GROUP BY day, metric, team_id, agent_id, type, category_id, channel, region`,
  );
  // … and the same cells summed by each dimension alone, as the job adds them (marginalsOf).
  await timed(
    'roll-up',
    `INSERT INTO kpi_daily_marginals
     SELECT d.dim, f.metric, f.day, d.key, sum(contacts), sum(repeats), sum(complaints), sum(appeals), sum(resolved), sum(fcr),
            sum(reopened), sum(transferred), sum(handling_ms), sum(handling_business_ms), sum(handling_business_n),
            sum(within_target), sum(first_responses), sum(first_response_ms), sum(with_limits), sum(breached), sum(sla_met),
            sum(sla_breached)
     FROM kpi_daily_facts f
     CROSS JOIN LATERAL (VALUES ('', ''), ('team', f.team_id), ('agent', f.agent_id), ('type', f.type),
                                ('category', f.category_id), ('channel', f.channel), ('region', f.region)) AS d(dim, key)
     GROUP BY d.dim, f.metric, f.day, d.key`,
  );
  await timed(
    'roll-up',
    `INSERT INTO kpi_daily_words (day, word, contacts)
     SELECT (t.created_at AT TIME ZONE '${TZ}')::date, w, count(*)
     FROM tickets t, unnest(string_to_array(t.search_text, ' ')) w GROUP BY 1, 2`,
  );
  await timed(
    'roll-up',
    `INSERT INTO kpi_daily_quality (day, team_id, agent_id, type, category_id, channel, region, reviews, score_tenths,
        disputed, process_scored, process_ok, replies, compliant_replies)
     SELECT created_day, team_id, agent_id, type, category_id, channel, region, count(*), sum(850 + (random() * 150)::int),
            count(*) FILTER (WHERE random() < 0.05), count(*), count(*) FILTER (WHERE random() < 0.96), count(*) * 2,
            count(*) * 2 - count(*) FILTER (WHERE random() < 0.02)
     FROM bench_facts WHERE hashtext(id::text) % 50 = 0
     GROUP BY 1, 2, 3, 4, 5, 6, 7`,
  );
  await raw.query(`DROP TABLE bench_facts`);
  // The survey roll-up: the fill of migration 0049 (what an upgrade runs, and what the facts job
  // keeps from then on), run on the loaded surveys.
  const migration = readFileSync(
    fileURLToPath(new URL('../src/db/migrations/0049_kpi_survey_rollup.sql', import.meta.url)),
    'utf8',
  );
  for (const fill of migration
    .split('--> statement-breakpoint')
    .map((st) => st.replace(/^\s*--.*$/gm, '').trim())
    .filter((st) => st.startsWith('INSERT')))
    await timed('survey roll-up', fill);
  await raw.query(`UPDATE kpi_cursors SET last_event_id = 1, updated_at = now() WHERE name = 'facts'`);
  // As autovacuum leaves tables in use: statistics, and the visibility map index-only scans read.
  await timed('vacuum analyze', 'VACUUM ANALYZE');
  await raw.end();
  await database.close();
  if (process.env.BENCH_KPI_KEEP)
    console.log(`kept ${total.toLocaleString()} tickets: BENCH_KPI_URL_${total}=${scratch.url}`);
  return opened(scratch.url, load, process.env.BENCH_KPI_KEEP ? async () => undefined : () => scratch.drop());
}

async function opened(url: string, load: Record<string, number>, drop: () => Promise<void>) {
  const database = await openPostgres(url, 12);
  const raw = new pg.Client({ connectionString: url });
  await raw.connect();
  const facts = (await raw.query<{ n: string }>('SELECT count(*) AS n FROM kpi_daily_facts')).rows[0]!.n;
  const surveys = (await raw.query<{ n: string }>('SELECT count(*) AS n FROM surveys')).rows[0]!.n;
  const sup = (
    await raw.query<{ id: string; team_id: string }>(
      `SELECT id, team_id FROM staff WHERE username LIKE 'abt%' AND role = 'supervisor' ORDER BY username LIMIT 1`,
    )
  ).rows[0]!;
  await raw.end();
  return {
    load: { ...load, 'roll-up rows': Number(facts), 'survey rows': Number(surveys) },
    deps: { db: database.db, clock: systemClock, indexText: tokenizeForSearch, timeZone: TZ },
    actor: { id: sup.id, role: 'supervisor', teamId: sup.team_id } satisfies Actor,
    teamId: sup.team_id,
    async close() {
      await database.close();
      await drop();
    },
  };
}
