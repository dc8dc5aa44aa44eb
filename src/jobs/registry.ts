import { emailSender, type Transporter } from '../channels/email/outbound.js';
import { pollImapMailbox } from '../channels/email/imap-poller.js';
import { logSender, webhookSender } from '../channels/outbound/senders.js';
import { ConfigError, type Config } from '../config.js';
import { pruneRateLimits } from '../db/rate-limits.js';
import { OUTBOUND_CHANNELS } from '../core/channels/outbound.js';
import type { AttachmentStorage } from '../storage/attachment-storage.js';
import { deliverOutbox, type Senders } from '../usecases/channels/outbound.js';
import type { Deps } from '../usecases/deps.js';
import { autoAssign } from '../usecases/routing/auto-assign.js';
import { sweepSla } from '../usecases/sla/sweep.js';
import { closeUnanswered } from '../usecases/tickets/auto-close.js';
import { remindUnfiledCalls } from '../usecases/channels/unfiled-calls.js';
import { dispatchSurveys } from '../usecases/surveys/surveys.js';
import { lapseReviewWindows } from '../usecases/quality/lapse-review-windows.js';
import { runDailySampling } from '../usecases/quality/run-sampling.js';
import { rollUpFacts } from '../usecases/kpi/roll-up-facts.js';
import { rollUpQuality } from '../usecases/kpi/roll-up-quality.js';
import { rollUpChatFacts } from '../usecases/contact-centre/chat-facts.js';
import { buildNextKpiExport, removeExpiredKpiExports } from '../usecases/kpi/exports.js';
import { runScheduledReports } from '../usecases/kpi/report-schedules.js';
import { buildNextPrivacyExport } from '../usecases/privacy/build-privacy-export.js';
import { applyRetention } from '../usecases/privacy/apply-retention.js';
import { remindEndedHolds } from '../usecases/privacy/remind-ended-holds.js';
import { remindExpiringCertifications } from '../usecases/quality/training.js';
import { remindStaleArticles } from '../usecases/knowledge/review-due.js';
import { detectIncidentCandidates } from '../usecases/incidents/candidates.js';
import { sendIncidentNotices } from '../usecases/incidents/send-notices.js';
import { warnFirstResponses } from '../usecases/chat/first-response.js';
import { endIdleChats } from '../usecases/chat/idle-chats.js';
import { jobDuration, jobItems, jobRuns } from '../metrics/metrics.js';
import { runPeriodically } from './periodic.js';

// Every periodic job of a node, in one list that the server (src/main.ts) and the worker
// (src/jobs/worker-cli.ts) both iterate. Each job must be safe on every node at once (it claims
// its rows with SKIP LOCKED or leases them), so "which node runs it" is only a matter of settings:
// a job runs on a node when its interval there is above zero. Adding a job is one entry below.

export type JobLog = {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
};

/** What a job may use; built once per process by `jobContext`. */
export type JobContext = {
  deps: Deps;
  config: Config;
  storage: AttachmentStorage;
  senders: Senders;
  log: JobLog;
};

/** `busy`: it did work and there may be more, so it runs again at once; `counts` say what it did. */
export type JobResult = { busy: boolean; counts: Record<string, number> };

export type PeriodicJob = {
  name: string;
  /** The environment variable that sets the interval (seconds; 0 switches the job off on this node). */
  setting: string;
  /** Milliseconds between idle runs on this node; 0: this node does not run it. */
  intervalMs(config: Config): number;
  run(ctx: JobContext): Promise<JobResult>;
};

export const JOBS: readonly PeriodicJob[] = [
  {
    name: 'sla-sweep',
    setting: 'LOOPDESK_SLA_SWEEP_SECONDS',
    intervalMs: (config) => config.slaSweepMs,
    async run({ deps, config }) {
      const { claimed, fired } = await sweepSla(deps, config.slaSweepBatch);
      return { busy: claimed > 0, counts: { claimed, fired } };
    },
  },
  {
    name: 'auto-assign',
    setting: 'LOOPDESK_ASSIGN_SECONDS',
    intervalMs: (config) => config.assignMs,
    async run({ deps }) {
      const { assigned, waiting } = await autoAssign(deps);
      return { busy: assigned > 0, counts: { assigned, waiting } };
    },
  },
  {
    name: 'chat-first-response',
    setting: 'LOOPDESK_CHAT_SWEEP_SECONDS',
    intervalMs: (config) => config.chatSweepMs,
    async run({ deps }) {
      const { warned } = await warnFirstResponses(deps);
      return { busy: warned > 0, counts: { warned } };
    },
  },
  {
    name: 'chat-idle',
    setting: 'LOOPDESK_CHAT_IDLE_SECONDS',
    intervalMs: (config) => config.chatIdleMs,
    async run({ deps }) {
      const { ended } = await endIdleChats(deps);
      return { busy: ended > 0, counts: { ended } };
    },
  },
  {
    name: 'outbox',
    setting: 'LOOPDESK_OUTBOX_SECONDS',
    intervalMs: (config) => config.outboxMs,
    async run({ deps, senders }) {
      const { sent, failed } = await deliverOutbox(deps, senders);
      return { busy: sent > 0, counts: { sent, failed } };
    },
  },
  {
    name: 'auto-close',
    setting: 'LOOPDESK_AUTO_CLOSE_SECONDS',
    intervalMs: (config) => config.autoCloseMs,
    async run({ deps, config }) {
      const { closed } = await closeUnanswered(deps, { waitDays: config.confirmationWaitDays, batch: 200 });
      return { busy: closed > 0, counts: { closed } };
    },
  },
  {
    name: 'unfiled-calls',
    setting: 'LOOPDESK_UNFILED_CALL_SECONDS',
    intervalMs: (config) => config.unfiledCallMs,
    async run({ deps, config }) {
      const { reminded } = await remindUnfiledCalls(deps, { afterMinutes: config.unfiledCallMinutes, batch: 200 });
      return { busy: reminded > 0, counts: { reminded } };
    },
  },
  {
    name: 'survey-dispatch',
    setting: 'LOOPDESK_SURVEY_DISPATCH_SECONDS',
    intervalMs: (config) => config.surveyDispatchMs,
    async run({ deps, config }) {
      const { sent, skipped, expired } = await dispatchSurveys(deps, { publicUrl: config.publicUrl, batch: 200 });
      return { busy: sent + skipped > 0, counts: { sent, skipped, expired } };
    },
  },
  {
    name: 'qa-sampling',
    setting: 'LOOPDESK_QA_SAMPLING_SECONDS',
    intervalMs: (config) => config.qaSamplingMs,
    async run({ deps }) {
      // Once a day (the first node to claim the day's run row); review windows lapse on every run.
      const { sampled } = await runDailySampling(deps);
      const { lapsed } = await lapseReviewWindows(deps);
      return { busy: false, counts: { sampled, lapsed } };
    },
  },
  {
    name: 'kpi-facts',
    setting: 'LOOPDESK_KPI_FACTS_SECONDS',
    intervalMs: (config) => config.kpiFactsMs,
    async run({ deps }) {
      // One node at a time holds the cursor (SKIP LOCKED); the others find nothing to do.
      const { events, tickets, surveys } = await rollUpFacts(deps, { batch: 2000, settleMs: 30_000 });
      // Quality facts (QA reviews, reply checks): the days changed since the last run, again.
      const { days } = await rollUpQuality(deps, { marginMs: 5 * 60_000 });
      // Chat figures (contact centre): the conversations changed since the chat cursor.
      const chats = await rollUpChatFacts(deps, { batch: 1000, marginMs: 60_000 });
      return {
        busy: events > 0 || surveys > 0 || chats.more,
        counts: { events, tickets, surveys, qualityDays: days, chats: chats.conversations },
      };
    },
  },
  {
    name: 'kpi-export',
    setting: 'LOOPDESK_KPI_EXPORT_SECONDS',
    intervalMs: (config) => config.kpiExportMs,
    async run({ deps, storage }) {
      // Each export is claimed with SKIP LOCKED; one that died is taken over after its lease.
      const built = await buildNextKpiExport({ ...deps, storage });
      return { busy: built, counts: { built: built ? 1 : 0 } };
    },
  },
  {
    name: 'kpi-export-cleanup',
    setting: 'LOOPDESK_KPI_EXPORT_CLEANUP_SECONDS',
    intervalMs: (config) => config.kpiExportCleanupMs,
    async run({ deps, config, storage }) {
      // Rows claimed with SKIP LOCKED: marked expired first (downloads answer 410), files removed after.
      const { expired, removed } = await removeExpiredKpiExports(
        { ...deps, storage },
        { keepDays: config.kpiExportKeepDays, batch: 200 },
      );
      return { busy: expired + removed > 0, counts: { expired, removed } };
    },
  },
  {
    name: 'scheduled-reports',
    setting: 'LOOPDESK_SCHEDULED_REPORTS_SECONDS',
    intervalMs: (config) => config.scheduledReportsMs,
    async run({ deps }) {
      // Due schedules claimed with SKIP LOCKED, one run per schedule and period (unique); the
      // kpi-export job builds the file, then this job queues one mail per recipient.
      const counts = await runScheduledReports(deps);
      return { busy: counts.started + counts.sent + counts.failed > 0, counts };
    },
  },
  {
    name: 'privacy-export',
    setting: 'LOOPDESK_PRIVACY_EXPORT_SECONDS',
    intervalMs: (config) => config.privacyExportMs,
    async run({ deps, storage }) {
      const built = await buildNextPrivacyExport({ ...deps, storage });
      return { busy: built, counts: { built: built ? 1 : 0 } };
    },
  },
  {
    name: 'retention',
    setting: 'LOOPDESK_RETENTION_SECONDS',
    intervalMs: (config) => config.retentionMs,
    async run({ deps, config, storage }) {
      // Once a day per local date (one run row); batches claimed with SKIP LOCKED, counts added atomically.
      const { busy, counts } = await applyRetention({ ...deps, storage }, config.retention);
      return { busy, counts };
    },
  },
  {
    name: 'privacy-holds',
    setting: 'LOOPDESK_PRIVACY_HOLDS_SECONDS',
    intervalMs: (config) => config.privacyHoldsMs,
    async run({ deps }) {
      const { reminded } = await remindEndedHolds(deps);
      return { busy: reminded > 0, counts: { reminded } };
    },
  },
  {
    name: 'certification-reminders',
    setting: 'LOOPDESK_CERT_REMINDER_SECONDS',
    intervalMs: (config) => config.certReminderMs,
    async run({ deps }) {
      // Each certification is claimed with SKIP LOCKED and marked reminded in the same transaction.
      const { reminded } = await remindExpiringCertifications(deps);
      return { busy: reminded > 0, counts: { reminded } };
    },
  },
  {
    name: 'knowledge-review',
    setting: 'LOOPDESK_KB_REVIEW_SECONDS',
    intervalMs: (config) => config.knowledgeReviewMs,
    async run({ deps, config }) {
      const { reminded } = await remindStaleArticles(deps, config.knowledgeReview);
      return { busy: reminded > 0, counts: { reminded } };
    },
  },
  {
    name: 'incident-detect',
    setting: 'LOOPDESK_INCIDENT_DETECT_SECONDS',
    intervalMs: (config) => config.incidentDetectMs,
    async run({ deps }) {
      const { proposed, refreshed } = await detectIncidentCandidates(deps);
      return { busy: false, counts: { proposed, refreshed } };
    },
  },
  {
    name: 'incident-notices',
    setting: 'LOOPDESK_INCIDENT_NOTICE_SECONDS',
    intervalMs: (config) => config.incidentNoticeMs,
    async run({ deps, config }) {
      // One batch per incident and transaction, the incident's row held (SKIP LOCKED across nodes).
      const { busy, ...counts } = await sendIncidentNotices(deps, { batch: config.incidentNoticeBatch });
      return { busy, counts };
    },
  },
  {
    name: 'housekeeping',
    setting: 'LOOPDESK_HOUSEKEEPING_SECONDS',
    intervalMs: (config) => config.housekeepingMs,
    async run({ deps }) {
      // Idempotent deletes: harmless when several nodes run it at once.
      const rateLimitWindows = await pruneRateLimits(deps.db, deps.clock.now());
      return { busy: false, counts: { rateLimitWindows } };
    },
  },
  {
    name: 'imap-poll',
    setting: 'LOOPDESK_IMAP_POLL_SECONDS',
    // Off without a mailbox (LOOPDESK_IMAP_URL).
    intervalMs: (config) => config.imap?.pollMs ?? 0,
    async run({ deps, config, storage, log }) {
      const imap = config.imap!;
      const { taken, more } = await pollImapMailbox(
        { ...deps, storage, maxBytes: config.attachmentMaxBytes },
        imap.mailbox,
        { maxBytes: config.smtp.maxBytes, moveTo: imap.moveTo, log },
      );
      return { busy: more, counts: { taken } };
    },
  },
];

/** The jobs this node runs under `config`, optionally only those named (the worker's arguments). */
export function jobsForNode(config: Config, only: readonly string[] = [], jobs = JOBS): PeriodicJob[] {
  const unknown = only.filter((name) => !jobs.some((j) => j.name === name));
  if (unknown.length > 0)
    throw new ConfigError(`Unknown job ${unknown.join(', ')}; the jobs are ${jobs.map((j) => j.name).join(', ')}`);
  return jobs.filter((j) => j.intervalMs(config) > 0 && (only.length === 0 || only.includes(j.name)));
}

/** A nodemailer transport made with the first mail sent: a node that sends none never loads nodemailer (memory). */
function lazyTransport(url: string): Transporter {
  let transport: Promise<Transporter> | undefined;
  return {
    sendMail: async (mail) => {
      transport ??= import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport(url));
      const sent: unknown = await (await transport).sendMail(mail);
      return sent;
    },
  };
}

/** Outbound senders from the settings: gateways where configured, otherwise the development log. */
export function outboundSenders(deps: Deps, config: Config, log: JobLog, storage?: AttachmentStorage): Senders {
  return {
    ...Object.fromEntries(
      OUTBOUND_CHANNELS.map((c) => [
        c,
        logSender(log, { publicUrl: config.publicUrl, revealSecrets: config.demoData }),
      ]),
    ),
    ...(config.smtp.relayUrl
      ? {
          email: emailSender(deps, lazyTransport(config.smtp.relayUrl), {
            from: config.smtp.from,
            messageIdDomain: config.smtp.domain,
            publicUrl: config.publicUrl,
            ...(storage ? { storage } : {}),
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
}

export function jobContext(deps: Deps, config: Config, storage: AttachmentStorage, log: JobLog): JobContext {
  return { deps, config, storage, log, senders: outboundSenders(deps, config, log, storage) };
}

/**
 * Starts `jobs`, each in its own loop (again at once while busy, otherwise after its interval).
 * `onRun` hears every run that did something. `stop` waits for the runs in progress.
 */
export function startJobs(
  jobs: readonly PeriodicJob[],
  ctx: JobContext,
  onRun?: (job: PeriodicJob, result: JobResult) => void,
): { stop(): Promise<void> } {
  const loops = jobs.map((job) =>
    runPeriodically(
      job.name,
      async () => {
        const started = performance.now();
        let result: JobResult;
        try {
          result = await job.run(ctx);
        } catch (err) {
          jobRuns.inc({ job: job.name, outcome: 'failed' });
          jobDuration.observe({ job: job.name }, (performance.now() - started) / 1000);
          throw err;
        }
        jobRuns.inc({ job: job.name, outcome: result.busy ? 'busy' : 'idle' });
        if (result.busy) {
          jobDuration.observe({ job: job.name }, (performance.now() - started) / 1000);
          for (const [item, n] of Object.entries(result.counts)) if (n > 0) jobItems.inc({ job: job.name, item }, n);
          onRun?.(job, result);
        }
        return result.busy;
      },
      { intervalMs: job.intervalMs(ctx.config), log: ctx.log },
    ),
  );
  return {
    async stop() {
      await Promise.all(loops.map((l) => l.stop()));
    },
  };
}
