// A worker process: runs the periodic jobs of the registry (src/jobs/registry.ts) without serving
// HTTP, with the same settings as the server. `npm run worker` runs every job the settings switch
// on; `npm run worker -- sla-sweep outbox` only those named. Each run that did something prints
// one JSON line ({"job","at",...counts}). Stops after the runs in progress on SIGTERM / SIGINT.
import pino from 'pino';
import { ConfigError, loadConfig } from '../config.js';
import { DataDirLockedError, openDatabase } from '../db/client.js';
import { diskStorage } from '../storage/attachment-storage.js';
import { systemClock } from '../system-clock.js';
import { tokenizeForSearch } from '../text/segmenter.js';
import { jobContext, jobsForNode, startJobs } from './registry.js';
import { settingsOf } from '../usecases/deps.js';

async function work(): Promise<void> {
  const config = loadConfig();
  const jobs = jobsForNode(config, process.argv.slice(2));
  if (jobs.length === 0) throw new ConfigError('No job is switched on for this worker (every interval is 0).');
  const database = await openDatabase(config);
  const deps = {
    db: database.db,
    clock: systemClock,
    indexText: tokenizeForSearch,
    ...settingsOf(config),
  };
  const log = pino({ level: config.logLevel });
  const running = startJobs(jobs, jobContext(deps, config, diskStorage(config.attachmentDir), log), (job, result) =>
    process.stdout.write(`${JSON.stringify({ job: job.name, at: Date.now(), ...result.counts })}\n`),
  );
  const stop = async () => {
    await running.stop();
    await database.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

work().catch((err: unknown) => {
  console.error(err instanceof ConfigError || err instanceof DataDirLockedError ? err.message : err);
  process.exit(2);
});
