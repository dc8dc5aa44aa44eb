import { desc, eq, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { canManageReportSchedule, canSupervise, type Actor } from '../../core/auth/policy.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import { lastCompletePeriod, latestDuePeriod, nextSendAt, type ReportPeriod } from '../../core/kpi/report-schedule.js';
import { OutboxPayload } from '../../contracts/events.js';
import type { ReportScheduleBody, ReportScheduleUpdate, ReportWhat } from '../../contracts/kpi.js';
import { queryRows, type Tx } from '../../db/client.js';
import { kpiExports, outbox, reportRuns, reportSchedules } from '../../db/schema.js';
import type { Deps } from '../deps.js';

// Scheduled reports (issue 16). A supervisor's schedule names an export (the dashboard's figures
// or the ticket list behind a figure), a format, a frequency with a local send time and a mailing
// list. The scheduled-reports job (one registry) starts each due period once across nodes — the
// schedule's row is claimed with SKIP LOCKED and the run is a unique (schedule, period) row — as
// an ordinary KPI export of the owner (so personal data is masked for the owner's role), built by
// the kpi-export job; once the file is stored, the job queues one mail per recipient through the
// outbox with the file attached.

export type ScheduleRecord = typeof reportSchedules.$inferSelect;
type RunRecord = typeof reportRuns.$inferSelect;

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

function requireScheduler(actor: Actor) {
  if (!canSupervise(actor))
    throw new AppError('auth.forbidden', 'Only supervisors and administrators schedule KPI reports');
}

const filtersOf = (what: ReportWhat): Record<string, string> =>
  Object.fromEntries(Object.entries(what).filter(([, v]) => v !== undefined));

/** The export query of a schedule for a period (the dashboard query or the ticket-list filters). */
export function exportQuery(filters: Record<string, string>, period: ReportPeriod): Record<string, string> {
  const { kind, agentId, granularity, kpi, ...rest } = filters;
  if (kind === 'tickets')
    return {
      ...rest,
      ...(agentId ? { assigneeId: agentId } : {}),
      kpi: kpi!,
      factsFrom: period.from,
      factsTo: period.to,
    };
  return {
    ...rest,
    ...(agentId ? { agentId } : {}),
    granularity: granularity ?? 'day',
    from: period.from,
    to: period.to,
  };
}

/** A schedule the actor may manage (its owner or an administrator); anyone else is told it does not exist. */
async function ownSchedule(deps: Deps, actor: Actor, id: string): Promise<ScheduleRecord> {
  requireScheduler(actor);
  const [row] = await deps.db.select().from(reportSchedules).where(eq(reportSchedules.id, id));
  if (!row || !canManageReportSchedule(actor, row.ownerId)) throw notFound('Report schedule');
  return row;
}

export async function createSchedule(deps: Deps, actor: Actor, body: ReportScheduleBody): Promise<ScheduleRecord> {
  requireScheduler(actor);
  const now = deps.clock.now();
  const [row] = await deps.db
    .insert(reportSchedules)
    .values({
      id: uuidv7(),
      ownerId: actor.id,
      name: body.name,
      kind: body.what.kind,
      filters: filtersOf(body.what),
      format: body.format,
      lang: body.lang,
      frequency: body.frequency,
      sendTime: body.sendTime,
      recipients: body.recipients,
      // The first send is the next one after now (never a catch-up for a period before the schedule).
      nextRunAt: nextSendAt(body, now, deps.timeZone),
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  return row!;
}

/** The caller's schedules, newest first. */
export async function listSchedules(deps: Deps, actor: Actor): Promise<ScheduleRecord[]> {
  requireScheduler(actor);
  return deps.db
    .select()
    .from(reportSchedules)
    .where(eq(reportSchedules.ownerId, actor.id))
    .orderBy(desc(reportSchedules.createdAt))
    .limit(100);
}

export async function updateSchedule(
  deps: Deps,
  actor: Actor,
  id: string,
  patch: ReportScheduleUpdate,
): Promise<ScheduleRecord> {
  const row = await ownSchedule(deps, actor, id);
  const now = deps.clock.now();
  const frequency = patch.frequency ?? row.frequency;
  const sendTime = patch.sendTime ?? row.sendTime;
  const active = patch.active ?? row.active;
  const [updated] = await deps.db
    .update(reportSchedules)
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.what ? { kind: patch.what.kind, filters: filtersOf(patch.what) } : {}),
      ...(patch.format ? { format: patch.format } : {}),
      ...(patch.lang ? { lang: patch.lang } : {}),
      ...(patch.recipients ? { recipients: patch.recipients } : {}),
      frequency,
      sendTime,
      active,
      nextRunAt: active ? nextSendAt({ frequency, sendTime }, now, deps.timeZone) : null,
      updatedAt: now,
    })
    .where(eq(reportSchedules.id, row.id))
    .returning();
  return updated!;
}

export const deactivateSchedule = (deps: Deps, actor: Actor, id: string) =>
  updateSchedule(deps, actor, id, { active: false });

/** Deletes a schedule and its runs (exports already built stay the owner's); nothing more is sent. */
export async function deleteSchedule(deps: Deps, actor: Actor, id: string): Promise<void> {
  const row = await ownSchedule(deps, actor, id);
  await deps.db.delete(reportSchedules).where(eq(reportSchedules.id, row.id));
}

/**
 * Starts a run of `schedule` for `period` unless one exists (unique schedule + period key): the
 * run row and the owner's export are written together. Returns the run, or null when taken.
 */
async function startRun(
  tx: Tx,
  schedule: ScheduleRecord,
  period: ReportPeriod,
  key: string,
  manual: boolean,
  now: Date,
): Promise<RunRecord | null> {
  const [run] = await tx
    .insert(reportRuns)
    .values({
      id: uuidv7(),
      scheduleId: schedule.id,
      periodKey: key,
      periodFrom: period.from,
      periodTo: period.to,
      manual,
      createdAt: now,
    })
    .onConflictDoNothing()
    .returning();
  if (!run) return null;
  const exportId = uuidv7();
  await tx.insert(kpiExports).values({
    id: exportId,
    staffId: schedule.ownerId,
    kind: schedule.kind,
    format: schedule.format,
    params: { lang: schedule.lang, query: exportQuery(schedule.filters, period), reportRunId: run.id },
    createdAt: now,
  });
  const [started] = await tx.update(reportRuns).set({ exportId }).where(eq(reportRuns.id, run.id)).returning();
  return started!;
}

/** "Send now": the last complete period, outside the regular sends (the job mails it once built). */
export async function sendScheduleNow(deps: Deps, actor: Actor, id: string): Promise<RunRecord> {
  const schedule = await ownSchedule(deps, actor, id);
  const now = deps.clock.now();
  const period = lastCompletePeriod(schedule, now, deps.timeZone);
  const runId = uuidv7();
  return deps.db.transaction(async (tx) => (await startRun(tx, schedule, period, `now:${runId}`, true, now))!);
}

const subjectOf = (s: ScheduleRecord, run: RunRecord) => {
  const period = run.periodFrom === run.periodTo ? run.periodFrom : `${run.periodFrom} – ${run.periodTo}`;
  return s.lang === 'en' ? `Loopdesk report: ${s.name} (${period})` : `Loopdesk 报表：${s.name}（${period}）`;
};
const textOf = (s: ScheduleRecord, run: RunRecord) =>
  s.lang === 'en'
    ? `The scheduled report "${s.name}" for ${run.periodFrom} to ${run.periodTo} is attached.\nThis mail is sent automatically; to stop it, the schedule's owner deactivates it on the KPI dashboard.`
    : `附件为定时报表“${s.name}”（${run.periodFrom} 至 ${run.periodTo}）。\n本邮件自动发送；如需停止，请报表负责人在 KPI 看板停用该计划。`;

/**
 * One pass of the scheduled-reports job: starts the runs of due schedules (each schedule claimed
 * with SKIP LOCKED; only the latest due period, no catch-up of every missed one), then mails the
 * runs whose export is built — one outbox row per recipient, in the transaction that marks the run
 * sent — and records failures on the schedule.
 */
export async function runScheduledReports(
  deps: Deps,
  opts: { batch?: number } = {},
): Promise<{ started: number; sent: number; failed: number; emails: number }> {
  const batch = opts.batch ?? 20;
  const now = deps.clock.now();
  const started = await deps.db.transaction(async (tx) => {
    const due = await queryRows<{ id: string }>(
      tx,
      sql`SELECT id FROM ${reportSchedules}
          WHERE active AND next_run_at <= ${now}
          ORDER BY next_run_at, id
          FOR UPDATE SKIP LOCKED LIMIT ${batch}`,
    );
    let n = 0;
    for (const { id } of due) {
      const [schedule] = await tx.select().from(reportSchedules).where(eq(reportSchedules.id, id));
      const period = latestDuePeriod(schedule!, now, deps.timeZone);
      if (await startRun(tx, schedule!, period, period.key, false, now)) n++;
      await tx
        .update(reportSchedules)
        .set({ nextRunAt: nextSendAt(schedule!, now, deps.timeZone) })
        .where(eq(reportSchedules.id, id));
    }
    return n;
  });

  const finished = await deps.db.transaction(async (tx) => {
    const ready = await queryRows<{ id: string }>(
      tx,
      sql`SELECT r.id FROM ${reportRuns} r LEFT JOIN ${kpiExports} e ON e.id = r.export_id
          WHERE r.status = 'exporting' AND (e.id IS NULL OR e.status IN ('done', 'failed'))
          ORDER BY r.created_at, r.id
          FOR UPDATE OF r SKIP LOCKED LIMIT ${batch}`,
    );
    let sent = 0;
    let failed = 0;
    let emails = 0;
    for (const { id } of ready) {
      const [run] = await tx.select().from(reportRuns).where(eq(reportRuns.id, id));
      const [schedule] = await tx.select().from(reportSchedules).where(eq(reportSchedules.id, run!.scheduleId));
      const [file] = run!.exportId ? await tx.select().from(kpiExports).where(eq(kpiExports.id, run!.exportId)) : [];
      const at = deps.clock.now();
      if (file?.status !== 'done' || !file.storageKey) {
        const error = (file?.error ?? 'the export is gone').slice(0, 500);
        await tx.update(reportRuns).set({ status: 'failed', error, finishedAt: at }).where(eq(reportRuns.id, id));
        await tx.update(reportSchedules).set({ lastError: error }).where(eq(reportSchedules.id, schedule!.id));
        failed++;
        continue;
      }
      const fileName = `${schedule!.name.replace(/[\\/:*?"<>|\r\n]+/g, '_')}-${run!.periodFrom}.${file.format}`;
      const recipients = schedule!.recipients;
      for (const to of recipients)
        await tx.insert(outbox).values({
          id: uuidv7(),
          channel: 'email',
          recipient: to,
          ticketId: null,
          payload: OutboxPayload.parse({
            kind: 'scheduled_report',
            scheduleId: schedule!.id,
            runId: id,
            subject: subjectOf(schedule!, run!),
            text: textOf(schedule!, run!),
            attachment: { storageKey: file.storageKey, fileName, contentType: CONTENT_TYPES[file.format] },
          }),
          nextAttemptAt: at,
          createdAt: at,
        });
      await tx
        .update(reportRuns)
        .set({ status: 'sent', emails: recipients.length, finishedAt: at })
        .where(eq(reportRuns.id, id));
      await tx
        .update(reportSchedules)
        .set({ lastRunAt: at, lastError: null })
        .where(eq(reportSchedules.id, schedule!.id));
      sent++;
      emails += recipients.length;
    }
    return { sent, failed, emails };
  });
  return { started, ...finished };
}
