import { alertAccountManager, mayAlertAccountManager } from '../customers/care-alert.js';
import { eq, sql } from 'drizzle-orm';
import { formatTicketNumber } from '../../core/tickets/ticket-number.js';
import type { Channel, CustomerTier, Priority, TicketType } from '../../core/tickets/types.js';
import type { PriorityWeights } from '../../core/tickets/priority.js';
import { commitWithNextStatement, type Tx } from '../../db/client.js';
import { categories, customers, grades, slaTargets, teams, ticketEvents, tickets } from '../../db/schema.js';
import { placeNewTicket } from '../../core/routing/intake.js';
import { intakeTeamIdSql, storedPriorityWeightsSql, weightsFrom } from '../admin/settings.js';
import type { Deps } from '../deps.js';
import {
  applyRules,
  categoryPathOf,
  loadRuleSet,
  routedEventData,
  rulesStamp,
  type Routed,
} from '../routing/route-ticket.js';
import { loadSlaConfig, slaConfigStamp, type SlaConfig } from '../sla/sla-config.js';
import { planSla } from '../sla/sla-lifecycle.js';
import { ticketsCreated } from '../../metrics/metrics.js';
import { detectRepeat, latestOfCategory, repeatWindowStart } from './link-tickets.js';
import { timelineRows, type TimelineEntry } from './record-event.js';
import { findRiskWords, phrasesStamp, screenCustomerMessage } from '../quality/phrase-checks.js';
import { activeIncidentsStamp, loadActiveIncidents, type ActiveIncident } from '../incidents/active-incidents.js';
import { linkToIncident } from '../incidents/link-new-ticket.js';
import { unknownReference } from './references.js';
import { loadTicketDetail, ticketDetailSelect, type TicketDetail } from './load-ticket.js';
import { preparedOn, rowPlaceholders } from '../../db/prepared.js';
import { earlierResource, idempotencyKeyRow, insertIdempotencyKey, type IdempotencyClaim } from '../idempotency.js';

// The two halves every new ticket goes through, whoever opened it (an agent, a channel message,
// the portal, an email): what routing decides, and the insert with its timeline, clocks and
// repeat check.

export type NewTicketDraft = {
  customerId: string;
  type: TicketType;
  categoryId: string | null;
  grade: string;
  channel: Channel;
  tags: string[];
  subject: string;
  description: string;
};

/** What routing learnt about the customer and category, the SLA configuration and the active incidents, for the insert. */
export type NewTicketFacts = {
  tier: CustomerTier;
  region: string | null;
  categoryPath: string[];
  sla: SlaConfig;
  incidents: ActiveIncident[];
  weights: PriorityWeights;
  /** The customer's account manager and since when they are a customer, for the care alert. */
  customer: { id: string; tier: CustomerTier; createdAt: Date; managerId: string | null };
  /** The risk-word lists' stamp, read with the facts so screening the text costs no round trip. */
  phrasesStamp: string;
  /** The ticket's category as saved (null: none given, or no such category), for checkCategoryFor. */
  category: Pick<typeof categories.$inferSelect, 'active' | 'ticketType' | 'nameZh'> | null;
  /** The customer's ticket this one repeats (latestOfCategory; null: none, or no category). */
  repeatOf: { id: string; number: string } | null;
};

export type RoutedNewTicket = { number: string; routed: Routed; facts: NewTicketFacts };

/**
 * One round trip (a prepared statement) for the customer's tier, region and account manager, the
 * grade check, the category (its path, and whether the ticket may be filed under it), the
 * customer's latest ticket of that category within the repeat window, the next number, the
 * channel's intake queue and the stamps of the rules, SLA configuration, active incidents and risk
 * words (the caches follow them, so an admin's change on any node is seen by the next ticket); then
 * the routing decision. The
 * ticket's queue: a rule's, else the creator's team (`creatorTeamId`, for staff), else the channel's
 * intake queue — so a ticket is never on no queue while an intake team exists.
 *
 * With an Idempotency-Key's `claim`, the same statement claims the key (see claimIdempotencyKey),
 * saving the round trip of a statement of its own. A key used before answers `{ earlierId }`, the
 * ticket the same request created (or refuses a different request), before the customer and the
 * grade are checked: a retry is answered with its first ticket even if they are gone since.
 */
export async function routeNewTicket(
  tx: Tx,
  deps: Deps,
  draft: NewTicketDraft,
  now: Date,
  creatorTeamId?: string | null,
): Promise<RoutedNewTicket>;
export async function routeNewTicket(
  tx: Tx,
  deps: Deps,
  draft: NewTicketDraft,
  now: Date,
  creatorTeamId: string | null,
  claim: IdempotencyClaim | undefined,
): Promise<RoutedNewTicket | { earlierId: string }>;
export async function routeNewTicket(
  tx: Tx,
  deps: Deps,
  draft: NewTicketDraft,
  now: Date,
  creatorTeamId: string | null = null,
  claim?: IdempotencyClaim,
): Promise<RoutedNewTicket | { earlierId: string }> {
  const key = claim && idempotencyKeyRow(claim, now);
  // Prepared once per channel (its intake queue is part of the text), with or without a category
  // and with or without a key to claim.
  const shape = `${draft.channel}|${JSON.stringify(deps.intakeQueues ?? null)}|${draft.categoryId === null}|${key !== undefined}`;
  const [found] = await preparedOn(deps.db, tx, 'new_ticket_facts', shape, (db, name) => {
    const intakeTeamId = intakeTeamIdSql(draft.channel, deps);
    const repeated = latestOfCategory(db, {
      customerId: sql.placeholder('customerId'),
      categoryId: draft.categoryId === null ? null : sql.placeholder('categoryId'),
      since: sql.placeholder('repeatSince'),
    }).as('repeated');
    // The claim is a data-modifying CTE: it runs once whatever the query reads, and its RETURNING
    // (a row when the key is new) is all the query can see of it.
    const keyClaim = key ? db.$with('key_claim').as(insertIdempotencyKey(db)) : undefined;
    const claimed = keyClaim ? sql<boolean>`exists (select 1 from ${keyClaim})` : sql<boolean>`true`;
    return (
      db
        .with(...(keyClaim ? [keyClaim] : []))
        .select({
          claimed,
          // Null when there is no such customer (drizzle answers null for a left-joined object whose
          // first column, the id, is null).
          customer: {
            id: customers.id,
            tier: customers.tier,
            region: customers.region,
            createdAt: customers.createdAt,
            managerId: customers.accountManagerId,
          },
          // Both null without a category (nothing is read then: see the shape).
          category: {
            id: categories.id,
            active: categories.active,
            ticketType: categories.ticketType,
            nameZh: categories.nameZh,
          },
          repeatOf: { id: repeated.id, number: repeated.number },
          rulesStamp,
          phrasesStamp,
          slaStamp: slaConfigStamp,
          incidentsStamp: activeIncidentsStamp,
          categoryPath: categoryPathOf(draft.categoryId === null ? null : sql.placeholder('categoryId')),
          gradeExists: sql<boolean>`exists (select 1 from ${grades} where ${grades.code} = ${sql.placeholder('grade')})`,
          // A number only for a ticket that may be created: not for a replay nor for an unknown
          // customer (CASE does not evaluate nextval for the other rows).
          seq: sql<string>`case when ${claimed} and ${customers.id} is not null then nextval('ticket_number_seq') end`,
          // The channel's intake queue and the priority weights: the console's settings, else the environment's.
          intakeTeamId,
          intakeCode: sql<string | null>`(select ${teams.code} from ${teams} where ${teams.id} = ${intakeTeamId})`,
          weights: storedPriorityWeightsSql,
        })
        // One row always, customer or not: the claim's outcome must be readable when the customer
        // is unknown, for a retry naming a customer gone since.
        .from(sql`(select 1) as one`)
        .leftJoin(customers, eq(customers.id, sql.placeholder('customerId')))
        .leftJoin(categories, eq(categories.id, sql.placeholder('categoryId')))
        .leftJoinLateral(repeated, sql`true`)
        .prepare(name)
    );
  }).execute({
    customerId: draft.customerId,
    grade: draft.grade,
    categoryId: draft.categoryId,
    repeatSince: repeatWindowStart(now, deps.repeatWindowDays).toISOString(),
    ...key,
  });
  const row = found!; // one row always (see its FROM)
  if (key && !row.claimed) return { earlierId: await earlierResource(tx, key) };
  const customer = row.customer;
  if (!customer) throw unknownReference('customerId', 'No such customer');
  if (!row.gradeExists) throw unknownReference('grade', `Unknown grade "${draft.grade}"`);
  const facts = {
    tier: customer.tier,
    region: customer.region,
    categoryPath: row.categoryPath ?? [],
    sla: await loadSlaConfig(deps.db, tx, row.slaStamp),
    incidents: await loadActiveIncidents(deps.db, tx, row.incidentsStamp),
    weights: weightsFrom(row.weights, deps),
    customer: { id: customer.id, tier: customer.tier, createdAt: customer.createdAt, managerId: customer.managerId },
    phrasesStamp: row.phrasesStamp,
    category: row.category,
    repeatOf: row.repeatOf,
  };
  const ruled = applyRules(
    await loadRuleSet(deps.db, tx, row.rulesStamp),
    {
      ...draft,
      categoryPath: facts.categoryPath,
      customerTier: facts.tier,
      region: facts.region,
    },
    facts.weights,
  );
  const place = placeNewTicket(ruled.teamId, creatorTeamId, row.intakeTeamId);
  const intakeQueue = row.intakeCode;
  const routed: Routed = place.byIntake
    ? {
        ...ruled,
        teamId: place.teamId,
        intakeQueue,
        explanation: [...ruled.explanation, `no rule chose a queue: intake queue of ${draft.channel} → ${intakeQueue}`],
      }
    : { ...ruled, teamId: place.teamId };
  return { number: formatTicketNumber(now, Number(row.seq), deps.timeZone), routed, facts };
}

/**
 * Inserts the ticket with its clocks, writes "created" (with `createdData` added), the routing
 * explanation and "time limits started" in one statement, and flags a repeat contact. Answers the
 * new ticket's page as its creator (`createdBy.actorId`, or nobody) sees it: see ticketPageFor.
 *
 * `lastInTransaction`: the caller writes nothing after this in its transaction. When nothing here
 * follows the insert either (no repeat check, care alert or risk word to write), its COMMIT is
 * written with it: one round trip less.
 */
export async function insertNewTicket(
  tx: Tx,
  deps: Deps,
  row: typeof tickets.$inferInsert & {
    id: string;
    number: string;
    status: 'new' | 'assigned';
    createdAt: Date;
    type: TicketType;
    grade: string;
    channel: Channel;
  },
  routed: Routed,
  facts: NewTicketFacts,
  createdBy: { actorId: string | null; data?: Record<string, unknown> },
  now: Date,
  lastInTransaction = false,
): Promise<TicketDetail> {
  const slaFacts = {
    type: row.type,
    categoryPath: facts.categoryPath,
    grade: row.grade,
    tier: facts.tier,
    channel: row.channel,
    region: facts.region,
  };
  const sla = planSla(
    { ...row, categoryId: row.categoryId ?? null, slaPolicyHint: row.slaPolicyHint ?? null },
    slaFacts,
    facts.sla,
    now,
  );
  // A ticket caused by an active network incident is linked to it and raised to its level's priority.
  const link = linkToIncident(row, routed, facts);
  const values = {
    ...row,
    customerTier: facts.tier,
    priority: link?.priority ?? row.priority,
    priorityFloor: link?.priorityFloor ?? routed.priorityFloor,
    incidentId: link?.incident.id ?? null,
    slaDueAt: sla?.dueAt ?? null,
  };
  const events: TimelineEntry[] = [
    {
      ticketId: row.id,
      actorId: createdBy.actorId,
      kind: 'created',
      at: now,
      data: {
        number: values.number,
        type: values.type,
        grade: values.grade,
        priority: values.priority,
        channel: values.channel,
        status: values.status,
        ...createdBy.data,
      },
    },
    { ticketId: row.id, actorId: null, kind: 'routed', at: now, data: routedEventData(routed) },
    ...(sla ? [sla.event] : []),
    ...(link
      ? [
          {
            ticketId: row.id,
            actorId: null,
            kind: 'incident_linked' as const,
            at: now,
            data: {
              incidentId: link.incident.id,
              incidentNumber: link.incident.number,
              by: 'auto' as const,
              priorityFrom: row.priority as Priority,
              priorityTo: link.priority,
            },
          },
        ]
      : []),
  ];
  // The ticket, its clocks and its timeline in one statement, one round trip, which answers with
  // the new ticket's page (ticketDetailSelect): the clocks, the events and the ticket are
  // data-modifying CTEs, the last named "tickets" so that the page's query reads the new row. Their
  // foreign keys and the timeline's live-update trigger run at the end of the statement, when the
  // ticket row is there. Prepared once per shape (which columns are set or null, how many clocks
  // and events).
  // The customer's words as the ticket was opened with them (a channel's first message is its description).
  const opening = { id: null, channel: row.channel, text: `${row.subject}\n${row.description}`, opening: true };
  const riskWords = await findRiskWords(deps.db, tx, opening.text, facts.phrasesStamp);
  if (
    lastInTransaction &&
    facts.repeatOf === null &&
    !mayAlertAccountManager(facts.customer) &&
    riskWords.screen.words.length === 0
  ) {
    commitWithNextStatement(tx);
  }
  const ticket = rowPlaceholders(tickets, values, 't_');
  const clockRows = (sla?.targets ?? []).map((r, i) => rowPlaceholders(slaTargets, r, `c${i}_`));
  const eventRows = timelineRows(events).map((r, i) => rowPlaceholders(ticketEvents, r, `e${i}_`));
  const shape = [ticket, ...clockRows, ...eventRows].map((r) => r.shape).join('|') + `|${clockRows.length}`;
  const [inserted] = await preparedOn(deps.db, tx, 'new_ticket', shape, (db, name) => {
    const clocks = clockRows.length
      ? [
          db.$with('clocks', {}).as(
            db
              .insert(slaTargets)
              .values(clockRows.map((r) => r.placeholders))
              .getSQL(),
          ),
        ]
      : [];
    const timeline = db.$with('timeline', {}).as(
      db
        .insert(ticketEvents)
        .values(eventRows.map((r) => r.placeholders))
        .getSQL(),
    );
    const newTicket = db.$with('tickets', {}).as(db.insert(tickets).values(ticket.placeholders).returning().getSQL());
    return ticketDetailSelect(db.with(...clocks, timeline, newTicket)).prepare(name);
  }).execute(
    Object.assign(
      { viewerId: createdBy.actorId, now: now.toISOString() },
      ticket.values,
      ...[...clockRows, ...eventRows].map((r) => r.values),
    ) as Record<string, unknown>,
  );
  const t = inserted!.ticket;
  // Counted when written (a transaction rolled back afterwards is rare: a conflict retried once).
  ticketsCreated.inc({ channel: t.channel });
  const repeat = await detectRepeat(tx, t, now, deps.repeatWindowDays, facts.repeatOf);
  await alertAccountManager(tx, deps, t.customerId, t, now, facts.customer);
  const risk = await screenCustomerMessage(tx, deps, t.id, opening, now, riskWords);
  // A repeat contact or a risk word changed the ticket since: its page is read again.
  if (!repeat && risk.words.length === 0) return inserted!;
  return loadTicketDetail(deps.db, tx, t.id, createdBy.actorId, now);
}
