import { and, asc, eq, gt, gte, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { canAdminister, canSuperviseQuality, type Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import {
  DEFAULT_REMEDIAL_SETTINGS,
  failuresInWindow,
  needsRemedialCourse,
  type RemedialSettings,
} from '../../core/quality/remedial.js';
import { RemedialSettingsBody } from '../../contracts/qa-reviews.js';
import type { DbOrTx, Tx } from '../../db/client.js';
import { appSettings, qaReviews, staff, trainingCourses, trainingRecords, trainingSessions } from '../../db/schema.js';
import { notifyStaff } from '../tickets/notify.js';
import { supervisorsOf } from './supervisors-of.js';
import type { Deps } from '../deps.js';

// Repeated failed QA reviews assign a training course through the training records: the agent is
// put on the roster of the course's next scheduled session (a record not yet attended, no score),
// where the supervisor later records attendance and the exam as for anyone. When no session is
// scheduled, creating one enrols everyone due. Each agent is enrolled once per run of failures.

const KEY = 'qa_remedial_training';

const stored = (value: unknown): RemedialSettings | null => {
  const parsed = RemedialSettingsBody.safeParse(value);
  return parsed.success ? parsed.data : null;
};

/** The setting in force: the console's, else the default (2 failures in 30 days, no course). */
export async function remedialSettingsOf(db: DbOrTx): Promise<RemedialSettings> {
  const [row] = await db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, KEY));
  return (row && stored(row.value)) ?? DEFAULT_REMEDIAL_SETTINGS;
}

export async function readRemedialSettings(deps: Deps, actor: Actor): Promise<RemedialSettings> {
  if (!canAdminister(actor) && !canSuperviseQuality(actor))
    throw new AppError('auth.forbidden', 'The QA settings are for administrators and supervisors');
  return remedialSettingsOf(deps.db);
}

/** Administrators name the course and the threshold; an unknown course code is refused (422). */
export async function saveRemedialSettings(
  deps: Deps,
  actor: Actor,
  body: z.output<typeof RemedialSettingsBody>,
): Promise<RemedialSettings> {
  if (!canAdminister(actor)) throw new AppError('auth.forbidden', 'Only administrators change settings');
  if (body.courseCode !== null) {
    const [course] = await deps.db
      .select({ id: trainingCourses.id })
      .from(trainingCourses)
      .where(and(eq(trainingCourses.code, body.courseCode), eq(trainingCourses.active, true)));
    if (!course)
      throw new AppError('training.unknown_course', 'No active course has this code', { field: 'courseCode' });
  }
  await deps.db
    .insert(appSettings)
    .values({ key: KEY, value: body, updatedAt: deps.clock.now() })
    .onConflictDoUpdate({ target: appSettings.key, set: { value: body, updatedAt: deps.clock.now() } });
  return body;
}

export type RemedialOutcome =
  | { kind: 'not_due' }
  | { kind: 'already_enrolled'; sessionId: string }
  | { kind: 'no_session'; courseId: string }
  | { kind: 'enrolled'; sessionId: string };

/**
 * After a failed review: when the agent's counted reviews reach the setting, enrols them in the
 * course's next session (unless they are on a session of it since the first of these failures).
 */
export async function assignRemedialCourse(
  tx: Tx,
  agentId: string,
  now: Date,
  passMark: number,
): Promise<RemedialOutcome> {
  const settings = await remedialSettingsOf(tx);
  if (settings.courseCode === null) return { kind: 'not_due' };
  const since = new Date(now.getTime() - settings.windowDays * 86_400_000);
  const reviews = await tx
    .select({
      submittedAt: qaReviews.submittedAt,
      passed: qaReviews.passed,
      criticalFailed: qaReviews.criticalFailed,
      decision: qaReviews.decision,
      finalScore: qaReviews.finalScore,
    })
    .from(qaReviews)
    .where(and(eq(qaReviews.agentId, agentId), isNull(qaReviews.calibrationId), gt(qaReviews.submittedAt, since)));
  if (!needsRemedialCourse(reviews, now, settings, passMark)) return { kind: 'not_due' };
  const [course] = await tx
    .select({ id: trainingCourses.id, title: trainingCourses.title })
    .from(trainingCourses)
    .where(and(eq(trainingCourses.code, settings.courseCode), eq(trainingCourses.active, true)));
  if (!course) return { kind: 'not_due' };
  const firstFailure = failuresInWindow(reviews, now, settings, passMark)[0]!.submittedAt;
  const [enrolled] = await tx
    .select({ sessionId: trainingRecords.sessionId })
    .from(trainingRecords)
    .innerJoin(trainingSessions, eq(trainingSessions.id, trainingRecords.sessionId))
    .where(
      and(
        eq(trainingRecords.staffId, agentId),
        eq(trainingSessions.courseId, course.id),
        gte(trainingSessions.startsAt, firstFailure),
      ),
    )
    .limit(1);
  if (enrolled) return { kind: 'already_enrolled', sessionId: enrolled.sessionId };
  const [next] = await tx
    .select({ id: trainingSessions.id, startsAt: trainingSessions.startsAt })
    .from(trainingSessions)
    .where(and(eq(trainingSessions.courseId, course.id), gt(trainingSessions.startsAt, now)))
    .orderBy(asc(trainingSessions.startsAt), asc(trainingSessions.id))
    .limit(1);
  if (!next) return { kind: 'no_session', courseId: course.id };
  const inserted = await tx
    .insert(trainingRecords)
    .values({ sessionId: next.id, staffId: agentId, attended: false, examScore: null, passed: null, recordedAt: now })
    .onConflictDoNothing()
    .returning({ sessionId: trainingRecords.sessionId });
  if (inserted.length === 0) return { kind: 'already_enrolled', sessionId: next.id };
  const [agent] = await tx
    .select({ name: staff.displayName, teamId: staff.teamId })
    .from(staff)
    .where(eq(staff.id, agentId));
  const payload = {
    staffId: agentId,
    agent: agent?.name ?? '',
    sessionId: next.id,
    course: course.title,
    startsAt: next.startsAt.toISOString(),
    failures: failuresInWindow(reviews, now, settings, passMark).length,
  };
  const recipients = [agentId, ...(await supervisorsOf(tx, agent?.teamId ?? null)).map((s) => s.id)];
  await notifyStaff(
    tx,
    [...new Set(recipients)].map((recipientId) => ({
      recipientId,
      ticketId: null,
      kind: 'qa.training_assigned' as const,
      payload,
    })),
    now,
  );
  return { kind: 'enrolled', sessionId: next.id };
}

/** A new session of the remedial course enrols everyone due who is on no session of it yet. */
export async function enrolDueAgents(tx: Tx, courseId: string, now: Date, passMark: number): Promise<number> {
  const settings = await remedialSettingsOf(tx);
  if (settings.courseCode === null) return 0;
  const [course] = await tx
    .select({ code: trainingCourses.code })
    .from(trainingCourses)
    .where(eq(trainingCourses.id, courseId));
  if (course?.code !== settings.courseCode) return 0;
  const since = new Date(now.getTime() - settings.windowDays * 86_400_000);
  const candidates = await tx
    .selectDistinct({ agentId: qaReviews.agentId })
    .from(qaReviews)
    .where(and(isNull(qaReviews.calibrationId), gt(qaReviews.submittedAt, since), eq(qaReviews.passed, false)));
  let enrolled = 0;
  for (const { agentId } of candidates)
    if ((await assignRemedialCourse(tx, agentId, now, passMark)).kind === 'enrolled') enrolled++;
  return enrolled;
}
