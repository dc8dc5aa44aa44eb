import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { buildApp } from './http/app.js';
import type { Config } from './config.js';
import { systemClock } from './system-clock.js';
import { openDatabase } from './db/client.js';
import { DEMO_PASSWORD, demoSummary, hasStaff, seedDemoData } from './usecases/admin/demo-data.js';
import { ensureReferenceData } from './db/reference-data.js';
import { diskStorage } from './storage/attachment-storage.js';
import { createAdminAccount, createIntakeTeams } from './usecases/admin/bootstrap.js';
import { settingsOf, type Deps } from './usecases/deps.js';
import { tokenizeForSearch } from './text/segmenter.js';
import { startSmtpListener } from './channels/email/smtp-listener.js';
import { jobContext, jobsForNode, startJobs } from './jobs/registry.js';
import { calendarCoverage } from './usecases/sla/configure-sla.js';
import { describeCoverageGaps } from './core/sla/calendar-coverage.js';

/** One node: the database, the HTTP server, the SMTP listener if set, the periodic jobs. */
export async function startNode(config: Config): Promise<void> {
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PostgreSQL in ${resolve(config.dataDir)}`;
  console.log(`Loopdesk: opening ${where} and applying migrations…`);
  const database = await openDatabase(config);
  const deps: Deps = {
    db: database.db,
    clock: systemClock,
    indexText: tokenizeForSearch,
    ...settingsOf(config),
  };
  // Under the migration lock, so nodes starting at once on an empty database take turns: the
  // first seeds, the others find staff and skip. Seeding is one transaction: all or nothing.
  await database.exclusively(async () => {
    await ensureReferenceData(database.db);
    if (await hasStaff(deps)) return;
    if (config.demoData) {
      console.log('Empty database: loading demo data (teams, staff, 50 customers, 200 tickets)…');
      const demo = await database.db.transaction((tx) => seedDemoData({ ...deps, db: tx }));
      console.log(demoSummary(demo));
      console.log(`Demo accounts (password "${DEMO_PASSWORD}" for all):`);
      for (const a of demo.accounts) console.log(`  ${a.username.padEnd(12)} ${a.role.padEnd(11)} ${a.name}`);
    } else {
      const password = randomBytes(12).toString('base64url');
      await createAdminAccount(deps, 'admin', password);
      await createIntakeTeams(deps, config.intakeQueues);
      console.log(`Empty database: created account "admin" with password ${password} (shown once; change it).`);
    }
  });

  // One line when the coming weeks fall in a year no business calendar has holidays for.
  const uncovered = describeCoverageGaps((await calendarCoverage(deps)).gaps);
  if (uncovered) console.warn(uncovered);

  const storage = diskStorage(config.attachmentDir);
  const app = await buildApp({
    database,
    config,
    clock: systemClock,
    storage,
    indexText: tokenizeForSearch,
  });
  await app.listen({ port: config.port, host: config.host });
  console.log(
    `Loopdesk is listening on http://localhost:${config.port} — API docs at http://localhost:${config.port}/api/docs`,
  );

  const smtp =
    config.smtp.port !== undefined
      ? await startSmtpListener(
          { ...deps, storage, maxBytes: config.attachmentMaxBytes },
          { host: config.smtp.host, port: config.smtp.port, maxBytes: config.smtp.maxBytes, log: app.log },
        )
      : undefined;
  if (smtp) console.log(`Receiving mail by SMTP on ${config.smtp.host}:${smtp.port}`);
  if (!config.smtp.relayUrl)
    console.log(
      'Mail is not delivered: no LOOPDESK_SMTP_RELAY_URL is set, so email replies are only written to the log (outbox state "logged")',
    );
  const imap = config.imap;
  if (imap)
    console.log(
      `Polling mail from ${imap.mailbox.user} at ${imap.mailbox.host} (${imap.mailbox.mailbox}) every ${imap.pollMs / 1000} s`,
    );

  // Every node runs the periodic jobs its settings switch on; SKIP LOCKED keeps nodes from doing the same work twice.
  const jobs = startJobs(jobsForNode(config), jobContext(deps, config, storage, app.log));

  let stopping = false;
  const shutdown = async (signal: string) => {
    // In a cluster (src/cluster.ts) Ctrl-C reaches this process and its primary, which passes it on.
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    await Promise.all([jobs.stop(), smtp?.close()]);
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}
