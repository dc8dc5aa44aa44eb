import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import { canWorkTicket, type Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import { ticketPriority } from '../../core/tickets/priority.js';
import { assertOpen } from '../../core/tickets/state-machine.js';
import type { TicketUpdate } from '../../contracts/tickets.js';
import { customers, tickets } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { loadTicketFor } from './load-ticket.js';
import { recalculateSla } from '../sla/sla-lifecycle.js';
import { detectRepeat } from './link-tickets.js';
import { recordEvent } from './record-event.js';
import { FREE_TEXT_FIELDS, type TicketField, type TimelineData } from '../../contracts/events.js';
import { checkCategory, checkGrade } from './references.js';
import { normaliseMsisdn } from '../customers/customers.js';

const EDITABLE = ['type', 'categoryId', 'grade', 'subject', 'description', 'details', 'tags', 'contactNumber'] as const;

/**
 * Edits classification and content. The caller sends the version it read: a stale version is
 * refused so two agents cannot silently overwrite each other. The timeline keeps which fields
 * changed, with before and after of the classification; priority follows type and grade.
 */
export async function updateTicket(
  deps: Deps,
  actor: Actor,
  id: string,
  input: z.output<typeof TicketUpdate>,
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const { ticket, access } = await loadTicketFor(tx, actor, id, { forUpdate: true });
    if (!canWorkTicket(actor, access)) throw new AppError('auth.forbidden', 'You cannot edit this ticket');
    assertOpen(ticket.status);
    if (ticket.version !== input.version) {
      throw new AppError('ticket.version_conflict', 'The ticket was changed by someone else; reload it and try again', {
        currentVersion: ticket.version,
      });
    }

    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const field of EDITABLE) {
      const value =
        field === 'contactNumber' && input.contactNumber ? normaliseMsisdn(input.contactNumber) : input[field];
      if (value !== undefined && JSON.stringify(value) !== JSON.stringify(ticket[field])) {
        before[field] = ticket[field];
        after[field] = value;
      }
    }
    if (Object.keys(after).length === 0) return;

    const next = { ...ticket, ...after };
    if ('grade' in after) await checkGrade(tx, next.grade);
    if (next.categoryId && ('categoryId' in after || 'type' in after)) {
      await checkCategory(tx, next.categoryId, next.type);
    }
    const [customer] = await tx
      .select({ tier: customers.tier })
      .from(customers)
      .where(eq(customers.id, ticket.customerId));
    const priority = ticketPriority(
      { type: next.type, grade: next.grade, tier: customer!.tier },
      ticket.priorityFloor,
      deps.priorityWeights,
    );
    if (priority !== ticket.priority) {
      before.priority = ticket.priority;
      after.priority = priority;
    }

    await tx
      .update(tickets)
      .set({
        ...after,
        priority,
        searchText:
          'subject' in after || 'description' in after
            ? deps.indexText(`${next.subject} ${next.description}`)
            : ticket.searchText,
        version: ticket.version + 1,
        updatedAt: now,
      })
      .where(eq(tickets.id, id));
    if ('type' in after || 'grade' in after || 'categoryId' in after) await recalculateSla(tx, next, now);
    if ('categoryId' in after) await detectRepeat(tx, next, now, deps.repeatWindowDays);
    await recordEvent(tx, {
      ticketId: id,
      actorId: actor.id,
      kind: 'updated',
      at: now,
      data: changeRecord(before, after),
    });
  });
}

/**
 * The timeline's record of an edit: every changed field by name, values only for the
 * classification. Subject, description and fault details are the customer's words: the timeline
 * cannot be erased, so they stay on the ticket alone.
 */
function changeRecord(before: Record<string, unknown>, after: Record<string, unknown>): TimelineData<'updated'> {
  const isFreeText = (field: string) => (FREE_TEXT_FIELDS as readonly string[]).includes(field);
  const values = (all: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(all).filter(([field]) => !isFreeText(field)));
  return {
    changed: Object.keys(after) as TicketField[],
    before: values(before),
    after: values(after),
  };
}
