import { and, eq, inArray, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { choosePolicy, pausesIn, type SlaFacts, type SlaMetric, type SlaPolicy } from '../../core/sla/sla-policy.js';
import { applyTicketChange, type TicketClockChange } from '../../core/sla/milestones.js';
import {
  changeLimit,
  markMet,
  pause,
  startClock,
  type CalendarMath,
  type TargetClock,
} from '../../core/sla/target-clock.js';
import type { Tx } from '../../db/client.js';
import { customers, slaTargets, tickets } from '../../db/schema.js';
import { categoryPathOf } from '../routing/route-ticket.js';
import { recordEvent, type TimelineEntry } from '../tickets/record-event.js';
import { loadCalendarMath } from './calendars.js';
import { loadPolicies, type SlaConfig } from './sla-config.js';
import { clockOf, columnsOf, type TargetRow } from './target-rows.js';

// SLA bookkeeping inside the ticket's own transaction (the caller holds the ticket row lock):
// start the clocks on creation, pause and resume them with the status, mark steps met, and
// recalculate when the classification changes.

type Ticket = typeof tickets.$inferSelect;
/** What the SLA needs to know about a ticket. */
export type SlaTicket = Pick<
  Ticket,
  'id' | 'type' | 'categoryId' | 'grade' | 'customerId' | 'channel' | 'status' | 'createdAt'
> & { slaPolicyHint?: string | null };
const MINUTE = 60_000;

async function factsOf(tx: Tx, t: SlaTicket): Promise<SlaFacts> {
  const [customer] = await tx
    .select({ tier: customers.tier, region: customers.region, categoryPath: categoryPathOf(t.categoryId) })
    .from(customers)
    .where(eq(customers.id, t.customerId));
  return {
    type: t.type,
    categoryPath: customer!.categoryPath ?? [],
    grade: t.grade,
    tier: customer!.tier,
    channel: t.channel,
    region: customer!.region,
  };
}

async function targetsOf(tx: Tx, ticketId: string): Promise<TargetRow[]> {
  return tx.select().from(slaTargets).where(eq(slaTargets.ticketId, ticketId)).for('update');
}

async function save(tx: Tx, row: TargetRow, clock: TargetClock, cal: CalendarMath, now: Date) {
  await tx
    .update(slaTargets)
    .set(columnsOf(clock, cal, now))
    .where(eq(slaTargets.id, row.id));
}

function escalationOf(policy: SlaPolicy) {
  return policy.escalation.map((s) => ({ afterMs: s.afterMinutes * MINUTE, actions: s.actions, queue: s.queue }));
}

/**
 * On creation: the matching policy's clocks, started at the ticket's creation time, to be inserted
 * with the ticket (`dueAt` goes on the ticket row, `event` on its timeline). Null when no policy matches.
 */
export function planSla(ticket: SlaTicket, facts: SlaFacts, config: SlaConfig, now: Date) {
  const policy = choosePolicy(config.policies, facts, ticket.slaPolicyHint ?? null);
  if (!policy) return null;
  const targets = policy.targets.map((t) => {
    const cal = config.calendar(t.calendarId);
    const started = startClock(
      { limitMs: t.limitMinutes * MINUTE, warnAt: policy.warnAt, escalation: escalationOf(policy) },
      ticket.createdAt,
    );
    const clock = pausesIn(policy, t.metric, ticket.status) ? pause(started, now, cal) : started;
    return {
      id: uuidv7(),
      ticketId: ticket.id,
      metric: t.metric,
      policyId: policy.id,
      calendarId: t.calendarId,
      warnAt: clock.warnAt,
      escalation: clock.escalation,
      createdAt: now,
      ...columnsOf(clock, cal, now),
    };
  });
  const dues = targets.flatMap((r) => (r.dueAt && !r.metAt ? [r.dueAt.getTime()] : []));
  return {
    targets,
    dueAt: dues.length ? new Date(Math.min(...dues)) : null,
    event: {
      ticketId: ticket.id,
      actorId: null,
      kind: 'sla_started',
      at: now,
      data: {
        policyId: policy.id,
        policyName: policy.name,
        targets: targets.map((r) => ({ metric: r.metric, dueAt: r.dueAt?.toISOString() ?? null })),
      },
    } satisfies TimelineEntry,
  };
}

/** Apply a status change and/or a milestone to the ticket's clocks. */
export async function updateSla(
  tx: Tx,
  ticket: Pick<Ticket, 'id'>,
  change: TicketClockChange,
  now: Date,
): Promise<void> {
  const rows = await targetsOf(tx, ticket.id);
  if (rows.length === 0) return;
  const policy = (await loadPolicies(tx)).find((p) => p.id === rows[0]!.policyId);
  const calendars = await loadCalendarMath(
    tx,
    rows.map((r) => r.calendarId),
  );
  const met: SlaMetric[] = [];
  for (const row of rows) {
    const cal = calendars(row.calendarId);
    const before = clockOf(row);
    const after = applyTicketChange(
      before,
      row.metric,
      policy ? (status) => pausesIn(policy, row.metric, status) : null,
      change,
      now,
      cal,
      policy?.messageKindMeets,
    );
    if (after.met) met.push(row.metric as SlaMetric);
    if (after.clock !== before) await save(tx, row, after.clock, cal, now);
  }
  await refreshTicketDue(tx, ticket.id);
  if (met.length > 0) {
    await recordEvent(tx, { ticketId: ticket.id, actorId: null, kind: 'sla_met', at: now, data: { metrics: met } });
  }
}

/**
 * Type, grade, category, channel or tier changed: the matching policy may differ. Each metric
 * keeps its elapsed business time and gets the new limit; metrics the new policy adds start
 * counting from the ticket's creation; metrics it drops stop (breaches stay on record).
 */
export async function recalculateSla(tx: Tx, ticket: SlaTicket, now: Date): Promise<void> {
  const policy = choosePolicy(await loadPolicies(tx), await factsOf(tx, ticket), ticket.slaPolicyHint ?? null);
  const rows = await targetsOf(tx, ticket.id);
  if (!policy) return;
  const calendars = await loadCalendarMath(tx, [
    ...rows.map((r) => r.calendarId),
    ...policy.targets.map((t) => t.calendarId),
  ]);
  const dropped = rows.filter((r) => !policy.targets.some((t) => t.metric === r.metric) && !r.metAt);
  if (dropped.length > 0) {
    await tx
      .update(slaTargets)
      .set({ runningSince: null, nextFireAt: null, dueAt: null, updatedAt: now })
      .where(
        inArray(
          slaTargets.id,
          dropped.map((r) => r.id),
        ),
      );
  }
  for (const target of policy.targets) {
    const row = rows.find((r) => r.metric === target.metric);
    const cal = calendars(target.calendarId);
    if (!row) {
      await insertLateTarget(tx, ticket, policy, target, cal, now);
      continue;
    }
    if (row.metAt) continue;
    const oldCal = calendars(row.calendarId);
    // Elapsed time is measured on the old calendar, then the clock continues on the new one.
    let clock = changeLimit(clockOf(row), target.limitMinutes * MINUTE, now, oldCal);
    clock = { ...clock, warnAt: policy.warnAt, escalation: escalationOf(policy) };
    await tx
      .update(slaTargets)
      .set({
        ...columnsOf(clock, cal, now),
        policyId: policy.id,
        calendarId: target.calendarId,
        warnAt: clock.warnAt,
        escalation: clock.escalation,
      })
      .where(and(eq(slaTargets.id, row.id)));
  }
  await refreshTicketDue(tx, ticket.id);
}

/** Keeps `tickets.sla_due_at` (what queues sort and filter by) equal to the earliest unmet due time. */
async function refreshTicketDue(tx: Tx, ticketId: string): Promise<void> {
  await tx
    .update(tickets)
    .set({
      slaDueAt: sql`(SELECT min(${slaTargets.dueAt}) FROM ${slaTargets} WHERE ${slaTargets.ticketId} = ${ticketId} AND ${slaTargets.metAt} IS NULL)`,
    })
    .where(eq(tickets.id, ticketId));
}

async function insertLateTarget(
  tx: Tx,
  ticket: SlaTicket,
  policy: SlaPolicy,
  target: SlaPolicy['targets'][number],
  cal: CalendarMath,
  now: Date,
) {
  let clock = startClock(
    { limitMs: target.limitMinutes * MINUTE, warnAt: policy.warnAt, escalation: escalationOf(policy) },
    ticket.createdAt,
  );
  if (pausesIn(policy, target.metric, ticket.status)) clock = pause(clock, now, cal);
  await tx.insert(slaTargets).values({
    id: uuidv7(),
    ticketId: ticket.id,
    metric: target.metric,
    policyId: policy.id,
    calendarId: target.calendarId,
    warnAt: clock.warnAt,
    escalation: clock.escalation,
    createdAt: now,
    ...columnsOf(clock, cal, now),
  });
}

/**
 * A clock outside the ticket's policy, e.g. the time limit of a department sub-task (a hand-off
 * node). It is swept, warned and escalated like any other target.
 */
export async function startNodeTarget(
  tx: Tx,
  ticketId: string,
  node: { metric: string; limitMinutes: number; calendarId: string },
  now: Date,
): Promise<Date | null> {
  const calendars = await loadCalendarMath(tx, [node.calendarId]);
  const cal = calendars(node.calendarId);
  const clock = startClock(
    {
      limitMs: node.limitMinutes * MINUTE,
      warnAt: [0.75],
      escalation: [{ afterMs: 0, actions: ['notify_owner', 'notify_supervisor'] }],
    },
    now,
  );
  const columns = columnsOf(clock, cal, now);
  await tx.insert(slaTargets).values({
    id: uuidv7(),
    ticketId,
    metric: node.metric,
    policyId: 'node',
    calendarId: node.calendarId,
    warnAt: clock.warnAt,
    escalation: clock.escalation,
    createdAt: now,
    ...columns,
  });
  await refreshTicketDue(tx, ticketId);
  return columns.dueAt;
}

/** Stops one clock (its step is done or no longer needed). */
export async function completeTarget(tx: Tx, ticketId: string, metric: string, now: Date): Promise<void> {
  const [row] = await tx
    .select()
    .from(slaTargets)
    .where(and(eq(slaTargets.ticketId, ticketId), eq(slaTargets.metric, metric)))
    .for('update');
  if (!row || row.metAt) return;
  const cal = (await loadCalendarMath(tx, [row.calendarId]))(row.calendarId);
  await save(tx, row, markMet(clockOf(row), now, cal), cal, now);
  await refreshTicketDue(tx, ticketId);
}
