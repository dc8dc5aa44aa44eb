import type { z } from 'zod';
import { ticketAbilities } from '../core/auth/abilities.js';
import type { Actor, TicketAccessFacts } from '../core/auth/policy.js';
import { freeTextFor } from '../core/privacy/free-text.js';
import { maskPhone } from '../core/privacy/masking.js';
import { availableActions } from '../core/tickets/state-machine.js';
import type { Channel, CustomerTier, TicketStatus, TicketType } from '../core/tickets/types.js';
import type { FaultDetails, TicketSummary, TicketView } from '../contracts/tickets.js';

// What a staff member sees of a ticket. Everything depends on who is asking: the actions they
// may take now (`abilities`), and the free text, where numbers customers typed are masked for
// readers who may not reveal personal data.

/** The staff member a response is for. */
export type Viewer = Actor;

type Person = { id: string; displayName: string } | null;

/** A ticket as the use cases load it, with the facts its abilities depend on. */
export type TicketRecord = {
  ticket: {
    id: string;
    number: string;
    type: TicketType;
    grade: string;
    priority: number;
    status: TicketStatus;
    channel: Channel;
    subject: string;
    teamId: string | null;
    assigneeId: string | null;
    tags: string[];
    isRepeat: boolean;
    hasPublicReply: boolean;
    supportLevel: number;
    mergedIntoId: string | null;
    slaDueAt: Date | null;
    createdAt: Date;
    updatedAt: Date;
  };
  customer: { id: string; name: string; tier: CustomerTier };
  assignee: Person;
  owner: Person;
  access: TicketAccessFacts;
  openBlockingSubtasks: number;
  /** Whether the viewer holds the certifications this ticket needs (see `ticketAbilities`). */
  viewerCertified: boolean;
};

export type TicketDetailRecord = TicketRecord & {
  ticket: TicketRecord['ticket'] & {
    description: string;
    details: z.output<typeof FaultDetails>;
    contactNumber: string | null;
    reopenCount: number;
    version: number;
    resolvedAt: Date | null;
    closedAt: Date | null;
  };
  category: { id: string; code: string; nameZh: string; nameEn: string } | null;
  team: { id: string; name: string } | null;
  creator: Person;
  /** False when the ticket was merged into one this viewer may not read. */
  mergedIntoReadable: boolean;
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const ref = (r: Person) => (r?.id ? { id: r.id, displayName: r.displayName } : null);

export function presentTicketSummary(row: TicketRecord, viewer: Viewer): z.output<typeof TicketSummary> {
  const t = row.ticket;
  const text = freeTextFor(viewer);
  return {
    id: t.id,
    number: t.number,
    type: t.type,
    grade: t.grade,
    priority: t.priority,
    status: t.status,
    channel: t.channel,
    subject: text(t.subject),
    customer: { ...row.customer, name: text(row.customer.name) },
    teamId: t.teamId,
    assignee: ref(row.assignee),
    firstContactOwner: ref(row.owner),
    tags: t.tags,
    isRepeat: t.isRepeat,
    slaDueAt: iso(t.slaDueAt),
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    abilities: ticketAbilities(viewer, {
      access: row.access,
      status: t.status,
      hasPublicReply: t.hasPublicReply,
      openBlockingSubtasks: row.openBlockingSubtasks,
      supportLevel: t.supportLevel,
      mergedIntoId: t.mergedIntoId,
      viewerCertified: row.viewerCertified,
    }),
  };
}

/** The staff view of a ticket. Contact numbers are always masked here; reveal is a separate, logged action. */
export function presentTicket(row: TicketDetailRecord, viewer: Viewer): z.output<typeof TicketView> {
  const t = row.ticket;
  const text = freeTextFor(viewer);
  return {
    ...presentTicketSummary(row, viewer),
    description: text(t.description),
    category: row.category?.id ? row.category : null,
    details: {
      ...t.details,
      ...(t.details.location === undefined ? {} : { location: text(t.details.location) }),
      ...(t.details.symptom === undefined ? {} : { symptom: text(t.details.symptom) }),
    },
    contactNumber: t.contactNumber ? maskPhone(t.contactNumber) : null,
    team: row.team?.id ? { id: row.team.id, name: row.team.name } : null,
    createdBy: ref(row.creator),
    hasPublicReply: t.hasPublicReply,
    reopenCount: t.reopenCount,
    supportLevel: t.supportLevel,
    mergedIntoId: row.mergedIntoReadable ? t.mergedIntoId : null,
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
