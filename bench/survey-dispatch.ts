import { sql } from 'drizzle-orm';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { openPostgres, queryRows } from '../src/db/client.js';
import { ensureReferenceData } from '../src/db/reference-data.js';
import { staff, teams } from '../src/db/schema.js';
import { systemClock } from '../src/system-clock.js';
import { dispatchSurveys } from '../src/usecases/surveys/surveys.js';
import { createScratchDatabase } from '../test/helpers/engines.js';
import { printTable } from './harness.js';

const TICKETS = Number(process.env.BENCH_SURVEYS ?? 100_000);
const BATCH = 200;

/**
 * With TICKETS resolved tickets whose surveys are due (one customer and number each): two job
 * runners dispatching at once (SKIP LOCKED), surveys per second and duplicates (must be 0), beside
 * a baseline of plain outbox inserts of the same count, in batches of the same size.
 */
export async function surveyDispatch() {
  const scratch = await createScratchDatabase();
  const database = await openPostgres(scratch.url, 4);
  const raw = new pg.Pool({ connectionString: scratch.url, max: 2 });
  try {
    await ensureReferenceData(database.db);
    const teamId = uuidv7();
    const agentId = uuidv7();
    await database.db.insert(teams).values({ id: teamId, code: 'bench', name: '压测组', kind: 'frontline' });
    await database.db
      .insert(staff)
      .values({ id: agentId, username: 'bench', displayName: '压测', role: 'agent', teamId, passwordHash: 'x' });
    const t0 = Date.now();
    await raw.query(
      `INSERT INTO customers (id, name) SELECT gen_random_uuid(), '压测客户' || g FROM generate_series(1, $1::int) g`,
      [TICKETS],
    );
    await raw.query(
      `INSERT INTO customer_numbers (msisdn, customer_id)
       SELECT (13000000000 + row_number() OVER (ORDER BY id))::text, id FROM customers`,
    );
    await raw.query(
      `INSERT INTO tickets (id, number, type, grade, priority, status, channel, subject, description, customer_id, team_id, assignee_id, first_contact_owner_id, created_by_id, search_text, resolved_at)
       SELECT gen_random_uuid(), 'B' || row_number() OVER (ORDER BY id), 'fault', 'general', 3, 'resolved', 'hotline', '宽带掉线', '家里宽带每天掉线', id, $1, $2, $2, $2, '宽带 掉线', now() - interval '3 hours'
       FROM customers`,
      [teamId, agentId],
    );
    await raw.query(
      `INSERT INTO surveys (id, ticket_id, customer_id, agent_id, team_id, send_after, created_at)
       SELECT gen_random_uuid(), id, customer_id, assignee_id, team_id, now() - interval '1 hour', now() - interval '3 hours' FROM tickets`,
    );
    await raw.query('ANALYZE');
    console.log(
      `loaded ${TICKETS.toLocaleString()} resolved tickets with due surveys in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
    );

    // Baseline: plain outbox inserts of the same count, in batches of BATCH.
    let start = performance.now();
    for (let done = 0; done < TICKETS; done += BATCH) {
      await raw.query(
        `INSERT INTO outbox (id, channel, recipient, ticket_id, payload, next_attempt_at, created_at, state)
         SELECT gen_random_uuid(), 'sms', '13000000000', NULL, '{"kind":"portal_code","text":"bench"}'::jsonb, now(), now(), 'sent'
         FROM generate_series(1, $1::int)`,
        [Math.min(BATCH, TICKETS - done)],
      );
    }
    const baselineMs = performance.now() - start;

    // Two job runners at once, each until it finds nothing due.
    const deps = { db: database.db, clock: systemClock, indexText: (s: string) => s, timeZone: 'Asia/Shanghai' };
    const runner = async () => {
      let sent = 0;
      for (;;) {
        const r = await dispatchSurveys(deps, { publicUrl: 'https://kf.example.cn', batch: BATCH });
        sent += r.sent;
        if (r.sent + r.skipped === 0) return sent;
      }
    };
    start = performance.now();
    const [a, b] = await Promise.all([runner(), runner()]);
    const dispatchMs = performance.now() - start;
    const [facts] = await queryRows<{ messages: number; surveys: number; sent: number }>(
      database.db,
      sql`SELECT (SELECT count(*)::int FROM outbox WHERE payload->>'kind' = 'survey') AS messages,
                 (SELECT count(DISTINCT payload->>'surveyId')::int FROM outbox WHERE payload->>'kind' = 'survey') AS surveys,
                 (SELECT count(*)::int FROM surveys WHERE status = 'sent') AS sent`,
    );
    printTable([
      {
        measurement: `plain outbox inserts ×${TICKETS} (baseline)`,
        ms: baselineMs,
        'per second': (TICKETS / baselineMs) * 1000,
        'vs baseline': 1,
      },
      {
        measurement: `survey dispatch ×${TICKETS}, 2 runners (${a} + ${b})`,
        ms: dispatchMs,
        'per second': (TICKETS / dispatchMs) * 1000,
        'vs baseline': dispatchMs / baselineMs,
      },
    ]);
    printTable([
      {
        'surveys sent': facts!.sent,
        'survey messages': facts!.messages,
        duplicates: facts!.messages - facts!.surveys,
      },
    ]);
    if (facts!.messages !== facts!.surveys || facts!.sent !== TICKETS)
      throw new Error('survey dispatch sent a survey twice or missed one');
  } finally {
    await raw.end();
    await database.close();
    await scratch.drop();
  }
}
