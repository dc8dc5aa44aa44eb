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
import { autoAssign } from './usecases/routing/auto-assign.js';
import { deliverOutbox } from './usecases/channels/outbound.js';
import nodemailer from 'nodemailer';
import { logSender, webhookSender } from './channels/outbound/senders.js';
import { emailSender } from './channels/email/outbound.js';
import { startSmtpListener } from './channels/email/smtp-listener.js';
import { pollImapMailbox } from './channels/email/imap-poller.js';
import { OUTBOUND_CHANNELS } from './core/channels/outbound.js';

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

  // Every node sweeps and assigns; SKIP LOCKED keeps them from doing the same work twice.
  const sweeper =
    config.slaSweepMs > 0
      ? runPeriodically('sla-sweep', async () => (await sweepSla(deps)).claimed > 0, {
          intervalMs: config.slaSweepMs,
          log: app.log,
        })
      : undefined;
  const smtp =
    config.smtp.port !== undefined
      ? await startSmtpListener(
          { ...deps, storage, maxBytes: config.attachmentMaxBytes },
          { host: config.smtp.host, port: config.smtp.port, maxBytes: config.smtp.maxBytes, log: app.log },
        )
      : undefined;
  if (smtp) console.log(`Receiving mail by SMTP on ${config.smtp.host}:${smtp.port}`);
  const imap = config.imap;
  const imapPoller = imap
    ? runPeriodically(
        'imap-poll',
        async () =>
          (
            await pollImapMailbox({ ...deps, storage, maxBytes: config.attachmentMaxBytes }, imap.mailbox, {
              maxBytes: config.smtp.maxBytes,
              moveTo: imap.moveTo,
              log: app.log,
            })
          ).more,
        { intervalMs: imap.pollMs, log: app.log },
      )
    : undefined;
  if (imap)
    console.log(
      `Polling mail from ${imap.mailbox.user} at ${imap.mailbox.host} (${imap.mailbox.mailbox}) every ${imap.pollMs / 1000} s`,
    );

  const senders = {
    ...Object.fromEntries(OUTBOUND_CHANNELS.map((c) => [c, logSender(app.log, config.publicUrl)])),
    ...(config.smtp.relayUrl
      ? {
          email: emailSender(deps, nodemailer.createTransport(config.smtp.relayUrl), {
            from: config.smtp.from,
            messageIdDomain: config.smtp.domain,
            publicUrl: config.publicUrl,
          }),
        }
      : {}),
    ...Object.fromEntries(
      Object.entries(config.outboundWebhooks).map(([channel, url]) => [
        channel,
        webhookSender({ url, secret: config.outboundSecret!, publicUrl: config.publicUrl }),
      ]),
    ),
  };
  const deliverer =
    config.outboxMs > 0
      ? runPeriodically('outbox', async () => (await deliverOutbox(deps, senders)).sent > 0, {
          intervalMs: config.outboxMs,
          log: app.log,
        })
      : undefined;
  const assigner =
    config.assignMs > 0
      ? runPeriodically('auto-assign', async () => (await autoAssign(deps)).assigned > 0, {
          intervalMs: config.assignMs,
          log: app.log,
        })
      : undefined;

  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await Promise.all([sweeper?.stop(), assigner?.stop(), deliverer?.stop(), imapPoller?.stop(), smtp?.close()]);
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
