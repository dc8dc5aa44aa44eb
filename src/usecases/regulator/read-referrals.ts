import { and, asc, desc, eq, gte, inArray, lt, lte, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import type { Actor } from '../../core/auth/policy.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import {
  canReadReferrals,
  contactMetric,
  dayOf,
  eligibilityHints,
  reportMetric,
  type ReferralStatus,
} from '../../core/regulator/referrals.js';
import type { DbOrTx } from '../../db/client.js';
import {
  customers,
  regulatorAppealsMonthly,
  regulatorEvidencePacks,
  regulatorReferrals,
  regulatorSources,
  slaTargets,
  staff,
  ticketLinks,
  tickets,
} from '../../db/schema.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { Deps } from '../deps.js';
import { loadTicketFor, readableTicketIds } from '../tickets/load-ticket.js';

const Cursor = z.object({ c: z.iso.datetime(), i: z.uuid() });

function assertReader(actor: Actor) {
  if (!canReadReferrals(actor)) throw new AppError('auth.forbidden', 'Referral cases are not for your role');
}

export async function listSources(deps: Deps) {
  const items = await deps.db
    .select({ code: regulatorSources.code, nameZh: regulatorSources.nameZh, nameEn: regulatorSources.nameEn })
    .from(regulatorSources)
    .where(eq(regulatorSources.active, true))
    .orderBy(asc(regulatorSources.position), asc(regulatorSources.code));
  return { items };
}

const summaryQuery = (db: DbOrTx) =>
  db
    .select({
      referral: regulatorReferrals,
      source: regulatorSources,
      customerName: customers.name,
      ticket: { id: tickets.id, number: tickets.number, status: tickets.status },
    })
    .from(regulatorReferrals)
    .innerJoin(regulatorSources, eq(regulatorSources.code, regulatorReferrals.sourceCode))
    .innerJoin(customers, eq(customers.id, regulatorReferrals.customerId))
    .innerJoin(tickets, eq(tickets.id, regulatorReferrals.ticketId));

/** Referral cases, newest first (keyset pages), optionally by status. */
export async function listReferrals(
  deps: Deps,
  actor: Actor,
  q: { cursor?: string | undefined; limit: number; status?: ReferralStatus | undefined },
) {
  assertReader(actor);
  const after = decodeCursor(q.cursor, Cursor);
  const rows = await summaryQuery(deps.db)
    .where(
      and(
        q.status ? eq(regulatorReferrals.status, q.status) : undefined,
        after
          ? or(
              lt(regulatorReferrals.createdAt, new Date(after.c)),
              and(eq(regulatorReferrals.createdAt, new Date(after.c)), lt(regulatorReferrals.id, after.i)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(regulatorReferrals.createdAt), desc(regulatorReferrals.id))
    .limit(q.limit + 1);
  const readable = await readableTicketIds(
    deps.db,
    actor,
    rows.map((r) => r.ticket.id),
  );
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page
      .filter((r) => readable.has(r.ticket.id))
      .map((r) => ({ ...r, ticket: { ...r.ticket, status: String(r.ticket.status) } })),
    nextCursor:
      rows.length > q.limit && last
        ? encodeCursor({ c: last.referral.createdAt.toISOString(), i: last.referral.id })
        : null,
  };
}

/** Loads a referral whose ticket the actor may read (else "not found"), with its ticket's access facts. */
export async function loadReferralFor(db: DbOrTx, actor: Actor, id: string, opts: { forUpdate?: boolean } = {}) {
  assertReader(actor);
  const [referral] = await db.select().from(regulatorReferrals).where(eq(regulatorReferrals.id, id));
  if (!referral) throw notFound('Referral');
  const { ticket, access } = await loadTicketFor(db, actor, referral.ticketId, opts).catch(() => {
    throw notFound('Referral');
  });
  if (opts.forUpdate) {
    const [locked] = await db.select().from(regulatorReferrals).where(eq(regulatorReferrals.id, id)).for('update');
    return { referral: locked!, ticket, access };
  }
  return { referral, ticket, access };
}

/**
 * One referral case: the facts, the eligibility hints, its clocks, the linked complaints, the reply
 * and the packs, with the ticket's access facts for the presenter.
 */
export async function getReferral(deps: Deps, actor: Actor, id: string) {
  const db = deps.db;
  const { referral, ticket, access } = await loadReferralFor(db, actor, id);
  const [source] = await db.select().from(regulatorSources).where(eq(regulatorSources.code, referral.sourceCode));
  const [customer] = await db
    .select({ name: customers.name })
    .from(customers)
    .where(eq(customers.id, referral.customerId));

  // Art. 10: the customer's complaints to us (any channel but the regulator's) up to the appeal day.
  const appealEnds = sql`(${referral.appealedOn}::date + 1)`;
  const prior = await db
    .select({ createdAt: tickets.createdAt, answered: tickets.hasPublicReply, resolvedAt: tickets.resolvedAt })
    .from(tickets)
    .where(
      and(
        eq(tickets.customerId, referral.customerId),
        eq(tickets.type, 'complaint'),
        sql`${tickets.channel} <> 'regulator'`,
        lt(tickets.createdAt, sql`${appealEnds}::timestamp AT TIME ZONE ${deps.timeZone}`),
      ),
    )
    .orderBy(asc(tickets.createdAt))
    .limit(50);
  const hints = eligibilityHints({
    category: referral.category,
    appealedOn: referral.appealedOn,
    matterOn: referral.matterOn,
    priorComplaints: prior.map((p) => ({
      on: dayOf(p.createdAt, deps.timeZone),
      answered: p.answered || p.resolvedAt !== null,
    })),
  });

  const clockRows = await db
    .select()
    .from(slaTargets)
    .where(
      and(
        eq(slaTargets.ticketId, ticket.id),
        inArray(slaTargets.metric, [contactMetric(referral.id), reportMetric(referral.id)]),
      ),
    );
  const clockOf = (metric: string) => {
    const row = clockRows.find((r) => r.metric === metric);
    return { dueAt: row?.dueAt ?? null, metAt: row?.metAt ?? null, breachedAt: row?.breachedAt ?? null };
  };

  const other = alias(tickets, 'other');
  const links = await db
    .select({
      id: other.id,
      number: other.number,
      subject: other.subject,
      status: other.status,
      createdAt: other.createdAt,
    })
    .from(ticketLinks)
    .innerJoin(other, eq(other.id, ticketLinks.otherTicketId))
    .where(and(eq(ticketLinks.ticketId, ticket.id), eq(ticketLinks.kind, 'related'), eq(other.type, 'complaint')))
    .orderBy(asc(other.createdAt));
  const readable = await readableTicketIds(
    db,
    actor,
    links.map((l) => l.id),
  );

  const generator = alias(staff, 'generator');
  const packs = await db
    .select({ pack: regulatorEvidencePacks, byId: generator.id, byName: generator.displayName })
    .from(regulatorEvidencePacks)
    .leftJoin(generator, eq(generator.id, regulatorEvidencePacks.generatedById))
    .where(eq(regulatorEvidencePacks.referralId, referral.id))
    .orderBy(desc(regulatorEvidencePacks.generatedAt), desc(regulatorEvidencePacks.id));
  const [replyBy] = referral.replyRecordedById
    ? await db
        .select({ id: staff.id, displayName: staff.displayName })
        .from(staff)
        .where(eq(staff.id, referral.replyRecordedById))
    : [];

  return {
    referral,
    source: source!,
    customerName: customer?.name ?? '',
    ticket: { id: ticket.id, number: ticket.number, status: ticket.status },
    access,
    contactNumber: ticket.contactNumber,
    hints,
    clocks: { firstContact: clockOf(contactMetric(referral.id)), report: clockOf(reportMetric(referral.id)) },
    linkedTickets: links.filter((l) => readable.has(l.id)).map((l) => ({ ...l, status: String(l.status) })),
    replyBy: replyBy ?? null,
    packs: packs.map((p) => ({
      pack: p.pack,
      by: p.byId && p.byName ? { id: p.byId, displayName: p.byName } : null,
    })),
  };
}

/** The regulator's figures: appeals per month (of the day received) and category, from the view. */
export async function appealsByMonth(deps: Deps, actor: Actor, q: { from: string; to: string }) {
  assertReader(actor);
  const items = await deps.db
    .select()
    .from(regulatorAppealsMonthly)
    .where(and(gte(regulatorAppealsMonthly.month, q.from), lte(regulatorAppealsMonthly.month, q.to)))
    .orderBy(asc(regulatorAppealsMonthly.month), asc(regulatorAppealsMonthly.category));
  return { items };
}
