import { eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { CALLBACK_DUE_MINUTES, CALLBACK_TEAM_CODE, callbackMetric } from '../../core/callbacks/callbacks.js';
import { ALWAYS_OPEN } from '../../core/sla/business-calendar.js';
import type { Tx } from '../../db/client.js';
import { callbacks, teams } from '../../db/schema.js';
import { callbackTeamId } from '../../db/reference-data.js';
import { startNodeTarget } from '../sla/sla-lifecycle.js';
import { recordEvent } from '../tickets/record-event.js';

/** The callback queue: the team with code `callback` (created on first start; recreated if removed). */
async function callbackTeam(tx: Tx, now: Date): Promise<string> {
  const [team] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.code, CALLBACK_TEAM_CODE));
  if (team) return team.id;
  await tx
    .insert(teams)
    .values({ id: callbackTeamId, code: CALLBACK_TEAM_CODE, name: '回访组', kind: 'frontline', createdAt: now })
    .onConflictDoNothing();
  const [again] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.code, CALLBACK_TEAM_CODE));
  return again!.id;
}

/**
 * Opens the callback for a low survey answer, in the answering transaction: one per survey (a
 * database constraint), in the callback queue, due within 24 hours on the always-open calendar by
 * an SLA node target so it warns and escalates like every other clock.
 */
export async function openCallback(
  tx: Tx,
  low: { surveyId: string; ticketId: string; scores: string[] },
  now: Date,
): Promise<string | null> {
  const id = uuidv7();
  const teamId = await callbackTeam(tx, now);
  const inserted = await tx
    .insert(callbacks)
    .values({ id, ticketId: low.ticketId, surveyId: low.surveyId, teamId, status: 'open', createdAt: now })
    .onConflictDoNothing({ target: callbacks.surveyId })
    .returning({ id: callbacks.id });
  if (inserted.length === 0) return null;
  const dueAt = await startNodeTarget(
    tx,
    low.ticketId,
    { metric: callbackMetric(id), limitMinutes: CALLBACK_DUE_MINUTES, calendarId: ALWAYS_OPEN.id },
    now,
  );
  await tx.update(callbacks).set({ dueAt }).where(eq(callbacks.id, id));
  await recordEvent(tx, {
    ticketId: low.ticketId,
    actorId: null,
    at: now,
    kind: 'callback_opened',
    data: { callbackId: id, surveyId: low.surveyId, dueAt: dueAt?.toISOString() ?? null, low: low.scores },
  });
  return id;
}
