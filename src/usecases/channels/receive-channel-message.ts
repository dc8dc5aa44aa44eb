import { and, desc, eq, gt, inArray } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import { OPEN_STATUSES } from '../../core/tickets/state-machine.js';
import type { InboundMessage, WebhookChannel } from '../../contracts/channels.js';
import { ticketMessages, tickets } from '../../db/schema.js';
import { normaliseMsisdn } from '../customers/customers.js';
import { findOrCreateCustomer } from '../customers/find-or-create-customer.js';
import type { Deps } from '../deps.js';
import { noteCustomerAnswer } from '../tickets/customer-answer.js';
import { recordEvent } from '../tickets/record-event.js';
import { claimSenderMessageId, settleClaim, type EarlierClaim } from './message-claims.js';
import { readSmsSurveyReply } from '../../core/surveys/rules.js';
import { answerSurveyBySms, optOutOfSurveys, surveySettingsOf } from '../surveys/surveys.js';
import { recordConsent } from '../privacy/file-privacy-request.js';
import { openCustomerTicket } from './open-customer-ticket.js';
import { screenCustomerMessage } from '../quality/phrase-checks.js';
import { readConfirmationReply, type ConfirmationAnswer } from '../../core/tickets/confirmation.js';
import { segmentWords } from '../../text/segmenter.js';
import { applyCustomerAnswer } from '../tickets/transition-ticket.js';

/** A customer writing again within this window about an open ticket continues that ticket. */
export const THREAD_WINDOW_MS = 7 * 86_400_000;

type Result = {
  ticketId: string | null;
  ticketNumber: string | null;
  messageId: string | null;
  created: boolean;
  duplicate: boolean;
  survey?: 'answered' | 'opted_out';
  confirmation?: ConfirmationAnswer;
};

/**
 * Turns one inbound channel message into a public customer message on the customer's open ticket
 * from this channel, or into a new ticket. The sender's message id is claimed first, in the same
 * transaction: a concurrent redelivery waits for it and then finds it, so nothing is duplicated,
 * and nothing is acknowledged before it is committed.
 */
export async function receiveChannelMessage(
  deps: Deps,
  channel: WebhookChannel,
  input: z.output<typeof InboundMessage>,
): Promise<Result> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const claim = await claimSenderMessageId(tx, { channel, externalId: input.messageId, direction: 'in' }, now);
    if ('earlier' in claim) return replay(claim.earlier);
    const messageId = uuidv7();

    const msisdn = input.from.msisdn ? normaliseMsisdn(input.from.msisdn) : undefined;
    const identity = input.from.openId ? { channel, externalUserId: input.from.openId } : undefined;
    const customerId = await findOrCreateCustomer(tx, { msisdn, identity }, input.from.name, now);

    // An SMS that is only a number answers the newest question pending for that number that it
    // fits (a CSAT digit 1–5, or 0–10 to the NPS question asked after it); "TD" / "退订" opts the
    // number out. Anything else (or a number no pending question takes) is an ordinary message.
    const surveyReply = channel === 'sms' && msisdn ? readSmsSurveyReply(input.text) : { kind: 'message' as const };
    if (msisdn && surveyReply.kind === 'opt_out') {
      await optOutOfSurveys(tx, msisdn, now);
      // 退订 withdraws the customer's consent to surveys and to marketing (PIPL; SMS rules 2026).
      for (const purpose of ['surveys', 'marketing'] as const)
        await recordConsent(tx, now, customerId, purpose, false, { via: 'sms' });
      await settleClaim(tx, claim.claimId, { customerId, direction: 'survey' });
      return surveyResult(null, null, 'opted_out', false);
    }
    if (msisdn && surveyReply.kind === 'score') {
      const answered = await answerSurveyBySms(tx, surveySettingsOf(deps), msisdn, surveyReply.value, now);
      if (answered) {
        await settleClaim(tx, claim.claimId, { customerId, ticketId: answered.ticketId, direction: 'survey' });
        const [t] = await tx.select({ number: tickets.number }).from(tickets).where(eq(tickets.id, answered.ticketId));
        return surveyResult(answered.ticketId, t?.number ?? null, 'answered', false);
      }
    }
    // Closed loop: words such as 已解决 / 未解决 (never a lone number, which is a survey score) answer
    // the number's newest resolved ticket awaiting confirmation — solved closes it, not solved
    // reopens it; the text stays on the ticket as the customer's message.
    const confirmation = channel === 'sms' ? readConfirmationReply(segmentWords(input.text)) : null;
    if (confirmation) {
      const [awaiting] = await tx
        .select()
        .from(tickets)
        .where(and(eq(tickets.customerId, customerId), eq(tickets.status, 'resolved')))
        .orderBy(desc(tickets.resolvedAt), desc(tickets.id))
        .limit(1)
        .for('update');
      if (awaiting) {
        await tx.insert(ticketMessages).values({
          id: messageId,
          ticketId: awaiting.id,
          fromCustomer: true,
          visibility: 'public',
          channel,
          body: input.text,
          createdAt: now,
        });
        await recordEvent(tx, await noteCustomerAnswer(tx, awaiting, { id: messageId, channel }, now));
        await screenCustomerMessage(tx, deps, awaiting.id, { id: messageId, channel, text: input.text }, now);
        await applyCustomerAnswer(tx, { ...awaiting, version: awaiting.version + 1 }, confirmation, 'sms', null, now);
        await settleClaim(tx, claim.claimId, { customerId, ticketId: awaiting.id, messageId });
        return {
          ticketId: awaiting.id,
          ticketNumber: awaiting.number,
          messageId,
          created: false,
          duplicate: false,
          confirmation,
        };
      }
    }
    const [open] = await tx
      .select()
      .from(tickets)
      .where(
        and(
          eq(tickets.customerId, customerId),
          eq(tickets.channel, channel),
          inArray(tickets.status, [...OPEN_STATUSES]),
          gt(tickets.updatedAt, new Date(now.getTime() - THREAD_WINDOW_MS)),
        ),
      )
      .orderBy(desc(tickets.updatedAt))
      .limit(1)
      .for('update');

    let ticket = open;
    if (!ticket) ticket = await openCustomerTicket(tx, deps, { channel, customerId, description: input.text }, now);
    await tx.insert(ticketMessages).values({
      id: messageId,
      ticketId: ticket.id,
      fromCustomer: true,
      visibility: 'public',
      channel,
      body: input.text,
      createdAt: now,
    });
    if (open) {
      await recordEvent(tx, await noteCustomerAnswer(tx, open, { id: messageId, channel }, now));
      // A new ticket's text was screened when it was opened; a later message is screened here.
      await screenCustomerMessage(tx, deps, open.id, { id: messageId, channel, text: input.text }, now);
    }
    await settleClaim(tx, claim.claimId, { customerId, ticketId: ticket.id, messageId });
    return { ticketId: ticket.id, ticketNumber: ticket.number, messageId, created: !open, duplicate: false };
  });
}

function surveyResult(
  ticketId: string | null,
  ticketNumber: string | null,
  survey: 'answered' | 'opted_out',
  duplicate: boolean,
): Result {
  return { ticketId, ticketNumber, messageId: null, created: false, duplicate, survey };
}

function replay(earlier: EarlierClaim): Result {
  const { ticketId, ticketNumber, messageId } = earlier;
  if (earlier.direction === 'survey')
    return surveyResult(ticketId, ticketNumber, ticketId ? 'answered' : 'opted_out', true);
  // The claim and the ticket commit together, so an earlier claim always has its ticket.
  if (!ticketId || !ticketNumber || !messageId) throw new Error('accepted channel message without its ticket');
  return { ticketId, ticketNumber, messageId, created: false, duplicate: true };
}
