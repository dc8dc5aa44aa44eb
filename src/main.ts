import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { buildApp } from './http/app.js';
import { ConfigError, loadConfig } from './config.js';
import { systemClock } from './system-clock.js';
import { DataDirLockedError, openDatabase } from './db/client.js';
import { DEMO_PASSWORD, hasStaff, seedDemoData } from './db/demo-data.js';
import { ensureReferenceData } from './db/reference-data.js';
import { diskStorage } from './storage/attachment-storage.js';
import { createAdminAccount } from './usecases/admin/bootstrap.js';
import type { Deps } from './usecases/deps.js';
import { tokenizeForSearch } from './text/segmenter.js';
import { runPeriodically } from './jobs/periodic.js';
import { sweepSla } from './usecases/sla/sweep.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PostgreSQL in ${resolve(config.dataDir)}`;
  console.log(`Loopdesk: opening ${where} and applying migrations…`);
  const database = await openDatabase(config);
  const deps: Deps = { db: database.db, clock: systemClock, indexText: tokenizeForSearch, timeZone: config.timeZone };
  await ensureReferenceData(database.db);

  if (!(await hasStaff(deps))) {
    if (config.demoData) {
      console.log('Empty database: loading demo data (teams, staff, 50 customers, 200 tickets)…');
      const accounts = await seedDemoData(deps);
      console.log(`Demo accounts (password "${DEMO_PASSWORD}" for all):`);
      for (const a of accounts) console.log(`  ${a.username.padEnd(12)} ${a.role.padEnd(11)} ${a.name}`);
    } else {
      const password = randomBytes(12).toString('base64url');
      await createAdminAccount(deps, 'admin', password);
      console.log(`Empty database: created account "admin" with password ${password} (shown once; change it).`);
    }
  }

  const app = await buildApp({
    database,
    config,
    clock: systemClock,
    storage: diskStorage(config.attachmentDir),
    indexText: tokenizeForSearch,
  });
  await app.listen({ port: config.port, host: config.host });
  console.log(`Loopdesk is listening on http://localhost:${config.port} — API docs at http://localhost:${config.port}/api/docs`);

  // Every node sweeps; SKIP LOCKED keeps them from doing the same work twice.
  const sweeper =
    config.slaSweepMs > 0
      ? runPeriodically('sla-sweep', async () => (await sweepSla(deps)).claimed > 0, { intervalMs: config.slaSweepMs, log: app.log })
      : undefined;

  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await sweeper?.stop();
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DataDirLockedError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error('Loopdesk failed to start:', err);
  process.exit(1);
});
