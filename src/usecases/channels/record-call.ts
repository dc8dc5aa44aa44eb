import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import { canWorkTicket, type Actor } from '../../core/auth/policy.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import { OPEN_STATUSES } from '../../core/tickets/state-machine.js';
import type { CallEvent, ScreenPop } from '../../contracts/calls.js';
import { freeTextFor } from '../../core/privacy/free-text.js';
import { maskPhone } from '../../core/privacy/masking.js';
import type { DbOrTx, Tx } from '../../db/client.js';
import { callRecords, customerNumbers, customers, staff, tickets } from '../../db/schema.js';
import { normaliseMsisdn } from '../customers/customers.js';
import type { Deps } from '../deps.js';
import { loadTicketFor, readableTicketIds } from '../tickets/load-ticket.js';
import { recordEvent } from '../tickets/record-event.js';
import { applyCallEvent, callFacts, type CallTimes } from '../../core/contact-centre/figures.js';
import { applyContactFacts } from '../contact-centre/contact-facts.js';
import { contactCentreSettingsOf } from '../contact-centre/settings.js';

/** Agent-addressed live events (screen pops); the live hub forwards them to that agent's pages. */
export const AGENT_EVENTS_CHANNEL = 'loopdesk_agent_events';

type CallRow = typeof callRecords.$inferSelect;

/**
 * Applies one telephony event to the call's record. Events may arrive twice or out of order: each
 * sets only what it knows, once (idempotent on call and event), and the call's contribution to the
 * contact-centre figures is recomputed and its difference added to its 15-minute interval. When a call from a known number is answered, the agent's desk
 * pops the customer and their open tickets; when it ends, the recording is attached to the ticket
 * named in the event.
 */
export async function recordCallEvent(deps: Deps, e: z.output<typeof CallEvent>) {
  return deps.db.transaction(async (tx) => {
    await tx
      .insert(callRecords)
      .values({ id: uuidv7(), callId: e.callId, caller: normaliseMsisdn(e.caller) })
      .onConflictDoNothing();
    const [call] = await tx.select().from(callRecords).where(eq(callRecords.callId, e.callId)).for('update');
    const at = new Date(e.at);
    const [known] = await tx
      .select({ id: customerNumbers.customerId })
      .from(customerNumbers)
      .where(eq(customerNumbers.msisdn, call!.caller));
    const [agent] = e.agent
      ? await tx
          .select({ id: staff.id, role: staff.role, teamId: staff.teamId })
          .from(staff)
          .where(eq(staff.username, e.agent.toLowerCase()))
      : [];
    // Each kind of event sets its time once (core/contact-centre): a retry changes nothing.
    const times = applyCallEvent(callTimesOf(call!), {
      event: e.event,
      at,
      queue: e.queue ?? e.skill,
      waitSeconds: e.waitSeconds,
    });
    const changes: Partial<CallRow> = {
      customerId: call!.customerId ?? known?.id ?? null,
      ...(e.ivrPath && call!.ivrPath.length === 0 ? { ivrPath: e.ivrPath } : {}),
      ...(e.recordingUrl ? { recordingUrl: e.recordingUrl } : {}),
      ...times,
      ...(e.event === 'answered' && !call!.answeredAt ? { agentId: agent?.id ?? null } : {}),
    };
    await tx.update(callRecords).set(changes).where(eq(callRecords.id, call!.id));
    const updated = { ...call!, ...changes };
    // The contact-centre figures follow in the same transaction, under the call's row lock.
    const settings = await contactCentreSettingsOf(tx);
    await applyContactFacts(tx, `call:${e.callId}`, callFacts(times, settings, deps.timeZone), deps.clock.now());
    const openTicketIds = updated.customerId ? await openTicketsOf(tx, updated.customerId) : [];

    if (e.event === 'answered' && !call!.answeredAt && agent) {
      // The pop names the caller as this agent may see them (the number always masked, like every
      // number the desk shows) and lists only the tickets the answering agent may read.
      const [customer] = updated.customerId
        ? await tx
            .select({ name: customers.name, tier: customers.tier })
            .from(customers)
            .where(eq(customers.id, updated.customerId))
        : [];
      const pop: ScreenPop & { agentId: string; kind: 'call' } = {
        agentId: agent.id,
        kind: 'call',
        callId: e.callId,
        customerId: updated.customerId,
        openTicketIds: await readableBy(tx, agent, openTicketIds),
        caller: {
          name: customer ? freeTextFor(agent)(customer.name) : null,
          tier: customer?.tier ?? null,
          number: maskPhone(updated.caller),
        },
      };
      await tx.execute(sql`SELECT pg_notify(${AGENT_EVENTS_CHANNEL}, ${JSON.stringify(pop)})`);
    }
    if (e.ticketNumber && !updated.ticketId) {
      const [ticket] = await tx.select({ id: tickets.id }).from(tickets).where(eq(tickets.number, e.ticketNumber));
      if (ticket) await linkCall(tx, updated, ticket.id, null, deps.clock.now());
    }
    return presentCall({ ...updated, ...(await reload(tx, e.callId)) }, openTicketIds);
  });
}

/** An agent attaches the call to the ticket it was about. */
export async function linkCallToTicket(deps: Deps, actor: Actor, callId: string, ticketId: string) {
  return deps.db.transaction(async (tx) => {
    const [call] = await tx.select().from(callRecords).where(eq(callRecords.callId, callId)).for('update');
    if (!call) throw notFound('Call');
    const { access } = await loadTicketFor(tx, actor, ticketId, { forUpdate: true });
    if (!canWorkTicket(actor, access)) throw new AppError('auth.forbidden', 'You cannot change this ticket');
    await linkCall(tx, call, ticketId, actor.id, deps.clock.now());
    return presentCall({ ...call, ticketId }, await openTicketsFor(tx, actor, call.customerId));
  });
}

export async function readCall(deps: Deps, actor: Actor, callId: string) {
  if (actor.role === 'department' || actor.role === 'qa')
    throw new AppError('auth.forbidden', 'Calls are for the front office');
  const [call] = await deps.db.select().from(callRecords).where(eq(callRecords.callId, callId));
  if (!call) throw notFound('Call');
  return presentCall(call, await openTicketsFor(deps.db, actor, call.customerId));
}

/** The customer's open tickets that `actor` may read. */
async function openTicketsFor(db: DbOrTx, actor: Actor, customerId: string | null): Promise<string[]> {
  return customerId ? readableBy(db, actor, await openTicketsOf(db, customerId)) : [];
}

async function readableBy(db: DbOrTx, actor: Actor, ids: string[]): Promise<string[]> {
  const readable = await readableTicketIds(db, actor, ids);
  return ids.filter((id) => readable.has(id));
}

async function linkCall(tx: Tx, call: CallRow, ticketId: string, actorId: string | null, now: Date) {
  if (call.ticketId === ticketId) return;
  await tx.update(callRecords).set({ ticketId }).where(eq(callRecords.id, call.id));
  const duration =
    call.answeredAt && call.endedAt ? Math.round((call.endedAt.getTime() - call.answeredAt.getTime()) / 1000) : null;
  await recordEvent(tx, {
    ticketId,
    actorId,
    kind: 'call_linked',
    at: now,
    data: {
      callId: call.callId,
      recordingUrl: call.recordingUrl,
      ivrPath: call.ivrPath,
      durationSeconds: duration,
      agentId: call.agentId,
    },
  });
}

const callTimesOf = (c: CallRow): CallTimes => ({
  startedAt: c.startedAt,
  offeredAt: c.offeredAt,
  queuedAt: c.queuedAt,
  answeredAt: c.answeredAt,
  abandonedAt: c.abandonedAt,
  endedAt: c.endedAt,
  waitMs: c.waitMs,
  queue: c.queue,
});

async function reload(tx: Tx, callId: string) {
  const [row] = await tx.select().from(callRecords).where(eq(callRecords.callId, callId));
  return row!;
}

async function openTicketsOf(db: DbOrTx, customerId: string): Promise<string[]> {
  const rows = await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(eq(tickets.customerId, customerId), inArray(tickets.status, [...OPEN_STATUSES])))
    .orderBy(desc(tickets.updatedAt))
    .limit(20);
  return rows.map((r) => r.id);
}

function presentCall(c: CallRow, openTicketIds: string[]) {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    callId: c.callId,
    customerId: c.customerId,
    agentId: c.agentId,
    ticketId: c.ticketId,
    openTicketIds,
    recordingUrl: c.recordingUrl,
    startedAt: iso(c.startedAt),
    offeredAt: iso(c.offeredAt),
    queuedAt: iso(c.queuedAt),
    answeredAt: iso(c.answeredAt),
    abandonedAt: iso(c.abandonedAt),
    endedAt: iso(c.endedAt),
    queue: c.queue,
  };
}
