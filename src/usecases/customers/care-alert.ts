import { and, eq, gte, sql } from 'drizzle-orm';
import { DEFAULT_CHURN_WEIGHTS } from '../../core/customers/churn-risk.js';
import type { CustomerTier } from '../../core/tickets/types.js';
import type { Tx } from '../../db/client.js';
import { customers, notifications } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { notifyStaff } from '../tickets/notify.js';
import { careOf } from './customer-care.js';

const DAY_MS = 86_400_000;
/** One alert per customer and manager in this many days: the manager is told, not nagged. */
export const CARE_ALERT_QUIET_DAYS = 7;

/** Only a customer with an account manager can cause a care alert (nothing is read otherwise). */
export const mayAlertAccountManager = <C extends { managerId: string | null }>(
  customer: C,
): customer is C & { managerId: string } => customer.managerId !== null;

/**
 * When a new ticket leaves a customer with an account manager at a high churn risk, the manager
 * gets a care alert in their inbox (the score and the reasons' codes, the ticket linked), at most
 * once in CARE_ALERT_QUIET_DAYS per customer. In the ticket's own transaction.
 */
export async function alertAccountManager(
  tx: Tx,
  deps: Deps,
  customerId: string,
  ticket: { id: string; number: string },
  now: Date,
  /** The customer as the caller already read it in this transaction (saves a round trip). */
  known?: { id: string; tier: CustomerTier; createdAt: Date; managerId: string | null },
) {
  const [customer] = known
    ? [known]
    : await tx
        .select({
          id: customers.id,
          tier: customers.tier,
          createdAt: customers.createdAt,
          managerId: customers.accountManagerId,
        })
        .from(customers)
        .where(eq(customers.id, customerId));
  if (!customer || !mayAlertAccountManager(customer)) return;
  const care = await careOf(tx, customer, deps.churnWeights ?? DEFAULT_CHURN_WEIGHTS, now);
  if (care.churnRisk.level !== 'high') return;
  const [recent] = await tx
    .select({ id: notifications.id })
    .from(notifications)
    .where(
      and(
        eq(notifications.recipientId, customer.managerId),
        eq(notifications.kind, 'care.churn_high'),
        sql`${notifications.payload}->>'customerId' = ${customerId}`,
        gte(notifications.createdAt, new Date(now.getTime() - CARE_ALERT_QUIET_DAYS * DAY_MS)),
      ),
    )
    .limit(1);
  if (recent) return;
  await notifyStaff(
    tx,
    [
      {
        kind: 'care.churn_high',
        recipientId: customer.managerId,
        ticketId: ticket.id,
        payload: {
          customerId,
          number: ticket.number,
          score: care.churnRisk.score,
          reasons: care.churnRisk.reasons.map((r) => r.code),
        },
      },
    ],
    now,
  );
}
