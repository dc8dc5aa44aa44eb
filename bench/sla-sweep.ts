import { spawn } from 'node:child_process';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { openPostgres, queryRows } from '../src/db/client.js';
import { ensureReferenceData } from '../src/db/reference-data.js';
import { customers, staff, teams } from '../src/db/schema.js';
import { systemClock } from '../src/system-clock.js';
import { sweepSla } from '../src/usecases/sla/sweep.js';
import { createScratchDatabase } from '../test/helpers/engines.js';
import { printTable } from './harness.js';

const OPEN = Number(process.env.BENCH_SLA_TICKETS ?? 1_000_000);
const DUE = Number(process.env.BENCH_SLA_DUE ?? 10_000);
const BATCH = 200;

/**
 * With OPEN open tickets (one running SLA target each) of which DUE are past their limit:
 *  1. how long one node takes to sweep all due targets (breach: timeline event, target update),
 *     beside a baseline that only claims and marks the same rows (SKIP LOCKED + UPDATE, no effects);
 *  2. with three sweeper processes, the delay between each target's due time and its breach event.
 */
export async function slaSweep() {
  const scratch = await createScratchDatabase();
  const database = await openPostgres(scratch.url, 4);
  const raw = new pg.Pool({ connectionString: scratch.url, max: 2 });
  try {
    await ensureReferenceData(database.db);
    const teamId = uuidv7();
    const agentId = uuidv7();
    const customerId = uuidv7();
    await database.db.insert(teams).values({ id: teamId, code: 'bench', name: '压测组', kind: 'frontline' });
    await database.db
      .insert(staff)
      .values({ id: agentId, username: 'bench', displayName: '压测', role: 'agent', teamId, passwordHash: 'x' });
    await database.db.insert(customers).values({ id: customerId, name: '压测客户' });

    const t0 = Date.now();
    await raw.query(
      `INSERT INTO tickets (id, number, type, grade, priority, status, channel, subject, description, customer_id, team_id, first_contact_owner_id, created_by_id, search_text)
       SELECT gen_random_uuid(), 'B' || g, 'fault', 'general', 3, 'in_progress', 'hotline', '宽带掉线', '家里宽带每天掉线', $1, $2, $3, $3, '宽带 掉线 家里 每天'
       FROM generate_series(1, $4::int) g`,
      [customerId, teamId, agentId, OPEN],
    );
    // One running resolution target per ticket, due tomorrow.
    await raw.query(
      `INSERT INTO sla_targets (id, ticket_id, metric, policy_id, calendar_id, limit_ms, consumed_ms, running_since, warn_at, escalation, due_at, next_fire_at)
       SELECT gen_random_uuid(), id, 'resolution', 'bench', 'always', 86400000, 0, now(), '[]', '[]', now() + interval '1 day', now() + interval '1 day' FROM tickets`,
    );
    await raw.query('ANALYZE');
    console.log(
      `loaded ${OPEN.toLocaleString()} open tickets with SLA targets in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
    );

    const makeDue = (spreadSeconds: number) =>
      raw.query(
        `UPDATE sla_targets SET limit_ms = 900000, running_since = d - interval '15 minutes', due_at = d, next_fire_at = d, breached_at = NULL
         FROM (SELECT id, now() + (random() * $2::float8) * interval '1 second' AS d FROM sla_targets WHERE breached_at IS NULL ORDER BY id LIMIT $1) due
         WHERE sla_targets.id = due.id`,
        [DUE, spreadSeconds],
      );

    // Baseline: claim and mark the due rows with nothing else.
    await makeDue(-60);
    let start = performance.now();
    for (;;) {
      const { rowCount } = await raw.query(
        `WITH claimed AS (SELECT id FROM sla_targets WHERE next_fire_at <= now() ORDER BY next_fire_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
         UPDATE sla_targets SET next_fire_at = NULL, breached_at = now() FROM claimed WHERE sla_targets.id = claimed.id`,
      );
      if (!rowCount) break;
    }
    const baselineMs = performance.now() - start;

    // The real sweep, one node.
    await makeDue(-60);
    const deps = { db: database.db, clock: systemClock, indexText: (s: string) => s, timeZone: 'Asia/Shanghai' };
    start = performance.now();
    while ((await sweepSla(deps, BATCH)).claimed > 0);
    const sweepMs = performance.now() - start;

    // Three sweeper processes; due times spread over the next 20 s.
    const sweepers = [1, 2, 3].map((n) =>
      spawn(process.execPath, ['--import', 'tsx', 'src/jobs/worker-cli.ts', 'sla-sweep'], {
        env: {
          ...process.env,
          PGAPPNAME: `bench-sweeper-${n}`,
          DATABASE_URL: scratch.url,
          LOOPDESK_SLA_SWEEP_BATCH: String(BATCH),
          LOOPDESK_SLA_SWEEP_SECONDS: '0.1',
        },
        stdio: 'ignore',
      }),
    );
    // Nothing falls due before all three processes are up (each holds a connection): on a loaded
    // machine booting tsx takes far longer than a fixed pause, and the boot would count as delay.
    const bootDeadline = Date.now() + 300_000;
    for (;;) {
      const { rows } = await raw.query(
        `SELECT count(DISTINCT application_name)::int AS n FROM pg_stat_activity WHERE application_name LIKE 'bench-sweeper-%'`,
      );
      if (rows[0].n >= 3) break;
      if (Date.now() > bootDeadline) throw new Error('the sweeper processes did not start');
      await new Promise((r) => setTimeout(r, 500));
    }
    await new Promise((r) => setTimeout(r, 3000)); // from connected to sweeping
    const since = new Date();
    await makeDue(20);
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      const { rows } = await raw.query(
        `SELECT count(*)::int AS n FROM sla_targets WHERE next_fire_at IS NOT NULL AND next_fire_at < now() + interval '1 hour'`,
      );
      if (rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    for (const s of sweepers) s.kill('SIGTERM');
    const [delay] = await queryRows<{ n: number; p50: number; p99: number; max: number }>(
      database.db,
      sql`SELECT count(*)::int AS n,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99,
            max(ms) AS max
          FROM (SELECT extract(epoch FROM created_at - (data->>'dueAt')::timestamptz) * 1000 AS ms
                FROM ticket_events WHERE kind = 'sla_breached' AND created_at >= ${since}) d`,
    );
    console.log(`${OPEN.toLocaleString()} open tickets, ${DUE.toLocaleString()} due, batches of ${BATCH}`);
    printTable([
      {
        measurement: `claim+mark ${DUE} due rows (baseline)`,
        ms: baselineMs,
        'per target ms': baselineMs / DUE,
        'sweep / baseline': 1,
      },
      {
        measurement: `sweep ${DUE} due targets, 1 node`,
        ms: sweepMs,
        'per target ms': sweepMs / DUE,
        'sweep / baseline': sweepMs / baselineMs,
      },
    ]);
    printTable([
      {
        sweepers: 3,
        'breaches fired': Number(delay!.n),
        'delay p50 ms': Number(delay!.p50),
        'delay p99 ms': Number(delay!.p99),
        'delay max ms': Number(delay!.max),
      },
    ]);
  } finally {
    await raw.end();
    await database.close();
    await scratch.drop();
  }
}
