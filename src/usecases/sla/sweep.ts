import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import { decideFirings, type Firing, type TargetClock } from '../../core/sla/target-clock.js';
import { applyActions, type TicketChangeAction } from '../../core/tickets/actions.js';
import type { PriorityWeights } from '../../core/tickets/priority.js';
import type { CustomerTier } from '../../core/tickets/types.js';
import type { Tx } from '../../db/client.js';
import { customers, slaTargets, staff, teams, tickets } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import type { NotificationBody, TimelineEventBody } from '../../contracts/events.js';
import { notifyStaff, type StaffNotification } from '../tickets/notify.js';
import { recordEvents, type TimelineEntry } from '../tickets/record-event.js';
import { actionTicketOf, changedColumns } from '../tickets/ticket-actions.js';
import { findTier2Team } from '../tickets/tier2-team.js';
import { loadCalendarMath } from './calendars.js';
import { clockOf, columnsOf, type TargetRow } from './target-rows.js';
import { priorityWeightsOf } from '../admin/settings.js';

export const BREACH_TAG = 'sla-breached';

type TicketRow = typeof tickets.$inferSelect;

/**
 * One sweep: claims due SLA targets with FOR UPDATE SKIP LOCKED, so any number of app nodes can
 * sweep at once without waiting on each other or taking the same row. Effects (timeline,
 * notifications, escalation actions) and the "fired" marks are written in the claiming
 * transaction: a node that dies mid-sweep commits nothing, and the rows are claimed again by the
 * next sweep. Nothing fires twice, nothing is lost. Work is batched: a handful of statements per
 * sweep, not per target.
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
    const calendars = await loadCalendarMath(
      tx,
      rows.map((r) => r.calendarId),
    );

    const decisions = rows.map((row) => ({
      row,
      cal: calendars(row.calendarId),
      ...decideFirings(clockOf(row), now, calendars(row.calendarId)),
    }));
    const firing = decisions.filter((d) => d.firings.length > 0);
    // SKIP LOCKED: a ticket someone is changing right now is left for the next sweep. The sweeper
    // never waits for a ticket while holding target rows, so it cannot deadlock with a user.
    const locked = firing.length
      ? await tx
          .select()
          .from(tickets)
          .where(inArray(tickets.id, [...new Set(firing.map((d) => d.row.ticketId))]))
          .for('update', { skipLocked: true })
      : [];
    const ticketsById = new Map(locked.map((t) => [t.id, t]));
    const tiers = new Map(
      locked.length
        ? (
            await tx
              .select({ id: customers.id, tier: customers.tier })
              .from(customers)
              .where(inArray(customers.id, [...new Set(locked.map((t) => t.customerId))]))
          ).map((c) => [c.id, c.tier])
        : [],
    );

    const effects = new Effects(tx, now, tiers, await priorityWeightsOf(tx, deps));
    const updates: { row: TargetRow; clock: TargetClock; breach?: TicketRow }[] = [];
    for (const d of decisions) {
      if (d.firings.length === 0) {
        updates.push({ row: d.row, clock: d.clock });
        continue;
      }
      const ticket = ticketsById.get(d.row.ticketId);
      if (!ticket) continue; // busy: the target stays due and is claimed again next sweep
      await effects.fire(d.row, ticket, d.firings);
      updates.push({
        row: d.row,
        clock: d.clock,
        ...(d.firings.some((f) => f.kind === 'breach') ? { breach: ticket } : {}),
      });
    }
    await effects.flush();
    await saveTargets(
      tx,
      updates.map((u) => ({ ...u, columns: columnsOf(u.clock, calendars(u.row.calendarId), now) })),
    );
    return { claimed: rows.length, fired: firing.reduce((n, d) => n + d.firings.length, 0) };
  });
}

/** Collects the effects of a sweep and writes them with one statement per kind. */
class Effects {
  private readonly timeline: TimelineEntry[] = [];
  private readonly notes: StaffNotification[] = [];
  /** Each escalated ticket as read, and the actions its escalations took, in order. */
  private readonly changed = new Map<string, { ticket: TicketRow; actions: TicketChangeAction[] }>();
  private readonly supervisors = new Map<string | null, string[]>();

  constructor(
    private readonly tx: Tx,
    private readonly now: Date,
    private readonly tiers: ReadonlyMap<string, CustomerTier>,
    private readonly weights: PriorityWeights | undefined,
  ) {}

  async fire(target: TargetRow, ticket: TicketRow, firings: Firing[]) {
    const base = { metric: target.metric, policyId: target.policyId, dueAt: target.dueAt?.toISOString() ?? null };
    const entry = (e: TimelineEventBody) =>
      this.timeline.push({ ...e, ticketId: ticket.id, actorId: null, at: this.now });
    for (const f of firings) {
      if (f.kind === 'warning') {
        entry({ kind: 'sla_warning', data: { ...base, fraction: f.fraction } });
        this.notify({ kind: 'sla.warning', payload: { ...base, fraction: f.fraction } }, ticket, [
          ticket.assigneeId ?? ticket.firstContactOwnerId,
        ]);
      } else if (f.kind === 'breach') {
        entry({ kind: 'sla_breached', data: base });
      } else {
        await this.escalate(ticket, f.actions, f.queue, base);
        entry({ kind: 'sla_escalated', data: { ...base, step: f.step, actions: f.actions } });
      }
    }
  }

  private async escalate(
    ticket: TicketRow,
    steps: readonly string[],
    queue: string | undefined,
    base: { metric: string; policyId: string; dueAt: string | null },
  ) {
    const changed = this.changed.get(ticket.id) ?? { ticket, actions: [] };
    const state = this.apply(ticket, changed.actions).ticket;
    const payload = { ...base, number: ticket.number, subject: ticket.subject };
    const actions: TicketChangeAction[] = [];
    let tier2: { id: string; name: string } | null = null;
    for (const step of steps) {
      switch (step) {
        case 'notify_owner':
          this.notify({ kind: 'sla.breached', payload }, ticket, [ticket.firstContactOwnerId, state.assigneeId]);
          break;
        case 'notify_supervisor':
          this.notify({ kind: 'sla.breached', payload }, ticket, await this.supervisorsOf(state.teamId));
          break;
        case 'raise_priority':
          actions.push({ kind: 'raise_priority' });
          break;
        case 'flag':
          actions.push({ kind: 'add_tag', tag: BREACH_TAG });
          break;
        case 'reassign_tier2': {
          tier2 = state.supportLevel < 2 ? ((await findTier2Team(this.tx)) ?? null) : null;
          if (tier2) actions.push({ kind: 'move_to_queue', teamId: tier2.id, tier2: true });
          break;
        }
        case 'reassign_queue': {
          // Moves the work to the named queue; the first-contact owner stays accountable.
          const [target] = await this.tx
            .select({ id: teams.id })
            .from(teams)
            .where(eq(teams.code, queue ?? ''))
            .limit(1);
          if (target) actions.push({ kind: 'move_to_queue', teamId: target.id });
          break;
        }
      }
    }
    const result = applyActions(state, actions, { tier: this.tiers.get(ticket.customerId)!, weights: this.weights });
    if (tier2 && result.changed.includes('supportLevel')) {
      // What a manual escalation records: tier 2's queue, support level 2, before and after.
      this.timeline.push({
        ticketId: ticket.id,
        actorId: null,
        kind: 'escalated',
        at: this.now,
        data: {
          note: 'SLA 超时自动升级',
          before: { teamId: state.teamId, assigneeId: state.assigneeId, supportLevel: state.supportLevel },
          after: { teamId: tier2.id, teamName: tier2.name, assigneeId: null, supportLevel: 2 },
        },
      });
    }
    this.changed.set(ticket.id, { ticket, actions: [...changed.actions, ...actions] });
  }

  private apply(ticket: TicketRow, actions: readonly TicketChangeAction[]) {
    return applyActions(actionTicketOf(ticket), actions, {
      tier: this.tiers.get(ticket.customerId)!,
      weights: this.weights,
    });
  }

  private notify(body: NotificationBody, ticket: TicketRow, recipients: (string | null)[]) {
    for (const recipientId of recipients) {
      if (recipientId) this.notes.push({ ...body, ticketId: ticket.id, recipientId });
    }
  }

  private async supervisorsOf(teamId: string | null): Promise<string[]> {
    const cached = this.supervisors.get(teamId);
    if (cached) return cached;
    const rows = await this.tx
      .select({ id: staff.id, teamId: staff.teamId })
      .from(staff)
      .where(and(eq(staff.role, 'supervisor'), eq(staff.active, true)));
    // The team's own supervisors when it has any, otherwise every supervisor on duty.
    const ofTeam = rows.filter((r) => r.teamId === teamId);
    const ids = (ofTeam.length > 0 ? ofTeam : rows).map((r) => r.id);
    this.supervisors.set(teamId, ids);
    return ids;
  }

  async flush() {
    for (const { ticket, actions } of this.changed.values()) {
      const result = this.apply(ticket, actions);
      if (result.changed.length === 0) continue;
      await this.tx
        .update(tickets)
        .set({ ...changedColumns(result), version: ticket.version + 1, updatedAt: this.now })
        .where(eq(tickets.id, ticket.id));
    }
    await recordEvents(this.tx, this.timeline);
    await notifyStaff(this.tx, this.notes, this.now);
  }
}

/** All target updates of a sweep in one UPDATE … FROM (VALUES …). */
async function saveTargets(
  tx: Tx,
  updates: { row: TargetRow; columns: ReturnType<typeof columnsOf>; breach?: TicketRow }[],
) {
  if (updates.length === 0) return;
  const ts = (d: Date | null) => (d ? d.toISOString() : null);
  const values = updates.map(
    ({ row, columns: c, breach }) =>
      sql`(${row.id}::uuid, ${c.limitMs}::bigint, ${c.consumedMs}::bigint, ${ts(c.runningSince)}::timestamptz, ${c.warningsFired}::int, ${c.escalationsFired}::int,
         ${ts(c.breachedAt)}::timestamptz, ${ts(c.metAt)}::timestamptz, ${ts(c.dueAt)}::timestamptz, ${ts(c.nextFireAt)}::timestamptz, ${ts(c.updatedAt)}::timestamptz,
         ${breach?.teamId ?? null}::uuid, ${breach?.assigneeId ?? null}::uuid, ${breach !== undefined}::boolean)`,
  );
  await tx.execute(sql`
    UPDATE sla_targets AS t SET
      limit_ms = v.limit_ms, consumed_ms = v.consumed_ms, running_since = v.running_since,
      warnings_fired = v.warnings_fired, escalations_fired = v.escalations_fired, breached_at = v.breached_at,
      met_at = v.met_at, due_at = v.due_at, next_fire_at = v.next_fire_at, updated_at = v.updated_at,
      breach_team_id = CASE WHEN v.breached THEN v.breach_team_id ELSE t.breach_team_id END,
      breach_assignee_id = CASE WHEN v.breached THEN v.breach_assignee_id ELSE t.breach_assignee_id END
    FROM (VALUES ${sql.join(values, sql`, `)}) AS v(id, limit_ms, consumed_ms, running_since, warnings_fired, escalations_fired,
      breached_at, met_at, due_at, next_fire_at, updated_at, breach_team_id, breach_assignee_id, breached)
    WHERE t.id = v.id`);
}
