import { eq } from 'drizzle-orm';
import { canRevealPii, type Actor } from '../../core/auth/policy.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import type { PiiField } from '../../core/privacy/masking.js';
import { customers, piiAccessLog } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { loadTicketFor } from '../tickets/load-ticket.js';
import { recordEvent } from '../tickets/record-event.js';
import { emailsOf, numbersOf } from './customers.js';

/**
 * PIPL: unmasked personal data leaves the server only through here, and every call is written to
 * the append-only access log (who, when, which record, which field, why) in the same transaction.
 */
export async function revealPii(
  deps: Deps,
  actor: Actor,
  customerId: string,
  input: { field: PiiField; reason: string; ticketId?: string | undefined },
): Promise<string[]> {
  if (!canRevealPii(actor)) {
    throw new AppError('pii.reveal_not_allowed', 'Your role may not see unmasked personal data');
  }
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const [customer] = await tx.select().from(customers).where(eq(customers.id, customerId));
    if (!customer) throw notFound('Customer');
    let contactNumber: string | null = null;
    if (input.ticketId) {
      const { ticket } = await loadTicketFor(tx, actor, input.ticketId);
      if (ticket.customerId !== customerId) throw notFound('Ticket');
      contactNumber = ticket.contactNumber;
    }
    const values =
      input.field === 'phone'
        ? [
            ...new Set([
              ...(contactNumber ? [contactNumber] : []),
              ...(await numbersOf(tx, [customerId])).get(customerId)!,
            ]),
          ]
        : input.field === 'email'
          ? (await emailsOf(tx, [customerId])).get(customerId)!
          : [input.field === 'id_number' ? customer.idNumber : customer.address].filter((v): v is string => v !== null);

    await tx.insert(piiAccessLog).values({
      staffId: actor.id,
      customerId,
      ticketId: input.ticketId ?? null,
      field: input.field,
      reason: input.reason,
      createdAt: now,
    });
    if (input.ticketId) {
      await recordEvent(tx, {
        ticketId: input.ticketId,
        actorId: actor.id,
        kind: 'pii_revealed',
        at: now,
        data: { field: input.field, reason: input.reason },
      });
    }
    return values;
  });
}
