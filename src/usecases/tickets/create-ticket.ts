import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import { canCreateTicket, type Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import { derivePriority } from '../../core/tickets/priority.js';
import { formatTicketNumber } from '../../core/tickets/ticket-number.js';
import type { TicketCreate } from '../../contracts/tickets.js';
import type { Tx } from '../../db/client.js';
import { customers, grades, idempotencyKeys, tickets } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { startSla } from '../sla/sla-lifecycle.js';
import { recordEvent } from './record-event.js';
import { checkCategory, unknownReference } from './references.js';

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

    // One round trip for the customer's tier, the grade check and the next ticket number.
    const [facts] = await tx
      .select({
        tier: customers.tier,
        gradeExists: sql<boolean>`exists (select 1 from ${grades} where ${grades.code} = ${input.grade})`,
        seq: sql<string>`nextval('ticket_number_seq')`,
      })
      .from(customers)
      .where(eq(customers.id, input.customerId));
    if (!facts) throw unknownReference('customerId', 'No such customer');
    if (!facts.gradeExists) throw unknownReference('grade', `Unknown grade "${input.grade}"`);
    if (input.categoryId) await checkCategory(tx, input.categoryId, input.type);

    const assigneeId = input.assignToMe ? actor.id : null;
    const row = {
      id: ticketId,
      number: formatTicketNumber(now, Number(facts.seq), deps.timeZone),
      type: input.type,
      categoryId: input.categoryId ?? null,
      grade: input.grade,
      priority: derivePriority({ type: input.type, grade: input.grade, tier: facts.tier }),
      status: assigneeId ? ('assigned' as const) : ('new' as const),
      channel: input.channel,
      subject: input.subject,
      description: input.description,
      details: input.details,
      tags: input.tags,
      customerId: input.customerId,
      contactNumber: input.contactNumber ?? null,
      teamId: actor.teamId,
      assigneeId,
      firstContactOwnerId: actor.id,
      createdById: actor.id,
      searchText: deps.indexText(`${input.subject} ${input.description}`),
      createdAt: now,
      updatedAt: now,
    };
    await tx.insert(tickets).values(row);
    await recordEvent(tx, {
      ticketId,
      actorId: actor.id,
      kind: 'created',
      at: now,
      data: {
        number: row.number,
        type: row.type,
        grade: row.grade,
        priority: row.priority,
        channel: row.channel,
        status: row.status,
        firstContactOwnerId: actor.id,
        ...(assigneeId ? { assigneeId } : {}),
      },
    });
    await startSla(tx, row, now);
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

