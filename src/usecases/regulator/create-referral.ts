import { and, desc, eq, gte, ne } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { canCreateTicket, type Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import {
  APPEAL_CATEGORY_ZH,
  contactMetric,
  DEFAULT_REGULATOR_SETTINGS,
  REFERRAL_HANDLING,
  referralClocks,
  REGULATOR_TEAM_CODE,
  reportMetric,
  type RegulatorSettings,
} from '../../core/regulator/referrals.js';
import { ALWAYS_OPEN } from '../../core/sla/business-calendar.js';
import type { ReferralCreate } from '../../contracts/regulator.js';
import type { Tx } from '../../db/client.js';
import { errorCode } from '../../db/errors.js';
import { regulatorTeamId } from '../../db/reference-data.js';
import { regulatorReferrals, regulatorSources, teams, ticketLinks, tickets } from '../../db/schema.js';
import { createCustomer, findCustomer } from '../customers/find-or-create-customer.js';
import { normaliseMsisdn } from '../customers/customers.js';
import type { Deps } from '../deps.js';
import { startNodeTarget } from '../sla/sla-lifecycle.js';
import { insertNewTicket, routeNewTicket } from '../tickets/new-ticket.js';
import { recordEvents, type TimelineEntry } from '../tickets/record-event.js';

export type RegulatorDeps = Deps & { regulator?: RegulatorSettings };

/** The regulator queue (申诉处理组, created on first start; recreated if removed). */
async function regulatorTeam(tx: Tx, now: Date): Promise<string> {
  const find = () => tx.select({ id: teams.id }).from(teams).where(eq(teams.code, REGULATOR_TEAM_CODE));
  const [team] = await find();
  if (team) return team.id;
  await tx
    .insert(teams)
    .values({ id: regulatorTeamId, code: REGULATOR_TEAM_CODE, name: '申诉处理组', kind: 'supervisor', createdAt: now })
    .onConflictDoNothing();
  const [again] = await find();
  return again!.id;
}

/**
 * Files a referral from the regulator: finds the appellant by number (or creates the customer),
 * opens its ticket on the regulator channel — always an urgent complaint in the regulator queue,
 * whatever routing would say — starts the referral's two clocks (first contact, report before the
 * deadline), and links the customer's own recent complaints. One transaction; a second referral
 * with the same source and number is `409 regulator.duplicate_referral`.
 */
export async function createReferral(
  deps: RegulatorDeps,
  actor: Actor,
  input: ReferralCreate,
): Promise<{ referralId: string; ticketId: string }> {
  if (!canCreateTicket(actor)) throw new AppError('auth.forbidden', 'Your role cannot file referrals');
  if (input.deadline < input.receivedOn)
    throw new AppError('regulator.deadline_before_received', 'The deadline is before the day the referral came in', {
      field: 'deadline',
    });
  const settings = deps.regulator ?? DEFAULT_REGULATOR_SETTINGS;
  const now = deps.clock.now();
  const referralId = uuidv7();
  const ticketId = uuidv7();
  try {
    await deps.db.transaction(async (tx) => {
      const [source] = await tx
        .select()
        .from(regulatorSources)
        .where(and(eq(regulatorSources.code, input.sourceCode), eq(regulatorSources.active, true)));
      if (!source)
        throw new AppError('regulator.unknown_source', `No source body "${input.sourceCode}"`, { field: 'sourceCode' });
      const [taken] = await tx
        .select({ id: regulatorReferrals.id })
        .from(regulatorReferrals)
        .where(
          and(
            eq(regulatorReferrals.sourceCode, input.sourceCode),
            eq(regulatorReferrals.referralNumber, input.referralNumber),
          ),
        );
      if (taken) throw duplicate(taken.id);

      const msisdn = normaliseMsisdn(input.appellant.msisdn);
      const customerId =
        (await findCustomer(tx, { msisdn })) ?? (await createCustomer(tx, { msisdn }, input.appellant.name, now));
      const teamId = await regulatorTeam(tx, now);

      const draft = {
        customerId,
        type: REFERRAL_HANDLING.type,
        categoryId: null,
        grade: REFERRAL_HANDLING.grade,
        channel: REFERRAL_HANDLING.channel,
        tags: ['regulator'],
        subject: `【${source.nameZh}】${input.referralNumber} ${APPEAL_CATEGORY_ZH[input.category]}`,
        description: `诉求 Claim：${input.claim}\n\n事实 Facts：${input.facts}`,
      };
      const { number, routed, facts } = await routeNewTicket(tx, deps, draft, now, teamId);
      // Whatever the rules said: the regulator queue, urgent (a grade only goes up, so it stays).
      const placed = {
        ...routed,
        teamId,
        explanation: [...routed.explanation, `regulator referral → queue ${REGULATOR_TEAM_CODE}`],
      };
      await insertNewTicket(
        tx,
        deps,
        {
          id: ticketId,
          number,
          type: draft.type,
          categoryId: null,
          grade: REFERRAL_HANDLING.grade,
          priority: placed.priority,
          status: 'new',
          channel: draft.channel,
          subject: draft.subject,
          description: draft.description,
          details: {},
          tags: placed.tags,
          slaPolicyHint: placed.slaPolicyHint,
          customerId,
          contactNumber: msisdn,
          teamId,
          assigneeId: null,
          firstContactOwnerId: actor.id,
          createdById: actor.id,
          searchText: deps.indexText(`${draft.subject} ${draft.description}`),
          createdAt: now,
          updatedAt: now,
        },
        placed,
        facts,
        { actorId: actor.id, data: { firstContactOwnerId: actor.id } },
        now,
      );

      const clocks = referralClocks(input.deadline, now, settings, deps.timeZone);
      await tx.insert(regulatorReferrals).values({
        id: referralId,
        sourceCode: input.sourceCode,
        referralNumber: input.referralNumber,
        receivedOn: input.receivedOn,
        appealedOn: input.appealedOn ?? input.receivedOn,
        deadline: input.deadline,
        matterOn: input.matterOn ?? null,
        customerId,
        respondentUnit: input.respondentUnit,
        category: input.category,
        claim: input.claim,
        facts: input.facts,
        ticketId,
        reportDueAt: clocks.reportDueAt,
        createdById: actor.id,
        createdAt: now,
      });
      const calendarId = ALWAYS_OPEN.id;
      await startNodeTarget(
        tx,
        ticketId,
        { metric: contactMetric(referralId), limitMinutes: clocks.contactMinutes, calendarId },
        now,
      );
      await startNodeTarget(
        tx,
        ticketId,
        { metric: reportMetric(referralId), limitMinutes: clocks.reportMinutes, calendarId },
        now,
      );
      const linked = await linkOriginalComplaints(tx, { ticketId, number, customerId }, settings, actor.id, now);
      await recordEvents(tx, [
        {
          ticketId,
          actorId: actor.id,
          kind: 'regulator_case',
          at: now,
          data: { referralId, step: 'received', sourceCode: input.sourceCode, deadline: input.deadline },
        },
        ...linked,
      ]);
    });
  } catch (err) {
    // Two clerks filing the same referral at once: the loser meets the unique constraint.
    if (errorCode(err) === '23505') throw duplicate(null);
    throw err;
  }
  return { referralId, ticketId };
}

const duplicate = (existingId: string | null) =>
  new AppError('regulator.duplicate_referral', 'This source already referred a case with that number', {
    field: 'referralNumber',
    ...(existingId ? { referralId: existingId } : {}),
  });

/**
 * The customer's own complaints to us within the link window (not other referral cases): linked to
 * the case as related tickets, with a `linked` entry on both timelines.
 */
async function linkOriginalComplaints(
  tx: Tx,
  ticket: { ticketId: string; number: string; customerId: string },
  settings: Pick<RegulatorSettings, 'linkDays'>,
  actorId: string,
  now: Date,
): Promise<TimelineEntry[]> {
  const since = new Date(now.getTime() - settings.linkDays * 86_400_000);
  const originals = await tx
    .select({ id: tickets.id, number: tickets.number })
    .from(tickets)
    .where(
      and(
        eq(tickets.customerId, ticket.customerId),
        eq(tickets.type, 'complaint'),
        ne(tickets.channel, 'regulator'),
        ne(tickets.id, ticket.ticketId),
        gte(tickets.createdAt, since),
      ),
    )
    .orderBy(desc(tickets.createdAt))
    .limit(20);
  if (originals.length === 0) return [];
  await tx
    .insert(ticketLinks)
    .values(originals.map((o) => ({ ticketId: ticket.ticketId, otherTicketId: o.id, kind: 'related', createdAt: now })))
    .onConflictDoNothing();
  return originals.flatMap((o): TimelineEntry[] => [
    { ticketId: ticket.ticketId, actorId, kind: 'linked', at: now, data: { other: o.id, otherNumber: o.number } },
    { ticketId: o.id, actorId, kind: 'linked', at: now, data: { other: ticket.ticketId, otherNumber: ticket.number } },
  ]);
}
