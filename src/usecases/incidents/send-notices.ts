import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import {
  ACTIVE_INCIDENT_STATUSES,
  mayNotify,
  noticeSendTimes,
  noticeText,
  restoredNoticeText,
} from '../../core/incidents/incidents.js';
import { OutboxPayload } from '../../contracts/events.js';
import { queryRows, type Tx } from '../../db/client.js';
import { incidentNotices, incidents, outbox } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { announce, incidentSettings, noticeQuietHours, type IncidentRow } from './incident-access.js';

// Proactive notices (issue 17, 主动告知): the customers whose registered region lies in an active
// incident's areas are told by SMS before they call, and told again when the service is back.
// One batch is one transaction that holds the incident's row (SKIP LOCKED: another node takes
// another incident or nothing), inserts the notice rows (primary key: one per customer and
// incident) and their outbox rows together, and moves the incident's cursor. A node that dies
// mid-batch leaves nothing of it; the next run does the batch again. Send times are spread at the
// rate limit and never fall in the quiet hours.

export type NoticeRunCounts = { queued: number; skipped: number; restored: number; cancelled: number };

/** One batch for every incident that has work; `busy` when some incident had a full batch. */
export async function sendIncidentNotices(
  deps: Deps,
  opts: { batch?: number } = {},
): Promise<NoticeRunCounts & { busy: boolean }> {
  const batch = opts.batch ?? 500;
  const totals = { queued: 0, skipped: 0, restored: 0, cancelled: 0, busy: false };
  const active = await deps.db
    .select({ id: incidents.id })
    .from(incidents)
    .where(and(eq(incidents.notifyCustomers, true), inArray(incidents.status, [...ACTIVE_INCIDENT_STATUSES])));
  for (const { id } of active) {
    const r = await deps.db.transaction((tx) => noticeBatch(tx, deps, id, batch));
    totals.queued += r.queued;
    totals.skipped += r.skipped;
    totals.busy ||= r.full;
  }
  const resolved = await queryRows<{ id: string }>(
    deps.db,
    sql`SELECT i.id FROM ${incidents} i WHERE i.status IN ('resolved', 'reviewed')
          AND EXISTS (SELECT 1 FROM ${incidentNotices} n WHERE n.incident_id = i.id AND n.restored_at IS NULL)`,
  );
  for (const { id } of resolved) {
    const r = await deps.db.transaction((tx) => restoredBatch(tx, deps, id, batch));
    totals.restored += r.restored;
    totals.cancelled += r.cancelled;
    totals.busy ||= r.full;
  }
  return totals;
}

async function claimIncident(tx: Tx, id: string, where: 'active' | 'closed'): Promise<IncidentRow | null> {
  const statuses = where === 'active' ? [...ACTIVE_INCIDENT_STATUSES] : ['resolved' as const, 'reviewed' as const];
  const [row] = await tx
    .select()
    .from(incidents)
    .where(and(eq(incidents.id, id), inArray(incidents.status, statuses)))
    .for('update', { skipLocked: true });
  return row ?? null;
}

/** The send times of `count` messages of this incident, continuing after its last one. */
function slots(deps: Deps, incident: IncidentRow, count: number, now: Date) {
  const from = incident.noticeSlotAt && incident.noticeSlotAt.getTime() > now.getTime() ? incident.noticeSlotAt : now;
  return noticeSendTimes(count, from, incidentSettings(deps).messagesPerMinute, noticeQuietHours(deps));
}

type Candidate = { id: string; msisdn: string | null; opted_out: boolean; consent: boolean | null };

/** The consent to service notices in force (the latest record), and the opt-out list, for a customer's number. */
const eligibility = (customerId: SQL, msisdn: SQL) => sql`
  EXISTS (SELECT 1 FROM notice_opt_outs o WHERE o.msisdn = ${msisdn}) AS opted_out,
  (SELECT c.granted FROM consents c WHERE c.customer_id = ${customerId} AND c.purpose = 'notices'
     ORDER BY c.created_at DESC, c.id DESC LIMIT 1) AS consent`;

async function noticeBatch(tx: Tx, deps: Deps, id: string, batch: number) {
  const none = { queued: 0, skipped: 0, full: false };
  const incident = await claimIncident(tx, id, 'active');
  if (!incident?.notifyCustomers) return none;
  const now = deps.clock.now();
  // The next customers of the areas by id, each with their first number.
  const scanned = await queryRows<Candidate>(
    tx,
    sql`SELECT cu.id, num.msisdn, ${eligibility(sql`cu.id`, sql`num.msisdn`)}
          FROM customers cu
          LEFT JOIN LATERAL (SELECT n.msisdn FROM customer_numbers n WHERE n.customer_id = cu.id
                               ORDER BY n.position, n.msisdn LIMIT 1) num ON true
         WHERE cu.region IN (${sql.join(
           incident.areas.map((a) => sql`${a}`),
           sql`, `,
         )})
           ${incident.noticeCursor ? sql`AND cu.id > ${incident.noticeCursor}` : sql``}
         ORDER BY cu.id
         LIMIT ${batch}`,
  );
  if (scanned.length === 0) return none;
  const eligible = scanned.filter((c) =>
    mayNotify({ msisdn: c.msisdn, optedOut: c.opted_out, consent: c.consent }),
  ) as (Candidate & { msisdn: string })[];
  // The primary key keeps a customer from a second notice (areas edited, the cursor reset).
  const inserted =
    eligible.length === 0
      ? []
      : await tx
          .insert(incidentNotices)
          .values(
            eligible.map((c) => ({
              incidentId: id,
              customerId: c.id,
              msisdn: c.msisdn,
              outboxId: uuidv7(),
              createdAt: now,
            })),
          )
          .onConflictDoNothing()
          .returning({ outboxId: incidentNotices.outboxId, msisdn: incidentNotices.msisdn });
  const { times, nextSlot } = slots(deps, incident, inserted.length, now);
  const payload = OutboxPayload.parse({
    kind: 'incident_notice',
    incidentId: id,
    text: noticeText(incident, deps.timeZone),
  });
  for (let i = 0; i < inserted.length; i += 500)
    await tx.insert(outbox).values(
      inserted.slice(i, i + 500).map((n, k) => ({
        id: n.outboxId,
        channel: 'sms' as const,
        recipient: n.msisdn,
        ticketId: null,
        payload,
        nextAttemptAt: times[i + k]!,
        createdAt: now,
      })),
    );
  await tx
    .update(incidents)
    .set({ noticeCursor: scanned.at(-1)!.id, ...(inserted.length > 0 ? { noticeSlotAt: nextSlot } : {}) })
    .where(eq(incidents.id, id));
  if (inserted.length > 0) await announce(tx, { kind: 'incident', id });
  return { queued: inserted.length, skipped: scanned.length - inserted.length, full: scanned.length === batch };
}

/**
 * After resolution, every notified customer not yet told: an outage notice that never left is
 * withdrawn (no message at all), one that left is followed by the restoration notice (consent and
 * opt-out checked again). Customers the bulk resolution told on their ticket are already marked.
 */
async function restoredBatch(tx: Tx, deps: Deps, id: string, batch: number) {
  const incident = await claimIncident(tx, id, 'closed');
  if (!incident) return { restored: 0, cancelled: 0, full: false };
  const now = deps.clock.now();
  const rows = await queryRows<Candidate & { outbox_id: string }>(
    tx,
    sql`SELECT n.customer_id AS id, n.msisdn, n.outbox_id, ${eligibility(sql`n.customer_id`, sql`n.msisdn`)}
          FROM incident_notices n
         WHERE n.incident_id = ${id} AND n.restored_at IS NULL
         ORDER BY n.customer_id
         LIMIT ${batch}`,
  );
  if (rows.length === 0) return { restored: 0, cancelled: 0, full: false };
  // Not yet claimed by a sender: withdrawn. A row a sender holds (attempts > 0) counts as sent.
  const withdrawn = await tx
    .update(outbox)
    .set({ state: 'dead', lastError: 'withdrawn: the incident was resolved before it was sent' })
    .where(
      and(
        inArray(
          outbox.id,
          rows.map((r) => r.outbox_id),
        ),
        eq(outbox.state, 'pending'),
        eq(outbox.attempts, 0),
      ),
    )
    .returning({ id: outbox.id });
  // An outage notice that failed for good (or was just withdrawn) is not followed up either.
  const states = await tx
    .select({ id: outbox.id, state: outbox.state })
    .from(outbox)
    .where(
      inArray(
        outbox.id,
        rows.map((r) => r.outbox_id),
      ),
    );
  const gone = new Set(states.filter((o) => o.state === 'dead').map((o) => o.id));
  const tell = rows.filter(
    (r) => !gone.has(r.outbox_id) && mayNotify({ msisdn: r.msisdn, optedOut: r.opted_out, consent: r.consent }),
  );
  const { times, nextSlot } = slots(deps, incident, tell.length, now);
  const payload = OutboxPayload.parse({ kind: 'incident_notice', incidentId: id, text: restoredNoticeText(incident) });
  const outboxIds = new Map<string, string>();
  const values = tell.map((r, i) => {
    const outboxId = uuidv7();
    outboxIds.set(r.id, outboxId);
    return {
      id: outboxId,
      channel: 'sms' as const,
      recipient: r.msisdn!,
      ticketId: null,
      payload,
      nextAttemptAt: times[i]!,
      createdAt: now,
    };
  });
  for (let i = 0; i < values.length; i += 500) await tx.insert(outbox).values(values.slice(i, i + 500));
  await tx.execute(sql`
    UPDATE incident_notices n SET restored_at = ${now}, restored_outbox_id = v.outbox_id::uuid
      FROM (VALUES ${sql.join(
        rows.map((r) => sql`(${r.id}::uuid, ${outboxIds.get(r.id) ?? null})`),
        sql`, `,
      )}) AS v(customer_id, outbox_id)
     WHERE n.incident_id = ${id} AND n.customer_id = v.customer_id`);
  if (tell.length > 0) await tx.update(incidents).set({ noticeSlotAt: nextSlot }).where(eq(incidents.id, id));
  return { restored: tell.length, cancelled: withdrawn.length, full: rows.length === batch };
}
