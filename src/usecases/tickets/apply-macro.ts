import { and, count, eq } from 'drizzle-orm';
import { canAddInternalNote, canRevealPii, canWorkTicket, type Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import { isMacro, planMacroOrThrow } from '../../core/replies/macro.js';
import { fillPlaceholders, placeholderValues } from '../../core/replies/placeholders.js';
import { customers, staff, subtasks } from '../../db/schema.js';
import { loadReplyFor } from '../desk/replies.js';
import type { Deps } from '../deps.js';
import { addMessage } from './add-message.js';
import { loadTicketFor } from './load-ticket.js';
import { transitionTicket } from './transition-ticket.js';
import { updateTicket } from './update-ticket.js';

/**
 * Applies a macro to a ticket in one transaction: the edit (tags, grade), the agent's reviewed
 * message, the macro's internal note, then the status move — each through the use case an agent's
 * own click goes through, so every rule, the SLA clocks and the timeline apply. The core decides
 * up front whether all of it can apply (`macro.not_applicable`); anything refused later rolls the
 * whole macro back.
 */
export async function applyMacro(
  deps: Deps,
  actor: Actor,
  ticketId: string,
  input: { macroId: string; message?: { visibility: 'public' | 'internal'; body: string } | undefined },
): Promise<{ applied: { edit: boolean; message: boolean; note: boolean; status: string | null } }> {
  return deps.db.transaction(async (tx) => {
    const macro = await loadReplyFor(tx, actor, input.macroId);
    if (!isMacro(macro.actions))
      throw new AppError('request.invalid', 'This reply has no actions; insert it in the composer instead', {
        field: 'macroId',
      });
    const { ticket, access } = await loadTicketFor(tx, actor, ticketId, { forUpdate: true });
    const changesTicket =
      macro.actions.status !== undefined ||
      (macro.actions.addTags?.length ?? 0) > 0 ||
      macro.actions.grade !== undefined ||
      input.message?.visibility === 'public';
    if (changesTicket ? !canWorkTicket(actor, access) : !canAddInternalNote(actor, access))
      throw new AppError('auth.forbidden', 'You cannot change this ticket');
    const [blocking] = await tx
      .select({ n: count() })
      .from(subtasks)
      .where(and(eq(subtasks.ticketId, ticketId), eq(subtasks.blocking, true), eq(subtasks.status, 'open')));
    const plan = planMacroOrThrow(
      macro.actions,
      {
        status: ticket.status,
        hasAssignee: ticket.assigneeId !== null,
        hasPublicReply: ticket.hasPublicReply,
        openBlockingSubtasks: blocking?.n ?? 0,
        tags: ticket.tags,
        grade: ticket.grade,
      },
      { willReply: input.message?.visibility === 'public' },
    );

    // The steps run inside this transaction (each use case's own transaction becomes a savepoint).
    const inTx: Deps = { ...deps, db: tx };
    if (plan.edit) await updateTicket(inTx, actor, ticketId, { ...plan.edit, version: ticket.version });
    if (input.message)
      await addMessage(inTx, actor, ticketId, {
        visibility: input.message.visibility,
        body: input.message.body,
        format: 'text',
      });
    if (plan.note) {
      const [customer] = await tx
        .select({ name: customers.name })
        .from(customers)
        .where(eq(customers.id, ticket.customerId));
      const [me] = await tx.select({ name: staff.displayName }).from(staff).where(eq(staff.id, actor.id));
      const values = placeholderValues(
        {
          ticketNumber: ticket.number,
          subject: ticket.subject,
          customerName: customer?.name ?? '',
          contactNumber: ticket.contactNumber,
          agentName: me?.name ?? '',
        },
        { masksFreeText: !canRevealPii(actor) },
      );
      await addMessage(inTx, actor, ticketId, {
        visibility: 'internal',
        body: fillPlaceholders(plan.note, values),
        format: 'text',
      });
    }
    if (plan.status) await transitionTicket(inTx, actor, ticketId, { action: plan.status });
    return {
      applied: {
        edit: plan.edit !== null,
        message: input.message !== undefined,
        note: plan.note !== null,
        status: plan.status,
      },
    };
  });
}
