import { sql, type SQL } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { ERASED } from '../../core/privacy/requests.js';
import {
  retentionCutoffs,
  retentionRunDate,
  type RetentionCutoffs,
  type RetentionSettings,
} from '../../core/privacy/retention.js';
import { queryRows, type Tx } from '../../db/client.js';
import type { AttachmentStorage } from '../../storage/attachment-storage.js';
import type { Deps } from '../deps.js';
import { eraseChats, eraseCustomerData, erasedStrings } from './erase-customer-data.js';

// Retention (PIPL Art. 19: no longer than necessary; Cybersecurity Law: logs at least six months).
// Once a day (local date, `retention_runs.run_date` unique) the retention job removes or anonymises
// what is past its class's period, in batches: each batch picks its rows with FOR UPDATE SKIP LOCKED
// and adds what it did to the day's run row in one statement, so any number of nodes may work on
// the same day's run at once without doing a row twice or losing a count. The run is finished when
// a pass finds nothing left.

/** The classes, in the order a pass takes them; each is a count in `retention_runs.counts`. */
export const RETENTION_CLASSES = [
  'closed_tickets',
  'recordings',
  'exports',
  'portal_codes',
  'portal_sessions',
  'access_log',
  'outbox',
  'chats',
] as const;
type RetentionClass = (typeof RETENTION_CLASSES)[number];

type Batch = { count: number; storageKeys: string[] };

async function batchOf(tx: Tx, cls: RetentionClass, c: RetentionCutoffs, now: Date, limit: number): Promise<Batch> {
  const rows = (q: SQL) => queryRows<Record<string, unknown>>(tx, q);
  const plain = async (q: SQL): Promise<Batch> => ({ count: (await rows(q)).length, storageKeys: [] });
  switch (cls) {
    case 'closed_tickets': {
      // Closed long enough ago and not under an open regulator case: the content goes, the facts stay.
      const picked = await rows(
        sql`SELECT t.id FROM tickets t
            WHERE t.status = 'closed' AND t.anonymised_at IS NULL AND t.closed_at < ${c.closedTicketsBefore}
              AND NOT EXISTS (SELECT 1 FROM regulator_referrals r WHERE r.ticket_id = t.id AND r.status = 'open')
            ORDER BY t.closed_at LIMIT ${limit} FOR UPDATE OF t SKIP LOCKED`,
      );
      const ticketIds = picked.map((p) => String(p.id));
      if (ticketIds.length === 0) return { count: 0, storageKeys: [] };
      const erased = await eraseCustomerData(tx, { kind: 'tickets', ticketIds }, now);
      await tx.execute(
        sql`UPDATE tickets SET anonymised_at = ${now} WHERE anonymised_at IS NULL AND id IN (${sql.join(
          ticketIds.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`,
      );
      return { count: ticketIds.length, storageKeys: erased.storageKeys };
    }
    case 'recordings': {
      const calls = await rows(
        sql`UPDATE call_records SET recording_url = NULL WHERE id IN (
              SELECT id FROM call_records WHERE recording_url IS NOT NULL
                AND coalesce(ended_at, started_at, created_at) < ${c.recordingsBefore}
              LIMIT ${limit} FOR UPDATE SKIP LOCKED) RETURNING call_id, ticket_id`,
      );
      // The link on the ticket's timeline goes too (only an erasure may write the marker there).
      const linked = calls.filter((r) => r.ticket_id !== null);
      if (linked.length > 0) {
        await tx.execute(sql`SELECT set_config('loopdesk.erasure', 'on', true)`);
        for (const r of linked)
          await tx.execute(
            sql`UPDATE ticket_events SET data = data || ${JSON.stringify({ recordingUrl: ERASED })}::jsonb
                WHERE ticket_id = ${r.ticket_id as string} AND kind = 'call_linked' AND data ->> 'callId' = ${r.call_id as string}
                  AND data ->> 'recordingUrl' IS NOT NULL AND data ->> 'recordingUrl' <> ${ERASED}`,
          );
      }
      return { count: calls.length, storageKeys: [] };
    }
    case 'exports': {
      const done = await rows(
        sql`WITH picked AS (
              SELECT id, export_storage_key AS key FROM privacy_requests
              WHERE export_state = 'ready' AND export_expires_at < ${now}
              LIMIT ${limit} FOR UPDATE SKIP LOCKED)
            UPDATE privacy_requests p SET export_state = 'expired', export_storage_key = NULL, updated_at = ${now}
            FROM picked WHERE p.id = picked.id RETURNING picked.key`,
      );
      return {
        count: done.length,
        storageKeys: done.map((d) => d.key).filter((k): k is string => typeof k === 'string'),
      };
    }
    case 'portal_codes':
      return plain(
        sql`DELETE FROM portal_codes WHERE id IN (
              SELECT id FROM portal_codes WHERE created_at < ${c.portalCodesBefore} LIMIT ${limit} FOR UPDATE SKIP LOCKED)
            RETURNING 1`,
      );
    case 'portal_sessions':
      return plain(
        sql`DELETE FROM portal_sessions WHERE token_hash IN (
              SELECT token_hash FROM portal_sessions WHERE expires_at < ${c.portalCodesBefore}
              LIMIT ${limit} FOR UPDATE SKIP LOCKED)
            RETURNING 1`,
      );
    case 'access_log':
      // The append-only guard lets only the retention job, declaring itself, remove old rows.
      await tx.execute(sql`SELECT set_config('loopdesk.retention', 'on', true)`);
      return plain(
        sql`DELETE FROM pii_access_log WHERE id IN (
              SELECT id FROM pii_access_log WHERE created_at < ${c.accessLogBefore} LIMIT ${limit} FOR UPDATE SKIP LOCKED)
            RETURNING 1`,
      );
    case 'outbox':
      // Delivered or given up: who it went to and what it said go; that it went stays.
      return plain(
        sql`UPDATE outbox SET recipient = ${ERASED}, payload = ${erasedStrings(sql`payload`)}, last_error = NULL
            WHERE id IN (
              SELECT id FROM outbox WHERE state IN ('sent', 'logged', 'dead') AND created_at < ${c.outboxBefore}
                AND recipient <> ${ERASED}
              LIMIT ${limit} FOR UPDATE SKIP LOCKED)
            RETURNING 1`,
      );
    case 'chats': {
      // Live chats follow the ticket messages' rule: ended (or, never ended, last active) longer ago
      // than the period, their words and the account id go. A chat that became a ticket is part of
      // that ticket and goes with it (closed_tickets above), so a held ticket keeps its chat too.
      const picked = await rows(
        sql`SELECT id FROM chat_conversations
            WHERE anonymised_at IS NULL AND ticket_id IS NULL AND coalesce(ended_at, updated_at) < ${c.chatsBefore}
            ORDER BY coalesce(ended_at, updated_at) LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
      );
      if (picked.length === 0) return { count: 0, storageKeys: [] };
      const chatIds = sql.join(
        picked.map((p) => sql`${String(p.id)}::uuid`),
        sql`, `,
      );
      await eraseChats(tx, sql`(${chatIds})`, now);
      return { count: picked.length, storageKeys: [] };
    }
    default:
      return cls satisfies never;
  }
}

export type RetentionPass = { runDate: string; busy: boolean; counts: Partial<Record<RetentionClass, number>> };

/**
 * One pass of today's retention run: a batch of each class. `busy` while it found work (run it
 * again at once); the pass that finds nothing marks the day's run finished. Files leave storage
 * after each batch commits.
 */
export async function applyRetention(
  deps: Deps & { storage: AttachmentStorage },
  settings: RetentionSettings,
  batch = 200,
): Promise<RetentionPass> {
  const now = deps.clock.now();
  const runDate = retentionRunDate(now, deps.timeZone);
  const zero = Object.fromEntries(RETENTION_CLASSES.map((k) => [k, 0]));
  await deps.db.execute(
    sql`INSERT INTO retention_runs (id, run_date, started_at, counts, settings)
        VALUES (${uuidv7()}, ${runDate}::date, ${now}, ${JSON.stringify(zero)}::jsonb, ${JSON.stringify(settings)}::jsonb)
        ON CONFLICT (run_date) DO NOTHING`,
  );
  const [run] = await queryRows<{ id: string; finished: boolean }>(
    deps.db,
    sql`SELECT id, finished_at IS NOT NULL AS finished FROM retention_runs WHERE run_date = ${runDate}::date`,
  );
  if (!run || run.finished) return { runDate, busy: false, counts: {} };
  const cutoffs = retentionCutoffs(now, settings);
  const counts: Partial<Record<RetentionClass, number>> = {};
  for (const cls of RETENTION_CLASSES) {
    const done = await deps.db.transaction(async (tx) => {
      const b = await batchOf(tx, cls, cutoffs, now, batch);
      if (b.count > 0)
        // Added in one statement: another node's batch adds its own.
        await tx.execute(
          sql`UPDATE retention_runs SET counts = jsonb_set(counts, ${`{${cls}}`}::text[],
                to_jsonb(coalesce((counts ->> ${cls})::int, 0) + ${b.count}::int))
              WHERE id = ${run.id}`,
        );
      return b;
    });
    await Promise.all(done.storageKeys.map((key) => deps.storage.remove(key)));
    if (done.count > 0) counts[cls] = done.count;
  }
  const busy = Object.keys(counts).length > 0;
  if (!busy)
    await deps.db.execute(
      sql`UPDATE retention_runs SET finished_at = ${deps.clock.now()} WHERE id = ${run.id} AND finished_at IS NULL`,
    );
  return { runDate, busy, counts };
}
