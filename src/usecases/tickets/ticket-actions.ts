import type { ActionResult, ActionTicket } from '../../core/tickets/actions.js';
import { isPriority } from '../../core/tickets/priority.js';
import { eq } from 'drizzle-orm';
import type { CustomerTier } from '../../core/tickets/types.js';
import type { Tx } from '../../db/client.js';
import { customers, type tickets } from '../../db/schema.js';

// Between a ticket row and the core's action vocabulary (core/tickets/actions.ts).

type TicketRow = typeof tickets.$inferSelect;

/** The part of a stored ticket that actions read and change. */
export function actionTicketOf(row: TicketRow): ActionTicket {
  return {
    type: row.type,
    categoryId: row.categoryId,
    grade: row.grade,
    subject: row.subject,
    description: row.description,
    details: row.details,
    tags: row.tags,
    contactNumber: row.contactNumber,
    priority: isPriority(row.priority) ? row.priority : 4,
    priorityFloor: row.priorityFloor,
    teamId: row.teamId,
    assigneeId: row.assigneeId,
    supportLevel: row.supportLevel,
    status: row.status,
  };
}

/** The columns an action result changes (its `after`), ready for an UPDATE of the ticket. */
export function changedColumns(result: ActionResult): Partial<TicketRow> {
  return result.after;
}

/** The customer's tier, which priority depends on. */
export async function customerTierOf(tx: Tx, customerId: string): Promise<CustomerTier> {
  const [customer] = await tx.select({ tier: customers.tier }).from(customers).where(eq(customers.id, customerId));
  return customer!.tier;
}
