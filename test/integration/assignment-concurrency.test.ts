import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/auth/policy.js';
import { openPostgres, queryRows, type Database } from '../../src/db/client.js';
import { ensureReferenceData } from '../../src/db/reference-data.js';
import { agentProfiles, staff, teams } from '../../src/db/schema.js';
import { createCustomer } from '../../src/usecases/customers/customers.js';
import type { Deps } from '../../src/usecases/deps.js';
import { autoAssign } from '../../src/usecases/routing/auto-assign.js';
import { createTicket } from '../../src/usecases/tickets/create-ticket.js';
import { createScratchDatabase, ENGINES } from '../helpers/engines.js';

const TICKETS = 500;
const AGENTS = 10;
const CAPACITY = 20;
const WORKERS = 4;

// Four app nodes hand out the same queue at the same time, each with its own connection pool.
describe.runIf(ENGINES.includes('postgres'))('concurrent auto-assignment on PostgreSQL', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  const nodes: Database[] = [];
  const depsOf = (d: Database): Deps => ({
    db: d.db,
    clock: { now: () => new Date() },
    indexText: (s) => s,
    timeZone: 'Asia/Shanghai',
  });

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    for (let i = 0; i < WORKERS; i++) nodes.push(await openPostgres(scratch.url, 5));
    const { db } = nodes[0]!;
    await ensureReferenceData(db);
    const queue = uuidv7();
    await db.insert(teams).values({
      id: queue,
      code: 'race-queue',
      name: '并发队列',
      kind: 'frontline',
      assignmentStrategy: 'least_loaded',
    });
    const agents = Array.from({ length: AGENTS }, (_, i) => ({
      id: uuidv7(),
      username: `race-agent-${i}`,
      displayName: `坐席${i}`,
      role: 'agent' as const,
      teamId: queue,
      passwordHash: 'x',
    }));
    await db.insert(staff).values(agents);
    await db
      .insert(agentProfiles)
      .values(agents.map((a) => ({ staffId: a.id, capacity: CAPACITY, presence: 'online' })));
    // The person taking the calls belongs to the queue but has no profile, so is not a candidate.
    const receptionist: Actor = { id: uuidv7(), role: 'agent', teamId: queue };
    await db.insert(staff).values({
      id: receptionist.id,
      username: 'race-reception',
      displayName: '前台',
      role: 'agent',
      teamId: queue,
      passwordHash: 'x',
    });
    const deps = depsOf(nodes[0]!);
    const customerId = await createCustomer(
      deps,
      { id: uuidv7(), role: 'admin', teamId: null },
      { name: '客户', numbers: ['13500000000'], tier: 'regular', plans: [] },
    );
    for (let i = 0; i < TICKETS; i++) {
      await createTicket(deps, receptionist, {
        type: 'inquiry',
        grade: 'general',
        channel: 'hotline',
        subject: `咨询 ${i}`,
        description: '营业时间',
        details: {},
        tags: [],
        customerId,
        assignToMe: false,
      });
    }
  }, 120_000);

  afterAll(async () => {
    for (const n of nodes) await n.close();
    await scratch?.drop();
  });

  const openLoads = async () =>
    queryRows<{ n: number }>(
      nodes[0]!.db,
      sql`SELECT count(*)::int AS n FROM tickets WHERE assignee_id IS NOT NULL AND status IN ('new','assigned','in_progress') GROUP BY assignee_id`,
    );

  /** All four nodes assign at once while a watcher samples everyone's load. */
  async function race() {
    let running = true;
    let peak = 0;
    const watcher = (async () => {
      while (running) {
        for (const { n } of await openLoads()) peak = Math.max(peak, n);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const results = await Promise.all(nodes.map((n) => autoAssign(depsOf(n), { batch: 1000 })));
    running = false;
    await watcher;
    return { assigned: results.reduce((sum, r) => sum + r.assigned, 0), perNode: results.map((r) => r.assigned), peak };
  }

  it(`assigns ${TICKETS} tickets from ${WORKERS} nodes to ${AGENTS} agents of capacity ${CAPACITY}: nobody above capacity, every ticket once`, async () => {
    const rounds: number[] = [];
    for (let round = 0; round < Math.ceil(TICKETS / (AGENTS * CAPACITY)); round++) {
      const { assigned, perNode, peak } = await race();
      rounds.push(assigned);
      expect(peak).toBeLessThanOrEqual(CAPACITY);
      const loads = await openLoads();
      expect(Math.max(...loads.map((l) => l.n))).toBeLessThanOrEqual(CAPACITY);
      expect(perNode.filter((n) => n > 0).length).toBeGreaterThan(1); // the nodes really did share the work
      // The agents finish their work, which frees their capacity for the next round.
      await nodes[0]!.db.execute(
        sql`UPDATE tickets SET status = 'resolved', resolved_at = now() WHERE assignee_id IS NOT NULL AND status = 'assigned'`,
      );
    }
    expect(rounds).toEqual([200, 200, 100]);

    const perTicket = await queryRows<{ assignments: number; tickets: number }>(
      nodes[0]!.db,
      sql`SELECT a.n::int AS assignments, count(*)::int AS tickets FROM (
            SELECT t.id, (SELECT count(*) FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'assigned') AS n FROM tickets t
          ) a GROUP BY a.n`,
    );
    expect(perTicket).toEqual([{ assignments: 1, tickets: TICKETS }]);
  }, 120_000);
});
