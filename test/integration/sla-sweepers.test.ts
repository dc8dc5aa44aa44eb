import { spawn, type ChildProcess } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPostgres, queryRows, type Database } from '../../src/db/client.js';
import { ensureReferenceData } from '../../src/db/reference-data.js';
import { staff, teams } from '../../src/db/schema.js';
import { createCustomer } from '../../src/usecases/customers/customers.js';
import type { Deps } from '../../src/usecases/deps.js';
import { createTicket } from '../../src/usecases/tickets/create-ticket.js';
import { createScratchDatabase, ENGINES } from '../helpers/engines.js';

// Sweepers as separate OS processes against one PostgreSQL, as on several app nodes.

function startSweeper(url: string, batch: number): ChildProcess & { output: string[] } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/jobs/worker-cli.ts', 'sla-sweep'], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      LOOPDESK_SLA_SWEEP_BATCH: String(batch),
      LOOPDESK_SLA_SWEEP_SECONDS: '0.05',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  }) as ChildProcess & { output: string[] };
  child.output = [];
  // One line per sweep that claimed clocks.
  child.stdout!.on('data', (d: Buffer) =>
    child.output.push(
      ...d
        .toString()
        .split('\n')
        .filter((line) => line.includes('"job":"sla-sweep"')),
    ),
  );
  return child;
}

const exited = (c: ChildProcess) =>
  new Promise<void>((resolve) =>
    c.exitCode !== null || c.signalCode !== null ? resolve() : c.once('exit', () => resolve()),
  );

async function until(predicate: () => Promise<boolean>, ms: number) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`condition not reached within ${ms} ms`);
}

describe.runIf(ENGINES.includes('postgres'))('SLA sweepers on several processes', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let database: Database;
  let deps: Deps;
  const children: ChildProcess[] = [];

  /** `count` urgent tickets created two days ago: every target is long past its limit. */
  async function overdueTickets(count: number): Promise<void> {
    const teamId = uuidv7();
    const agentId = uuidv7();
    await database.db
      .insert(teams)
      .values({ id: teamId, code: `t-${teamId.slice(-8)}`, name: '一线', kind: 'frontline' });
    await database.db
      .insert(teams)
      .values({ id: uuidv7(), code: `e-${teamId.slice(-8)}`, name: '二线', kind: 'expert' });
    await database.db.insert(staff).values({
      id: agentId,
      username: `a-${agentId.slice(-8)}`,
      displayName: '坐席',
      role: 'agent',
      teamId,
      passwordHash: 'x',
    });
    const past = { ...deps, clock: { now: () => new Date(Date.now() - 2 * 86_400_000) } };
    const customerId = await createCustomer(
      past,
      { id: agentId, role: 'admin', teamId: null },
      { name: '客户', numbers: [`139${String(Date.now()).slice(-8)}`], tier: 'regular', plans: [] },
    );
    const actor = { id: agentId, role: 'agent' as const, teamId };
    for (let i = 0; i < count; i++) {
      await createTicket(past, actor, {
        type: 'complaint',
        grade: 'urgent',
        channel: 'hotline',
        subject: '投诉',
        description: '信号差',
        customerId,
        details: {},
        tags: [],
        assignToMe: false,
      });
    }
  }

  const pending = async () =>
    (
      await queryRows<{ n: number }>(
        database.db,
        sql`SELECT count(*)::int AS n FROM sla_targets WHERE next_fire_at <= now()`,
      )
    )[0]!.n;

  /** Every target breached and escalated exactly once: one breach and two escalation events each. */
  async function expectEachFiredOnce(tickets: number) {
    const [row] = await queryRows<{
      targets: number;
      breached: number;
      breaches: number;
      escalations: number;
      worst: number;
    }>(
      database.db,
      sql`SELECT
            (SELECT count(*)::int FROM sla_targets) AS targets,
            (SELECT count(*)::int FROM sla_targets WHERE breached_at IS NOT NULL) AS breached,
            (SELECT count(*)::int FROM ticket_events WHERE kind = 'sla_breached') AS breaches,
            (SELECT count(*)::int FROM ticket_events WHERE kind = 'sla_escalated') AS escalations,
            (SELECT coalesce(max(n), 0)::int FROM (SELECT count(*) AS n FROM ticket_events WHERE kind = 'sla_breached' GROUP BY ticket_id, data->>'metric') x) AS worst`,
    );
    expect(row).toEqual({
      targets: tickets * 3,
      breached: tickets * 3,
      breaches: tickets * 3,
      escalations: tickets * 6,
      worst: 1,
    });
  }

  // A fresh database per test, so counts are exact.
  beforeEach(async () => {
    scratch = await createScratchDatabase();
    database = await openPostgres(scratch.url, 5);
    await ensureReferenceData(database.db);
    deps = { db: database.db, clock: { now: () => new Date() }, indexText: (s) => s, timeZone: 'Asia/Shanghai' };
  });
  afterEach(async () => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
    await database?.close();
    await scratch?.drop();
  });

  it('three sweepers at once fire every warning, breach and escalation exactly once', async () => {
    await overdueTickets(200);
    const sweepers = [1, 2, 3].map(() => startSweeper(scratch.url, 10));
    children.push(...sweepers);
    await until(async () => (await pending()) === 0, 150_000);
    for (const s of sweepers) s.kill('SIGTERM');
    await Promise.all(sweepers.map(exited));
    await expectEachFiredOnce(200);
    // All three took part: the work was shared, not serialised behind one of them.
    expect(sweepers.filter((s) => s.output.length > 0).length).toBeGreaterThanOrEqual(2);
  }, 300_000);

  it('misses nothing and repeats nothing when a sweeper is killed with SIGKILL mid-run', async () => {
    await overdueTickets(400);
    const victim = startSweeper(scratch.url, 20);
    children.push(victim);
    await until(async () => victim.output.length >= 2, 150_000); // it has committed batches and is working on more
    victim.kill('SIGKILL');
    await exited(victim);
    expect(await pending()).toBeGreaterThan(0);
    const successors = [1, 2].map(() => startSweeper(scratch.url, 20));
    children.push(...successors);
    await until(async () => (await pending()) === 0, 150_000);
    for (const s of successors) s.kill('SIGTERM');
    await Promise.all(successors.map(exited));
    await expectEachFiredOnce(400);
  }, 300_000);
});
