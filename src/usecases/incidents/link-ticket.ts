import { eq } from 'drizzle-orm';
import { canWorkTicket, type Actor } from '../../core/auth/policy.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import { isActiveIncident } from '../../core/incidents/incidents.js';
import { incidents, tickets } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { loadTicketFor } from '../tickets/load-ticket.js';
import { recordEvent } from '../tickets/record-event.js';
import { applyTransition } from '../tickets/transition-ticket.js';
import { recordIncidentEvent } from './incident-access.js';

/** An agent links a ticket about the outage to an active incident by hand (no priority change). */
export async function linkTicketToIncident(
  deps: Deps,
  actor: Actor,
  incidentId: string,
  ticketId: string,
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const [incident] = await tx.select().from(incidents).where(eq(incidents.id, incidentId)).for('share');
    if (!incident) throw notFound('Incident');
    if (!isActiveIncident(incident.status))
      throw new AppError('incident.not_active', 'The incident is no longer active');
    const { ticket, access } = await loadTicketFor(tx, actor, ticketId, { forUpdate: true });
    if (!canWorkTicket(actor, access)) throw new AppError('auth.forbidden', 'You cannot change this ticket');
    if (ticket.incidentId === incidentId) return;
    await tx
      .update(tickets)
      .set({ incidentId, updatedAt: now, version: ticket.version + 1 })
      .where(eq(tickets.id, ticketId));
    await recordEvent(tx, {
      ticketId,
      actorId: actor.id,
      kind: 'incident_linked',
      at: now,
      data: { incidentId, incidentNumber: incident.number, by: 'manual' },
    });
    await recordIncidentEvent(tx, {
      incidentId,
      actorId: actor.id,
      kind: 'ticket_linked',
      data: { ticketId, number: ticket.number },
      at: now,
    });
  });
}

/**
 * Unlinks a ticket that turns out to be a different problem: it is no longer attributed to the
 * network, and when the incident's resolution had resolved it, it is reopened (the undo of the
 * bulk resolution for that one ticket).
 */
export async function unlinkTicketFromIncident(
  deps: Deps,
  actor: Actor,
  incidentId: string,
  ticketId: string,
): Promise<{ reopened: boolean }> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const [incident] = await tx.select().from(incidents).where(eq(incidents.id, incidentId)).for('share');
    if (!incident) throw notFound('Incident');
    const { ticket, access } = await loadTicketFor(tx, actor, ticketId, { forUpdate: true });
    if (!canWorkTicket(actor, access)) throw new AppError('auth.forbidden', 'You cannot change this ticket');
    if (ticket.incidentId !== incidentId)
      throw new AppError('incident.not_linked', 'The ticket is not linked to this incident');
    await tx
      .update(tickets)
      .set({ incidentId: null, updatedAt: now, version: ticket.version + 1 })
      .where(eq(tickets.id, ticketId));
    await recordEvent(tx, {
      ticketId,
      actorId: actor.id,
      kind: 'incident_unlinked',
      at: now,
      data: { incidentId, incidentNumber: incident.number },
    });
    const reopen = !isActiveIncident(incident.status) && (ticket.status === 'resolved' || ticket.status === 'closed');
    if (reopen)
      await applyTransition(
        tx,
        { ...ticket, incidentId: null, version: ticket.version + 1 },
        { action: 'reopen', note: `${incident.number}: a different problem` },
        { actorId: actor.id },
        now,
      );
    await recordIncidentEvent(tx, {
      incidentId,
      actorId: actor.id,
      kind: 'ticket_unlinked',
      data: { ticketId, number: ticket.number, reopened: reopen },
      at: now,
    });
    return { reopened: reopen };
  });
}
