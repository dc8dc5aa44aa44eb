import { and, desc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';
import { canInspect, canSuperviseQuality, type Actor } from '../../core/auth/policy.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import { calibrationSpread } from '../../core/quality/reviews.js';
import { scoreReview, type ItemScoreInput } from '../../core/quality/scorecard.js';
import { DEFAULT_QA_SETTINGS } from '../../core/quality/settings.js';
import type { DbOrTx } from '../../db/client.js';
import { qaCalibrations, qaReviews, qaScorecards, staff, tickets } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { scorecardInUse } from './scorecards.js';

// Calibration sessions (校准): several inspectors score the same ticket on the same scorecard
// version; the spread per item shows where they disagree. Scores are blind until one has scored
// (supervisors see them at once), and they never count toward the agent's results.

function assertMayCalibrate(actor: Actor) {
  if (!canInspect(actor) && !canSuperviseQuality(actor))
    throw new AppError('auth.forbidden', 'Calibration is for inspectors and supervisors');
}

export async function createCalibration(deps: Deps, actor: Actor, input: { ticketId: string; title: string }) {
  assertMayCalibrate(actor);
  return deps.db.transaction(async (tx) => {
    const [ticket] = await tx.select({ id: tickets.id }).from(tickets).where(eq(tickets.id, input.ticketId));
    if (!ticket) throw new AppError('ticket.unknown_reference', 'No such ticket', { field: 'ticketId' });
    const card = await scorecardInUse(tx);
    const id = uuidv7();
    await tx.insert(qaCalibrations).values({
      id,
      ticketId: input.ticketId,
      scorecardId: card.id,
      title: input.title,
      createdBy: actor.id,
      createdAt: deps.clock.now(),
    });
    return id;
  });
}

/** An inspector's score in a session (once each; the session's scorecard version). */
export async function scoreCalibration(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { items: ItemScoreInput[]; comment: string },
) {
  if (!canInspect(actor)) throw new AppError('auth.forbidden', 'Inspectors score calibration sessions');
  const settings = deps.qa ?? DEFAULT_QA_SETTINGS;
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const [session] = await tx.select().from(qaCalibrations).where(eq(qaCalibrations.id, id)).for('update');
    if (!session) throw notFound('Calibration session');
    if (session.status !== 'open') throw new AppError('qa.calibration_closed', 'This calibration session is closed');
    const [card] = await tx.select().from(qaScorecards).where(eq(qaScorecards.id, session.scorecardId));
    const [ticket] = await tx
      .select({ agentId: sql<string | null>`coalesce(${tickets.assigneeId}, ${tickets.firstContactOwnerId})` })
      .from(tickets)
      .where(eq(tickets.id, session.ticketId));
    const [agent] = ticket?.agentId
      ? await tx.select({ id: staff.id, teamId: staff.teamId }).from(staff).where(eq(staff.id, ticket.agentId))
      : [];
    if (!agent) throw new AppError('ticket.unknown_reference', 'The ticket has no agent to calibrate on');
    const result = scoreReview(card!.definition, input.items, settings.passMark);
    const inserted = await tx
      .insert(qaReviews)
      .values({
        id: uuidv7(),
        ticketId: session.ticketId,
        calibrationId: id,
        agentId: agent.id,
        teamId: agent.teamId,
        inspectorId: actor.id,
        scorecardId: session.scorecardId,
        items: result.items,
        comment: input.comment,
        weighted: result.weighted,
        bonus: result.bonus,
        score: result.score,
        criticalFailed: result.criticalFailed,
        passed: result.passed,
        finalScore: result.score,
        submittedAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: qaReviews.id });
    if (inserted.length === 0) throw new AppError('qa.already_reviewed', 'You scored this session already');
  });
}

/** Closes a session: scores are then visible to everyone who may calibrate. */
export async function closeCalibration(deps: Deps, actor: Actor, id: string) {
  assertMayCalibrate(actor);
  const rows = await deps.db
    .update(qaCalibrations)
    .set({ status: 'closed', closedAt: deps.clock.now() })
    .where(and(eq(qaCalibrations.id, id), eq(qaCalibrations.status, 'open')))
    .returning({ id: qaCalibrations.id });
  if (rows.length === 0) {
    const [exists] = await deps.db.select().from(qaCalibrations).where(eq(qaCalibrations.id, id));
    if (!exists) throw notFound('Calibration session');
    throw new AppError('qa.calibration_closed', 'This calibration session is closed already');
  }
}

const inspectorT = alias(staff, 'cal_inspector');

async function sessionsOf(db: DbOrTx, id?: string) {
  return db
    .select({
      c: qaCalibrations,
      ticket: { id: tickets.id, number: tickets.number, subject: tickets.subject, channel: tickets.channel },
      card: qaScorecards,
    })
    .from(qaCalibrations)
    .innerJoin(tickets, eq(tickets.id, qaCalibrations.ticketId))
    .innerJoin(qaScorecards, eq(qaScorecards.id, qaCalibrations.scorecardId))
    .where(id ? eq(qaCalibrations.id, id) : undefined)
    .orderBy(desc(qaCalibrations.id))
    .limit(100);
}

/** The newest 100 sessions, each with whether I scored it. */
export async function listCalibrations(deps: Deps, actor: Actor) {
  assertMayCalibrate(actor);
  const rows = await sessionsOf(deps.db);
  const mine = new Set(
    (
      await deps.db
        .select({ id: qaReviews.calibrationId })
        .from(qaReviews)
        .where(and(eq(qaReviews.inspectorId, actor.id), sql`${qaReviews.calibrationId} IS NOT NULL`))
    ).map((r) => r.id),
  );
  return rows.map((r) => ({ ...r, scoredByMe: mine.has(r.c.id) }));
}

/** One session with its scores and their spread per item (blind until I scored, unless supervising or closed). */
export async function readCalibration(deps: Deps, actor: Actor, id: string) {
  assertMayCalibrate(actor);
  const [row] = await sessionsOf(deps.db, id);
  if (!row) throw notFound('Calibration session');
  const reviews = await deps.db
    .select({ r: qaReviews, name: inspectorT.displayName })
    .from(qaReviews)
    .leftJoin(inspectorT, eq(inspectorT.id, qaReviews.inspectorId))
    .where(eq(qaReviews.calibrationId, id))
    .orderBy(qaReviews.id);
  const scoredByMe = reviews.some((r) => r.r.inspectorId === actor.id);
  const visible = scoredByMe || canSuperviseQuality(actor) || row.c.status === 'closed';
  const shown = visible ? reviews : [];
  return {
    ...row,
    scoredByMe,
    reviews: shown.map(({ r, name }) => ({
      inspector: { id: r.inspectorId, displayName: name ?? '' },
      score: r.score,
      items: r.items,
    })),
    spread: calibrationSpread(shown.map(({ r }) => ({ items: r.items, score: r.score }))),
  };
}
