import { sql, type SQL } from 'drizzle-orm';
import { ERASED } from '../../core/privacy/requests.js';
import { ERASABLE_EVENT_FIELDS } from '../../core/privacy/erasure.js';
import { redactPersonalData, type KnownPersonalData } from '../../core/knowledge/redact.js';
import { queryRows, type Tx } from '../../db/client.js';

// Erasure of one customer's personal data wherever it lives (PIPL Art. 47). The records stay for
// statistics (ticket type, category, channel, dates, SLA facts, survey scores), their personal
// content goes: the profile and numbers, ticket text and conversation, file names and files, call
// numbers and recordings, survey comments and recipients, callback notes, outbound messages, the
// words the KPI roll-up counted, the reasons written in the access log and on the timeline, case
// drafts and the copies of their data. Tickets a law keeps (see core/privacy/erasure.ts) are left
// as they are, and with them the profile.
//
// One function for the preview and the real thing: the preview runs it in a savepoint and rolls
// back, so what it counts is what the approval changes. Files are removed after commit (the keys
// are returned).

/**
 * customer: everything about one person (a deletion request), but the held tickets; tickets: the
 * content of these tickets only (the retention job's anonymisation of old closed tickets).
 */
export type ErasureScope =
  | { kind: 'customer'; customerId: string; heldTicketIds: readonly string[]; keepProfile: boolean }
  | { kind: 'tickets'; ticketIds: readonly string[] };
export type ErasureResult = { counts: Record<string, number>; storageKeys: string[] };

const ids = (list: readonly string[]) =>
  sql.join(
    list.map((id) => sql`${id}::uuid`),
    sql`, `,
  );

/** A jsonb object with its string values replaced by the marker, except ids, numbers, kinds and times. */
export const erasedStrings = (column: SQL) => sql`(
  SELECT coalesce(jsonb_object_agg(e.key,
           CASE WHEN jsonb_typeof(e.value) = 'string' AND e.key !~ '^(kind|id|number|field|channel|status|state|unit|metric)$|(Id|Number|At)$'
                THEN ${JSON.stringify(ERASED)}::jsonb ELSE e.value END), '{}'::jsonb)
  FROM jsonb_each(${column}) e)`;

export async function eraseCustomerData(tx: Tx, scope: ErasureScope, now: Date): Promise<ErasureResult> {
  const C = scope.kind === 'customer' ? scope.customerId : null;
  const held = scope.kind === 'customer' ? scope.heldTicketIds : [];
  const counts: Record<string, number> = {};
  const storageKeys: string[] = [];
  const run = async (table: string, query: SQL) => {
    const rows = await queryRows(tx, query);
    if (rows.length > 0) counts[table] = (counts[table] ?? 0) + rows.length;
    return rows;
  };
  // Declared for this transaction only: the append-only guards let an erasure write the marker.
  await tx.execute(sql`SELECT set_config('loopdesk.erasure', 'on', true)`);

  const notHeld = (column: SQL) => (held.length ? sql`AND ${column} NOT IN (${ids(held)})` : sql``);
  // The tickets whose content is erased now: the customer's but the held ones, or the ones given.
  const T =
    scope.kind === 'customer'
      ? sql`(SELECT id FROM tickets WHERE customer_id = ${C} ${notHeld(sql`id`)})`
      : sql`(SELECT id FROM tickets WHERE id IN (${scope.ticketIds.length ? ids(scope.ticketIds) : sql`NULL`}))`;
  const inT = (column: SQL) => sql`${column} IN ${T}`;
  const outsideHeld = (column: SQL) =>
    held.length ? sql`(${column} IS NULL OR ${column} NOT IN (${ids(held)}))` : sql`true`;
  /** Rows about the person (customer scope), or only those of the tickets (tickets scope). */
  const theirs = (byCustomer: SQL, ticketColumn: SQL) =>
    C === null ? inT(ticketColumn) : sql`(${byCustomer}) AND ${outsideHeld(ticketColumn)}`;

  // What identifies the person, to find it in text that is kept (case articles, answers).
  const known: KnownPersonalData =
    C === null ? { names: [], numbers: [], emails: [], addresses: [] } : await knownPersonalData(tx, C);
  const numbers = [...known.numbers];
  const addresses = [...numbers, ...known.emails];
  const recipientIn = (column: SQL) =>
    addresses.length
      ? sql`${column} IN (${sql.join(
          addresses.map((a) => sql`${a}`),
          sql`, `,
        )})`
      : sql`false`;

  await run(
    'tickets',
    sql`UPDATE tickets SET subject = ${ERASED}, description = ${ERASED}, details = '{}'::jsonb, contact_number = NULL,
          search_text = '', anonymised_at = coalesce(anonymised_at, ${now})
        WHERE ${inT(sql`id`)} AND (subject <> ${ERASED} OR description <> ${ERASED} OR contact_number IS NOT NULL
          OR details <> '{}'::jsonb) RETURNING 1`,
  );
  await run(
    'ticket_messages',
    sql`UPDATE ticket_messages SET body = ${ERASED} WHERE ${inT(sql`ticket_id`)} AND body <> ${ERASED} RETURNING 1`,
  );
  // Live chats: the customer's conversations (but one that became a held ticket), or those that
  // became the tickets given. Every message (the agent's and the bot's quote the customer too) and
  // the messaging account's id.
  const chats =
    C === null
      ? sql`(SELECT id FROM chat_conversations WHERE ${inT(sql`ticket_id`)})`
      : sql`(SELECT id FROM chat_conversations WHERE customer_id = ${C} AND ${outsideHeld(sql`ticket_id`)})`;
  for (const [table, n] of Object.entries(await eraseChats(tx, chats, now)))
    if (n > 0) counts[table] = (counts[table] ?? 0) + n;
  for (const [kind, fields] of Object.entries(ERASABLE_EVENT_FIELDS)) {
    const patch = JSON.stringify(Object.fromEntries(fields.map((f) => [f, ERASED])));
    const present = sql.join(
      fields.map((f) => sql`(data ? ${f} AND data ->> ${f} <> ${ERASED})`),
      sql` OR `,
    );
    // Only the fields the event has: erasing adds no keys.
    await run(
      'ticket_events',
      sql`UPDATE ticket_events SET data = data || (
            SELECT coalesce(jsonb_object_agg(p.key, p.value), '{}'::jsonb) FROM jsonb_each(${patch}::jsonb) p WHERE data ? p.key)
          WHERE kind = ${kind} AND ${inT(sql`ticket_id`)} AND (${present}) RETURNING 1`,
    );
  }
  const files = await run(
    'attachments',
    sql`UPDATE attachments SET file_name = ${ERASED}, erased_at = ${now}
        WHERE ${inT(sql`ticket_id`)} AND erased_at IS NULL RETURNING storage_key`,
  );
  storageKeys.push(...files.map((f) => String(f.storage_key)));
  await run(
    'pii_access_log',
    sql`UPDATE pii_access_log SET reason = ${ERASED}
        WHERE ${theirs(sql`customer_id = ${C}`, sql`ticket_id`)} AND reason <> ${ERASED} RETURNING 1`,
  );
  await run(
    'call_records',
    sql`UPDATE call_records SET caller = ${ERASED}, recording_url = NULL
        WHERE ${theirs(sql`customer_id = ${C} OR ${inT(sql`ticket_id`)}`, sql`ticket_id`)}
          AND (caller <> ${ERASED} OR recording_url IS NOT NULL) RETURNING 1`,
  );
  await run(
    'surveys',
    sql`UPDATE surveys SET recipient = NULL, comment = NULL, token_hash = NULL,
          status = CASE WHEN status IN ('scheduled', 'sent') THEN 'skipped' ELSE status END,
          skip_reason = CASE WHEN status IN ('scheduled', 'sent') THEN 'opted_out' ELSE skip_reason END
        WHERE ${theirs(sql`customer_id = ${C}`, sql`ticket_id`)}
          AND (recipient IS NOT NULL OR comment IS NOT NULL OR status IN ('scheduled', 'sent')) RETURNING 1`,
  );
  await run(
    'callbacks',
    sql`UPDATE callbacks SET remedy = ${ERASED} WHERE ${inT(sql`ticket_id`)} AND remedy IS NOT NULL AND remedy <> ${ERASED} RETURNING 1`,
  );
  await run(
    'callback_attempts',
    sql`UPDATE callback_attempts SET note = ${ERASED}
        WHERE callback_id IN (SELECT id FROM callbacks WHERE ${inT(sql`ticket_id`)}) AND note <> '' AND note <> ${ERASED} RETURNING 1`,
  );
  // What staff wrote while handling a problem a survey raised (0034).
  await run(
    'survey_problems',
    sql`UPDATE survey_problems SET handling_note = CASE WHEN handling_note IS NULL THEN NULL ELSE ${ERASED} END,
          resolution = CASE WHEN resolution IS NULL THEN NULL ELSE ${ERASED} END
        WHERE ${inT(sql`ticket_id`)} AND (handling_note <> ${ERASED} OR resolution <> ${ERASED}) RETURNING 1`,
  );
  await run(
    'subtasks',
    sql`UPDATE subtasks SET title = ${ERASED}, description = ${ERASED}, result = CASE WHEN result IS NULL THEN NULL ELSE ${ERASED} END
        WHERE ${inT(sql`ticket_id`)} AND (title <> ${ERASED} OR description <> ${ERASED}) RETURNING 1`,
  );
  // Messages sent to them: nothing pending leaves any more; recipient and text go.
  await run(
    'outbox',
    sql`UPDATE outbox SET recipient = ${ERASED}, payload = ${erasedStrings(sql`payload`)}, last_error = NULL,
          state = CASE WHEN state = 'pending' THEN 'dead' ELSE state END
        WHERE (${inT(sql`ticket_id`)} OR (${recipientIn(sql`recipient`)} AND ${outsideHeld(sql`ticket_id`)}))
          AND recipient <> ${ERASED} RETURNING 1`,
  );
  await run(
    'notifications',
    sql`UPDATE notifications SET payload = ${erasedStrings(sql`payload`)}
        WHERE ${inT(sql`ticket_id`)} AND payload <> ${erasedStrings(sql`payload`)} RETURNING 1`,
  );
  if (C !== null)
    await run(
      'incident_remedies',
      sql`UPDATE incident_remedies SET note = ${ERASED} WHERE customer_id = ${C} AND note <> '' AND note <> ${ERASED} RETURNING 1`,
    );
  // The words the KPI roll-up counted for their tickets leave the daily counts (hot issues).
  const words = await queryRows<{ created_day: string; word: string }>(
    tx,
    sql`SELECT f.created_day::text AS created_day, w.word FROM kpi_ticket_facts f, jsonb_array_elements_text(f.words) w(word)
        WHERE ${inT(sql`f.ticket_id`)}`,
  );
  for (const w of words)
    await tx.execute(
      sql`UPDATE kpi_daily_words SET contacts = contacts - 1 WHERE day = ${w.created_day}::date AND word = ${w.word}`,
    );
  if (words.length > 0) {
    counts.kpi_daily_words = words.length;
    await tx.execute(sql`DELETE FROM kpi_daily_words WHERE contacts <= 0`);
  }
  await run(
    'kpi_ticket_facts',
    sql`UPDATE kpi_ticket_facts SET words = '[]'::jsonb WHERE ${inT(sql`ticket_id`)} AND words <> '[]'::jsonb RETURNING 1`,
  );
  // Case drafts from their tickets that nobody reviewed yet are dropped; reviewed cases lose every
  // trace of the person that redaction may have missed, and their link to the ticket.
  await run(
    'kb_articles',
    sql`DELETE FROM kb_articles WHERE kind = 'case' AND ${inT(sql`source_ticket_id`)}
          AND published_version_id IS NULL AND status IN ('draft', 'in_review') RETURNING 1`,
  );
  const cases = await queryRows<{ id: string }>(
    tx,
    sql`SELECT id FROM kb_articles WHERE ${inT(sql`source_ticket_id`)}`,
  );
  for (const c of cases) await redactCase(tx, c.id, known);
  if (cases.length > 0) counts.kb_articles = (counts.kb_articles ?? 0) + cases.length;
  if (C !== null) {
    // Their copies: the files go, the requests stay (what was asked and answered), without their words.
    const exports = await queryRows<{ key: string }>(
      tx,
      sql`SELECT export_storage_key AS key FROM privacy_requests WHERE customer_id = ${C} AND export_storage_key IS NOT NULL`,
    );
    storageKeys.push(...exports.map((e) => e.key));
    await run(
      'privacy_requests',
      sql`UPDATE privacy_requests SET details = CASE WHEN details IS NULL THEN NULL ELSE ${ERASED} END,
          export_state = CASE WHEN export_storage_key IS NULL THEN export_state ELSE 'expired' END,
          export_storage_key = NULL, updated_at = ${now}
        WHERE customer_id = ${C} AND ((details IS NOT NULL AND details <> ${ERASED}) OR export_storage_key IS NOT NULL)
        RETURNING 1`,
    );
  }
  // Closed regulator cases: the claim, facts and reply, and the evidence packs' files.
  await run(
    'regulator_referrals',
    sql`UPDATE regulator_referrals SET claim = ${ERASED}, facts = ${ERASED},
          reply_text = CASE WHEN reply_text IS NULL THEN NULL ELSE ${ERASED} END
        WHERE ${theirs(sql`customer_id = ${C}`, sql`ticket_id`)} AND claim <> ${ERASED} RETURNING 1`,
  );
  const packs = await run(
    'regulator_evidence_packs',
    sql`DELETE FROM regulator_evidence_packs WHERE referral_id IN (
          SELECT id FROM regulator_referrals WHERE ${theirs(sql`customer_id = ${C}`, sql`ticket_id`)})
        RETURNING storage_key`,
  );
  storageKeys.push(...packs.map((p) => String(p.storage_key)));
  const mail = await run(
    'quarantined_mail',
    sql`UPDATE quarantined_mail SET envelope_from = NULL, envelope_to = '{}'
        WHERE ${inT(sql`resolved_ticket_id`)} AND (envelope_from IS NOT NULL OR envelope_to <> '{}') RETURNING storage_key`,
  );
  storageKeys.push(...mail.map((m) => String(m.storage_key)));

  if (C !== null && scope.kind === 'customer' && !scope.keepProfile) {
    await run(
      'incident_notices',
      sql`UPDATE incident_notices SET msisdn = ${ERASED} WHERE customer_id = ${C} AND msisdn <> ${ERASED} RETURNING 1`,
    );
    if (numbers.length) {
      const list = sql.join(
        numbers.map((n) => sql`${n}`),
        sql`, `,
      );
      await run('portal_codes', sql`DELETE FROM portal_codes WHERE msisdn IN (${list}) RETURNING 1`);
      // Sign-in and code counters keyed by the number (they expire anyway; the number goes now).
      for (const n of numbers)
        await run('rate_limits', sql`DELETE FROM rate_limits WHERE strpos(key, ${n}) > 0 RETURNING 1`);
      await run('survey_opt_outs', sql`DELETE FROM survey_opt_outs WHERE msisdn IN (${list}) RETURNING 1`);
      await run('notice_opt_outs', sql`DELETE FROM notice_opt_outs WHERE msisdn IN (${list}) RETURNING 1`);
    }
    await run('portal_sessions', sql`DELETE FROM portal_sessions WHERE customer_id = ${C} RETURNING 1`);
    await run('customer_identities', sql`DELETE FROM customer_identities WHERE customer_id = ${C} RETURNING 1`);
    await run('customer_numbers', sql`DELETE FROM customer_numbers WHERE customer_id = ${C} RETURNING 1`);
    await run(
      'customers',
      sql`UPDATE customers SET name = ${ERASED}, id_number = NULL, address = NULL, erased_at = ${now}, updated_at = ${now}
          WHERE id = ${C} AND erased_at IS NULL RETURNING 1`,
    );
  }
  if (C !== null) {
    // Answers already given to them keep their sense without naming them.
    const answers = await queryRows<{ id: string; answer: string }>(
      tx,
      sql`SELECT id, answer FROM privacy_requests WHERE customer_id = ${C} AND answer IS NOT NULL`,
    );
    for (const a of answers) {
      const redacted = redactPersonalData(a.answer, known);
      if (redacted !== a.answer)
        await tx.execute(sql`UPDATE privacy_requests SET answer = ${redacted} WHERE id = ${a.id}`);
    }
  }
  return { counts, storageKeys: [...new Set(storageKeys)] };
}

/**
 * The transcripts of the chats a subquery names: every message's words (the agent's and the bot's
 * quote the customer too) and the messaging account's id; marked `anonymised_at`. The erasure on
 * request and the retention run share it. Rows changed per table.
 */
export async function eraseChats(
  tx: Tx,
  chats: SQL,
  now: Date,
): Promise<{ chat_messages: number; chat_conversations: number }> {
  await tx.execute(sql`SELECT set_config('loopdesk.erasure', 'on', true)`);
  const messages = await queryRows(
    tx,
    sql`UPDATE chat_messages SET body = ${ERASED}, payload = '{}'::jsonb
        WHERE conversation_id IN ${chats} AND (body <> ${ERASED} OR payload <> '{}'::jsonb) RETURNING 1`,
  );
  const conversations = await queryRows(
    tx,
    sql`UPDATE chat_conversations SET external_user_id = NULL, anonymised_at = coalesce(anonymised_at, ${now})
        WHERE id IN ${chats} AND (external_user_id IS NOT NULL OR anonymised_at IS NULL) RETURNING 1`,
  );
  return { chat_messages: messages.length, chat_conversations: conversations.length };
}

/** The customer's name, numbers, email and chat addresses and address as recorded. */
async function knownPersonalData(tx: Tx, customerId: string): Promise<KnownPersonalData> {
  const [c] = await queryRows<{ name: string; id_number: string | null; address: string | null }>(
    tx,
    sql`SELECT name, id_number, address FROM customers WHERE id = ${customerId}`,
  );
  const numbers = await queryRows<{ v: string }>(
    tx,
    sql`SELECT msisdn AS v FROM customer_numbers WHERE customer_id = ${customerId}
        UNION SELECT contact_number FROM tickets WHERE customer_id = ${customerId} AND contact_number IS NOT NULL
        UNION SELECT caller FROM call_records WHERE customer_id = ${customerId}`,
  );
  const identities = await queryRows<{ v: string }>(
    tx,
    sql`SELECT external_user_id AS v FROM customer_identities WHERE customer_id = ${customerId}`,
  );
  const keep = (v: string | null | undefined): v is string => typeof v === 'string' && v !== ERASED && v.length >= 2;
  return {
    names: [c?.name].filter(keep),
    numbers: [...numbers.map((n) => n.v), c?.id_number].filter(keep),
    emails: identities.map((i) => i.v).filter(keep),
    addresses: [c?.address].filter(keep),
  };
}

/** A reviewed case drawn from an erased ticket: every text and version redacted, the link to the ticket cut. */
async function redactCase(tx: Tx, id: string, known: KnownPersonalData): Promise<void> {
  const r = (s: string) => redactPersonalData(s, known);
  const [a] = await queryRows<Record<string, string>>(
    tx,
    sql`SELECT title, body, symptom, cause, resolution, title_search, search_text FROM kb_articles WHERE id = ${id}`,
  );
  if (!a) return;
  await tx.execute(
    sql`UPDATE kb_articles SET title = ${r(a.title!)}, body = ${r(a.body!)}, symptom = ${r(a.symptom!)},
          cause = ${r(a.cause!)}, resolution = ${r(a.resolution!)}, title_search = ${r(a.title_search!)},
          search_text = ${r(a.search_text!)}, source_ticket_id = NULL WHERE id = ${id}`,
  );
  const versions = await queryRows<{ id: string; content: unknown }>(
    tx,
    sql`SELECT id, content FROM kb_versions WHERE article_id = ${id}`,
  );
  for (const v of versions) {
    const content = redactJson(v.content, r);
    await tx.execute(sql`UPDATE kb_versions SET content = ${JSON.stringify(content)}::jsonb WHERE id = ${v.id}`);
  }
}

function redactJson(v: unknown, r: (s: string) => string): unknown {
  if (typeof v === 'string') return r(v);
  if (Array.isArray(v)) return v.map((x) => redactJson(x, r));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redactJson(x, r)]));
  return v;
}
