import { and, asc, count, eq, inArray, isNull } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import { assertIncidentMove, type IncidentStatus } from '../../core/incidents/incidents.js';
import { applyActions } from '../../core/tickets/actions.js';
import { OPEN_STATUSES } from '../../core/tickets/state-machine.js';
import { missingCertifications } from '../../core/routing/assignment.js';
import type { CustomerTier, Priority } from '../../core/tickets/types.js';
import type { Tx } from '../../db/client.js';
import { customers, incidentNotices, incidents, subtasks, ticketMessages, tickets } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { updateSla } from '../sla/sla-lifecycle.js';
import { priorityWeightsOf } from '../admin/settings.js';
import { validCertificationsOf } from '../routing/certifications.js';
import type { TicketRow } from '../tickets/load-ticket.js';
import { placementNames } from '../tickets/placement-names.js';
import { recordEvent } from '../tickets/record-event.js';
import { applyTransition } from '../tickets/transition-ticket.js';
import {
  loadIncidentForUpdate,
  queueCustomerMessages,
  recordIncidentEvent,
  requireIncidentManager,
  type IncidentRow,
} from './incident-access.js';

export type ResolveOutcome = { resolved: number; skipped: number; told: number; awaitingSpecialist: number };

/**
 * Moves an incident to its next stage (the core says which moves are legal). Resolving needs the
 * resolution note and resolves every open linked ticket with it, telling each customer once — one
 * transaction under the incident's row lock, so a second node resolving at the same moment waits,
 * then finds the incident resolved and is refused (`incident.invalid_transition`).
 */
export async function moveIncident(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { status: IncidentStatus; note?: string | undefined },
): Promise<ResolveOutcome | null> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    await requireIncidentManager(tx, actor);
    const incident = await loadIncidentForUpdate(tx, id);
    assertIncidentMove(incident.status, input.status);
    if (input.status === 'reviewed')
      throw new AppError('incident.review_not_ready', 'Write the review (lessons learnt) to mark it reviewed');
    const note = input.note?.trim();
    if (input.status === 'resolved' && !note)
      throw new AppError('request.invalid', 'Say how the incident was resolved: every linked customer is told', {
        field: 'note',
      });
    await tx
      .update(incidents)
      .set({
        status: input.status,
        updatedAt: now,
        version: incident.version + 1,
        ...(input.status === 'resolved' ? { restoredAt: now, resolutionNote: note } : {}),
      })
      .where(eq(incidents.id, id));
    const outcome =
      input.status === 'resolved' ? await resolveLinkedTickets(tx, deps, actor, incident, note!, now) : null;
    await recordIncidentEvent(tx, {
      incidentId: id,
      actorId: actor.id,
      kind: 'status_changed',
      data: { from: incident.status, to: input.status, ...(note ? { note } : {}), ...(outcome ?? {}) },
      at: now,
    });
    return outcome;
  });
}

/**
 * Every open linked ticket: the resolution as a public reply, a ticket nobody holds given to its
 * first-contact owner (or the person resolving), then resolved. A ticket waiting on blocking
 * department work stays open (skipped). Each customer is told once, at the rate limit.
 *
 * Giving a ticket to someone follows the one certification rule (core/routing/assignment.ts): a
 * ticket nobody holds goes to its first-contact owner if they may hold it, else to the person
 * resolving if they may; when neither may (a VIP complaint, neither a specialist), the customer is
 * still told, and the ticket stays open and unassigned in its queue for a certified specialist
 * (`awaitingSpecialist`).
 */
async function resolveLinkedTickets(
  tx: Tx,
  deps: Deps,
  actor: Actor,
  incident: IncidentRow,
  note: string,
  now: Date,
): Promise<ResolveOutcome> {
  const linked = await tx
    .select({ t: tickets, tier: customers.tier })
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .where(and(eq(tickets.incidentId, incident.id), inArray(tickets.status, [...OPEN_STATUSES])))
    .orderBy(asc(tickets.id))
    .for('update', { of: tickets });
  const weights = await priorityWeightsOf(tx, deps);
  let resolved = 0;
  let skipped = 0;
  let awaitingSpecialist = 0;
  const held = new Map<string, Set<string>>();
  const mayHold = async (staffId: string, t: TicketRow, tier: CustomerTier) => {
    let codes = held.get(staffId);
    if (!codes) held.set(staffId, (codes = await validCertificationsOf(tx, staffId, now)));
    return (
      missingCertifications({ type: t.type, grade: t.grade, channel: t.channel, customerTier: tier }, codes).length ===
      0
    );
  };
  const told: {
    customerId: string;
    ticketId: string;
    channel: (typeof linked)[number]['t']['channel'];
    contactNumber: string | null;
  }[] = [];
  for (const { t, tier } of linked) {
    const [blocking] = await tx
      .select({ n: count() })
      .from(subtasks)
      .where(and(eq(subtasks.ticketId, t.id), eq(subtasks.blocking, true), eq(subtasks.status, 'open')));
    if ((blocking?.n ?? 0) > 0) {
      skipped++;
      continue;
    }
    let ticket = t;
    let holder: string | null = null;
    if (ticket.assigneeId === null)
      for (const candidate of [ticket.firstContactOwnerId, actor.id])
        if (candidate !== null && (await mayHold(candidate, ticket, tier))) {
          holder = candidate;
          break;
        }
    if (ticket.assigneeId === null && holder !== null) {
      const { ticket: after } = applyActions(
        { ...ticket, priority: ticket.priority as Priority, details: ticket.details },
        [{ kind: 'assign', assigneeId: holder }],
        { tier, weights },
      );
      await tx
        .update(tickets)
        .set({
          assigneeId: after.assigneeId,
          status: after.status,
          firstContactOwnerId: ticket.firstContactOwnerId ?? holder,
        })
        .where(eq(tickets.id, ticket.id));
      await recordEvent(tx, {
        ticketId: ticket.id,
        actorId: actor.id,
        kind: 'assigned',
        at: now,
        data: {
          before: { assigneeId: null, teamId: ticket.teamId, status: ticket.status },
          after: {
            assigneeId: after.assigneeId,
            teamId: after.teamId,
            status: after.status,
            ...(await placementNames(tx, after, after.teamId !== ticket.teamId)),
          },
          ...(ticket.firstContactOwnerId ? {} : { firstContactOwnerId: holder }),
        },
      });
      ticket = {
        ...ticket,
        assigneeId: after.assigneeId,
        status: after.status,
        firstContactOwnerId: ticket.firstContactOwnerId ?? holder,
      };
    }
    const messageId = uuidv7();
    await tx.insert(ticketMessages).values({
      id: messageId,
      ticketId: ticket.id,
      authorStaffId: actor.id,
      visibility: 'public',
      channel: ticket.channel,
      body: note,
      createdAt: now,
    });
    await tx.update(tickets).set({ hasPublicReply: true, updatedAt: now }).where(eq(tickets.id, ticket.id));
    if (!ticket.hasPublicReply) await updateSla(tx, ticket, { milestone: 'public_reply' }, now);
    await recordEvent(tx, {
      ticketId: ticket.id,
      actorId: actor.id,
      kind: 'message_added',
      at: now,
      data: { messageId, visibility: 'public', sentVia: null },
    });
    told.push({
      customerId: ticket.customerId,
      ticketId: ticket.id,
      channel: ticket.channel,
      contactNumber: ticket.contactNumber,
    });
    if (ticket.assigneeId === null) {
      awaitingSpecialist++;
      continue;
    }
    await applyTransition(
      tx,
      { ...ticket, hasPublicReply: true },
      { action: 'resolve', note: `${incident.number}` },
      { actorId: actor.id },
      now,
      deps.surveys,
    );
    resolved++;
  }
  const sent = await queueCustomerMessages(
    tx,
    deps,
    told,
    () => ({ kind: 'incident_update', incidentId: incident.id, text: `【故障已恢复 ${incident.number}】${note}` }),
    now,
  );
  // Customers told here on their ticket need no restoration notice from the notice job.
  const toldIds = [...new Set(told.map((t) => t.customerId))];
  for (let i = 0; i < toldIds.length; i += 500)
    await tx
      .update(incidentNotices)
      .set({ restoredAt: now })
      .where(
        and(
          eq(incidentNotices.incidentId, incident.id),
          inArray(incidentNotices.customerId, toldIds.slice(i, i + 500)),
          isNull(incidentNotices.restoredAt),
        ),
      );
  return { resolved, skipped, told: sent, awaitingSpecialist };
}
