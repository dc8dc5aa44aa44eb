import { and, asc, eq, inArray, isNull, lte, or } from 'drizzle-orm';
import { decideFirings, type Firing } from '../../core/sla/target-clock.js';
import { statusAfterAssignment } from '../../core/tickets/state-machine.js';
import type { Tx } from '../../db/client.js';
import { notifications, slaTargets, staff, teams, tickets } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { recordEvent } from '../tickets/record-event.js';
import { loadCalendarMath } from './calendars.js';
import { clockOf, columnsOf, type TargetRow } from './target-rows.js';

export const BREACH_TAG = 'sla-breached';

/**
 * One sweep: claims due SLA targets with FOR UPDATE SKIP LOCKED, so any number of app nodes can
 * sweep at once without waiting on each other or taking the same row. Effects (timeline,
 * notifications, escalation actions) and the "fired" marks are written in the claiming
 * transaction: a node that dies mid-sweep commits nothing, and the rows are claimed again by the
 * next sweep. Nothing fires twice, nothing is lost.
 */
export async function sweepSla(deps: Deps, batchSize = 200): Promise<{ claimed: number; fired: number }> {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const rows = await tx
      .select()
      .from(slaTargets)
      .where(lte(slaTargets.nextFireAt, now))
      .orderBy(asc(slaTargets.nextFireAt))
      .limit(batchSize)
      .for('update', { skipLocked: true });
    if (rows.length === 0) return { claimed: 0, fired: 0 };
    const calendars = await loadCalendarMath(tx, rows.map((r) => r.calendarId));
    let fired = 0;
    for (const row of rows) {
      const cal = calendars(row.calendarId);
      const { firings, clock } = decideFirings(clockOf(row), now, cal);
      let breachFacts = {};
      if (firings.length > 0) {
        const ticket = await applyFirings(tx, row, firings, now);
        if (!ticket) continue; // busy: try again next sweep
        if (firings.some((f) => f.kind === 'breach')) {
          breachFacts = { breachTeamId: ticket.teamId, breachAssigneeId: ticket.assigneeId };
        }
        fired += firings.length;
      }
      await tx.update(slaTargets).set({ ...columnsOf(clock, cal, now), ...breachFacts }).where(eq(slaTargets.id, row.id));
    }
    return { claimed: rows.length, fired };
  });
}

async function applyFirings(tx: Tx, target: TargetRow, firings: Firing[], now: Date) {
  // SKIP LOCKED: a ticket someone is changing right now is left for the next sweep. The sweeper
  // never waits for a ticket while holding target rows, so it cannot deadlock with a user.
  const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, target.ticketId)).for('update', { skipLocked: true });
  if (!ticket) return undefined;
  const base = { metric: target.metric, policyId: target.policyId, dueAt: target.dueAt?.toISOString() ?? null };
  for (const f of firings) {
    if (f.kind === 'warning') {
      await recordEvent(tx, { ticketId: ticket.id, actorId: null, kind: 'sla_warning', at: now, data: { ...base, fraction: f.fraction } });
      await notify(tx, 'sla.warning', ticket, [ticket.assigneeId ?? ticket.firstContactOwnerId], { ...base, fraction: f.fraction }, now);
    } else if (f.kind === 'breach') {
      await recordEvent(tx, { ticketId: ticket.id, actorId: null, kind: 'sla_breached', at: now, data: base });
    } else {
      await escalate(tx, ticket, f.actions, now);
      await recordEvent(tx, { ticketId: ticket.id, actorId: null, kind: 'sla_escalated', at: now, data: { ...base, step: f.step, actions: f.actions } });
    }
  }
  return ticket;
}

type TicketRow = typeof tickets.$inferSelect;

async function escalate(tx: Tx, ticket: TicketRow, actions: readonly string[], now: Date) {
  const changes: Partial<TicketRow> = {};
  const payload = { number: ticket.number, subject: ticket.subject };
  for (const action of actions) {
    switch (action) {
      case 'notify_owner':
        await notify(tx, 'sla.breached', ticket, [ticket.firstContactOwnerId, ticket.assigneeId], payload, now);
        break;
      case 'notify_supervisor':
        await notify(tx, 'sla.breached', ticket, await supervisorsOf(tx, ticket.teamId), payload, now);
        break;
      case 'raise_priority':
        changes.priority = Math.max(1, (changes.priority ?? ticket.priority) - 1);
        break;
      case 'flag':
        if (!ticket.tags.includes(BREACH_TAG)) changes.tags = [...ticket.tags, BREACH_TAG];
        break;
      case 'reassign_tier2': {
        const [expertTeam] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.kind, 'expert')).orderBy(asc(teams.code)).limit(1);
        if (expertTeam && ticket.teamId !== expertTeam.id) {
          // Moves the work to tier 2's queue; the first-contact owner stays accountable.
          changes.teamId = expertTeam.id;
          changes.assigneeId = null;
          changes.status = statusAfterAssignment(ticket.status, false);
        }
        break;
      }
    }
  }
  if (Object.keys(changes).length > 0) {
    await tx.update(tickets).set({ ...changes, version: ticket.version + 1, updatedAt: now }).where(eq(tickets.id, ticket.id));
  }
}

async function supervisorsOf(tx: Tx, teamId: string | null): Promise<string[]> {
  const rows = await tx
    .select({ id: staff.id, teamId: staff.teamId })
    .from(staff)
    .where(and(eq(staff.role, 'supervisor'), eq(staff.active, true), teamId ? or(eq(staff.teamId, teamId), isNull(staff.teamId), inArray(staff.teamId, tx.select({ id: teams.id }).from(teams).where(eq(teams.kind, 'supervisor')))) : undefined));
  const ofTeam = rows.filter((r) => r.teamId === teamId);
  return (ofTeam.length > 0 ? ofTeam : rows).map((r) => r.id);
}

async function notify(tx: Tx, kind: string, ticket: TicketRow, recipients: (string | null)[], payload: Record<string, unknown>, now: Date) {
  const unique = [...new Set(recipients.filter((r): r is string => r !== null))];
  if (unique.length === 0) return;
  await tx.insert(notifications).values(unique.map((recipientId) => ({ kind, ticketId: ticket.id, recipientId, payload, createdAt: now })));
}
