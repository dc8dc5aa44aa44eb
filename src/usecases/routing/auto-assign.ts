import { and, asc, eq, gt, inArray, isNotNull, isNull, notInArray, or, sql, type SQL } from 'drizzle-orm';
import {
  chooseAssignee,
  ticketLanguage,
  type AgentState,
  type AssignmentStrategy,
  type Presence,
} from '../../core/routing/assignment.js';
import { OPEN_STATUSES, statusAfterAssignment } from '../../core/tickets/state-machine.js';
import type { Tx } from '../../db/client.js';
import { agentCertifications, agentProfiles, customers, queueMembers, staff, teams, tickets } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { tryReserveCapacity } from '../tickets/capacity.js';
import { placementNames } from '../tickets/placement-names.js';
import { recordEvent } from '../tickets/record-event.js';
import { categoryPathOf } from './route-ticket.js';

// Tickets waiting in a queue with an automatic strategy are handed to agents, one ticket per
// transaction. Any number of nodes may run this at once: a ticket is claimed with SKIP LOCKED,
// and an agent's capacity is checked under a lock on their profile row, so nobody is given more
// than their capacity and no ticket is assigned twice.

const WAITING_STATUSES = ['new', 'assigned', 'in_progress'] as const;

export type AutoAssignResult = { assigned: number; waiting: number };

export async function autoAssign(deps: Deps, opts: { batch?: number } = {}): Promise<AutoAssignResult> {
  const batch = opts.batch ?? 200;
  const skippedTickets: string[] = [];
  // A queue where nobody is free is not looked at again in this round.
  const fullTeams: string[] = [];
  let assigned = 0;
  while (assigned + skippedTickets.length < batch) {
    const outcome = await deps.db.transaction((tx) => assignOne(tx, deps, skippedTickets, fullTeams));
    if (outcome.kind === 'none') break;
    if (outcome.kind === 'assigned') assigned++;
    else if (outcome.kind === 'waiting') {
      skippedTickets.push(outcome.ticketId);
      if (outcome.nobodyFree) fullTeams.push(outcome.teamId);
    }
  }
  return { assigned, waiting: skippedTickets.length };
}

/** `retry`: the chosen agent filled up meanwhile; the ticket is claimed again in a fresh transaction, with fresh counts. */
type Outcome =
  | { kind: 'none' }
  | { kind: 'assigned' }
  | { kind: 'retry' }
  | { kind: 'waiting'; ticketId: string; teamId: string; nobodyFree: boolean };

async function assignOne(tx: Tx, deps: Deps, skippedTickets: string[], fullTeams: string[]): Promise<Outcome> {
  const now = deps.clock.now();
  const [ticket] = await tx
    .select({
      id: tickets.id,
      type: tickets.type,
      grade: tickets.grade,
      status: tickets.status,
      version: tickets.version,
      teamId: tickets.teamId,
      firstContactOwnerId: tickets.firstContactOwnerId,
      channel: tickets.channel,
      text: sql<string>`${tickets.subject} || ' ' || left(${tickets.description}, 200)`,
      categoryPath: categoryPathOf(tickets.categoryId),
      tier: customers.tier,
      region: customers.region,
      accountManagerId: customers.accountManagerId,
      strategy: teams.assignmentStrategy,
    })
    .from(tickets)
    .innerJoin(teams, eq(teams.id, tickets.teamId))
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .where(
      and(
        isNull(tickets.assigneeId),
        inArray(tickets.status, [...WAITING_STATUSES]),
        // Automatic queues, and any queue for a customer with an account manager (offered first).
        or(inArray(teams.assignmentStrategy, ['round_robin', 'least_loaded']), isNotNull(customers.accountManagerId)),
        skippedTickets.length ? notInArray(tickets.id, skippedTickets) : undefined,
        fullTeams.length ? notInArray(tickets.teamId, fullTeams) : undefined,
      ),
    )
    .orderBy(asc(tickets.priority), asc(tickets.createdAt))
    .limit(1)
    .for('update', { of: tickets, skipLocked: true });
  if (!ticket) return { kind: 'none' };
  const teamId = ticket.teamId!;

  const waiting = {
    type: ticket.type,
    grade: ticket.grade,
    customerTier: ticket.tier,
    categoryPath: ticket.categoryPath ?? [],
    region: ticket.region,
    language: ticketLanguage(ticket.text),
    channel: ticket.channel,
  };
  const strategy = ticket.strategy as AssignmentStrategy;
  const candidates = strategy === 'manual' ? [] : await candidatesOf(tx, teamId, now);
  const [accountManager] = ticket.accountManagerId
    ? await agentStates(tx, eq(agentProfiles.staffId, ticket.accountManagerId), now)
    : [];
  const chosen = chooseAssignee(strategy, candidates, waiting, accountManager ?? null);
  if (!chosen)
    return {
      kind: 'waiting',
      ticketId: ticket.id,
      teamId,
      // A manual queue is only looked at for account managers: another customer's may be free.
      nobodyFree: strategy !== 'manual' && !candidates.some((c) => c.openCount < c.capacity),
    };
  const agent = chosen.agent;
  // The candidates were counted without locks; the count under the agent's lock decides. A
  // transaction locks at most one agent (trying a second one while holding the first could
  // deadlock with another node doing the opposite), so a full agent means: start over.
  const problem = await tryReserveCapacity(tx, agent.id, { override: false }, now);
  if (problem) return { kind: 'retry' };
  const status = statusAfterAssignment(ticket.status, true);
  const firstContactOwnerId = ticket.firstContactOwnerId ?? agent.id;
  await tx
    .update(tickets)
    .set({ assigneeId: agent.id, status, firstContactOwnerId, version: ticket.version + 1, updatedAt: now })
    .where(eq(tickets.id, ticket.id));
  await recordEvent(tx, {
    ticketId: ticket.id,
    actorId: null,
    kind: 'assigned',
    at: now,
    data: {
      by: 'auto',
      strategy: chosen.by === 'account_manager' ? 'account_manager' : ticket.strategy,
      before: { assigneeId: null, teamId, status: ticket.status },
      after: {
        assigneeId: agent.id,
        teamId,
        status,
        ...(await placementNames(tx, { assigneeId: agent.id, teamId }, false)),
      },
      ...(ticket.firstContactOwnerId === null ? { firstContactOwnerId } : {}),
    },
  });
  return { kind: 'assigned' };
}

/** Online members of the queue (listed members and the team's own staff) with their load. */
function candidatesOf(tx: Tx, teamId: string, now: Date): Promise<AgentState[]> {
  return agentStates(
    tx,
    or(
      eq(staff.teamId, teamId),
      sql`exists (select 1 from ${queueMembers} m where m.team_id = ${teamId} and m.staff_id = ${agentProfiles.staffId})`,
    )!,
    now,
  );
}

/** Active, online people matching `which`, with their load and valid certifications. */
async function agentStates(tx: Tx, which: SQL, now: Date): Promise<AgentState[]> {
  const openCount = sql<number>`(select count(*)::int from ${tickets} t where t.assignee_id = ${agentProfiles.staffId} and t.status in (${sql.join(
    OPEN_STATUSES.map((s) => sql`${s}`),
    sql`, `,
  )}))`;
  const rows = await tx
    .select({ profile: agentProfiles, openCount })
    .from(agentProfiles)
    .innerJoin(staff, eq(staff.id, agentProfiles.staffId))
    .where(and(eq(staff.active, true), eq(agentProfiles.presence, 'online'), which));
  if (rows.length === 0) return [];
  const certs = await tx
    .select({ staffId: agentCertifications.staffId, code: agentCertifications.code })
    .from(agentCertifications)
    .where(
      and(
        inArray(
          agentCertifications.staffId,
          rows.map((r) => r.profile.staffId),
        ),
        or(isNull(agentCertifications.expiresAt), gt(agentCertifications.expiresAt, now)),
      ),
    );
  return rows.map(({ profile, openCount }) => ({
    id: profile.staffId,
    presence: profile.presence as Presence,
    capacity: profile.capacity,
    openCount,
    skills: profile.skills,
    certifications: new Set(certs.filter((c) => c.staffId === profile.staffId).map((c) => c.code)),
    lastAssignedAt: profile.lastAssignedAt,
  }));
}
