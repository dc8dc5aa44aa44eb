// A sweeper on its own, against DATABASE_URL: `tsx src/jobs/sla-sweeper-cli.ts`. The server runs
// the same sweep in-process; this entry point is for dedicated worker processes and for the
// tests that run several sweepers at once and kill one mid-run.
import { openPostgres } from '../db/client.js';
import { systemClock } from '../system-clock.js';
import { sweepSla } from '../usecases/sla/sweep.js';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is required');
  process.exit(2);
}
const batch = Number(process.env.SWEEP_BATCH ?? 200);
const database = await openPostgres(url, 2);
const deps = { db: database.db, clock: systemClock, indexText: (s: string) => s, timeZone: 'Asia/Shanghai' };
let stopping = false;
process.once('SIGTERM', () => (stopping = true));
process.once('SIGINT', () => (stopping = true));
while (!stopping) {
  const { claimed, fired } = await sweepSla(deps, batch);
  if (claimed > 0) process.stdout.write(`${JSON.stringify({ claimed, fired, at: Date.now() })}\n`);
  else await new Promise((r) => setTimeout(r, Number(process.env.SWEEP_IDLE_MS ?? 50)));
}
await database.close();
