import { eq } from 'drizzle-orm';
import { canAssign, canSupervise, WORKER_ROLES, type Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import { assertOpen, statusAfterAssignment } from '../../core/tickets/state-machine.js';
import { staff, teams, tickets } from '../../db/schema.js';
import { assertAssigneeCertified } from '../routing/certifications.js';
import { reserveCapacity } from './capacity.js';
import type { Deps } from '../deps.js';
import { loadTicketFor } from './load-ticket.js';
import { updateSla } from '../sla/sla-lifecycle.js';
import { placementNames } from './placement-names.js';
import { recordEvent } from './record-event.js';

/**
 * Sets the assignee and, optionally, the team. The first-contact owner never changes here:
 * responsibility stays with whoever took the contact, wherever the work goes.
 */
export async function assignTicket(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { assigneeId: string | null; teamId?: string | undefined; override?: boolean | undefined },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const { ticket, access } = await loadTicketFor(tx, actor, id, { forUpdate: true });
    if (!canAssign(actor, access, input.assigneeId)) {
      throw new AppError('auth.forbidden', 'Only supervisors assign others; you may take a ticket yourself');
    }
    assertOpen(ticket.status);
    let teamId = input.teamId ?? ticket.teamId;
    if (input.teamId) {
      const [team] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, input.teamId));
      if (!team) throw new AppError('ticket.unknown_reference', 'No such team', { field: 'teamId' });
    }
    if (input.assigneeId) {
      const [person] = await tx.select().from(staff).where(eq(staff.id, input.assigneeId));
      if (!person || !person.active || !WORKER_ROLES.includes(person.role)) {
        throw new AppError(
          'ticket.assignee_invalid',
          'The assignee must be an active agent, expert, supervisor or department member',
          {
            field: 'assigneeId',
          },
        );
      }
      // The one certification rule (VIP and urgent complaints, regulator cases): no override.
      if (input.assigneeId !== ticket.assigneeId) await assertAssigneeCertified(tx, ticket, input.assigneeId, now);
      // Without an explicit team the ticket follows its assignee's team.
      if (!input.teamId && person.teamId) teamId = person.teamId;
      if (input.assigneeId !== ticket.assigneeId)
        await reserveCapacity(tx, input.assigneeId, { override: input.override === true && canSupervise(actor) }, now);
    }
    if (input.assigneeId === ticket.assigneeId && teamId === ticket.teamId) return;

    const status = statusAfterAssignment(ticket.status, input.assigneeId !== null);
    // A contact that came in through a channel belongs to whoever takes it first (首问负责制).
    const firstContactOwnerId = ticket.firstContactOwnerId ?? input.assigneeId;
    await tx
      .update(tickets)
      .set({
        assigneeId: input.assigneeId,
        teamId,
        status,
        firstContactOwnerId,
        version: ticket.version + 1,
        updatedAt: now,
      })
      .where(eq(tickets.id, id));
    if (teamId !== ticket.teamId) await updateSla(tx, ticket, { milestone: 'handed_off' }, now);
    await recordEvent(tx, {
      ticketId: id,
      actorId: actor.id,
      kind: 'assigned',
      at: now,
      data: {
        before: { assigneeId: ticket.assigneeId, teamId: ticket.teamId, status: ticket.status },
        after: {
          assigneeId: input.assigneeId,
          teamId,
          status,
          ...(await placementNames(tx, { assigneeId: input.assigneeId, teamId }, teamId !== ticket.teamId)),
        },
        ...(ticket.firstContactOwnerId === null && firstContactOwnerId ? { firstContactOwnerId } : {}),
      },
    });
  });
}
