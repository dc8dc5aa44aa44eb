import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { count } from 'drizzle-orm';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { openPostgres } from '../src/db/client.js';
import { ensureReferenceData } from '../src/db/reference-data.js';
import { staff, teams, tickets } from '../src/db/schema.js';
import { hashPassword } from '../src/usecases/auth/passwords.js';
import { createCustomer } from '../src/usecases/customers/customers.js';
import { createScratchDatabase } from '../test/helpers/engines.js';
import { printTable, SECONDS } from './harness.js';
import { startArgs } from './served.js';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '1,32').split(',').map(Number);
/** Server process counts to measure: one, and two as LOOPDESK_PROCESSES=2 runs them. */
const PROCESSES = (process.env.BENCH_SERVER_PROCESSES ?? '1,2').split(',').map(Number);
/** Rounds of the API and the same-rows transaction, alternated: the machine's speed drifts between runs. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Tickets created per second through POST /api/v1/tickets (each with a new Idempotency-Key) beside
 * a plain SQL transaction writing the same rows (pgbench, bench/intake-baseline.sql) and a
 * single-row INSERT (bench/intake-single-insert.sql), at 1 and 32 connections, same PostgreSQL,
 * same run. The API and the same-rows transaction take turns, ROUNDS times: the ratio printed is
 * the median of each round's, since this shared machine's speed drifts over minutes. The server
 * runs in child processes (bench/intake-server.ts); the load comes from wrk and pgbench, each a
 * process of its own. CPU time per ticket, the server's and PostgreSQL's (from /proc), depends less
 * on what else the machine runs than the rates do. BENCH_CPU_PROF=<dir> writes the
 * server's CPU profiles of the measured load (after the warm-up) there (`npx tsx bench/cpu-profile-top.ts <dir>` prints their top).
 */
export async function intakeRatio() {
  if (spawnSync('pgbench', ['--version']).status !== 0) {
    throw new Error('pgbench not found: apt-get install -y postgresql-client (or the postgresql package)');
  }
  if (spawnSync('wrk', ['--version']).error) throw new Error('wrk not found: apt-get install -y wrk');
  const scratch = await createScratchDatabase();
  const database = await openPostgres(scratch.url, 4);
  try {
    const { db } = database;
    await ensureReferenceData(db);
    const teamId = uuidv7();
    const staffId = uuidv7();
    await db.insert(teams).values({ id: teamId, code: 'bench', name: '压测组', kind: 'frontline' });
    await db.insert(staff).values({
      id: staffId,
      username: 'bench',
      displayName: '压测',
      role: 'agent',
      teamId,
      passwordHash: await hashPassword('bench-password'),
    });
    const customerId = await createCustomer(
      { db, clock: { now: () => new Date() }, indexText: (s) => s, timeZone: 'Asia/Shanghai' },
      { id: uuidv7(), role: 'admin', teamId: null },
      { name: '压测客户', numbers: ['13900000000'], tier: 'regular', plans: [] },
    );
    const raw = new pg.Client({ connectionString: scratch.url });
    await raw.connect();
    await raw.query(`CREATE TABLE bench_raw (
      id uuid PRIMARY KEY, number text UNIQUE NOT NULL, type text NOT NULL, status text NOT NULL, subject text NOT NULL,
      description text NOT NULL, customer_id uuid NOT NULL, owner_id uuid NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
    await raw.end();

    const pgbench = (script: string, connections: number) => {
      const args = [
        ...[
          '-n',
          '-M',
          'prepared',
          '-T',
          String(SECONDS),
          '-c',
          String(connections),
          '-j',
          String(Math.min(connections, 2)),
        ],
        ...['-D', `staff=${staffId}`, '-D', `team=${teamId}`, '-D', `customer=${customerId}`, '-D', `key=${uuidv7()}`],
        ...['-f', here(script), scratch.url],
      ];
      const run = spawnSync('pgbench', args, { encoding: 'utf8' });
      const tps = /tps = ([\d.]+)/.exec(run.stdout);
      if (run.status !== 0 || !tps || /failed transactions: [1-9]/.test(run.stdout)) {
        throw new Error(`pgbench ${script} failed:\n${run.stdout}\n${run.stderr}`);
      }
      return Number(tps[1]);
    };

    const body = JSON.stringify({
      type: 'fault',
      channel: 'hotline',
      subject: '宽带频繁掉线',
      description: '家里宽带每天掉线十几次，光猫指示灯闪红，重启后仍然掉线，要求尽快上门维修。',
      customerId,
    });
    const rows: Record<string, string | number>[] = [];
    for (const processes of PROCESSES) {
      const server = await startServerProcess(scratch.url, processes);
      try {
        const login = await fetch(`${server.url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'bench', password: 'bench-password' }),
        });
        const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
        const { csrfToken } = (await login.json()) as { csrfToken: string };
        // Every answer must be a new ticket, not the replay of an earlier key.
        const ticketCount = async () => (await db.select({ n: count() }).from(tickets))[0]!.n;
        const load = async (connections: number, duration: number) => {
          const before = await ticketCount();
          const { answered, perSecond } = createTickets({
            url: server.url,
            connections,
            duration,
            body,
            cookie,
            csrfToken,
          });
          const created = (await ticketCount()) - before;
          if (created < answered) throw new Error(`${answered} answers but ${created} tickets: keys were replayed`);
          return perSecond;
        };
        // Warm-up: JIT, pools, caches. With 2 s of it, each run's first round came out the lowest.
        await load(32, SECONDS);
        if (process.env.BENCH_CPU_PROF) server.startProfile();
        for (const connections of CONNECTIONS) {
          const rounds: { api: number; cpuMs: number; dbMs: number; sameRows: number; sameRowsDbMs: number }[] = [];
          for (let round = 0; round < ROUNDS; round++) {
            const [cpuBefore, dbBefore] = [server.cpuSeconds(), postgresCpuSeconds()];
            const api = await load(connections, SECONDS);
            const perTicket = (seconds: number) => (api > 0 ? (1000 * seconds) / (api * SECONDS) : Number.NaN);
            const cpuMs = perTicket(server.cpuSeconds() - cpuBefore);
            const dbMs = perTicket(postgresCpuSeconds() - dbBefore);
            const sameRowsDbBefore = postgresCpuSeconds();
            const sameRows = pgbench('intake-baseline.sql', connections);
            await new Promise((resolve) => setTimeout(resolve, 500)); // its backends end and are reaped
            const sameRowsDbMs = (1000 * (postgresCpuSeconds() - sameRowsDbBefore)) / (sameRows * SECONDS);
            rounds.push({ api, cpuMs, dbMs, sameRows, sameRowsDbMs });
          }
          const api = median(rounds.map((r) => r.api));
          const single = pgbench('intake-single-insert.sql', connections);
          rows.push({
            connections,
            'server processes': processes,
            'API tickets/s': api,
            'server CPU ms/ticket': median(rounds.map((r) => r.cpuMs)),
            'PostgreSQL CPU ms/ticket': median(rounds.map((r) => r.dbMs)),
            'PostgreSQL CPU ms/same-rows tx': median(rounds.map((r) => r.sameRowsDbMs)),
            'same-rows SQL tx/s': median(rounds.map((r) => r.sameRows)),
            'API / same-rows tx': median(rounds.map((r) => r.api / r.sameRows)),
            'each round': rounds.map((r) => (r.api / r.sameRows).toFixed(2)).join(' '),
            'single INSERT/s': single,
            'API / single INSERT': api / single,
          });
        }
      } finally {
        await server.stop();
      }
    }
    console.log(
      `PostgreSQL at ${new URL(scratch.url).host}, ${SECONDS} s per measurement, ${ROUNDS} rounds (medians); goal: API / same-rows tx ≥ 0.5 at 32 connections, ≥ 0.4 at 1`,
    );
    printTable(rows);
  } finally {
    await database.close();
    await scratch.drop();
  }
}

/** npm start's node flags (the heap's sizing), or BENCH_NODE_FLAGS (space-separated; empty: none). */
function serverNodeFlags(): string[] {
  const flags = process.env.BENCH_NODE_FLAGS;
  return flags === undefined ? startArgs().filter((a) => a.startsWith('--')) : flags.split(' ').filter(Boolean);
}

/** The server in child processes (bench/intake-server.ts), on a loopback port. */
async function startServerProcess(databaseUrl: string, processes: number) {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', ...serverNodeFlags(), here('intake-server.ts')],
    {
      env: { ...process.env, DATABASE_URL: databaseUrl, BENCH_SERVER_PROCESSES: String(processes) },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  const pids = () => [child.pid!, ...childrenOf(child.pid!)];
  return {
    url: `http://127.0.0.1:${port}`,
    /** CPU seconds the server processes have used so far (user + system, from /proc). */
    cpuSeconds: () => pids().reduce((sum, pid) => sum + cpuSecondsOf(pid), 0),
    /** Starts the CPU profiles (BENCH_CPU_PROF), after the warm-up. */
    startProfile: () => pids().forEach((pid) => process.kill(pid, 'SIGUSR2')),
    async stop() {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim() || 100);

function cpuSecondsOf(pid: number, withEndedChildren = false): number {
  // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th, the
  // time of the children it waited for the 14th and 15th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const children = withEndedChildren ? Number(fields[13]) + Number(fields[14]) : 0;
  return (Number(fields[11]) + Number(fields[12]) + children) / CLOCK_TICKS;
}

/**
 * CPU seconds PostgreSQL has used on this machine so far (the bench's database is local): its live
 * processes', and those of the backends that ended (pgbench's, when it disconnects), which the
 * postmaster's reaped-children time holds.
 */
function postgresCpuSeconds(): number {
  let sum = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') sum += cpuSecondsOf(Number(entry), true);
    } catch {
      // the process ended meanwhile
    }
  }
  return sum;
}

function childrenOf(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
}

/**
 * Tickets created per second, each request with a new Idempotency-Key, by wrk in a process of its
 * own (bench/intake-wrk.lua): written in C, it takes little of the two cores the server and
 * PostgreSQL share, as pgbench does for the same-rows transaction.
 */
function createTickets(opts: {
  url: string;
  connections: number;
  duration: number;
  body: string;
  cookie: string;
  csrfToken: string;
}): { answered: number; perSecond: number } {
  const run = spawnSync(
    'wrk',
    [
      ...['-t', String(Math.min(opts.connections, 2)), '-c', String(opts.connections), '-d', `${opts.duration}s`],
      ...['-s', here('intake-wrk.lua'), `${opts.url}/api/v1/tickets`],
    ],
    {
      encoding: 'utf8',
      env: {
        ...process.env,
        WRK_BODY: opts.body,
        WRK_COOKIE: opts.cookie,
        WRK_CSRF_TOKEN: opts.csrfToken,
        WRK_KEY_PREFIX: uuidv7(),
      },
    },
  );
  const requests = /(\d+) requests in ([\d.]+)s/.exec(run.stdout);
  if (run.status !== 0 || !requests || /Non-2xx|Socket errors/.test(run.stdout)) {
    throw new Error(`ticket creation failed:\n${run.stdout}\n${run.stderr}`);
  }
  const answered = Number(requests[1]);
  return { answered, perSecond: answered / Number(requests[2]) };
}
