import { and, asc, count, eq, gt, inArray } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { canWorkCallbacks, type Actor } from '../../core/auth/policy.js';
import {
  assertCanAttempt,
  assertOutcomeAllowed,
  CALLBACK_TEAM_CODE,
  callbackMetric,
  MAX_ATTEMPTS,
  type CallbackOutcome,
  type RootCause,
} from '../../core/callbacks/callbacks.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import { DEFAULT_SURVEY_SETTINGS, lowRatings } from '../../core/surveys/rules.js';
import type { DbOrTx } from '../../db/client.js';
import { callbackAttempts, callbacks, customers, staff, surveys, teams, tickets } from '../../db/schema.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { Deps } from '../deps.js';
import { completeTarget } from '../sla/sla-lifecycle.js';
import { recordEvent } from '../tickets/record-event.js';
import { applyTransition } from '../tickets/transition-ticket.js';
import { z } from 'zod';

const Cursor = z.object({ i: z.uuid() });

async function assertAccess(db: DbOrTx, actor: Actor): Promise<void> {
  const [team] = await db.select({ id: teams.id }).from(teams).where(eq(teams.code, CALLBACK_TEAM_CODE));
  if (!canWorkCallbacks(actor, team?.id ?? null))
    throw new AppError('auth.forbidden', 'Callbacks are for supervisors and the agents of the callback team');
}

const summaryColumns = {
  cb: callbacks,
  ticket: { id: tickets.id, number: tickets.number, subject: tickets.subject, status: tickets.status },
  customerName: customers.name,
  survey: surveys,
};

function fromCallbacks(db: DbOrTx) {
  return db
    .select(summaryColumns)
    .from(callbacks)
    .innerJoin(tickets, eq(tickets.id, callbacks.ticketId))
    .innerJoin(surveys, eq(surveys.id, callbacks.surveyId))
    .leftJoin(customers, eq(customers.id, tickets.customerId));
}
type Row = Awaited<ReturnType<ReturnType<typeof fromCallbacks>['where']>>[number];

function summary(deps: Deps, r: Row, attempts: number) {
  const s = r.survey;
  const low =
    s.csat === null
      ? []
      : lowRatings(
          { csat: s.csat, speed: s.speed, quality: s.quality, attitude: s.attitude, convenience: s.convenience },
          deps.surveys ?? DEFAULT_SURVEY_SETTINGS,
        );
  return {
    id: r.cb.id,
    ticket: { ...r.ticket, status: String(r.ticket.status) },
    customerName: r.customerName ?? null,
    status: r.cb.status,
    dueAt: r.cb.dueAt?.toISOString() ?? null,
    attempts,
    low,
    createdAt: r.cb.createdAt.toISOString(),
  };
}

async function attemptCounts(db: DbOrTx, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: callbackAttempts.callbackId, n: count() })
    .from(callbackAttempts)
    .where(inArray(callbackAttempts.callbackId, ids))
    .groupBy(callbackAttempts.callbackId);
  return new Map(rows.map((r) => [r.id, r.n]));
}

/** The open callbacks, oldest (so due soonest) first. */
export async function listOpenCallbacks(deps: Deps, actor: Actor, q: { limit: number; cursor?: string | undefined }) {
  await assertAccess(deps.db, actor);
  const cursor = decodeCursor(q.cursor, Cursor);
  const rows = await fromCallbacks(deps.db)
    .where(and(eq(callbacks.status, 'open'), cursor ? gt(callbacks.id, cursor.i) : undefined))
    .orderBy(asc(callbacks.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const counts = await attemptCounts(
    deps.db,
    page.map((r) => r.cb.id),
  );
  const last = page.at(-1);
  return {
    items: page.map((r) => summary(deps, r, counts.get(r.cb.id) ?? 0)),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ i: last.cb.id }) : null,
  };
}

/** One callback with the survey's scores and its attempts. */
export async function getCallback(deps: Deps, actor: Actor, id: string) {
  await assertAccess(deps.db, actor);
  return readCallback(deps, deps.db, id);
}

async function readCallback(deps: Deps, db: DbOrTx, id: string) {
  const [row] = await fromCallbacks(db).where(eq(callbacks.id, id));
  if (!row) throw notFound('Callback');
  const attempts = await db
    .select({ a: callbackAttempts, byName: staff.displayName })
    .from(callbackAttempts)
    .leftJoin(staff, eq(staff.id, callbackAttempts.byId))
    .where(eq(callbackAttempts.callbackId, id))
    .orderBy(asc(callbackAttempts.at), asc(callbackAttempts.id));
  const s = row.survey;
  return {
    ...summary(deps, row, attempts.length),
    scores: {
      csat: s.csat,
      nps: s.nps,
      speed: s.speed,
      quality: s.quality,
      attitude: s.attitude,
      convenience: s.convenience,
      comment: s.comment,
    },
    attemptList: attempts.map(({ a, byName }) => ({
      id: a.id,
      at: a.at.toISOString(),
      by: { id: a.byId, displayName: byName ?? '' },
      reached: a.reached,
      note: a.note,
    })),
    maxAttempts: MAX_ATTEMPTS,
    rootCause: row.cb.rootCause,
    remedy: row.cb.remedy,
    outcome: row.cb.outcome,
    completedAt: row.cb.completedAt?.toISOString() ?? null,
  };
}

async function lockCallback(deps: Deps, tx: DbOrTx, actor: Actor, id: string) {
  await assertAccess(tx, actor);
  const [cb] = await tx.select().from(callbacks).where(eq(callbacks.id, id)).for('update');
  if (!cb) throw notFound('Callback');
  const attempts = await tx
    .select({ reached: callbackAttempts.reached })
    .from(callbackAttempts)
    .where(eq(callbackAttempts.callbackId, id));
  return { cb, attempts };
}

/** Records one try to reach the customer (at most three); the first one takes the task. */
export async function recordCallbackAttempt(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { reached: boolean; note: string },
) {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const { cb, attempts } = await lockCallback(deps, tx, actor, id);
    assertCanAttempt(cb.status, attempts);
    await tx
      .insert(callbackAttempts)
      .values({ id: uuidv7(), callbackId: id, at: now, byId: actor.id, reached: input.reached, note: input.note });
    if (!cb.assigneeId) await tx.update(callbacks).set({ assigneeId: actor.id }).where(eq(callbacks.id, id));
    return readCallback(deps, tx, id);
  });
}

/**
 * Finishes a callback with its root cause, remedy and outcome; stops its clock. 'ticket_reopened'
 * reopens the ticket (when it is resolved or closed).
 */
export async function finishCallback(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { rootCause: RootCause; remedy: string; outcome: CallbackOutcome },
) {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const { cb, attempts } = await lockCallback(deps, tx, actor, id);
    assertOutcomeAllowed(cb.status, attempts, input.outcome);
    await tx
      .update(callbacks)
      .set({
        status: 'done',
        rootCause: input.rootCause,
        remedy: input.remedy,
        outcome: input.outcome,
        completedAt: now,
        assigneeId: cb.assigneeId ?? actor.id,
      })
      .where(eq(callbacks.id, id));
    await completeTarget(tx, cb.ticketId, callbackMetric(id), now);
    await recordEvent(tx, {
      ticketId: cb.ticketId,
      actorId: actor.id,
      at: now,
      kind: 'callback_completed',
      data: { callbackId: id, outcome: input.outcome, rootCause: input.rootCause, attempts: attempts.length },
    });
    if (input.outcome === 'ticket_reopened') {
      const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, cb.ticketId)).for('update');
      if (ticket && (ticket.status === 'resolved' || ticket.status === 'closed'))
        await applyTransition(
          tx,
          ticket,
          { action: 'reopen', note: `Callback: ${input.remedy}` },
          { actorId: actor.id },
          now,
          deps.surveys,
        );
    }
    return readCallback(deps, tx, id);
  });
}
