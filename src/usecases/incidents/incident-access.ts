import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { canManageIncidents, type Actor } from '../../core/auth/policy.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import {
  DEFAULT_INCIDENT_SETTINGS,
  NETWORK_OPS_TEAM_CODE,
  spreadSendTimes,
  type IncidentSettings,
  type QuietHours,
} from '../../core/incidents/incidents.js';
import { replyRoute } from '../../core/channels/outbound.js';
import type { Channel } from '../../core/tickets/types.js';
import { IncidentLiveEvent, OutboxPayload } from '../../contracts/events.js';
import type { DbOrTx, Tx } from '../../db/client.js';
import { customerIdentities, customerNumbers, incidentEvents, incidents, outbox, teams } from '../../db/schema.js';
import type { Deps } from '../deps.js';

// What every incident use case shares: who manages incidents, loading one for update, the
// incident's own timeline, the live announcement, and queuing customer messages at the rate limit.

export const INCIDENT_EVENTS_CHANNEL = 'loopdesk_incident_events';

export const incidentSettings = (deps: Pick<Deps, 'incidents'>): IncidentSettings =>
  deps.incidents ?? DEFAULT_INCIDENT_SETTINGS;

/** The quiet hours of proactive notices (settings), in the installation's time zone. */
export const noticeQuietHours = (deps: Pick<Deps, 'incidents' | 'timeZone'>): QuietHours => ({
  ...incidentSettings(deps).quietHours,
  timeZone: deps.timeZone,
});

/** The network operations team's id (by its code), or null when the installation has none. */
export async function networkOpsTeamId(db: DbOrTx): Promise<string | null> {
  const [row] = await db.select({ id: teams.id }).from(teams).where(eq(teams.code, NETWORK_OPS_TEAM_CODE));
  return row?.id ?? null;
}

export async function requireIncidentManager(db: DbOrTx, actor: Actor): Promise<string | null> {
  const teamId = await networkOpsTeamId(db);
  if (!canManageIncidents(actor, teamId))
    throw new AppError('auth.forbidden', 'Only network operations and supervisors manage incidents');
  return teamId;
}

export type IncidentRow = typeof incidents.$inferSelect;

export async function loadIncidentForUpdate(tx: Tx, id: string): Promise<IncidentRow> {
  const [row] = await tx.select().from(incidents).where(eq(incidents.id, id)).for('update');
  if (!row) throw notFound('Incident');
  return row;
}

/** Appends to the incident's timeline and announces the change to every node at commit. */
export async function recordIncidentEvent(
  tx: Tx,
  e: { incidentId: string; actorId: string | null; kind: string; data?: Record<string, unknown>; at: Date },
): Promise<void> {
  await tx.insert(incidentEvents).values({
    incidentId: e.incidentId,
    actorId: e.actorId,
    kind: e.kind,
    data: e.data ?? {},
    createdAt: e.at,
  });
  await announce(tx, { kind: 'incident', id: e.incidentId });
}

export async function announce(tx: DbOrTx, event: IncidentLiveEvent): Promise<void> {
  await tx.execute(
    sql`SELECT pg_notify(${INCIDENT_EVENTS_CHANNEL}, ${JSON.stringify(IncidentLiveEvent.parse(event))})`,
  );
}

export type Recipient = { customerId: string; ticketId: string | null; channel: Channel; contactNumber: string | null };

/**
 * Queues one message per customer on the channel the customer reached us on (their number for
 * calls), spread so that at most `messagesPerMinute` leave per minute. Returns how many were queued.
 */
export async function queueCustomerMessages(
  tx: Tx,
  deps: Deps,
  recipients: readonly Recipient[],
  payload: (r: Recipient) => OutboxPayload,
  now: Date,
): Promise<number> {
  const byCustomer = new Map<string, Recipient>();
  for (const r of recipients) if (!byCustomer.has(r.customerId)) byCustomer.set(r.customerId, r);
  const list = [...byCustomer.values()];
  if (list.length === 0) return 0;
  const ids = list.map((r) => r.customerId);
  const numbers = await tx
    .select({ customerId: customerNumbers.customerId, msisdn: customerNumbers.msisdn })
    .from(customerNumbers)
    .where(inArray(customerNumbers.customerId, ids))
    .orderBy(asc(customerNumbers.position));
  const identities = await tx
    .select()
    .from(customerIdentities)
    .where(and(inArray(customerIdentities.customerId, ids)));
  const rows: (typeof outbox.$inferInsert)[] = [];
  for (const r of list) {
    const identity = (channel: string) =>
      identities.find((i) => i.customerId === r.customerId && i.channel === channel)?.externalUserId ?? null;
    const route = replyRoute({
      requested: undefined,
      customerChannel: r.channel,
      contacts: {
        msisdn: r.contactNumber ?? numbers.find((n) => n.customerId === r.customerId)?.msisdn ?? null,
        wechat: identity('wechat'),
        app: identity('app'),
        email: identity('email'),
      },
    });
    if (route.channel === null) continue;
    rows.push({
      id: uuidv7(),
      channel: route.channel,
      recipient: route.recipient,
      ticketId: r.ticketId,
      payload: OutboxPayload.parse(payload(r)),
      createdAt: now,
    });
  }
  const times = spreadSendTimes(rows.length, now, incidentSettings(deps).messagesPerMinute);
  rows.forEach((row, i) => (row.nextAttemptAt = times[i]!));
  for (let i = 0; i < rows.length; i += 500) await tx.insert(outbox).values(rows.slice(i, i + 500));
  return rows.length;
}
