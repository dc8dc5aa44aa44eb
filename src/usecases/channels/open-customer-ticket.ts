import { v7 as uuidv7 } from 'uuid';
import type { Channel, TicketType } from '../../core/tickets/types.js';
import type { Tx } from '../../db/client.js';
import type { Deps } from '../deps.js';
import { DEFAULT_APPLY_AT, suggestFromText } from '../tickets/classify.js';
import { insertNewTicket, routeNewTicket } from '../tickets/new-ticket.js';
import { recordEvents } from '../tickets/record-event.js';
import { subjectFromText } from '../../core/tickets/subject.js';

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
  const subject = input.subject?.trim() || subjectFromText(input.description);
  // A message nobody classified takes the suggestion from its words when it is sure enough.
  const suggested = input.type ? null : await confidentSuggestion(tx, deps, `${subject}\n${input.description}`);
  const type = input.type ?? suggested?.type.value ?? 'inquiry';
  const categoryId = input.categoryId ?? suggested?.categories[0]?.id ?? null;
  const grade = suggested?.grade.value ?? 'general';
  const { number, routed, facts } = await routeNewTicket(
    tx,
    deps,
    {
      customerId: input.customerId,
      type,
      categoryId,
      grade,
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
  const { ticket: created } = await insertNewTicket(tx, deps, row, routed, facts, { actorId: null }, now);
  if (suggested)
    await recordEvents(tx, [
      {
        ticketId: row.id,
        actorId: null,
        kind: 'classification_suggested',
        at: now,
        data: {
          type,
          categoryId,
          grade,
          confidence: suggested.confidence,
          cues: [
            ...new Set([...suggested.type.cues, ...(suggested.categories[0]?.keywords ?? []), ...suggested.grade.cues]),
          ],
        },
      },
    ]);
  return created;
}

async function confidentSuggestion(tx: Tx, deps: Deps, text: string) {
  const suggestion = await suggestFromText(tx, deps, text);
  const applyAt = deps.classifyApplyAt ?? DEFAULT_APPLY_AT;
  // 1 means never: a suggestion is a guess, however sure.
  return suggestion && applyAt < 1 && suggestion.confidence >= applyAt && suggestion.categories[0] ? suggestion : null;
}
