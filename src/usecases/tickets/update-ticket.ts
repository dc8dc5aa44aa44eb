import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import { canWorkTicket, type Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import {
  applyActions,
  EDIT_FIELDS,
  type ActionResult,
  type ActionTicket,
  type ChangedField,
  type TicketChangeAction,
} from '../../core/tickets/actions.js';
import { assertOpen } from '../../core/tickets/state-machine.js';
import type { TicketUpdate } from '../../contracts/tickets.js';
import { tickets } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { loadTicketFor } from './load-ticket.js';
import { recalculateSla } from '../sla/sla-lifecycle.js';
import { detectRepeat } from './link-tickets.js';
import { recordEvent } from './record-event.js';
import { FREE_TEXT_FIELDS, type TicketField, type TimelineData } from '../../contracts/events.js';
import { checkCategory, checkGrade } from './references.js';
import { normaliseMsisdn } from '../customers/customers.js';
import { actionTicketOf, changedColumns, customerTierOf } from './ticket-actions.js';
import { priorityWeightsOf } from '../admin/settings.js';

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

    const edits = EDIT_FIELDS.flatMap((field): TicketChangeAction[] => {
      const value =
        field === 'contactNumber' && input.contactNumber ? normaliseMsisdn(input.contactNumber) : input[field];
      return value === undefined ? [] : [{ kind: 'set', field, value } as TicketChangeAction];
    });
    const result = applyActions(actionTicketOf(ticket), edits, {
      tier: await customerTierOf(tx, ticket.customerId),
      weights: await priorityWeightsOf(tx, deps),
    });
    if (result.changed.length === 0) return;
    const next = result.ticket;
    const changed = (field: ChangedField) => result.changed.includes(field);
    if (changed('grade')) await checkGrade(tx, next.grade);
    if (next.categoryId && (changed('categoryId') || changed('type')))
      await checkCategory(tx, next.categoryId, next.type);

    await tx
      .update(tickets)
      .set({
        ...changedColumns(result),
        searchText:
          changed('subject') || changed('description')
            ? deps.indexText(`${next.subject} ${next.description}`)
            : ticket.searchText,
        version: ticket.version + 1,
        updatedAt: now,
      })
      .where(eq(tickets.id, id));
    const saved = { ...ticket, ...changedColumns(result) };
    if (changed('type') || changed('grade') || changed('categoryId')) await recalculateSla(tx, saved, now);
    if (changed('categoryId')) await detectRepeat(tx, saved, now, deps.repeatWindowDays);
    await recordEvent(tx, { ticketId: id, actorId: actor.id, kind: 'updated', at: now, data: changeRecord(result) });
  });
}

/**
 * The timeline's record of an edit: every changed field by name, values only for the
 * classification. Subject, description and fault details are the customer's words: the timeline
 * cannot be erased, so they stay on the ticket alone.
 */
function changeRecord(result: ActionResult): TimelineData<'updated'> {
  const isFreeText = (field: string) => (FREE_TEXT_FIELDS as readonly string[]).includes(field);
  const values = (all: Partial<ActionTicket>) =>
    Object.fromEntries(Object.entries(all).filter(([field]) => !isFreeText(field)));
  return {
    changed: result.changed as TicketField[],
    before: values(result.before),
    after: values(result.after),
  };
}
