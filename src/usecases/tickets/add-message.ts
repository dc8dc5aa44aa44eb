import { and, eq, inArray, ne } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { canAddInternalNote, canWorkTicket, type Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import { mentionedUsernames } from '../../core/tickets/mentions.js';
import type { Channel, MessageKind } from '../../core/tickets/types.js';
import { DEFAULT_MESSAGE_KIND } from '../../core/sla/milestones.js';
import { staff, ticketMessages, tickets } from '../../db/schema.js';
import { enqueueReply } from '../channels/outbound.js';
import type { Deps } from '../deps.js';
import { loadTicketFor } from './load-ticket.js';
import { updateSla } from '../sla/sla-lifecycle.js';
import { notifyStaff } from './notify.js';
import { recordEvent } from './record-event.js';
import { checkAgentReply } from '../quality/phrase-checks.js';

/** A public reply to the customer or an internal note. A public reply satisfies the closed-loop rule. */
export async function addMessage(
  deps: Deps,
  actor: Actor,
  ticketId: string,
  input: {
    visibility: 'public' | 'internal';
    body: string;
    format: 'text' | 'html';
    sendVia?: Channel | undefined;
    /** Public replies: what the message is (DEFAULT_MESSAGE_KIND when absent); it meets the clocks the policy says. */
    kind?: MessageKind | undefined;
  },
): Promise<string> {
  const now = deps.clock.now();
  const id = uuidv7();
  await deps.db.transaction(async (tx) => {
    const { ticket, access } = await loadTicketFor(tx, actor, ticketId, { forUpdate: true });
    const allowed = input.visibility === 'public' ? canWorkTicket(actor, access) : canAddInternalNote(actor, access);
    if (!allowed) {
      throw new AppError(
        'auth.forbidden',
        input.visibility === 'public' ? 'You cannot reply to this customer' : 'You cannot add notes here',
      );
    }
    if (ticket.status === 'closed') {
      throw new AppError('ticket.invalid_transition', 'A closed ticket takes no new messages; reopen it first');
    }
    // A public reply goes back to the customer through the outbox, in this same transaction.
    const sentVia =
      input.visibility === 'public'
        ? await enqueueReply(deps.db, tx, ticket, { id, body: input.body }, input.sendVia, now)
        : null;
    const kind = input.visibility === 'public' ? (input.kind ?? DEFAULT_MESSAGE_KIND) : null;
    await tx.insert(ticketMessages).values({
      id,
      ticketId,
      authorStaffId: actor.id,
      kind,
      visibility: input.visibility,
      channel: sentVia ?? ticket.channel,
      body: input.body,
      bodyFormat: input.format,
      createdAt: now,
    });
    await tx
      .update(tickets)
      .set({ updatedAt: now, ...(input.visibility === 'public' ? { hasPublicReply: true } : {}) })
      .where(eq(tickets.id, ticketId));
    if (input.visibility === 'public') {
      await updateSla(tx, ticket, { milestone: 'public_reply', messageKind: kind ?? DEFAULT_MESSAGE_KIND }, now);
      const reply = { messageId: id, ticketId, staffId: actor.id, body: input.body, format: input.format };
      await checkAgentReply(tx, deps.db, { ...reply, channel: sentVia ?? ticket.channel }, now);
    }
    await recordEvent(tx, {
      ticketId,
      actorId: actor.id,
      kind: 'message_added',
      at: now,
      data: { messageId: id, visibility: input.visibility, ...(input.visibility === 'public' ? { sentVia } : {}) },
    });
    // Colleagues mentioned in an internal note (@username) hear of it in their inbox.
    const mentioned = input.visibility === 'internal' ? mentionedUsernames(input.body) : [];
    if (mentioned.length > 0) {
      const [author] = await tx.select({ name: staff.displayName }).from(staff).where(eq(staff.id, actor.id));
      const people = await tx
        .select({ id: staff.id })
        .from(staff)
        .where(and(inArray(staff.username, mentioned), eq(staff.active, true), ne(staff.id, actor.id)));
      await notifyStaff(
        tx,
        people.map((p) => ({
          kind: 'note.mention' as const,
          recipientId: p.id,
          ticketId,
          payload: { messageId: id, number: ticket.number, by: author?.name ?? '' },
        })),
        now,
      );
    }
  });
  return id;
}
