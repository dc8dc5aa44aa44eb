import { and, eq, gte, inArray, sql } from 'drizzle-orm';
import { canReadCustomers, type Actor } from '../../core/auth/policy.js';
import { churnRisk, DEFAULT_CHURN_WEIGHTS, type ChurnRisk } from '../../core/customers/churn-risk.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import { OPEN_STATUSES } from '../../core/tickets/state-machine.js';
import { customers, slaTargets, tickets } from '../../db/schema.js';
import type { Deps } from '../deps.js';

const DAY_MS = 86_400_000;

export type CustomerCare = {
  customerId: string;
  windowDays: number;
  counts: {
    /** Complaints in the window (merged duplicates not counted). */
    complaints: number;
    /** Complaints in the window after the first one. */
    repeatComplaints: number;
    /** Complaints not yet resolved or closed, whenever made. */
    openComplaints: number;
    /** Tickets with a time limit breached in the window. */
    slaBreaches: number;
    /** Tickets reopened at least once and touched in the window. */
    reopenedTickets: number;
  };
  churnRisk: ChurnRisk;
};

/**
 * The care facts of one customer, from two aggregate queries, and the churn risk they give. Anyone
 * who may read the customer may read these: they are counts, never the tickets' content.
 */
export async function customerCare(deps: Deps, actor: Actor, customerId: string): Promise<CustomerCare> {
  if (!canReadCustomers(actor)) throw new AppError('auth.forbidden', 'Your role cannot look up customers');
  const weights = deps.churnWeights ?? DEFAULT_CHURN_WEIGHTS;
  const now = deps.clock.now();
  const since = new Date(now.getTime() - weights.windowDays * DAY_MS);
  const [customer] = await deps.db
    .select({ tier: customers.tier, createdAt: customers.createdAt })
    .from(customers)
    .where(eq(customers.id, customerId));
  if (!customer) throw notFound('Customer');

  const complaint = sql`${tickets.type} = 'complaint' AND ${tickets.mergedIntoId} IS NULL`;
  const [ticketFacts] = await deps.db
    .select({
      complaints: sql<number>`count(*) FILTER (WHERE ${complaint} AND ${tickets.createdAt} >= ${since})::int`,
      openComplaints: sql<number>`count(*) FILTER (WHERE ${complaint} AND ${inArray(tickets.status, [...OPEN_STATUSES])})::int`,
      reopenedTickets: sql<number>`count(*) FILTER (WHERE ${tickets.reopenCount} > 0 AND ${tickets.updatedAt} >= ${since})::int`,
    })
    .from(tickets)
    .where(eq(tickets.customerId, customerId));
  const [breachFacts] = await deps.db
    .select({ slaBreaches: sql<number>`count(DISTINCT ${slaTargets.ticketId})::int` })
    .from(slaTargets)
    .innerJoin(tickets, eq(tickets.id, slaTargets.ticketId))
    .where(and(eq(tickets.customerId, customerId), gte(slaTargets.breachedAt, since)));

  const counts = {
    complaints: Number(ticketFacts?.complaints ?? 0),
    repeatComplaints: Math.max(0, Number(ticketFacts?.complaints ?? 0) - 1),
    openComplaints: Number(ticketFacts?.openComplaints ?? 0),
    slaBreaches: Number(breachFacts?.slaBreaches ?? 0),
    reopenedTickets: Number(ticketFacts?.reopenedTickets ?? 0),
  };
  const tenureDays = Math.max(0, Math.floor((now.getTime() - customer.createdAt.getTime()) / DAY_MS));
  return {
    customerId,
    windowDays: weights.windowDays,
    counts,
    churnRisk: churnRisk(
      {
        repeatComplaints: counts.repeatComplaints,
        slaBreaches: counts.slaBreaches,
        openComplaints: counts.openComplaints,
        reopenedTickets: counts.reopenedTickets,
        tier: customer.tier,
        tenureDays,
      },
      weights,
    ),
  };
}
