import { and, asc, count, eq, gt, inArray, isNull } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { canSupervise, canWorkCallbacks, type Actor } from '../../core/auth/policy.js';
import {
  assertCallbackAssignable,
  assertCanAttempt,
  assertOutcomeAllowed,
  assertRootCauseChoosable,
  CALLBACK_TEAM_CODE,
  callbackMetric,
  complaintFromCallback,
  MAX_ATTEMPTS,
  type CallbackOutcome,
} from '../../core/callbacks/callbacks.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import { DEFAULT_SURVEY_SETTINGS, lowRatings } from '../../core/surveys/rules.js';
import { alias } from 'drizzle-orm/pg-core';
import type { DbOrTx, Tx } from '../../db/client.js';
import {
  callbackAttempts,
  callbacks,
  customers,
  rootCauses,
  staff,
  surveys,
  teams,
  ticketLinks,
  tickets,
} from '../../db/schema.js';
import { allRootCauses } from './root-causes.js';
import { insertNewTicket, routeNewTicket } from '../tickets/new-ticket.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { Deps } from '../deps.js';
import { completeTarget } from '../sla/sla-lifecycle.js';
import { recordEvent } from '../tickets/record-event.js';
import { notifyStaff } from '../tickets/notify.js';
import { applyTransition } from '../tickets/transition-ticket.js';
import { z } from 'zod';

const complaintTicket = alias(tickets, 'complaint_ticket');
const assignee = alias(staff, 'callback_assignee');

const Cursor = z.object({ i: z.uuid() });

async function assertAccess(db: DbOrTx, actor: Actor): Promise<string | null> {
  const [team] = await db.select({ id: teams.id }).from(teams).where(eq(teams.code, CALLBACK_TEAM_CODE));
  if (!canWorkCallbacks(actor, team?.id ?? null))
    throw new AppError('auth.forbidden', 'Callbacks are for supervisors and the agents of the callback team');
  return team?.id ?? null;
}

const summaryColumns = {
  cb: callbacks,
  ticket: { id: tickets.id, number: tickets.number, subject: tickets.subject, status: tickets.status },
  customerName: customers.name,
  survey: surveys,
  rootCause: { zh: rootCauses.nameZh, en: rootCauses.nameEn },
  complaint: { id: complaintTicket.id, number: complaintTicket.number, status: complaintTicket.status },
  assignee: { id: assignee.id, displayName: assignee.displayName },
};

function fromCallbacks(db: DbOrTx) {
  return db
    .select(summaryColumns)
    .from(callbacks)
    .innerJoin(tickets, eq(tickets.id, callbacks.ticketId))
    .innerJoin(surveys, eq(surveys.id, callbacks.surveyId))
    .leftJoin(customers, eq(customers.id, tickets.customerId))
    .leftJoin(rootCauses, eq(rootCauses.code, callbacks.rootCause))
    .leftJoin(complaintTicket, eq(complaintTicket.id, callbacks.complaintTicketId))
    .leftJoin(assignee, eq(assignee.id, callbacks.assigneeId));
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
    assignee: r.assignee?.id ? { id: r.assignee.id, displayName: r.assignee.displayName } : null,
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

/** The open callbacks, oldest (so due soonest) first; those of one person (`me`) or nobody's. */
export async function listOpenCallbacks(
  deps: Deps,
  actor: Actor,
  q: { limit: number; cursor?: string | undefined; assignee?: string | undefined },
) {
  await assertAccess(deps.db, actor);
  const cursor = decodeCursor(q.cursor, Cursor);
  const holder =
    q.assignee === undefined
      ? undefined
      : q.assignee === 'unassigned'
        ? isNull(callbacks.assigneeId)
        : eq(callbacks.assigneeId, q.assignee === 'me' ? actor.id : q.assignee);
  const rows = await fromCallbacks(deps.db)
    .where(and(eq(callbacks.status, 'open'), holder, cursor ? gt(callbacks.id, cursor.i) : undefined))
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
  return readCallback(deps, deps.db, actor, id);
}

async function readCallback(deps: Deps, db: DbOrTx, actor: Actor, id: string) {
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
    rootCauseLabel: row.cb.rootCause && row.rootCause?.zh ? { zh: row.rootCause.zh, en: row.rootCause.en ?? '' } : null,
    remedy: row.cb.remedy,
    outcome: row.cb.outcome,
    complaint:
      row.complaint?.id && row.complaint.number
        ? { id: row.complaint.id, number: row.complaint.number, status: String(row.complaint.status) }
        : null,
    firstReachedAt: row.cb.firstReachedAt?.toISOString() ?? null,
    completedAt: row.cb.completedAt?.toISOString() ?? null,
    canAssign: canSupervise(actor) && row.cb.status === 'open',
  };
}

async function lockCallback(deps: Deps, tx: DbOrTx, actor: Actor, id: string) {
  await assertAccess(tx, actor);
  const [cb] = await tx.select().from(callbacks).where(eq(callbacks.id, id)).for('update');
  if (!cb) throw notFound('Callback');
  const attempts = await tx
    .select({ reached: callbackAttempts.reached, note: callbackAttempts.note })
    .from(callbackAttempts)
    .where(eq(callbackAttempts.callbackId, id))
    .orderBy(asc(callbackAttempts.at), asc(callbackAttempts.id));
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
    // The first attempt takes the task; the first that reached the customer is a reporting fact.
    const firstReached = input.reached && !cb.firstReachedAt;
    if (!cb.assigneeId || firstReached)
      await tx
        .update(callbacks)
        .set({
          ...(cb.assigneeId ? {} : { assigneeId: actor.id }),
          ...(firstReached ? { firstReachedAt: now } : {}),
        })
        .where(eq(callbacks.id, id));
    return readCallback(deps, tx, actor, id);
  });
}

/**
 * Finishes a callback with its root cause (from the list), remedy and outcome; stops its clock.
 * 'ticket_reopened' reopens the ticket (when it is resolved or closed); 'complaint_opened' opens a
 * complaint for the same customer, linked to the ticket and described by the callback's notes.
 */
export async function finishCallback(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { rootCause: string; remedy: string; outcome: CallbackOutcome; notes: string },
) {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const { cb, attempts } = await lockCallback(deps, tx, actor, id);
    assertOutcomeAllowed(cb.status, attempts, input.outcome);
    const causes = await allRootCauses(tx);
    assertRootCauseChoosable(input.rootCause, causes);
    const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, cb.ticketId)).for('update');
    if (!ticket) throw notFound('Ticket');
    const complaint =
      input.outcome === 'complaint_opened'
        ? await openLinkedComplaint(tx, deps, actor, ticket, {
            rootCauseLabel: causes.find((c) => c.code === input.rootCause)?.nameZh ?? input.rootCause,
            notes: input.notes,
            remedy: input.remedy,
            attemptNotes: attempts.filter((a) => a.reached).map((a) => a.note),
            now,
          })
        : null;
    await tx
      .update(callbacks)
      .set({
        status: 'done',
        rootCause: input.rootCause,
        remedy: input.remedy,
        outcome: input.outcome,
        completedAt: now,
        assigneeId: cb.assigneeId ?? actor.id,
        complaintTicketId: complaint?.id ?? null,
      })
      .where(eq(callbacks.id, id));
    await completeTarget(tx, cb.ticketId, callbackMetric(id), now);
    await recordEvent(tx, {
      ticketId: cb.ticketId,
      actorId: actor.id,
      at: now,
      kind: 'callback_completed',
      data: {
        callbackId: id,
        outcome: input.outcome,
        rootCause: input.rootCause,
        attempts: attempts.length,
        ...(complaint ? { complaint: complaint.id, complaintNumber: complaint.number } : {}),
      },
    });
    if (input.outcome === 'ticket_reopened' && (ticket.status === 'resolved' || ticket.status === 'closed'))
      await applyTransition(
        tx,
        ticket,
        { action: 'reopen', note: `Callback: ${input.remedy}` },
        { actorId: actor.id },
        now,
        deps.surveys,
      );
    return readCallback(deps, tx, actor, id);
  });
}

/**
 * The complaint a callback opens: same customer and contact number, type complaint, taken by the
 * callback agent as its first-contact owner, routed like any new ticket, and linked to the original
 * ticket (link kind `callback_complaint`, a `linked` entry on both timelines).
 */
async function openLinkedComplaint(
  tx: Tx,
  deps: Deps,
  actor: Actor,
  original: typeof tickets.$inferSelect,
  facts: { rootCauseLabel: string; notes: string; remedy: string; attemptNotes: string[]; now: Date },
): Promise<{ id: string; number: string }> {
  const { now } = facts;
  const text = complaintFromCallback({
    ticketNumber: original.number,
    ticketSubject: original.subject,
    rootCauseLabel: facts.rootCauseLabel,
    notes: facts.notes,
    remedy: facts.remedy,
    attemptNotes: facts.attemptNotes,
  });
  const draft = {
    customerId: original.customerId,
    type: 'complaint' as const,
    categoryId: null,
    grade: original.grade,
    channel: 'hotline' as const,
    tags: [],
    subject: text.subject,
    description: text.description,
  };
  const { number, routed, facts: routeFacts } = await routeNewTicket(tx, deps, draft, now, actor.teamId);
  const complaintId = uuidv7();
  await insertNewTicket(
    tx,
    deps,
    {
      ...draft,
      id: complaintId,
      number,
      grade: routed.grade,
      priority: routed.priority,
      status: 'new',
      tags: routed.tags,
      slaPolicyHint: routed.slaPolicyHint,
      contactNumber: original.contactNumber,
      teamId: routed.teamId,
      assigneeId: null,
      firstContactOwnerId: actor.id,
      createdById: actor.id,
      searchText: deps.indexText(`${text.subject} ${text.description}`),
      createdAt: now,
      updatedAt: now,
    },
    routed,
    routeFacts,
    { actorId: actor.id, data: { firstContactOwnerId: actor.id } },
    now,
  );
  await tx
    .insert(ticketLinks)
    .values({ ticketId: complaintId, otherTicketId: original.id, kind: 'callback_complaint', createdAt: now })
    .onConflictDoNothing();
  await recordEvent(tx, {
    ticketId: complaintId,
    actorId: actor.id,
    kind: 'linked',
    at: now,
    data: { other: original.id, otherNumber: original.number },
  });
  await recordEvent(tx, {
    ticketId: original.id,
    actorId: actor.id,
    kind: 'linked',
    at: now,
    data: { other: complaintId, otherNumber: number },
  });
  return { id: complaintId, number };
}

/**
 * A supervisor gives an open callback to a named agent of the callback team, takes it from them
 * (another agent), or puts it back in the queue (null). The ticket's timeline keeps who did it
 * (`callback_assigned`), and the new holder finds it in their inbox and under "mine".
 */
export async function assignCallback(deps: Deps, actor: Actor, id: string, input: { assigneeId: string | null }) {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const teamId = await assertAccess(tx, actor);
    if (!canSupervise(actor) || !teamId)
      throw new AppError('auth.forbidden', 'Supervisors give callbacks to the agents of the callback team');
    const { cb } = await lockCallback(deps, tx, actor, id);
    const [person] = input.assigneeId
      ? await tx
          .select({ role: staff.role, active: staff.active, teamId: staff.teamId, displayName: staff.displayName })
          .from(staff)
          .where(eq(staff.id, input.assigneeId))
      : [];
    assertCallbackAssignable(cb.status, input.assigneeId ? (person ?? null) : 'unassign', teamId);
    if (cb.assigneeId === input.assigneeId) return readCallback(deps, tx, actor, id);
    await tx.update(callbacks).set({ assigneeId: input.assigneeId }).where(eq(callbacks.id, id));
    await recordEvent(tx, {
      ticketId: cb.ticketId,
      actorId: actor.id,
      at: now,
      kind: 'callback_assigned',
      data: {
        callbackId: id,
        assigneeId: input.assigneeId,
        assigneeName: person?.displayName ?? null,
        previousAssigneeId: cb.assigneeId,
      },
    });
    if (input.assigneeId && input.assigneeId !== actor.id) {
      const [ticket] = await tx.select({ number: tickets.number }).from(tickets).where(eq(tickets.id, cb.ticketId));
      const [me] = await tx.select({ name: staff.displayName }).from(staff).where(eq(staff.id, actor.id));
      await notifyStaff(
        tx,
        [
          {
            recipientId: input.assigneeId,
            ticketId: cb.ticketId,
            kind: 'callback.assigned',
            payload: { callbackId: id, number: ticket?.number ?? '', by: me?.name ?? '' },
          },
        ],
        now,
      );
    }
    return readCallback(deps, tx, actor, id);
  });
}

/** Who a supervisor may give callbacks to: the active agents of the callback team, with how many open ones each holds. */
export async function callbackAssignees(deps: Deps, actor: Actor) {
  const teamId = await assertAccess(deps.db, actor);
  if (!teamId) return { items: [] };
  const people = await deps.db
    .select({ id: staff.id, displayName: staff.displayName })
    .from(staff)
    .where(and(eq(staff.teamId, teamId), eq(staff.role, 'agent'), eq(staff.active, true)))
    .orderBy(asc(staff.displayName), asc(staff.id));
  const held = await deps.db
    .select({ id: callbacks.assigneeId, n: count() })
    .from(callbacks)
    .where(eq(callbacks.status, 'open'))
    .groupBy(callbacks.assigneeId);
  const open = new Map(held.map((h) => [h.id, h.n]));
  return { items: people.map((p) => ({ ...p, open: open.get(p.id) ?? 0 })) };
}
