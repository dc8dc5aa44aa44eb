import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { openPostgres } from '../src/db/client.js';
import { ensureReferenceData } from '../src/db/reference-data.js';
import { buildApp } from '../src/http/app.js';
import { diskStorage } from '../src/storage/attachment-storage.js';
import { tokenizeForSearch } from '../src/text/segmenter.js';
import { hashPassword } from '../src/usecases/auth/passwords.js';
import { countQueues } from '../src/usecases/tickets/queue-counts.js';
import type { Db } from '../src/db/client.js';
import { createScratchDatabase } from '../test/helpers/engines.js';
import { printTable } from './harness.js';
import { CopyWriter, deferredDdl, generate, REGIONS, WORDS, type Directory } from './scale-data.js';

const SAMPLES = Number(process.env.BENCH_SCALE_SAMPLES ?? 200);
const CASE_BUDGET_MS = 60_000;
const OPEN = 'new,assigned,in_progress,pending_customer,pending_department';
const PASSWORD = 'bench scale password';
const NEVER_SHARED = { fromOpenTickets: Infinity, freshMs: 0, staleMs: 0 };

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

/**
 * The desk at operator scale (issue 19): `npm run bench -- scale [--tickets 10000000] [--keep]`.
 * Loads TICKETS tickets of two years (default 1,000,000) into a scratch PostgreSQL database with
 * COPY, reports the load's time and the sizes, then times through the HTTP routes (app.inject: the
 * routes, zod, use cases and presenters, without the network) the desk's queue pages, search,
 * a customer's history and the ticket page: p50, p95, p99 over SAMPLES requests each.
 */
export async function scale() {
  const total = Number(flag('--tickets') ?? process.env.BENCH_SCALE_TICKETS ?? 1_000_000);
  // --reuse URL: measure a database an earlier run loaded and kept (--keep), without loading again.
  const reuse = flag('--reuse');
  const scratch = reuse ? { url: reuse, drop: async () => undefined } : await createScratchDatabase();
  console.log(`scratch database ${scratch.url}`);
  const database = await openPostgres(scratch.url, 8);
  const raw = new pg.Client({ connectionString: scratch.url });
  await raw.connect();
  let app: FastifyInstance | undefined;
  try {
    await ensureReferenceData(database.db);
    if (!reuse) await load(scratch.url, raw, total);
    app = await buildApp({
      database,
      config: loadConfig({ LOOPDESK_DATA_DIR: join(tmpdir(), 'loopdesk-bench-scale'), LOG_LEVEL: 'silent' }),
      clock: { now: () => new Date() },
      storage: diskStorage(join(tmpdir(), 'loopdesk-bench-scale')),
      indexText: tokenizeForSearch,
      log: false,
    });
    await measure(app, raw, database.db);
  } finally {
    await app?.close();
    await raw.end();
    await database.close();
    if (process.argv.includes('--keep')) console.log(`kept ${scratch.url}`);
    else await scratch.drop();
  }
}

/** Loads the data (see scale-data.ts) and prints the load's figures and the table sizes. */
async function load(url: string, raw: pg.Client, total: number) {
  const dir = await directory(raw);
  const race = await copyOrInsert(raw, url, dir, Math.min(total, 200_000));

  // The load: keys and indexes off, COPY, then one sorted build per index.
  const ddl = await deferredDdl(raw);
  for (const stmt of ddl.drop) await raw.query(stmt);
  const t0 = performance.now();
  const counts = await generate(url, total, dir, Date.now());
  const copied = performance.now();
  for (const phase of ddl.create) await inParallel(url, 2, phase);
  const indexed = performance.now();
  await inParallel(
    url,
    2,
    ['tickets', 'ticket_events', 'sla_targets', 'ticket_messages', 'customers', 'customer_numbers'].map(
      (t) => `VACUUM (ANALYZE) ${t}`,
    ),
  );
  const vacuumed = performance.now();
  const s = (a: number, b: number) => `${((b - a) / 1000).toFixed(0)} s`;
  console.log(`\nCOPY or INSERT … SELECT, ${race.rows.toLocaleString()} ticket rows into an unindexed table:`);
  printTable([
    { method: 'Node generator → COPY FROM STDIN', 'rows/s': race.copy },
    { method: 'INSERT … SELECT generate_series', 'rows/s': race.insert },
  ]);
  console.log(`\nLoad of ${total.toLocaleString()} tickets:`);
  printTable([
    { phase: 'generate + COPY (all tables)', time: s(t0, copied) },
    { phase: 'keys, indexes, foreign keys', time: s(copied, indexed) },
    { phase: 'VACUUM ANALYZE', time: s(indexed, vacuumed) },
    { phase: 'total', time: s(t0, vacuumed) },
  ]);
  const sizes = await raw.query<{ t: string; rows: string; heap: string; indexes: string; total: string }>(
    `SELECT c.relname AS t, c.reltuples::bigint::text AS rows, pg_size_pretty(pg_table_size(c.oid)) AS heap,
            pg_size_pretty(pg_indexes_size(c.oid)) AS indexes, pg_size_pretty(pg_total_relation_size(c.oid)) AS total
     FROM pg_class c WHERE c.relname = ANY($1) ORDER BY pg_total_relation_size(c.oid) DESC`,
    [Object.keys(counts).concat('customer_numbers')],
  );
  printTable(sizes.rows);
  const dbSize = (await raw.query(`SELECT pg_size_pretty(pg_database_size(current_database())) AS s`)).rows[0].s;
  console.log(`database size: ${dbSize}`);
}

/** Regions' frontline teams, a restricted VIP desk, complaints and network experts: 16 staff each. */
async function directory(raw: pg.Client): Promise<Directory> {
  const hash = await hashPassword(PASSWORD);
  const teams: Directory['teams'] = [
    ...REGIONS.map((region) => ({ id: crypto.randomUUID(), region, kind: 'frontline' as const })),
    { id: crypto.randomUUID(), region: null, kind: 'vip' },
    { id: crypto.randomUUID(), region: null, kind: 'complaints' },
    { id: crypto.randomUUID(), region: null, kind: 'network' },
  ];
  const staffByTeam = new Map<string, string[]>();
  for (const [n, team] of teams.entries()) {
    await raw.query(`INSERT INTO teams (id, code, name, kind, restricted) VALUES ($1, $2, $3, $4, $5)`, [
      team.id,
      `t${n}`,
      team.region ? `${team.region}一线` : team.kind,
      team.kind === 'frontline' ? 'frontline' : 'expert',
      team.kind === 'vip',
    ]);
    const ids = Array.from({ length: 16 }, () => crypto.randomUUID());
    staffByTeam.set(team.id, ids);
    await raw.query(
      `INSERT INTO staff (id, username, display_name, role, team_id, password_hash)
       SELECT id, $2 || '_' || ord, '坐席' || ord, (CASE WHEN ord = 1 THEN 'supervisor' ELSE 'agent' END)::staff_role, $3, $4
       FROM unnest($1::uuid[]) WITH ORDINALITY AS s(id, ord)`,
      [ids, `t${n}`, team.id, hash],
    );
  }
  const cats = await raw.query<{ id: string; ticket_type: string }>(
    `SELECT id, ticket_type FROM categories WHERE ticket_type IS NOT NULL`,
  );
  const categoriesByType = new Map<string, string[]>();
  for (const c of cats.rows)
    categoriesByType.set(c.ticket_type, [...(categoriesByType.get(c.ticket_type) ?? []), c.id]);
  return { teams, staffByTeam, categoriesByType };
}

/** Which fills an unindexed table faster: rows made in Node and COPYed, or made by SQL in the server. */
async function copyOrInsert(raw: pg.Client, url: string, dir: Directory, rows: number) {
  await raw.query(
    `CREATE TABLE race_copy (LIKE tickets INCLUDING DEFAULTS); CREATE TABLE race_sql (LIKE tickets INCLUDING DEFAULTS)`,
  );
  const team = dir.teams[0]!.id;
  const staff = dir.staffByTeam.get(team)!;
  const customer = crypto.randomUUID();
  const start = Date.now() - 730 * 86_400_000;
  let t = performance.now();
  const w = new CopyWriter(url, 'race_copy', [
    'id',
    'number',
    'type',
    'grade',
    'priority',
    'status',
    'channel',
    'subject',
    'description',
    'customer_id',
    'team_id',
    'assignee_id',
    'search_text',
    'created_at',
    'updated_at',
  ]);
  for (let i = 0; i < rows; i++) {
    const text: string[] = [];
    for (let k = 0; k < 8; k++) text.push(WORDS[Math.floor(Math.random() ** 2 * WORDS.length)]!);
    const at = new Date(start + (i * 730 * 86_400_000) / rows).toISOString();
    const p = w.row(
      `${crypto.randomUUID()}\tTS20261128${String(i).padStart(6, '0')}\tfault\tgeneral\t${1 + (i % 4)}\tclosed\thotline\t${text.slice(0, 3).join('')}\t${text.join('，')}\t${customer}\t${team}\t${staff[i % staff.length]}\t${text.join(' ')}\t${at}\t${at}`,
    );
    if (p) await p;
  }
  await w.end();
  const copy = rows / ((performance.now() - t) / 1000);
  t = performance.now();
  await raw.query(
    `INSERT INTO race_sql (id, number, type, grade, priority, status, channel, subject, description, customer_id, team_id, assignee_id, search_text, created_at, updated_at)
     SELECT gen_random_uuid(), 'TS20261128' || lpad(g::text, 6, '0'), 'fault', 'general', 1 + g % 4, 'closed', 'hotline',
            array_to_string(x.w[1:3], ''), array_to_string(x.w, '，'), $1, $2, ($3::uuid[])[1 + g % 16], array_to_string(x.w, ' '),
            now() - interval '730 days' + g * interval '730 days' / $4, now() - interval '730 days' + g * interval '730 days' / $4
     FROM generate_series(1, $4::int) g,
          LATERAL (SELECT array_agg(($5::text[])[1 + floor(power(random(), 2) * $6)::int]) AS w FROM generate_series(1, 8) WHERE g > 0) x`,
    [customer, team, staff, rows, WORDS, WORDS.length],
  );
  const insert = rows / ((performance.now() - t) / 1000);
  await raw.query('DROP TABLE race_copy; DROP TABLE race_sql');
  return { rows, copy, insert };
}

/** Runs the statements on `n` connections at once (index builds use one core each). */
async function inParallel(url: string, n: number, statements: string[]) {
  const queue = [...statements];
  await Promise.all(
    Array.from({ length: n }, async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`SET maintenance_work_mem = '512MB'`);
      try {
        for (let stmt = queue.shift(); stmt; stmt = queue.shift()) await c.query(stmt);
      } finally {
        await c.end();
      }
    }),
  );
}

type Session = { cookie: string; id: string; teamId: string };

async function measure(app: FastifyInstance, raw: pg.Client, db: Db) {
  const login = async (username: string): Promise<Session> => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username, password: PASSWORD },
    });
    if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
    const c = res.cookies.find((x) => x.name === 'loopdesk_session')!;
    const me = await raw.query<{ id: string; team_id: string }>(`SELECT id, team_id FROM staff WHERE username = $1`, [
      username,
    ]);
    return { cookie: `loopdesk_session=${c.value}`, id: me.rows[0]!.id, teamId: me.rows[0]!.team_id };
  };
  // Agents of the regions' frontline teams (t0…t9) and their supervisors.
  const agents: Session[] = [];
  const supervisors: Session[] = [];
  for (let t = 0; t < 10; t++) {
    agents.push(await login(`t${t}_2`), await login(`t${t}_3`));
    supervisors.push(await login(`t${t}_1`));
  }
  // The VIP desk (team t10, restricted): its agents work the VIP view.
  const vipAgents = [await login('t10_2'), await login('t10_3'), await login('t10_4')];
  const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
  const get = async (session: Session, url: string) => {
    const res = await app.inject({ method: 'GET', url, headers: { cookie: session.cookie } });
    if (res.statusCode !== 200) throw new Error(`GET ${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    return res.json<{ nextCursor?: string | null }>();
  };

  // Deep pages: the cursor of page 50 of the supervisors' "all" list and page 20 of their team queue.
  const deepAll = new Map<Session, string>();
  const deepTeam = new Map<Session, string>();
  for (const s of supervisors.slice(0, 3)) {
    let cursor: string | null | undefined;
    for (let p = 1; p < 50; p++)
      cursor = (await get(s, `/api/v1/tickets${cursor ? `?cursor=${cursor}` : ''}`)).nextCursor;
    if (cursor) deepAll.set(s, cursor);
    cursor = undefined;
    for (let p = 1; p < 20; p++)
      cursor = (await get(s, `/api/v1/tickets?teamId=${s.teamId}&status=${OPEN}${cursor ? `&cursor=${cursor}` : ''}`))
        .nextCursor;
    if (cursor) deepTeam.set(s, cursor);
  }
  const sample = async (q: string) => (await raw.query<{ id: string }>(q)).rows.map((r) => r.id);
  const heavyCustomers = await sample(
    `SELECT customer_id AS id FROM tickets GROUP BY customer_id ORDER BY count(*) DESC LIMIT 100`,
  );
  const anyCustomers = await sample(`SELECT id FROM customers TABLESAMPLE SYSTEM (1) LIMIT 200`);
  const pageTickets = await sample(
    `SELECT t.id FROM tickets t TABLESAMPLE SYSTEM (1) JOIN teams ON teams.id = t.team_id AND NOT teams.restricted WHERE t.has_public_reply LIMIT 200`,
  );
  const enc = encodeURIComponent;

  const cases: [string, () => Promise<unknown>][] = [
    // Baseline in the same run: a signed-in request that reads one row (the session), to tell the
    // machine's load from the queries' cost.
    ['baseline: GET /auth/session', () => get(pick(agents), `/api/v1/auth/session`)],
    [
      'queue: mine, open (the default view)',
      () => {
        const s = pick(agents);
        return get(s, `/api/v1/tickets?assigneeId=me&status=${OPEN}`);
      },
    ],
    ['queue: sidebar counts', () => get(pick(agents), `/api/v1/tickets/counts`)],
    // What a node pays every few seconds in the background to renew the shared count of the backlog
    // (queue-counts.ts), and what every viewer paid before it was shared.
    [
      'queue: sidebar counts, backlog counted for the request',
      () => {
        const s = pick(agents);
        return countQueues(
          {
            db,
            clock: { now: () => new Date() },
            indexText: (t) => t,
            timeZone: 'Asia/Shanghai',
            queueCountSharing: NEVER_SHARED,
          },
          { id: s.id, role: 'agent', teamId: s.teamId },
        );
      },
    ],
    ['queue: all (supervisor), first page', () => get(pick(supervisors), `/api/v1/tickets`)],
    [
      'queue: team open, faults, by due time',
      () => {
        const s = pick(supervisors);
        return get(s, `/api/v1/tickets?teamId=${s.teamId}&status=${OPEN}&type=fault&sort=due`);
      },
    ],
    ['queue: VIP open, VIP desk agent', () => get(pick(vipAgents), `/api/v1/tickets?customerTier=vip&status=${OPEN}`)],
    // VIP customers' tickets are all in the restricted VIP desk: a frontline agent's VIP view is empty,
    // the worst case (every open ticket is looked at).
    [
      'queue: VIP open, frontline agent (empty)',
      () => get(pick(agents), `/api/v1/tickets?customerTier=vip&status=${OPEN}`),
    ],
    [
      'queue: all, page 50 (cursor)',
      () => {
        const [s, c] = pick([...deepAll]);
        return get(s, `/api/v1/tickets?cursor=${c}`);
      },
    ],
    [
      'queue: team open, page 20 (cursor)',
      () => {
        const [s, c] = pick([...deepTeam]);
        return get(s, `/api/v1/tickets?teamId=${s.teamId}&status=${OPEN}&cursor=${c}`);
      },
    ],
    ['search: 掉线 (common word)', () => get(pick(agents), `/api/v1/tickets?q=${enc('掉线')}`)],
    ['search: 宽带掉线 (two words)', () => get(pick(agents), `/api/v1/tickets?q=${enc('宽带掉线')}`)],
    ['search: 携号转网 (rare word)', () => get(pick(agents), `/api/v1/tickets?q=${enc('携号转网')}`)],
    ['search: 掉线, open only', () => get(pick(agents), `/api/v1/tickets?q=${enc('掉线')}&status=${OPEN}`)],
    [
      'customer history (business account)',
      () => get(pick(supervisors), `/api/v1/tickets?customerId=${pick(heavyCustomers)}&limit=20`),
    ],
    [
      'customer history (any customer)',
      () => get(pick(supervisors), `/api/v1/tickets?customerId=${pick(anyCustomers)}&limit=20`),
    ],
    ['customer card', () => get(pick(supervisors), `/api/v1/customers/${pick(anyCustomers)}`)],
    [
      'ticket page (ticket + messages + timeline)',
      () => {
        const s = pick(supervisors);
        const id = pick(pageTickets);
        return Promise.all([
          get(s, `/api/v1/tickets/${id}`),
          get(s, `/api/v1/tickets/${id}/messages`),
          get(s, `/api/v1/tickets/${id}/timeline`),
        ]);
      },
    ],
  ];
  const only = flag('--case');
  // Pages that do not exist at a small size.
  if (!deepAll.size)
    cases.splice(
      cases.findIndex(([n]) => n.includes('page 50')),
      1,
    );
  if (!deepTeam.size)
    cases.splice(
      cases.findIndex(([n]) => n.includes('page 20')),
      1,
    );
  const rows: Record<string, string | number>[] = [];
  let baseline: number | undefined;
  for (const [name, op] of cases) {
    if (only && !name.includes(only) && !name.startsWith('baseline')) continue;
    await op(); // warm plans
    const times: number[] = [];
    const until = performance.now() + CASE_BUDGET_MS;
    for (let i = 0; i < SAMPLES && performance.now() < until; i++) {
      const t = performance.now();
      await op();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const at = (p: number) => times[Math.min(times.length - 1, Math.ceil(times.length * p) - 1)]!;
    baseline ??= at(0.95);
    rows.push({
      request: name,
      n: times.length,
      'p50 ms': at(0.5),
      'p95 ms': at(0.95),
      'p99 ms': at(0.99),
      'p95 ÷ baseline p95': at(0.95) / baseline,
      'p95 < 100 ms': at(0.95) < 100 ? 'yes' : 'NO',
    });
    console.log(`${name}: p95 ${at(0.95).toFixed(1)} ms`);
  }
  printTable(rows);
}
