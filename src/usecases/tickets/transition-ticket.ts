import { and, count, eq } from 'drizzle-orm';
import { canWorkTicket, type Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import { transition, type TicketAction } from '../../core/tickets/state-machine.js';
import { ACTION_MILESTONES } from '../../core/sla/milestones.js';
import { updateSla } from '../sla/sla-lifecycle.js';
import { subtasks, tickets } from '../../db/schema.js';
import type { Tx } from '../../db/client.js';
import type { Deps } from '../deps.js';
import { loadTicketFor } from './load-ticket.js';
import { recordEvent } from './record-event.js';

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
    await applyTransition(tx, ticket, input, { actorId: actor.id }, now);
  });
}

/**
 * The transition itself, for a ticket the caller has locked and may change: staff, or the customer
 * confirming a resolution or saying it is not solved (`byCustomer`).
 */
export async function applyTransition(
  tx: Tx,
  ticket: typeof tickets.$inferSelect,
  input: { action: TicketAction; note?: string | undefined },
  by: { actorId: string | null; byCustomer?: boolean },
  now: Date,
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
    },
  });
}
