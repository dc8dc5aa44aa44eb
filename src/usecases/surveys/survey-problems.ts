import { and, desc, eq, inArray, lt, or } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { canWorkCallbacks, type Actor } from '../../core/auth/policy.js';
import { CALLBACK_TEAM_CODE } from '../../core/callbacks/callbacks.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import { ALWAYS_OPEN } from '../../core/sla/business-calendar.js';
import {
  DEFAULT_PROBLEM_HOURS,
  nextProblemStatus,
  problemMetric,
  type ProblemHours,
  type SurveyProblemStatus,
  type SurveyProblemTopic,
} from '../../core/surveys/problems.js';
import type { DbOrTx, Tx } from '../../db/client.js';
import { customers, staff, surveyProblems, surveys, teams, tickets } from '../../db/schema.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { Deps } from '../deps.js';
import { completeTarget, startNodeTarget } from '../sla/sla-lifecycle.js';
import { recordEvent } from '../tickets/record-event.js';

// Problems raised in surveys as tracked items (issue 13): opened with the answer, first handled
// within 24 hours and resolved within 48 — two SLA node targets on the ticket, on the always-open
// calendar like the callback (the handbooks count these in clock hours, not working hours), so they
// warn at 75 % and escalate at the limit through the same sweeper.

const handler = alias(staff, 'problem_handler');
const Cursor = z.object({ c: z.iso.datetime(), i: z.uuid() });

/**
 * Opens the tracked item for a survey answer that raised problems, in the answering transaction:
 * one per survey (a unique constraint), both clocks started. Null when the survey already has one.
 */
export async function openSurveyProblem(
  tx: Tx,
  raised: { surveyId: string; ticketId: string; topics: SurveyProblemTopic[] },
  hours: ProblemHours | undefined,
  now: Date,
): Promise<string | null> {
  const id = uuidv7();
  const inserted = await tx
    .insert(surveyProblems)
    .values({ id, surveyId: raised.surveyId, ticketId: raised.ticketId, topics: raised.topics, createdAt: now })
    .onConflictDoNothing({ target: surveyProblems.surveyId })
    .returning({ id: surveyProblems.id });
  if (inserted.length === 0) return null;
  const h = hours ?? DEFAULT_PROBLEM_HOURS;
  const start = (clock: 'response' | 'resolution', limitHours: number) =>
    startNodeTarget(
      tx,
      raised.ticketId,
      { metric: problemMetric(id, clock), limitMinutes: limitHours * 60, calendarId: ALWAYS_OPEN.id },
      now,
    );
  const respondDueAt = await start('response', h.response);
  const resolveDueAt = await start('resolution', h.resolution);
  await tx.update(surveyProblems).set({ respondDueAt, resolveDueAt }).where(eq(surveyProblems.id, id));
  await recordEvent(tx, {
    ticketId: raised.ticketId,
    actorId: null,
    at: now,
    kind: 'survey_problem',
    data: {
      problemId: id,
      step: 'opened',
      topics: raised.topics,
      respondDueAt: respondDueAt?.toISOString() ?? null,
      resolveDueAt: resolveDueAt?.toISOString() ?? null,
    },
  });
  return id;
}

/** The care side sees the tracked items: supervisors and the agents of the callback team. */
async function assertAccess(db: DbOrTx, actor: Actor): Promise<void> {
  const [team] = await db.select({ id: teams.id }).from(teams).where(eq(teams.code, CALLBACK_TEAM_CODE));
  if (!canWorkCallbacks(actor, team?.id ?? null))
    throw new AppError('auth.forbidden', 'Survey problems are for supervisors and the agents of the callback team');
}

function fromProblems(db: DbOrTx) {
  return db
    .select({
      p: surveyProblems,
      ticket: { id: tickets.id, number: tickets.number, subject: tickets.subject },
      customerName: customers.name,
      comment: surveys.comment,
      csat: surveys.csat,
      handler: { id: handler.id, displayName: handler.displayName },
    })
    .from(surveyProblems)
    .innerJoin(tickets, eq(tickets.id, surveyProblems.ticketId))
    .innerJoin(surveys, eq(surveys.id, surveyProblems.surveyId))
    .leftJoin(customers, eq(customers.id, tickets.customerId))
    .leftJoin(handler, eq(handler.id, surveyProblems.handlerId));
}
type Row = Awaited<ReturnType<ReturnType<typeof fromProblems>['where']>>[number];

const iso = (d: Date | null) => d?.toISOString() ?? null;

function present(r: Row) {
  return {
    id: r.p.id,
    ticket: r.ticket,
    customerName: r.customerName ?? null,
    topics: r.p.topics,
    csat: r.csat,
    comment: r.comment,
    status: r.p.status,
    respondDueAt: iso(r.p.respondDueAt),
    resolveDueAt: iso(r.p.resolveDueAt),
    firstHandledAt: iso(r.p.firstHandledAt),
    closedAt: iso(r.p.closedAt),
    handler: r.handler?.id ? { id: r.handler.id, displayName: r.handler.displayName } : null,
    handlingNote: r.p.handlingNote,
    resolution: r.p.resolution,
    createdAt: r.p.createdAt.toISOString(),
  };
}

/**
 * The tracked items, newest first: `active` (open and being handled, the default), one status, or
 * all. Each with its two due times, so the list shows what is late.
 */
export async function listSurveyProblems(
  deps: Deps,
  actor: Actor,
  q: { status?: SurveyProblemStatus | 'active' | 'all' | undefined; limit: number; cursor?: string | undefined },
) {
  await assertAccess(deps.db, actor);
  const after = decodeCursor(q.cursor, Cursor);
  const status = q.status ?? 'active';
  const rows = await fromProblems(deps.db)
    .where(
      and(
        status === 'all'
          ? undefined
          : status === 'active'
            ? inArray(surveyProblems.status, ['open', 'handling'])
            : eq(surveyProblems.status, status),
        after
          ? or(
              lt(surveyProblems.createdAt, new Date(after.c)),
              and(eq(surveyProblems.createdAt, new Date(after.c)), lt(surveyProblems.id, after.i)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(surveyProblems.createdAt), desc(surveyProblems.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map(present),
    nextCursor:
      rows.length > q.limit && last ? encodeCursor({ c: last.p.createdAt.toISOString(), i: last.p.id }) : null,
  };
}

async function readProblem(db: DbOrTx, id: string) {
  const [row] = await fromProblems(db).where(eq(surveyProblems.id, id));
  if (!row) throw notFound('Survey problem');
  return present(row);
}

/**
 * Records the handling of a tracked item: the first one stops the first-handling clock and makes
 * the person its handler; later ones update the note. Closing it stops the resolution clock (and
 * the first-handling one, if nobody handled it before).
 */
export async function actOnSurveyProblem(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { action: 'handle'; note: string } | { action: 'close'; resolution: string },
) {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    await assertAccess(tx, actor);
    const [p] = await tx.select().from(surveyProblems).where(eq(surveyProblems.id, id)).for('update');
    if (!p) throw notFound('Survey problem');
    const status = nextProblemStatus(p.status, input.action);
    const first = p.firstHandledAt === null;
    await tx
      .update(surveyProblems)
      .set({
        status,
        ...(first ? { firstHandledAt: now, handlerId: actor.id } : {}),
        ...(input.action === 'handle' ? { handlingNote: input.note } : { resolution: input.resolution, closedAt: now }),
      })
      .where(eq(surveyProblems.id, id));
    if (first) await completeTarget(tx, p.ticketId, problemMetric(id, 'response'), now);
    if (input.action === 'close') await completeTarget(tx, p.ticketId, problemMetric(id, 'resolution'), now);
    if (first || input.action === 'close')
      await recordEvent(tx, {
        ticketId: p.ticketId,
        actorId: actor.id,
        at: now,
        kind: 'survey_problem',
        data: { problemId: id, step: input.action === 'close' ? 'closed' : 'handled' },
      });
    return readProblem(tx, id);
  });
}
