import { and, count, eq } from 'drizzle-orm';
import { canOverrideClose, canWorkTicket, type Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import {
  assertAwaitingConfirmation,
  transition,
  type CloseReason,
  type TicketAction,
} from '../../core/tickets/state-machine.js';
import { ACTION_MILESTONES } from '../../core/sla/milestones.js';
import { confirmationMove, type ConfirmationAnswer, type ConfirmationVia } from '../../core/tickets/confirmation.js';
import { updateSla } from '../sla/sla-lifecycle.js';
import { v7 as uuidv7 } from 'uuid';
import { subtasks, ticketMessages, tickets } from '../../db/schema.js';
import type { Tx } from '../../db/client.js';
import type { Deps } from '../deps.js';
import { loadTicketFor } from './load-ticket.js';
import { recordEvent } from './record-event.js';
import { scheduleSurvey } from '../surveys/surveys.js';
import type { SurveySettings } from '../../core/surveys/rules.js';

/** Moves a ticket through its lifecycle; the pure state machine decides what is legal. */
export async function transitionTicket(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { action: TicketAction; note?: string | undefined },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const { ticket, access } = await loadTicketFor(tx, actor, id, { forUpdate: true });
    if (!canWorkTicket(actor, access)) throw new AppError('auth.forbidden', 'You cannot change this ticket');
    await applyTransition(
      tx,
      ticket,
      { ...input, closeReason: closeReasonOf(actor, input) },
      { actorId: actor.id },
      now,
      deps.surveys,
    );
  });
}

/**
 * Staff closing a resolved ticket: a supervisor's override needs a reason (the note); anyone
 * else has no reason to close it, and the state machine says so (`ticket.confirmation_required`).
 */
function closeReasonOf(actor: Actor, input: { action: TicketAction; note?: string | undefined }) {
  if (input.action !== 'close' || !canOverrideClose(actor)) return undefined;
  if (!input.note?.trim())
    throw new AppError('ticket.close_reason_required', 'Say why the ticket is closed before the customer answered', {
      field: 'note',
    });
  return 'supervisor_override' as const;
}

/**
 * The customer's answer to a resolution, given on the phone (or in person) and recorded by the
 * agent: "solved" closes the ticket, "not solved" reopens it, as if the customer had answered in
 * the portal; the timeline says who recorded it.
 */
export async function recordCustomerConfirmation(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { solved: boolean; note?: string | undefined },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const { ticket, access } = await loadTicketFor(tx, actor, id, { forUpdate: true });
    if (!canWorkTicket(actor, access)) throw new AppError('auth.forbidden', 'You cannot change this ticket');
    assertAwaitingConfirmation(ticket.status);
    // The customer's words are kept as an internal note (where they can be erased), not on the timeline.
    if (input.note?.trim()) {
      await tx.insert(ticketMessages).values({
        id: uuidv7(),
        ticketId: id,
        authorStaffId: actor.id,
        visibility: 'internal',
        channel: 'hotline',
        body: `客户答复 / Customer said: ${input.note.trim()}`,
        createdAt: now,
      });
    }
    await applyCustomerAnswer(tx, ticket, input.solved ? 'solved' : 'not_solved', 'phone', actor.id, now);
  });
}

/**
 * The customer's answer to a resolution, wherever it came from (portal, phone, SMS or email reply):
 * one rule (`confirmationMove`) — "solved" closes the locked, resolved ticket, "not solved" reopens
 * it (the state machine refuses any other move). `recordedBy` is the agent who took the answer on the phone, null when the customer gave it.
 */
export async function applyCustomerAnswer(
  tx: Tx,
  ticket: typeof tickets.$inferSelect,
  answer: ConfirmationAnswer,
  via: ConfirmationVia,
  recordedBy: string | null,
  now: Date,
): Promise<void> {
  await applyTransition(tx, ticket, confirmationMove(answer, via), { actorId: recordedBy, byCustomer: true }, now);
}

/**
 * The transition itself, for a ticket the caller has locked and may change: staff, or the customer
 * confirming a resolution or saying it is not solved (`byCustomer`).
 */
export async function applyTransition(
  tx: Tx,
  ticket: typeof tickets.$inferSelect,
  input: {
    action: TicketAction;
    note?: string | undefined;
    closeReason?: CloseReason | undefined;
    /** Where the customer answered, when the move is theirs. */
    via?: ConfirmationVia | undefined;
    /** A close for want of an answer: how long the ticket waited. */
    waitDays?: number | undefined;
  },
  by: { actorId: string | null; byCustomer?: boolean },
  now: Date,
  /** Satisfaction survey settings, for a resolution (deps.surveys; the defaults when absent). */
  surveySettings?: SurveySettings,
): Promise<void> {
  const id = ticket.id;
  const [blocking] = await tx
    .select({ n: count() })
    .from(subtasks)
    .where(and(eq(subtasks.ticketId, id), eq(subtasks.blocking, true), eq(subtasks.status, 'open')));
  const status = transition(input.action, {
    status: ticket.status,
    hasAssignee: ticket.assigneeId !== null,
    hasPublicReply: ticket.hasPublicReply,
    openBlockingSubtasks: blocking?.n ?? 0,
    closeReason: input.closeReason,
  });
  await tx
    .update(tickets)
    .set({
      status,
      version: ticket.version + 1,
      updatedAt: now,
      ...(status === 'resolved' ? { resolvedAt: now } : {}),
      ...(status === 'closed' ? { closedAt: now } : {}),
      ...(input.action === 'reopen' ? { reopenCount: ticket.reopenCount + 1, resolvedAt: null, closedAt: null } : {}),
    })
    .where(eq(tickets.id, id));
  await updateSla(
    tx,
    ticket,
    { status: { from: ticket.status, to: status }, milestone: ACTION_MILESTONES[input.action] },
    now,
  );
  await recordEvent(tx, {
    ticketId: id,
    actorId: by.actorId,
    kind: 'status_changed',
    at: now,
    data: {
      action: input.action,
      from: ticket.status,
      to: status,
      ...(input.note ? { note: input.note } : {}),
      ...(by.byCustomer ? { byCustomer: true } : {}),
      ...(status === 'closed' && input.closeReason ? { reason: input.closeReason } : {}),
      ...(input.via ? { via: input.via } : {}),
      ...(input.waitDays ? { waitDays: input.waitDays } : {}),
    },
  });
  // The satisfaction survey is created with the resolution, in the same transaction (one per ticket).
  if (status === 'resolved' && ticket.status !== 'resolved')
    await scheduleSurvey(tx, { ...ticket, status }, now, surveySettings);
}
