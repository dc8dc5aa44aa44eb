import { createHash, randomBytes } from 'node:crypto';
import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lte, ne } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { replyRoute } from '../../core/channels/outbound.js';
import { AppError } from '../../core/errors/app-error.js';
import {
  DEFAULT_SURVEY_SETTINGS,
  lowRatings,
  questionAnswered,
  surveyExpiresAt,
  surveySendAfter,
  surveySkipReason,
  surveyMode,
  type PendingQuestion,
  type SurveyScores,
  type SurveySettings,
} from '../../core/surveys/rules.js';
import { surveyProblemTopics } from '../../core/surveys/problems.js';
import { openSurveyProblem } from './survey-problems.js';
import { renderSurveyMessage, surveyTemplateKind } from '../../core/surveys/templates.js';
import { loadSurveyTexts, smsNpsEnabled } from './survey-templates.js';
import type { DbOrTx, Tx } from '../../db/client.js';
import { customerIdentities, customerNumbers, outbox, surveyOptOuts, surveys, tickets } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { openCallback } from '../callbacks/open-callback.js';
import { recordEvent } from '../tickets/record-event.js';
import { loadTicketFor } from '../tickets/load-ticket.js';
import type { Actor } from '../../core/auth/policy.js';
import { hasConsent } from '../privacy/consent-in-force.js';

// Satisfaction surveys (closed loop, domain §5; issue 13). A survey is created with the resolution
// (same transaction, one per ticket by a unique constraint), sent after a delay by the
// survey-dispatch job through the outbox, and answered by an SMS digit or through a one-time link.

type Ticket = typeof tickets.$inferSelect;
type Survey = typeof surveys.$inferSelect;

export const surveySettingsOf = (deps: Pick<Deps, 'surveys'>): SurveySettings =>
  deps.surveys ?? DEFAULT_SURVEY_SETTINGS;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The numbers a survey for the ticket could go to: the ticket's contact number and the customer's. */
async function numbersOf(db: DbOrTx, ticket: Pick<Ticket, 'customerId' | 'contactNumber'>): Promise<string[]> {
  const rows = await db
    .select({ msisdn: customerNumbers.msisdn })
    .from(customerNumbers)
    .where(eq(customerNumbers.customerId, ticket.customerId))
    .orderBy(asc(customerNumbers.position));
  return [...new Set([...(ticket.contactNumber ? [ticket.contactNumber] : []), ...rows.map((r) => r.msisdn)])];
}

async function isOptedOut(db: DbOrTx, numbers: string[]): Promise<boolean> {
  if (numbers.length === 0) return false;
  const [row] = await db
    .select({ msisdn: surveyOptOuts.msisdn })
    .from(surveyOptOuts)
    .where(inArray(surveyOptOuts.msisdn, numbers))
    .limit(1);
  return Boolean(row);
}

/**
 * Called in the transaction that resolves the ticket: creates its survey, scheduled `delayMinutes`
 * later, or a skipped one saying why. A ticket resolved again after a reopen keeps its one survey
 * (the unique ticket_id); if that was not sent yet, it goes out `delayMinutes` after the new resolution
 * and rates whoever resolved it this time.
 */
export async function scheduleSurvey(
  tx: Tx,
  ticket: Ticket,
  now: Date,
  settings: SurveySettings = DEFAULT_SURVEY_SETTINGS,
): Promise<void> {
  const [last] = await tx
    .select({ at: surveys.createdAt })
    .from(surveys)
    .where(
      and(eq(surveys.customerId, ticket.customerId), ne(surveys.status, 'skipped'), ne(surveys.ticketId, ticket.id)),
    )
    .orderBy(desc(surveys.createdAt))
    .limit(1);
  const skip = surveySkipReason(
    {
      channel: ticket.channel,
      mergedIntoId: ticket.mergedIntoId,
      // "TD" from one of the numbers, or the customer withdrew their consent to surveys (PIPL).
      optedOut:
        (await isOptedOut(tx, await numbersOf(tx, ticket))) || !(await hasConsent(tx, ticket.customerId, 'surveys')),
      lastSurveyAt: last?.at ?? null,
    },
    settings,
    now,
  );
  await tx
    .insert(surveys)
    .values({
      id: uuidv7(),
      ticketId: ticket.id,
      customerId: ticket.customerId,
      status: skip ? 'skipped' : 'scheduled',
      skipReason: skip,
      agentId: ticket.assigneeId,
      teamId: ticket.teamId,
      // About a network incident (issue 17): the rating is about the outage, not the agent.
      incidentId: ticket.incidentId,
      sendAfter: surveySendAfter(now, settings),
      createdAt: now,
    })
    // Resolved again after a reopen: the same survey; one not sent yet waits for the new resolution.
    .onConflictDoUpdate({
      target: surveys.ticketId,
      set: {
        sendAfter: surveySendAfter(now, settings),
        agentId: ticket.assigneeId,
        teamId: ticket.teamId,
        incidentId: ticket.incidentId,
      },
      setWhere: eq(surveys.status, 'scheduled'),
    });
}

/** The portal page a survey link opens. */
export const surveyPageUrl = (publicUrl: string, token: string) =>
  `${publicUrl}/portal/?survey=${encodeURIComponent(token)}`;

/**
 * The survey-dispatch job: sends due surveys of resolved (or closed) tickets through the outbox, by
 * SMS as a question answered with a digit, elsewhere as a one-time link. Rows are claimed with
 * FOR UPDATE SKIP LOCKED and marked sent in the same transaction as their outbox row, so two nodes
 * running it at once send each survey exactly once. Surveys past their answer window expire here.
 */
export async function dispatchSurveys(
  deps: Deps,
  opts: { publicUrl: string; batch?: number },
): Promise<{ sent: number; skipped: number; expired: number }> {
  const settings = surveySettingsOf(deps);
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const expired = await tx
      .update(surveys)
      .set({ status: 'expired' })
      .where(and(eq(surveys.status, 'sent'), lte(surveys.expiresAt, now)))
      .returning({ id: surveys.id });
    const due = await tx
      .select({ survey: surveys, ticket: tickets })
      .from(surveys)
      .innerJoin(tickets, eq(tickets.id, surveys.ticketId))
      .where(
        and(
          eq(surveys.status, 'scheduled'),
          lte(surveys.sendAfter, now),
          // A reopened ticket waits: its survey goes out once it is resolved again.
          inArray(tickets.status, ['resolved', 'closed']),
        ),
      )
      .orderBy(asc(surveys.sendAfter))
      .limit(opts.batch ?? 200)
      .for('update', { of: surveys, skipLocked: true });
    let sent = 0;
    let skipped = 0;
    // The texts administrators keep (read once per batch; the shipped default for a missing one).
    const texts = due.length > 0 ? await loadSurveyTexts(tx) : null;
    for (const { survey, ticket } of due) {
      const numbers = await numbersOf(tx, ticket);
      const identities = await tx
        .select()
        .from(customerIdentities)
        .where(eq(customerIdentities.customerId, ticket.customerId))
        .orderBy(desc(customerIdentities.createdAt));
      const identity = (c: string) => identities.find((i) => i.channel === c)?.externalUserId ?? null;
      const route = replyRoute({
        customerChannel: ticket.channel,
        contacts: {
          msisdn: numbers[0] ?? null,
          wechat: identity('wechat'),
          app: identity('app'),
          email: identity('email'),
        },
      });
      // Checked again at sending: the number may have opted out, or the ticket been merged, since.
      const skip =
        surveySkipReason(
          {
            channel: ticket.channel,
            mergedIntoId: ticket.mergedIntoId,
            optedOut: (await isOptedOut(tx, numbers)) || !(await hasConsent(tx, ticket.customerId, 'surveys')),
            lastSurveyAt: null,
          },
          settings,
          now,
        ) ?? (route.channel === null ? 'no_contact' : null);
      if (skip || route.channel === null) {
        await tx
          .update(surveys)
          .set({ status: 'skipped', skipReason: skip ?? 'no_contact' })
          .where(eq(surveys.id, survey.id));
        skipped++;
        continue;
      }
      const mode = surveyMode(ticket.channel, route.channel);
      const token = mode === 'link' ? randomBytes(24).toString('base64url') : null;
      const text = renderSurveyMessage(texts![surveyTemplateKind(mode, route.channel)], {
        ticketNumber: ticket.number,
        ...(token ? { link: surveyPageUrl(opts.publicUrl, token) } : {}),
      });
      await tx.insert(outbox).values({
        id: uuidv7(),
        channel: route.channel,
        recipient: route.recipient,
        ticketId: ticket.id,
        payload: {
          kind: 'survey',
          surveyId: survey.id,
          ticketNumber: ticket.number,
          text,
          ...(token ? { surveyLink: token } : {}),
        },
        nextAttemptAt: now,
        createdAt: now,
      });
      await tx
        .update(surveys)
        .set({
          status: 'sent',
          channel: route.channel,
          recipient: route.recipient,
          sentAt: now,
          expiresAt: surveyExpiresAt(now, settings),
          tokenHash: token ? sha256(token) : null,
          // Counted as sent in the survey roll-up by the facts job's next run.
          factsPending: true,
        })
        .where(eq(surveys.id, survey.id));
      sent++;
    }
    return { sent, skipped, expired: expired.length };
  });
}

/**
 * Called once, in the answering transaction, when an answer has a low rating (≤
 * LOOPDESK_SURVEY_LOW_RATING on CSAT or a dimension): opens the callback task (one per survey).
 */
export async function onLowSurveyRating(
  tx: Tx,
  low: { surveyId: string; ticketId: string; agentId: string | null; teamId: string | null; scores: string[] },
  now: Date,
): Promise<void> {
  await openCallback(tx, low, now);
}

type Answer = SurveyScores & { comment?: string | null | undefined };

/** Records an answer on a survey the caller has locked: the row, the timeline entry and the low-rating hook. */
async function recordAnswer(
  tx: Tx,
  survey: Survey,
  answer: Answer,
  via: 'sms' | 'link',
  now: Date,
  settings: SurveySettings,
): Promise<void> {
  const comment = answer.comment?.trim() || null;
  await tx
    .update(surveys)
    .set({
      status: 'answered',
      answeredAt: now,
      answeredVia: via,
      csat: answer.csat,
      nps: answer.nps ?? null,
      speed: answer.speed ?? null,
      quality: answer.quality ?? null,
      attitude: answer.attitude ?? null,
      convenience: answer.convenience ?? null,
      comment,
      factsPending: true,
    })
    .where(eq(surveys.id, survey.id));
  const low = lowRatings(answer, settings);
  const optional = (k: 'nps' | 'speed' | 'quality' | 'attitude' | 'convenience') =>
    answer[k] === null || answer[k] === undefined ? {} : { [k]: answer[k] };
  await recordEvent(tx, {
    ticketId: survey.ticketId,
    actorId: null,
    at: now,
    kind: 'survey_answered',
    data: {
      surveyId: survey.id,
      via,
      csat: answer.csat,
      ...optional('nps'),
      ...optional('speed'),
      ...optional('quality'),
      ...optional('attitude'),
      ...optional('convenience'),
      ...(comment ? { hasComment: true as const } : {}),
      agentId: survey.agentId,
      ...(low.length > 0 ? { low } : {}),
    },
  });
  if (low.length > 0)
    await onLowSurveyRating(
      tx,
      { surveyId: survey.id, ticketId: survey.ticketId, agentId: survey.agentId, teamId: survey.teamId, scores: low },
      now,
    );
  // Problems raised (low dimensions, a comment under a low rating) are tracked to their close.
  const topics = surveyProblemTopics(answer, comment, settings);
  if (topics.length > 0)
    await openSurveyProblem(tx, { surveyId: survey.id, ticketId: survey.ticketId, topics }, settings.problemHours, now);
}

/**
 * A number 0–10 by SMS from `msisdn`: answers the newest question pending for that number that the
 * score fits — the CSAT digit of a sent SMS survey (1–5), or the NPS question asked after it
 * (0–10) — among those still in their answer window. Null when none fits: the text is then an
 * ordinary message. After a CSAT digit, when the NPS question is switched on, it is sent next.
 */
export async function answerSurveyBySms(
  tx: Tx,
  settings: SurveySettings,
  msisdn: string,
  value: number,
  now: Date,
): Promise<{ surveyId: string; ticketId: string; question: 'csat' | 'nps' } | null> {
  const awaitingCsat = await tx
    .select({ id: surveys.id, at: surveys.sentAt })
    .from(surveys)
    .where(
      and(
        eq(surveys.status, 'sent'),
        eq(surveys.channel, 'sms'),
        // Digit surveys only: a link survey sent by SMS is answered on its page.
        isNull(surveys.tokenHash),
        eq(surveys.recipient, msisdn),
        gt(surveys.expiresAt, now),
      ),
    );
  const awaitingNps = await tx
    .select({ id: surveys.id, at: surveys.npsAskedAt })
    .from(surveys)
    .where(
      and(
        eq(surveys.status, 'answered'),
        eq(surveys.recipient, msisdn),
        isNotNull(surveys.npsAskedAt),
        isNull(surveys.nps),
        gt(surveys.expiresAt, now),
      ),
    );
  const pending: PendingQuestion[] = [
    ...awaitingCsat.map((r) => ({ surveyId: r.id, question: 'csat' as const, askedAt: r.at! })),
    ...awaitingNps.map((r) => ({ surveyId: r.id, question: 'nps' as const, askedAt: r.at! })),
  ];
  const picked = questionAnswered(value, pending);
  if (!picked) return null;
  const [survey] = await tx.select().from(surveys).where(eq(surveys.id, picked.surveyId)).for('update');
  if (!survey) return null;
  if (picked.question === 'nps') {
    // Taken once: a second score finds no NPS question pending (nps is set).
    if (survey.nps !== null) return null;
    await tx
      .update(surveys)
      .set({ nps: value, npsAnsweredAt: now, factsPending: true })
      .where(eq(surveys.id, survey.id));
    return { surveyId: survey.id, ticketId: survey.ticketId, question: 'nps' };
  }
  if (survey.status !== 'sent') return null;
  await recordAnswer(tx, survey, { csat: value }, 'sms', now, settings);
  if (await smsNpsEnabled(tx)) await askNpsBySms(tx, survey, now);
  return { surveyId: survey.id, ticketId: survey.ticketId, question: 'csat' };
}

/** The NPS question by SMS after the CSAT digit, through the outbox, to the number that answered. */
async function askNpsBySms(tx: Tx, survey: Survey, now: Date): Promise<void> {
  const [ticket] = await tx.select({ number: tickets.number }).from(tickets).where(eq(tickets.id, survey.ticketId));
  const texts = await loadSurveyTexts(tx);
  await tx.insert(outbox).values({
    id: uuidv7(),
    channel: 'sms',
    recipient: survey.recipient!,
    ticketId: survey.ticketId,
    payload: {
      kind: 'survey',
      surveyId: survey.id,
      ticketNumber: ticket?.number ?? '',
      text: renderSurveyMessage(texts.sms_nps, { ticketNumber: ticket?.number ?? '' }),
    },
    nextAttemptAt: now,
    createdAt: now,
  });
  await tx.update(surveys).set({ npsAskedAt: now }).where(eq(surveys.id, survey.id));
}

/** "TD" / "退订": the number gets no more surveys; its pending ones are withdrawn. */
export async function optOutOfSurveys(tx: Tx, msisdn: string, now: Date): Promise<void> {
  await tx.insert(surveyOptOuts).values({ msisdn, createdAt: now }).onConflictDoNothing();
  await tx
    .update(surveys)
    .set({ status: 'skipped', skipReason: 'opted_out' })
    .where(and(eq(surveys.status, 'sent'), eq(surveys.recipient, msisdn)));
}

/** The customer withdrew their consent to surveys (PIPL): their surveys not yet answered are withdrawn. */
export async function withdrawPendingSurveys(tx: Tx, customerId: string): Promise<void> {
  await tx
    .update(surveys)
    .set({ status: 'skipped', skipReason: 'opted_out' })
    .where(and(eq(surveys.customerId, customerId), inArray(surveys.status, ['scheduled', 'sent'])));
}

/** What a survey link shows: the questions, or why it cannot be answered. */
export type SurveyPage =
  | { state: 'open'; ticketNumber: string; subject: string; expiresAt: string }
  | { state: 'answered'; ticketNumber: string }
  | { state: 'expired'; ticketNumber: string };

async function surveyByToken(db: DbOrTx, token: string, lock: boolean) {
  const q = db
    .select({ survey: surveys, number: tickets.number, subject: tickets.subject })
    .from(surveys)
    .innerJoin(tickets, eq(tickets.id, surveys.ticketId))
    .where(eq(surveys.tokenHash, sha256(token)));
  const [row] = lock ? await q.for('update', { of: surveys }) : await q;
  return row;
}

/**
 * The survey page for a link token. The token's hash stays on the survey after the answer, so a
 * used link shows "already answered" (and an expired one "expired") rather than an error.
 */
export async function readSurveyPage(deps: Deps, token: string): Promise<SurveyPage> {
  const row = await surveyByToken(deps.db, token, false);
  if (!row) throw new AppError('survey.not_found', 'This survey link is not valid');
  return pageOf(row, deps.clock.now());
}

function pageOf(row: { survey: Survey; number: string; subject: string }, now: Date): SurveyPage {
  const { survey } = row;
  if (survey.status === 'answered') return { state: 'answered', ticketNumber: row.number };
  if (survey.status !== 'sent' || !survey.expiresAt || survey.expiresAt <= now)
    return { state: 'expired', ticketNumber: row.number };
  return { state: 'open', ticketNumber: row.number, subject: row.subject, expiresAt: survey.expiresAt.toISOString() };
}

/** Answers a survey through its one-time link; a used or expired link is refused with a code. */
export async function answerSurveyByLink(deps: Deps, token: string, answer: Answer): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const row = await surveyByToken(tx, token, true);
    if (!row) throw new AppError('survey.not_found', 'This survey link is not valid');
    const page = pageOf(row, now);
    if (page.state === 'answered')
      throw new AppError('survey.already_answered', 'This survey was already answered; thank you');
    if (page.state === 'expired') throw new AppError('survey.expired', 'This survey link has expired');
    await recordAnswer(tx, row.survey, answer, 'link', now, surveySettingsOf(deps));
  });
}

/** The ticket's survey, if it has one (created with its first resolution). */
export async function surveyOfTicket(db: DbOrTx, ticketId: string): Promise<Survey | undefined> {
  const [row] = await db.select().from(surveys).where(eq(surveys.ticketId, ticketId));
  return row;
}

/** A ticket's survey for someone who may read the ticket (the desk's survey panel). */
export async function readTicketSurvey(deps: Deps, actor: Actor, ticketId: string) {
  await loadTicketFor(deps.db, actor, ticketId);
  const survey = await surveyOfTicket(deps.db, ticketId);
  if (!survey) return { survey: null };
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    survey: {
      status: survey.status,
      skipReason: survey.skipReason,
      channel: survey.channel,
      sendAfter: survey.sendAfter.toISOString(),
      sentAt: iso(survey.sentAt),
      answeredAt: iso(survey.answeredAt),
      expiresAt: iso(survey.expiresAt),
      answeredVia: survey.answeredVia,
      csat: survey.csat,
      nps: survey.nps,
      speed: survey.speed,
      quality: survey.quality,
      attitude: survey.attitude,
      convenience: survey.convenience,
      comment: survey.comment,
    },
  };
}
