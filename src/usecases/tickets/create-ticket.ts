import { missingCertifications } from '../../core/routing/assignment.js';
import { validCertificationsOf } from '../routing/certifications.js';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import { canCreateTicket, type Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import type { TicketCreate } from '../../contracts/tickets.js';
import type { Deps } from '../deps.js';
import { checkCategoryFor } from './references.js';
import { normaliseMsisdn } from '../customers/customers.js';
import { insertNewTicket, routeNewTicket } from './new-ticket.js';
import type { TicketDetail } from './load-ticket.js';

export type CreateTicketInput = z.output<typeof TicketCreate>;

/**
 * Creates a ticket. The creator becomes its first-contact owner (首问负责制) and stays so through
 * every transfer. With an idempotency key, a retry returns the ticket the first request created:
 * the key's primary key in the database, inserted in the same transaction, makes a duplicate
 * impossible even when two retries race (the second waits for the first to end, then replays).
 * A new ticket comes with its page as the creator sees it (read by its insert).
 */
export async function createTicket(
  deps: Deps,
  actor: Actor,
  input: CreateTicketInput,
  idempotencyKey?: string,
): Promise<{ ticketId: string } & ({ replayed: true } | { replayed: false; detail: TicketDetail })> {
  if (!canCreateTicket(actor)) throw new AppError('auth.forbidden', 'Your role cannot create tickets');
  const now = deps.clock.now();
  const ticketId = uuidv7();

  return deps.db.transaction(async (tx) => {
    // The key is claimed by routeNewTicket's first statement, which reads the ticket's facts too
    // (one round trip less); a key used before answers there, before anything else is checked.
    const claim = idempotencyKey
      ? { scope: `ticket.create:${actor.id}`, key: idempotencyKey, request: input, resourceId: ticketId }
      : undefined;
    const routing = await routeNewTicket(
      tx,
      deps,
      { ...input, categoryId: input.categoryId ?? null },
      now,
      actor.teamId,
      claim,
    );
    if ('earlierId' in routing) return { ticketId: routing.earlierId, replayed: true as const };
    const { number, routed, facts } = routing;
    if (input.categoryId) checkCategoryFor(facts.category, input.type);

    // Taking the new ticket follows the one certification rule: someone who may not hold it (a VIP or
    // urgent complaint without the specialist certification) still opens it and owns the first
    // contact, and it waits unassigned in its queue for a specialist.
    const mayTake =
      input.assignToMe &&
      missingCertifications(
        { type: input.type, grade: routed.grade, channel: input.channel, customerTier: facts.tier },
        await validCertificationsOf(tx, actor.id, now),
      ).length === 0;
    const assigneeId = mayTake ? actor.id : null;
    const row = {
      id: ticketId,
      number,
      type: input.type,
      categoryId: input.categoryId ?? null,
      grade: routed.grade,
      priority: routed.priority,
      status: assigneeId ? ('assigned' as const) : ('new' as const),
      channel: input.channel,
      subject: input.subject,
      description: input.description,
      details: input.details,
      tags: routed.tags,
      slaPolicyHint: routed.slaPolicyHint,
      customerId: input.customerId,
      contactNumber: input.contactNumber ? normaliseMsisdn(input.contactNumber) : null,
      teamId: routed.teamId,
      assigneeId,
      firstContactOwnerId: actor.id,
      createdById: actor.id,
      searchText: deps.indexText(`${input.subject} ${input.description}`),
      createdAt: now,
      updatedAt: now,
    };
    const detail = await insertNewTicket(
      tx,
      deps,
      row,
      routed,
      facts,
      { actorId: actor.id, data: { firstContactOwnerId: actor.id, ...(assigneeId ? { assigneeId } : {}) } },
      now,
      true, // nothing follows in this transaction
    );
    return { ticketId, replayed: false as const, detail };
  });
}
