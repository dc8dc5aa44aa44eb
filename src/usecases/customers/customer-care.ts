import { and, desc, eq, gte, inArray, isNotNull, sql } from 'drizzle-orm';
import { canReadCustomers, type Actor } from '../../core/auth/policy.js';
import {
  churnRisk,
  DEFAULT_CHURN_WEIGHTS,
  type ChurnRisk,
  type ChurnWeights,
} from '../../core/customers/churn-risk.js';
import type { CustomerTier } from '../../core/tickets/types.js';
import type { DbOrTx } from '../../db/client.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import { OPEN_STATUSES } from '../../core/tickets/state-machine.js';
import { customers, slaTargets, surveys, tickets } from '../../db/schema.js';
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
  /** Answered satisfaction surveys in the window: how many, the mean CSAT, the latest few. */
  satisfaction: {
    answered: number;
    averageCsat: number | null;
    recent: { csat: number; nps: number | null; answeredAt: Date }[];
  };
  churnRisk: ChurnRisk;
};

const RECENT_SURVEYS = 5;

/**
 * The care facts of one customer, from three queries (tickets, breaches, answered surveys), and the
 * churn risk they give. Anyone who may read the customer may read these: counts and scores, never
 * the tickets' content, their references or the customers' comments.
 */
export async function customerCare(deps: Deps, actor: Actor, customerId: string): Promise<CustomerCare> {
  if (!canReadCustomers(actor)) throw new AppError('auth.forbidden', 'Your role cannot look up customers');
  const [customer] = await deps.db
    .select({ tier: customers.tier, createdAt: customers.createdAt })
    .from(customers)
    .where(eq(customers.id, customerId));
  if (!customer) throw notFound('Customer');
  return careOf(deps.db, { id: customerId, ...customer }, deps.churnWeights ?? DEFAULT_CHURN_WEIGHTS, deps.clock.now());
}

/** The care facts and churn risk of a customer, read through `db` (the database or a transaction). */
export async function careOf(
  db: DbOrTx,
  customer: { id: string; tier: CustomerTier; createdAt: Date },
  weights: ChurnWeights,
  now: Date,
): Promise<CustomerCare> {
  const customerId = customer.id;
  const since = new Date(now.getTime() - weights.windowDays * DAY_MS);

  const complaint = sql`${tickets.type} = 'complaint' AND ${tickets.mergedIntoId} IS NULL`;
  const [ticketFacts] = await db
    .select({
      complaints: sql<number>`count(*) FILTER (WHERE ${complaint} AND ${tickets.createdAt} >= ${since})::int`,
      openComplaints: sql<number>`count(*) FILTER (WHERE ${complaint} AND ${inArray(tickets.status, [...OPEN_STATUSES])})::int`,
      reopenedTickets: sql<number>`count(*) FILTER (WHERE ${tickets.reopenCount} > 0 AND ${tickets.updatedAt} >= ${since})::int`,
    })
    .from(tickets)
    .where(eq(tickets.customerId, customerId));
  const [breachFacts] = await db
    .select({ slaBreaches: sql<number>`count(DISTINCT ${slaTargets.ticketId})::int` })
    .from(slaTargets)
    .innerJoin(tickets, eq(tickets.id, slaTargets.ticketId))
    .where(and(eq(tickets.customerId, customerId), gte(slaTargets.breachedAt, since)));

  const answered = await db
    .select({
      csat: surveys.csat,
      nps: surveys.nps,
      answeredAt: surveys.answeredAt,
    })
    .from(surveys)
    .where(
      and(
        eq(surveys.customerId, customerId),
        eq(surveys.status, 'answered'),
        isNotNull(surveys.csat),
        gte(surveys.answeredAt, since),
      ),
    )
    .orderBy(desc(surveys.answeredAt), desc(surveys.id));
  const ratings = answered.map((a) => a.csat!);
  const satisfaction = {
    answered: ratings.length,
    averageCsat:
      ratings.length > 0 ? Math.round((ratings.reduce((s, r) => s + r, 0) / ratings.length) * 10) / 10 : null,
    recent: answered.slice(0, RECENT_SURVEYS).map((a) => ({
      csat: a.csat!,
      nps: a.nps,
      answeredAt: a.answeredAt!,
    })),
  };

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
    satisfaction,
    churnRisk: churnRisk(
      {
        repeatComplaints: counts.repeatComplaints,
        slaBreaches: counts.slaBreaches,
        openComplaints: counts.openComplaints,
        reopenedTickets: counts.reopenedTickets,
        ratings,
        tier: customer.tier,
        tenureDays,
      },
      weights,
    ),
  };
}
