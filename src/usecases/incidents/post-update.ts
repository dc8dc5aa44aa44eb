import { and, eq, inArray } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import { isActiveIncident } from '../../core/incidents/incidents.js';
import { OPEN_STATUSES } from '../../core/tickets/state-machine.js';
import { incidentUpdates, tickets } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import {
  loadIncidentForUpdate,
  queueCustomerMessages,
  recordIncidentEvent,
  requireIncidentManager,
} from './incident-access.js';

/**
 * An update written once on the incident reaches every customer with an open linked ticket, on the
 * channel they reached us on, through the outbox at the rate limit (one message per customer).
 */
export async function postIncidentUpdate(
  deps: Deps,
  actor: Actor,
  id: string,
  body: string,
): Promise<{ recipients: number }> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    await requireIncidentManager(tx, actor);
    const incident = await loadIncidentForUpdate(tx, id);
    if (!isActiveIncident(incident.status))
      throw new AppError('incident.not_active', 'The incident is no longer active');
    const linked = await tx
      .select({
        customerId: tickets.customerId,
        ticketId: tickets.id,
        channel: tickets.channel,
        contactNumber: tickets.contactNumber,
      })
      .from(tickets)
      .where(and(eq(tickets.incidentId, id), inArray(tickets.status, [...OPEN_STATUSES])));
    const recipients = await queueCustomerMessages(
      tx,
      deps,
      linked,
      () => ({ kind: 'incident_update', incidentId: id, text: `【故障进展 ${incident.number}】${body}` }),
      now,
    );
    await tx
      .insert(incidentUpdates)
      .values({ id: uuidv7(), incidentId: id, body, recipients, createdById: actor.id, createdAt: now });
    await recordIncidentEvent(tx, {
      incidentId: id,
      actorId: actor.id,
      kind: 'update_posted',
      data: { recipients },
      at: now,
    });
    return { recipients };
  });
}
