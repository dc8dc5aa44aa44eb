import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lte } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import { canSupervise, WORKER_ROLES, type Actor } from '../../core/auth/policy.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import {
  certificationExpiry,
  certificationState,
  examOutcome,
  reminderHorizon,
  type TrainingTier,
} from '../../core/quality/training.js';
import type { AttendanceBody, CourseBody, SessionBody } from '../../contracts/quality.js';
import { errorCode } from '../../db/errors.js';
import { agentCertifications, staff, trainingCourses, trainingRecords, trainingSessions } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { notifyStaff } from '../tickets/notify.js';
import { DEFAULT_QA_SETTINGS } from '../../core/quality/settings.js';
import { enrolDueAgents } from './remedial-training.js';

// Training records (handbook §11): courses, sessions, attendance and exam scores. Passing a course's
// exam grants its certification in `agent_certifications` — the table assignment reads — from the
// session's date for the course's validity, so an expired certification takes the person out of
// certified routing by itself. Supervisors keep the records; each person reads their own.

function requireSupervisor(actor: Actor) {
  if (!canSupervise(actor)) throw new AppError('auth.forbidden', 'Training records are kept by supervisors');
}

const courseView = (c: typeof trainingCourses.$inferSelect) => ({
  id: c.id,
  code: c.code,
  title: c.title,
  description: c.description,
  certificationCode: c.certificationCode,
  passScore: c.passScore,
  validityMonths: c.validityMonths,
  active: c.active,
});

export async function listCourses(deps: Deps, actor: Actor) {
  requireSupervisor(actor);
  const rows = await deps.db.select().from(trainingCourses).orderBy(asc(trainingCourses.code));
  return { items: rows.map(courseView) };
}

export async function saveCourse(deps: Deps, actor: Actor, id: string | null, body: z.output<typeof CourseBody>) {
  requireSupervisor(actor);
  const now = deps.clock.now();
  try {
    const [row] = id
      ? await deps.db
          .update(trainingCourses)
          .set({ ...body, updatedAt: now })
          .where(eq(trainingCourses.id, id))
          .returning()
      : await deps.db
          .insert(trainingCourses)
          .values({ id: uuidv7(), ...body, createdAt: now, updatedAt: now })
          .returning();
    if (!row) throw notFound('Course');
    return courseView(row);
  } catch (e) {
    if (errorCode(e) === '23505')
      throw new AppError('training.course_code_taken', `A course with code ${body.code} exists`, { field: 'code' });
    throw e;
  }
}

/** Sessions, newest first, with their course and how many attended and passed. */
export async function listSessions(deps: Deps, actor: Actor, limit: number, offset: number) {
  requireSupervisor(actor);
  const rows = await deps.db
    .select({ session: trainingSessions, course: trainingCourses })
    .from(trainingSessions)
    .innerJoin(trainingCourses, eq(trainingCourses.id, trainingSessions.courseId))
    .orderBy(desc(trainingSessions.startsAt), desc(trainingSessions.id))
    .limit(limit + 1)
    .offset(offset);
  const ids = rows.map((r) => r.session.id);
  const records = ids.length
    ? await deps.db
        .select({ record: trainingRecords, name: staff.displayName })
        .from(trainingRecords)
        .innerJoin(staff, eq(staff.id, trainingRecords.staffId))
        .where(inArray(trainingRecords.sessionId, ids))
        .orderBy(asc(staff.displayName))
    : [];
  return {
    items: rows.slice(0, limit).map(({ session, course }) => ({
      id: session.id,
      course: courseView(course),
      startsAt: session.startsAt.toISOString(),
      location: session.location,
      trainer: session.trainer,
      records: records
        .filter((r) => r.record.sessionId === session.id)
        .map(({ record, name }) => ({
          staffId: record.staffId,
          displayName: name,
          attended: record.attended,
          examScore: record.examScore,
          passed: record.passed,
        })),
    })),
    hasMore: rows.length > limit,
  };
}

export async function createSession(deps: Deps, actor: Actor, body: z.output<typeof SessionBody>) {
  requireSupervisor(actor);
  const [course] = await deps.db.select().from(trainingCourses).where(eq(trainingCourses.id, body.courseId));
  if (!course) throw notFound('Course');
  const id = uuidv7();
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    await tx.insert(trainingSessions).values({
      id,
      courseId: body.courseId,
      startsAt: new Date(body.startsAt),
      location: body.location,
      trainer: body.trainer,
      createdAt: now,
    });
    // A session of the remedial course takes everyone repeated QA failures put on it.
    const enrolled = await enrolDueAgents(tx, body.courseId, now, (deps.qa ?? DEFAULT_QA_SETTINGS).passMark);
    return { id, enrolled };
  });
}

/**
 * Records one person's attendance and exam score at a session. A pass grants (or renews) the
 * course's certification from the session's date; the reminder is due again for the new expiry.
 */
export async function recordAttendance(
  deps: Deps,
  actor: Actor,
  sessionId: string,
  body: z.output<typeof AttendanceBody>,
) {
  requireSupervisor(actor);
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const [found] = await tx
      .select({ session: trainingSessions, course: trainingCourses })
      .from(trainingSessions)
      .innerJoin(trainingCourses, eq(trainingCourses.id, trainingSessions.courseId))
      .where(eq(trainingSessions.id, sessionId));
    if (!found) throw notFound('Training session');
    const [person] = await tx.select().from(staff).where(eq(staff.id, body.staffId));
    if (!person || !WORKER_ROLES.includes(person.role))
      throw new AppError('training.not_a_worker', 'Only people who take tickets have training records', {
        field: 'staffId',
      });
    const { passed } = examOutcome(body, found.course.passScore);
    const record = {
      attended: body.attended,
      examScore: body.examScore,
      passed,
      recordedById: actor.id,
      recordedAt: now,
    };
    await tx
      .insert(trainingRecords)
      .values({ sessionId, staffId: body.staffId, ...record })
      .onConflictDoUpdate({ target: [trainingRecords.sessionId, trainingRecords.staffId], set: record });
    let certification: { code: string; issuedAt: string; expiresAt: string } | null = null;
    if (passed && found.course.certificationCode) {
      const issuedAt = found.session.startsAt;
      const expiresAt = certificationExpiry(issuedAt, found.course.validityMonths, deps.timeZone);
      const grant = { issuedAt, expiresAt, sessionId, remindedAt: null };
      await tx
        .insert(agentCertifications)
        .values({ staffId: body.staffId, code: found.course.certificationCode, ...grant })
        .onConflictDoUpdate({ target: [agentCertifications.staffId, agentCertifications.code], set: grant });
      certification = {
        code: found.course.certificationCode,
        issuedAt: issuedAt.toISOString(),
        expiresAt: expiresAt.toISOString(),
      };
    }
    return { passed, certification };
  });
}

export async function setTrainingTier(deps: Deps, actor: Actor, staffId: string, tier: TrainingTier) {
  requireSupervisor(actor);
  const updated = await deps.db
    .update(staff)
    .set({ trainingTier: tier })
    .where(and(eq(staff.id, staffId), inArray(staff.role, [...WORKER_ROLES])))
    .returning({ id: staff.id });
  if (updated.length === 0) throw notFound('Person');
}

/** One person's training record: tier, certifications (valid, expiring, expired) and sessions. Their own, or any for supervisors. */
export async function readTrainingRecord(deps: Deps, actor: Actor, staffId: string) {
  if (staffId !== actor.id) requireSupervisor(actor);
  const [person] = await deps.db.select().from(staff).where(eq(staff.id, staffId));
  if (!person) throw notFound('Person');
  const now = deps.clock.now();
  const [certs, history] = await Promise.all([
    deps.db
      .select()
      .from(agentCertifications)
      .where(eq(agentCertifications.staffId, staffId))
      .orderBy(asc(agentCertifications.code)),
    deps.db
      .select({ record: trainingRecords, session: trainingSessions, course: trainingCourses })
      .from(trainingRecords)
      .innerJoin(trainingSessions, eq(trainingSessions.id, trainingRecords.sessionId))
      .innerJoin(trainingCourses, eq(trainingCourses.id, trainingSessions.courseId))
      .where(eq(trainingRecords.staffId, staffId))
      .orderBy(desc(trainingSessions.startsAt)),
  ]);
  return {
    staffId,
    displayName: person.displayName,
    trainingTier: person.trainingTier,
    certifications: certs.map((c) => ({
      code: c.code,
      issuedAt: c.issuedAt?.toISOString() ?? null,
      expiresAt: c.expiresAt?.toISOString() ?? null,
      state: certificationState(c.expiresAt, now),
      fromTraining: c.sessionId !== null,
    })),
    sessions: history.map(({ record, session, course }) => ({
      sessionId: session.id,
      courseTitle: course.title,
      courseCode: course.code,
      startsAt: session.startsAt.toISOString(),
      attended: record.attended,
      examScore: record.examScore,
      passed: record.passed,
    })),
  };
}

/** Everyone who takes tickets, with tier, for the training admin's pickers. */
export async function listTrainees(deps: Deps, actor: Actor) {
  requireSupervisor(actor);
  const rows = await deps.db
    .select({ id: staff.id, displayName: staff.displayName, role: staff.role, trainingTier: staff.trainingTier })
    .from(staff)
    .where(and(eq(staff.active, true), inArray(staff.role, [...WORKER_ROLES])))
    .orderBy(asc(staff.displayName));
  return { items: rows };
}

/**
 * Reminds holders of certifications expiring within 30 days (and their team's supervisors), once
 * per grant: the rows are claimed with SKIP LOCKED and marked in the same transaction, so several
 * nodes running the job remind each holder once.
 */
export async function remindExpiringCertifications(deps: Deps, batch = 200): Promise<{ reminded: number }> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const due = await tx
      .select({ cert: agentCertifications, holder: staff.displayName, teamId: staff.teamId })
      .from(agentCertifications)
      .innerJoin(staff, eq(staff.id, agentCertifications.staffId))
      .where(
        and(
          isNull(agentCertifications.remindedAt),
          isNotNull(agentCertifications.expiresAt),
          gt(agentCertifications.expiresAt, now),
          lte(agentCertifications.expiresAt, reminderHorizon(now)),
          eq(staff.active, true),
        ),
      )
      .limit(batch)
      .for('update', { of: agentCertifications, skipLocked: true });
    if (due.length === 0) return { reminded: 0 };
    const supervisors = await tx
      .select({ id: staff.id, teamId: staff.teamId })
      .from(staff)
      .where(and(eq(staff.role, 'supervisor'), eq(staff.active, true)));
    await notifyStaff(
      tx,
      due.flatMap(({ cert, holder, teamId }) => {
        const payload = { staffId: cert.staffId, holder, code: cert.code, expiresAt: cert.expiresAt!.toISOString() };
        const recipients = [cert.staffId, ...supervisors.filter((s) => s.teamId === teamId).map((s) => s.id)];
        return recipients.map((recipientId) => ({
          kind: 'training.certification_expiring' as const,
          recipientId,
          ticketId: null,
          payload,
        }));
      }),
      now,
    );
    for (const { cert } of due)
      await tx
        .update(agentCertifications)
        .set({ remindedAt: now })
        .where(and(eq(agentCertifications.staffId, cert.staffId), eq(agentCertifications.code, cert.code)));
    return { reminded: due.length };
  });
}
