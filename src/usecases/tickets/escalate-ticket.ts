import { eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { canWorkTicket, type Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import { applyActions } from '../../core/tickets/actions.js';
import { assertOpen, statusAfterHandoff } from '../../core/tickets/state-machine.js';
import type { Tx } from '../../db/client.js';
import { staff, teams, ticketMessages, tickets } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { updateSla } from '../sla/sla-lifecycle.js';
import { loadTicketFor } from './load-ticket.js';
import { reserveCapacity } from './capacity.js';
import { assertAssigneeCertified } from '../routing/certifications.js';
import { recordEvent } from './record-event.js';
import { checkActiveStaff } from './references.js';
import { actionTicketOf, changedColumns, customerTierOf } from './ticket-actions.js';
import { findTier2Team } from './tier2-team.js';
import { priorityWeightsOf } from '../admin/settings.js';

/**
 * One-click escalation from tier 1 to tier 2 (an expert queue, or a named expert). The handoff
 * note is mandatory and kept as an internal note; the first-contact owner stays accountable.
 */
export async function escalateTicket(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { note: string; teamId?: string | undefined; assigneeId?: string | undefined },
) {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const { ticket, access } = await loadTicketFor(tx, actor, id, { forUpdate: true });
    if (!canWorkTicket(actor, access)) throw new AppError('auth.forbidden', 'You cannot escalate this ticket');
    assertOpen(ticket.status);
    if (ticket.supportLevel >= 2) throw new AppError('ticket.already_escalated', 'The ticket is already with tier 2');
    const [team] = input.teamId
      ? await tx.select({ id: teams.id, name: teams.name }).from(teams).where(eq(teams.id, input.teamId))
      : [await findTier2Team(tx)];
    if (!team)
      throw new AppError(
        'ticket.unknown_reference',
        input.teamId ? 'No such team' : 'There is no expert (tier 2) team to escalate to',
        { field: 'teamId' },
      );
    if (input.assigneeId) {
      await checkActiveStaff(tx, input.assigneeId);
      await assertAssigneeCertified(tx, ticket, input.assigneeId, now);
      await reserveCapacity(tx, input.assigneeId, { override: false }, now);
    }
    const assigneeId = input.assigneeId ?? null;
    const moved = applyActions(
      actionTicketOf(ticket),
      [
        { kind: 'move_to_queue', teamId: team.id, tier2: true },
        { kind: 'assign', assigneeId },
      ],
      { tier: await customerTierOf(tx, ticket.customerId), weights: await priorityWeightsOf(tx, deps) },
    );
    const status = moved.ticket.status;
    await tx
      .update(tickets)
      .set({ ...changedColumns(moved), version: ticket.version + 1, updatedAt: now })
      .where(eq(tickets.id, id));
    await handoffNote(tx, id, actor.id, ticket.channel, `【升级至二线】${input.note}`, now);
    await updateSla(tx, ticket, { status: { from: ticket.status, to: status }, milestone: 'handed_off' }, now);
    await recordEvent(tx, {
      ticketId: id,
      actorId: actor.id,
      kind: 'escalated',
      at: now,
      data: {
        note: input.note,
        before: { teamId: ticket.teamId, assigneeId: ticket.assigneeId, supportLevel: 1 },
        after: { teamId: team.id, teamName: team.name, assigneeId, supportLevel: 2 },
      },
    });
  });
}

/** Back to tier 1: to the first-contact owner, with a note on what tier 2 found. */
export async function deEscalateTicket(deps: Deps, actor: Actor, id: string, input: { note: string }) {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const { ticket, access } = await loadTicketFor(tx, actor, id, { forUpdate: true });
    if (!canWorkTicket(actor, access)) throw new AppError('auth.forbidden', 'You cannot change this ticket');
    assertOpen(ticket.status);
    if (ticket.supportLevel < 2) throw new AppError('ticket.not_escalated', 'The ticket is not with tier 2');
    const [owner] = ticket.firstContactOwnerId
      ? await tx
          .select({ id: staff.id, teamId: staff.teamId })
          .from(staff)
          .where(eq(staff.id, ticket.firstContactOwnerId))
      : [];
    const assigneeId = owner?.id ?? null;
    const status = statusAfterHandoff(ticket.status, assigneeId !== null);
    await tx
      .update(tickets)
      .set({
        teamId: owner?.teamId ?? ticket.teamId,
        assigneeId,
        status,
        supportLevel: 1,
        version: ticket.version + 1,
        updatedAt: now,
      })
      .where(eq(tickets.id, id));
    await handoffNote(tx, id, actor.id, ticket.channel, `【退回一线】${input.note}`, now);
    await recordEvent(tx, {
      ticketId: id,
      actorId: actor.id,
      kind: 'de_escalated',
      at: now,
      data: {
        note: input.note,
        before: { teamId: ticket.teamId, assigneeId: ticket.assigneeId, supportLevel: ticket.supportLevel },
        after: { teamId: owner?.teamId ?? ticket.teamId, assigneeId, supportLevel: 1 },
      },
    });
  });
}

async function handoffNote(
  tx: Tx,
  ticketId: string,
  authorId: string,
  channel: typeof tickets.$inferSelect.channel,
  body: string,
  now: Date,
) {
  await tx
    .insert(ticketMessages)
    .values({ id: uuidv7(), ticketId, authorStaffId: authorId, visibility: 'internal', channel, body, createdAt: now });
}
