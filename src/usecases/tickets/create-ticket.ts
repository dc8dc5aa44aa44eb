import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import { canCreateTicket, type Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import type { TicketCreate } from '../../contracts/tickets.js';
import type { Tx } from '../../db/client.js';
import { idempotencyKeys } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { checkCategory } from './references.js';
import { insertNewTicket, routeNewTicket } from './new-ticket.js';

export type CreateTicketInput = z.output<typeof TicketCreate>;

/**
 * Creates a ticket. The creator becomes its first-contact owner (首问负责制) and stays so through
 * every transfer. With an idempotency key, a retry returns the ticket the first request created:
 * the key's primary key in the database, inserted in the same transaction, makes a duplicate
 * impossible even when two retries race.
 */
export async function createTicket(
  deps: Deps,
  actor: Actor,
  input: CreateTicketInput,
  idempotencyKey?: string,
): Promise<{ ticketId: string; replayed: boolean }> {
  if (!canCreateTicket(actor)) throw new AppError('auth.forbidden', 'Your role cannot create tickets');
  const now = deps.clock.now();
  const ticketId = uuidv7();
  const requestHash = createHash('sha256').update(JSON.stringify(input)).digest('hex');
  const scope = `ticket.create:${actor.id}`;

  return deps.db.transaction(async (tx) => {
    if (idempotencyKey) {
      const claimed = await tx
        .insert(idempotencyKeys)
        .values({ scope, key: idempotencyKey, requestHash, resourceId: ticketId, createdAt: now })
        .onConflictDoNothing()
        .returning({ resourceId: idempotencyKeys.resourceId });
      if (claimed.length === 0) return replay(tx, scope, idempotencyKey, requestHash);
    }

    const { number, routed, facts } = await routeNewTicket(tx, deps, { ...input, categoryId: input.categoryId ?? null }, now);
    if (input.categoryId) await checkCategory(tx, input.categoryId, input.type);

    const assigneeId = input.assignToMe ? actor.id : null;
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
      contactNumber: input.contactNumber ?? null,
      teamId: routed.teamId ?? actor.teamId,
      assigneeId,
      firstContactOwnerId: actor.id,
      createdById: actor.id,
      searchText: deps.indexText(`${input.subject} ${input.description}`),
      createdAt: now,
      updatedAt: now,
    };
    await insertNewTicket(tx, deps, row, routed, facts, { actorId: actor.id, data: { firstContactOwnerId: actor.id, ...(assigneeId ? { assigneeId } : {}) } }, now);
    return { ticketId, replayed: false };
  });
}

async function replay(tx: Tx, scope: string, key: string, requestHash: string) {
  const [existing] = await tx
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
  if (!existing) throw new Error('idempotency key vanished'); // keys are never deleted in a transaction
  if (existing.requestHash !== requestHash) {
    throw new AppError(
      'idempotency.key_reused',
      'This Idempotency-Key was already used for a different request; use a new key for a new ticket',
    );
  }
  return { ticketId: existing.resourceId, replayed: true };
}

