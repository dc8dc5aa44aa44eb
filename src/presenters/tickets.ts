import type { z } from 'zod';
import { availableActions } from '../core/tickets/state-machine.js';
import { maskPhone } from '../core/privacy/masking.js';
import type { TicketSummary, TicketView } from '../contracts/tickets.js';
import type { TicketDetail } from '../usecases/tickets/load-ticket.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const ref = (r: { id: string | null; displayName: string | null } | null) =>
  r?.id && r.displayName !== null ? { id: r.id, displayName: r.displayName } : null;

export function presentTicketSummary(row: {
  ticket: TicketDetail['ticket'];
  customer: TicketDetail['customer'];
  assignee: TicketDetail['assignee'];
  owner: TicketDetail['owner'];
}): z.output<typeof TicketSummary> {
  const t = row.ticket;
  return {
    id: t.id,
    number: t.number,
    type: t.type,
    grade: t.grade,
    priority: t.priority,
    status: t.status,
    channel: t.channel,
    subject: t.subject,
    customer: row.customer,
    teamId: t.teamId,
    assignee: ref(row.assignee),
    firstContactOwner: ref(row.owner),
    tags: t.tags,
    isRepeat: t.isRepeat,
    slaDueAt: iso(t.slaDueAt),
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}

/** The staff view of a ticket. Contact numbers are always masked here; reveal is a separate, logged action. */
export function presentTicket(row: TicketDetail): z.output<typeof TicketView> {
  const t = row.ticket;
  return {
    ...presentTicketSummary(row),
    description: t.description,
    category: row.category?.id ? row.category : null,
    details: t.details,
    contactNumber: t.contactNumber ? maskPhone(t.contactNumber) : null,
    team: row.team?.id && row.team.name ? { id: row.team.id, name: row.team.name } : null,
    createdBy: ref(row.creator),
    hasPublicReply: t.hasPublicReply,
    reopenCount: t.reopenCount,
    supportLevel: t.supportLevel,
    mergedIntoId: t.mergedIntoId,
    openBlockingSubtasks: row.openBlockingSubtasks,
    version: t.version,
    resolvedAt: iso(t.resolvedAt),
    closedAt: iso(t.closedAt),
    availableActions: availableActions({
      status: t.status,
      hasAssignee: t.assigneeId !== null,
      hasPublicReply: t.hasPublicReply,
      openBlockingSubtasks: row.openBlockingSubtasks,
    }),
  };
}
