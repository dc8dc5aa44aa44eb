import { v7 as uuidv7 } from 'uuid';
import type { Channel, TicketType } from '../../core/tickets/types.js';
import type { Tx } from '../../db/client.js';
import type { Deps } from '../deps.js';
import { insertNewTicket, routeNewTicket } from '../tickets/new-ticket.js';

const SUBJECT_LENGTH = 40;

export type CustomerTicketInput = {
  /** Given when the caller already claimed an idempotency key for this id. */
  id?: string;
  channel: Channel;
  customerId: string;
  /** Until an agent classifies it, a message is an inquiry of the lowest grade. */
  type?: TicketType;
  categoryId?: string | null;
  subject?: string;
  description: string;
  contactNumber?: string | null;
};

/**
 * A ticket the customer opened themselves (a channel message, the portal, an email): nobody owns it
 * yet — whoever takes it first becomes its first-contact owner. The routing rules see its words, so
 * a message that mentions 工信部 goes straight to the supervisors.
 */
export async function openCustomerTicket(tx: Tx, deps: Deps, input: CustomerTicketInput, now: Date) {
  const type = input.type ?? 'inquiry';
  const subject = input.subject?.trim() || input.description.replace(/\s+/g, ' ').trim().slice(0, SUBJECT_LENGTH);
  const categoryId = input.categoryId ?? null;
  const { number, routed, facts } = await routeNewTicket(
    tx,
    deps,
    {
      customerId: input.customerId,
      type,
      categoryId,
      grade: 'general',
      channel: input.channel,
      tags: [],
      subject,
      description: input.description,
    },
    now,
  );
  const row = {
    id: input.id ?? uuidv7(),
    number,
    type,
    categoryId,
    grade: routed.grade,
    priority: routed.priority,
    tags: routed.tags,
    teamId: routed.teamId,
    slaPolicyHint: routed.slaPolicyHint,
    status: 'new' as const,
    channel: input.channel,
    subject,
    description: input.description,
    contactNumber: input.contactNumber ?? null,
    customerId: input.customerId,
    searchText: deps.indexText(`${subject} ${input.description}`),
    createdAt: now,
    updatedAt: now,
  };
  return insertNewTicket(tx, deps, row, routed, facts, { actorId: null }, now);
}
