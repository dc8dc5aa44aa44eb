import pg from 'pg';
import { TicketListQuery } from '../src/contracts/tickets.js';
import type { Actor } from '../src/core/auth/policy.js';
import { openPostgres } from '../src/db/client.js';
import { ensureReferenceData } from '../src/db/reference-data.js';
import { systemClock } from '../src/system-clock.js';
import { tokenizeForSearch } from '../src/text/segmenter.js';
import { listTickets } from '../src/usecases/tickets/list-tickets.js';
import { countQueues } from '../src/usecases/tickets/queue-counts.js';
import { createScratchDatabase } from '../test/helpers/engines.js';
import { printTable } from './harness.js';

const LARGE = Number(process.env.BENCH_LIST_TICKETS ?? 200_000);
const SMALL = 2_000;
const RUNS = 25;

/**
 * Does a queue page stay fast as the ticket table grows? The desk's saved views, a word search, a
 * team queue, a deep page (30 pages in, by cursor) and the sidebar counts, each timed on a database
 * of LARGE tickets beside the same query on SMALL tickets with the same mix (90 days of history,
 * almost all closed except the last two days).
 */
export async function ticketList() {
  const small = await seededDatabase(SMALL);
  const large = await seededDatabase(LARGE);
  try {
    const rows: Record<string, string | number>[] = [];
    for (const [name, actor, query] of cases(small.actors)) {
      const largeCase = cases(large.actors).find(([n]) => n === name)!;
      const smallMs = await medianMs(() => query(small.deps, actor));
      const largeMs = await medianMs(() => largeCase[2](large.deps, largeCase[1]));
      rows.push({
        query: name,
        [`ms at ${SMALL.toLocaleString()}`]: smallMs,
        [`ms at ${LARGE.toLocaleString()}`]: largeMs,
        ratio: largeMs / smallMs,
      });
    }
    printTable(rows);
  } finally {
    await small.close();
    await large.close();
  }
}

type Deps = Awaited<ReturnType<typeof seededDatabase>>['deps'];
type Actors = { agent: Actor; supervisor: Actor };
type Case = [string, Actor, (deps: Deps, actor: Actor) => Promise<unknown>];

function page(params: Record<string, string>) {
  return (deps: Deps, actor: Actor) => listTickets(deps, actor, TicketListQuery.parse(params));
}

const OPEN = 'new,assigned,in_progress,pending_customer,pending_department';

function cases({ agent, supervisor }: Actors): Case[] {
  return [
    ['agent: mine', agent, page({ assigneeId: 'me', status: OPEN })],
    ['agent: unassigned', agent, page({ assigneeId: 'none', status: OPEN })],
    ['agent: due soon', agent, page({ sla: 'due_soon', sort: 'due' })],
    ['agent: breached', agent, page({ sla: 'breached', sort: 'due' })],
    ['agent: VIP', agent, page({ customerTier: 'vip', status: OPEN })],
    ['agent: all', agent, page({})],
    ['agent: search 掉线', agent, page({ q: '掉线' })],
    ['supervisor: team queue', supervisor, page({ teamId: agent.teamId!, status: OPEN })],
    [
      'supervisor: all, page 30',
      supervisor,
      async (deps, actor) => {
        let cursor: string | undefined;
        for (let i = 0; i < 30; i++)
          cursor =
            (await listTickets(deps, actor, TicketListQuery.parse(cursor ? { cursor } : {}))).nextCursor ?? undefined;
      },
    ],
    ['agent: sidebar counts', agent, (deps, actor) => countQueues(deps, actor)],
  ];
}

async function medianMs(op: () => Promise<unknown>): Promise<number> {
  await op(); // warm caches and plans
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await op();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

/**
 * TOTAL tickets over 90 days in 6 teams (one restricted, the VIP desk) with 10 agents each and
 * 20,000 customers (5% VIP). Tickets of the last two days are open in every status; older ones
 * are closed except 3% still pending a department or the customer, most of them breached.
 */
export async function seededDatabase(total: number) {
  const scratch = await createScratchDatabase();
  const database = await openPostgres(scratch.url, 4);
  const raw = new pg.Client({ connectionString: scratch.url });
  await raw.connect();
  await ensureReferenceData(database.db);
  await raw.query(`
    INSERT INTO teams (id, code, name, kind, restricted)
    SELECT gen_random_uuid(), 'team' || g, '班组' || g, CASE WHEN g = 1 THEN 'frontline' ELSE 'expert' END, g = 6 FROM generate_series(1, 6) g;
    INSERT INTO staff (id, username, display_name, role, team_id, password_hash)
    SELECT gen_random_uuid(), 'agent' || t.code || '_' || g, '坐席' || g, (CASE WHEN g = 1 THEN 'supervisor' ELSE 'agent' END)::staff_role, t.id, 'x'
    FROM teams t CROSS JOIN generate_series(1, 10) g;
    INSERT INTO customers (id, name, tier)
    SELECT gen_random_uuid(), '客户' || g, CASE WHEN g % 20 = 0 THEN 'vip'::customer_tier ELSE 'regular'::customer_tier END FROM generate_series(1, 20000) g;`);
  await raw.query(
    `WITH s AS (SELECT array_agg(id) AS ids, array_agg(team_id) AS teams FROM staff),
          c AS (SELECT array_agg(id) AS ids FROM customers),
          raw AS (
            SELECT g, now() - random() * interval '90 days' AS created, (random() * 59)::int + 1 AS who, (random() * 19999)::int + 1 AS cust, random() AS r
            FROM generate_series(1, $1::int) g)
     INSERT INTO tickets (id, number, type, grade, priority, status, channel, subject, description, customer_id, team_id, assignee_id,
                          first_contact_owner_id, created_by_id, search_text, sla_due_at, created_at, updated_at)
     SELECT gen_random_uuid(), 'L' || g, 'fault', 'general', 1 + g % 4, st.status::ticket_status, 'hotline', '宽带问题', '宽带问题',
            c.ids[cust], s.teams[who], CASE WHEN st.status = 'new' THEN NULL ELSE s.ids[who] END, s.ids[who], s.ids[who],
            (ARRAY['宽带 掉线 家里', '话费 扣费 异常', '信号 差 小区', '套餐 变更 咨询', '携号转网 办理'])[1 + g % 5],
            CASE WHEN st.status IN ('resolved', 'closed') THEN NULL ELSE created + interval '1 day' END, created, created
     FROM raw, s, c,
          LATERAL (SELECT CASE
            WHEN created > now() - interval '2 days' THEN (ARRAY['new', 'assigned', 'in_progress', 'in_progress', 'pending_customer', 'pending_department', 'resolved'])[1 + (r * 7)::int % 7]
            WHEN r < 0.03 THEN (ARRAY['pending_customer', 'pending_department'])[1 + (r * 100)::int % 2]
            ELSE (ARRAY['resolved', 'closed', 'closed'])[1 + (r * 1000)::int % 3] END AS status) st
     ORDER BY created -- stored in arrival order, as in production`,
    [total],
  );
  // As autovacuum leaves a table in use: statistics, and the visibility map index-only scans read.
  await raw.query('VACUUM ANALYZE');
  const pick = async (role: string) =>
    (
      await raw.query<{ id: string; team_id: string }>(
        `SELECT s.id, s.team_id FROM staff s JOIN teams t ON t.id = s.team_id WHERE t.code = 'team1' AND s.role = $1 LIMIT 1`,
        [role],
      )
    ).rows[0]!;
  const agentRow = await pick('agent');
  const supervisorRow = await pick('supervisor');
  await raw.end();
  return {
    url: scratch.url,
    deps: { db: database.db, clock: systemClock, indexText: tokenizeForSearch, timeZone: 'Asia/Shanghai' },
    actors: {
      agent: { id: agentRow.id, role: 'agent', teamId: agentRow.team_id },
      supervisor: { id: supervisorRow.id, role: 'supervisor', teamId: supervisorRow.team_id },
    } satisfies Actors,
    async close() {
      await database.close();
      await scratch.drop();
    },
  };
}
