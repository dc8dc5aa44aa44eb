import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { stringify } from 'csv-stringify/sync';
import { v7 as uuidv7 } from 'uuid';
import {
  canApproveRemedy,
  canGrantRemedy,
  canManageIncidents,
  canReadCustomers,
  type Actor,
} from '../../core/auth/policy.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import {
  REMEDY_UNITS,
  assertCanDecideRemedy,
  remedyStatusOnGrant,
  type RemedyKind,
} from '../../core/incidents/incidents.js';
import type { DbOrTx } from '../../db/client.js';
import { customerNumbers, customers, incidentRemedies, incidents, staff, tickets } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { recordEvents } from '../tickets/record-event.js';
import { incidentSettings, networkOpsTeamId, recordIncidentEvent } from './incident-access.js';

// Remedies (补偿, issue 17): a data pack or a fee waiver granted to a customer for an incident,
// one customer at a time or to every customer with a linked ticket. At or below the threshold it
// is approved at once; above it a supervisor other than the grantor approves it (four eyes, core).
// Recorded on the incident, on the customer and on the ticket's timeline; approved remedies are
// exported as CSV for billing.

export type RemedyGrant = {
  kind: RemedyKind;
  amount: number;
  note: string;
  customerId?: string | undefined;
  ticketId?: string | undefined;
};

/** Grants a remedy to one customer, or to every customer with a linked ticket. Returns how many, and how many wait. */
export async function grantRemedies(
  deps: Deps,
  actor: Actor,
  incidentId: string,
  input: RemedyGrant,
): Promise<{ granted: number; pendingApproval: number }> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    if (!canGrantRemedy(actor, await networkOpsTeamId(tx)))
      throw new AppError('auth.forbidden', 'You may not grant remedies');
    const [incident] = await tx
      .select({ id: incidents.id, number: incidents.number, status: incidents.status })
      .from(incidents)
      .where(eq(incidents.id, incidentId))
      .for('share');
    if (!incident) throw notFound('Incident');
    if (incident.status === 'reviewed')
      throw new AppError('incident.not_active', 'The incident is reviewed: no more remedies on it');
    // One row per customer: their chosen ticket, else their latest linked ticket.
    let targets: { customerId: string; ticketId: string | null }[];
    if (input.customerId) {
      const ticketId = input.ticketId ?? null;
      if (ticketId) {
        const [t] = await tx.select({ customerId: tickets.customerId }).from(tickets).where(eq(tickets.id, ticketId));
        if (!t || t.customerId !== input.customerId)
          throw new AppError('request.invalid', 'The ticket is not one of this customer’s', { field: 'ticketId' });
      }
      const [c] = await tx.select({ id: customers.id }).from(customers).where(eq(customers.id, input.customerId));
      if (!c) throw notFound('Customer');
      const linked = ticketId
        ? null
        : await tx
            .select({ id: tickets.id })
            .from(tickets)
            .where(and(eq(tickets.incidentId, incidentId), eq(tickets.customerId, input.customerId)))
            .orderBy(desc(tickets.createdAt))
            .limit(1);
      targets = [{ customerId: input.customerId, ticketId: ticketId ?? linked?.[0]?.id ?? null }];
    } else {
      if (input.ticketId)
        throw new AppError('request.invalid', 'Name the customer of the ticket', { field: 'customerId' });
      targets = await tx
        .selectDistinctOn([tickets.customerId], { customerId: tickets.customerId, ticketId: tickets.id })
        .from(tickets)
        .where(eq(tickets.incidentId, incidentId))
        .orderBy(asc(tickets.customerId), desc(tickets.createdAt));
      if (targets.length === 0)
        throw new AppError('incident.no_customers', 'No customer has a ticket linked to this incident yet');
    }
    const status = remedyStatusOnGrant(input.kind, input.amount, incidentSettings(deps).remedyThresholds);
    const rows = targets.map((t) => ({
      id: uuidv7(),
      incidentId,
      customerId: t.customerId,
      ticketId: t.ticketId,
      kind: input.kind,
      amount: input.amount,
      unit: REMEDY_UNITS[input.kind],
      status,
      note: input.note,
      grantedById: actor.id,
      createdAt: now,
      ...(status === 'approved' ? { decidedAt: now } : {}),
    }));
    for (let i = 0; i < rows.length; i += 500) await tx.insert(incidentRemedies).values(rows.slice(i, i + 500));
    await recordEvents(
      tx,
      rows
        .filter((r) => r.ticketId !== null)
        .map((r) => ({
          ticketId: r.ticketId!,
          actorId: actor.id,
          kind: 'remedy_granted' as const,
          at: now,
          data: {
            incidentId,
            incidentNumber: incident.number,
            remedyId: r.id,
            kind: r.kind,
            amount: r.amount,
            unit: r.unit,
            status: status === 'approved' ? ('approved' as const) : ('pending_approval' as const),
          },
        })),
    );
    await recordIncidentEvent(tx, {
      incidentId,
      actorId: actor.id,
      kind: 'remedy_granted',
      data: { kind: input.kind, amount: input.amount, unit: REMEDY_UNITS[input.kind], customers: rows.length, status },
      at: now,
    });
    return { granted: rows.length, pendingApproval: status === 'pending_approval' ? rows.length : 0 };
  });
}

/**
 * A supervisor other than the grantor approves or rejects remedies above the threshold: one, or
 * several at once (a bulk grant waits as one row per customer). All or none: one that is not
 * waiting, or that this supervisor granted, refuses the whole decision.
 */
export async function decideRemedies(
  deps: Deps,
  actor: Actor,
  incidentId: string,
  remedyIds: readonly string[],
  approve: boolean,
): Promise<{ decided: number }> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    if (!canApproveRemedy(actor)) throw new AppError('auth.forbidden', 'Only supervisors approve remedies');
    const ids = [...new Set(remedyIds)];
    const remedies = await tx
      .select()
      .from(incidentRemedies)
      .where(and(inArray(incidentRemedies.id, ids), eq(incidentRemedies.incidentId, incidentId)))
      .orderBy(asc(incidentRemedies.id))
      .for('update');
    if (remedies.length !== ids.length) throw notFound('Remedy');
    for (const remedy of remedies) assertCanDecideRemedy(remedy, actor.id);
    const status = approve ? 'approved' : 'rejected';
    for (let i = 0; i < ids.length; i += 1000)
      await tx
        .update(incidentRemedies)
        .set({ status, decidedById: actor.id, decidedAt: now })
        .where(inArray(incidentRemedies.id, ids.slice(i, i + 1000)));
    const first = remedies[0]!;
    await recordIncidentEvent(tx, {
      incidentId,
      actorId: actor.id,
      kind: 'remedy_decided',
      data: {
        ...(ids.length === 1 ? { remedyId: first.id } : { remedies: ids.length }),
        approved: approve,
        kind: first.kind,
        amount: first.amount,
        unit: first.unit,
      },
      at: now,
    });
    return { decided: ids.length };
  });
}

async function remedyRows(db: DbOrTx, incidentId: string, only?: 'approved') {
  const granter = alias(staff, 'granter');
  const decider = alias(staff, 'decider');
  return db
    .select({
      r: incidentRemedies,
      incidentNumber: incidents.number,
      customerName: customers.name,
      msisdn: sql<
        string | null
      >`(select ${customerNumbers.msisdn} from ${customerNumbers} where ${customerNumbers.customerId} = ${incidentRemedies.customerId} order by ${customerNumbers.position}, ${customerNumbers.msisdn} limit 1)`,
      ticketNumber: tickets.number,
      granter: granter.displayName,
      decider: decider.displayName,
    })
    .from(incidentRemedies)
    .innerJoin(incidents, eq(incidents.id, incidentRemedies.incidentId))
    .leftJoin(customers, eq(customers.id, incidentRemedies.customerId))
    .leftJoin(tickets, eq(tickets.id, incidentRemedies.ticketId))
    .leftJoin(granter, eq(granter.id, incidentRemedies.grantedById))
    .leftJoin(decider, eq(decider.id, incidentRemedies.decidedById))
    .where(
      and(eq(incidentRemedies.incidentId, incidentId), only ? inArray(incidentRemedies.status, [only]) : undefined),
    )
    .orderBy(asc(incidentRemedies.createdAt), asc(incidentRemedies.id));
}

/** Every remedy of an incident (staff who may grant them read them). */
export async function listRemedies(deps: Deps, actor: Actor, incidentId: string) {
  if (!canGrantRemedy(actor, await networkOpsTeamId(deps.db)))
    throw new AppError('auth.forbidden', 'You may not read remedies');
  const rows = await remedyRows(deps.db, incidentId);
  return rows.map(({ r, customerName, granter: g, decider: d }) => ({
    id: r.id,
    customerId: r.customerId,
    customerName,
    ticketId: r.ticketId,
    kind: r.kind,
    amount: r.amount,
    unit: r.unit,
    status: r.status,
    note: r.note,
    grantedBy: g !== null ? { id: r.grantedById, displayName: g } : null,
    decidedBy: r.decidedById && d !== null ? { id: r.decidedById, displayName: d } : null,
    createdAt: r.createdAt.toISOString(),
    canDecide: r.status === 'pending_approval' && canApproveRemedy(actor) && r.grantedById !== actor.id,
  }));
}

/** The remedies granted to one customer, newest first, with their incident (staff who read customers). */
export async function listCustomerRemedies(deps: Deps, actor: Actor, customerId: string) {
  if (!canReadCustomers(actor)) throw new AppError('auth.forbidden', 'Your role cannot look up customers');
  const [customer] = await deps.db.select({ id: customers.id }).from(customers).where(eq(customers.id, customerId));
  if (!customer) throw notFound('Customer');
  const rows = await deps.db
    .select({ r: incidentRemedies, incidentNumber: incidents.number })
    .from(incidentRemedies)
    .innerJoin(incidents, eq(incidents.id, incidentRemedies.incidentId))
    .where(eq(incidentRemedies.customerId, customerId))
    .orderBy(desc(incidentRemedies.createdAt), desc(incidentRemedies.id));
  return rows.map(({ r, incidentNumber }) => ({
    id: r.id,
    kind: r.kind,
    amount: r.amount,
    unit: r.unit,
    status: r.status,
    incident: { id: r.incidentId, number: incidentNumber },
    ticketId: r.ticketId,
    createdAt: r.createdAt.toISOString(),
  }));
}

/** The approved remedies of an incident as CSV for billing (network operations and supervisors). */
export async function remediesCsv(
  deps: Deps,
  actor: Actor,
  incidentId: string,
): Promise<{ fileName: string; csv: string }> {
  if (!canManageIncidents(actor, await networkOpsTeamId(deps.db)))
    throw new AppError('auth.forbidden', 'Only network operations and supervisors export remedies');
  const [incident] = await deps.db
    .select({ number: incidents.number })
    .from(incidents)
    .where(eq(incidents.id, incidentId));
  if (!incident) throw notFound('Incident');
  const rows = await remedyRows(deps.db, incidentId, 'approved');
  const csv = stringify(
    rows.map(({ r, incidentNumber, customerName, msisdn, ticketNumber, granter, decider }) => [
      incidentNumber,
      r.customerId,
      customerName ?? '',
      msisdn ?? '',
      ticketNumber ?? '',
      r.kind,
      r.amount,
      r.unit,
      r.note,
      granter ?? '',
      decider ?? '',
      r.createdAt.toISOString(),
      r.decidedAt?.toISOString() ?? '',
    ]),
    {
      header: true,
      columns: [
        'incident',
        'customer_id',
        'customer_name',
        'msisdn',
        'ticket',
        'kind',
        'amount',
        'unit',
        'note',
        'granted_by',
        'approved_by',
        'granted_at',
        'approved_at',
      ],
    },
  );
  // A byte-order mark, so that spreadsheet programs read the Chinese names as UTF-8.
  return { fileName: `remedies-${incident.number}.csv`, csv: `\uFEFF${csv}` };
}
