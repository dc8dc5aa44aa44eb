import { PassThrough } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { DbOrTx } from '../../db/client.js';
import { queryRows } from '../../db/client.js';
import {
  attachments,
  callRecords,
  callbacks,
  chatConversations,
  chatMessages,
  consents,
  customerIdentities,
  customerNumbers,
  customers,
  outbox,
  piiAccessLog,
  privacyRequests,
  surveys,
  ticketMessages,
  tickets,
} from '../../db/schema.js';
import type { AttachmentStorage } from '../../storage/attachment-storage.js';
import type { Deps } from '../deps.js';
import { privacySettingsOf } from './privacy-settings.js';

// Access and copy (PIPL Art. 45): everything held about a customer, machine-readable — one JSON
// document and one CSV per section in a ZIP, with the files they sent. Built by the privacy-export
// job (each node claims a queued request with SKIP LOCKED; a run that died is taken over after a
// lease), with its progress on the request, and kept for LOOPDESK_PRIVACY_EXPORT_DAYS.

const LEASE_MS = 15 * 60_000;
type Section = Record<string, unknown>[];

/** Every section of the copy, in the order of the ZIP. */
export async function collectCustomerData(db: DbOrTx, customerId: string) {
  const [profile] = await db
    .select({
      id: customers.id,
      name: customers.name,
      idNumber: customers.idNumber,
      address: customers.address,
      tier: customers.tier,
      region: customers.region,
      plans: customers.plans,
      createdAt: customers.createdAt,
      updatedAt: customers.updatedAt,
    })
    .from(customers)
    .where(eq(customers.id, customerId));
  const numbers = await db
    .select({ msisdn: customerNumbers.msisdn, position: customerNumbers.position })
    .from(customerNumbers)
    .where(eq(customerNumbers.customerId, customerId))
    .orderBy(asc(customerNumbers.position));
  const identities = await db
    .select({ channel: customerIdentities.channel, address: customerIdentities.externalUserId })
    .from(customerIdentities)
    .where(eq(customerIdentities.customerId, customerId));
  const ticketRows = await db
    .select({
      id: tickets.id,
      number: tickets.number,
      type: tickets.type,
      status: tickets.status,
      channel: tickets.channel,
      subject: tickets.subject,
      description: tickets.description,
      contactNumber: tickets.contactNumber,
      details: tickets.details,
      createdAt: tickets.createdAt,
      resolvedAt: tickets.resolvedAt,
      closedAt: tickets.closedAt,
    })
    .from(tickets)
    .where(eq(tickets.customerId, customerId))
    .orderBy(asc(tickets.createdAt));
  const ticketIds = ticketRows.map((t) => t.id);
  const byTicket = <T>(q: (ids: string[]) => Promise<T[]>) => (ticketIds.length ? q(ticketIds) : Promise.resolve([]));
  // The conversation the customer had with us (internal notes are the operator's working papers).
  const messages = await byTicket((ids) =>
    db
      .select({
        id: ticketMessages.id,
        ticketId: ticketMessages.ticketId,
        fromCustomer: ticketMessages.fromCustomer,
        channel: ticketMessages.channel,
        body: ticketMessages.body,
        createdAt: ticketMessages.createdAt,
      })
      .from(ticketMessages)
      .where(and(inArray(ticketMessages.ticketId, ids), eq(ticketMessages.visibility, 'public')))
      .orderBy(asc(ticketMessages.createdAt)),
  );
  const files = await byTicket((ids) =>
    db
      .select({
        id: attachments.id,
        ticketId: attachments.ticketId,
        fileName: attachments.fileName,
        contentType: attachments.contentType,
        size: attachments.size,
        storageKey: attachments.storageKey,
        createdAt: attachments.createdAt,
      })
      .from(attachments)
      .leftJoin(ticketMessages, eq(ticketMessages.id, attachments.messageId))
      .where(
        and(
          inArray(attachments.ticketId, ids),
          isNull(attachments.erasedAt),
          or(isNull(attachments.messageId), eq(ticketMessages.visibility, 'public')),
        ),
      ),
  );
  const calls = await db
    .select({
      callId: callRecords.callId,
      caller: callRecords.caller,
      ticketId: callRecords.ticketId,
      ivrPath: callRecords.ivrPath,
      recordingUrl: callRecords.recordingUrl,
      startedAt: callRecords.startedAt,
      answeredAt: callRecords.answeredAt,
      endedAt: callRecords.endedAt,
    })
    .from(callRecords)
    .where(
      ticketIds.length
        ? or(eq(callRecords.customerId, customerId), inArray(callRecords.ticketId, ticketIds))
        : eq(callRecords.customerId, customerId),
    );
  const surveyRows = await db
    .select({
      ticketId: surveys.ticketId,
      status: surveys.status,
      channel: surveys.channel,
      recipient: surveys.recipient,
      sentAt: surveys.sentAt,
      answeredAt: surveys.answeredAt,
      csat: surveys.csat,
      nps: surveys.nps,
      speed: surveys.speed,
      quality: surveys.quality,
      attitude: surveys.attitude,
      convenience: surveys.convenience,
      comment: surveys.comment,
    })
    .from(surveys)
    .where(eq(surveys.customerId, customerId));
  const callbackRows = await byTicket((ids) =>
    db
      .select({
        ticketId: callbacks.ticketId,
        status: callbacks.status,
        remedy: callbacks.remedy,
        outcome: callbacks.outcome,
        createdAt: callbacks.createdAt,
        completedAt: callbacks.completedAt,
      })
      .from(callbacks)
      .where(inArray(callbacks.ticketId, ids)),
  );
  const recipients = [...numbers.map((n) => n.msisdn), ...identities.map((i) => i.address)];
  const sent = await db
    .select({
      channel: outbox.channel,
      recipient: outbox.recipient,
      ticketId: outbox.ticketId,
      payload: outbox.payload,
      state: outbox.state,
      createdAt: outbox.createdAt,
      sentAt: outbox.sentAt,
    })
    .from(outbox)
    .where(
      or(
        ticketIds.length ? inArray(outbox.ticketId, ticketIds) : sql`false`,
        recipients.length ? inArray(outbox.recipient, recipients) : sql`false`,
      ),
    )
    .orderBy(asc(outbox.createdAt));
  const consentRows = await db
    .select({ purpose: consents.purpose, granted: consents.granted, channel: consents.channel, at: consents.createdAt })
    .from(consents)
    .where(eq(consents.customerId, customerId))
    .orderBy(asc(consents.createdAt));
  const requests = await db
    .select({
      kind: privacyRequests.kind,
      status: privacyRequests.status,
      details: privacyRequests.details,
      receivedAt: privacyRequests.receivedAt,
      dueAt: privacyRequests.dueAt,
      completedAt: privacyRequests.completedAt,
      answer: privacyRequests.answer,
    })
    .from(privacyRequests)
    .where(eq(privacyRequests.customerId, customerId));
  // Who looked at their unmasked data, when and why (the staff member is named by role only).
  const accessLog = await queryRows<Record<string, unknown>>(
    db,
    sql`SELECT l.field, l.reason, l.by_customer AS "byCustomer", s.role AS "staffRole", l.created_at AS "at"
        FROM ${piiAccessLog} l LEFT JOIN staff s ON s.id = l.staff_id
        WHERE l.customer_id = ${customerId} ORDER BY l.created_at`,
  );
  // Their live chats and every line said in them (the customer's, the bot's and the agent's words;
  // a system line by its kind, so the agent who took the chat is not named).
  const chats = await db
    .select({
      id: chatConversations.id,
      channel: chatConversations.channel,
      state: chatConversations.state,
      outcome: chatConversations.outcome,
      ticketNumber: tickets.number,
      startedAt: chatConversations.createdAt,
      endedAt: chatConversations.endedAt,
    })
    .from(chatConversations)
    .leftJoin(tickets, eq(tickets.id, chatConversations.ticketId))
    .where(eq(chatConversations.customerId, customerId))
    .orderBy(asc(chatConversations.createdAt), asc(chatConversations.id));
  const chatLines = await db
    .select({
      conversationId: chatMessages.conversationId,
      seq: chatMessages.seq,
      author: chatMessages.author,
      body: sql<string>`CASE WHEN ${chatMessages.author} = 'system' THEN coalesce(${chatMessages.payload} ->> 'kind', '')
        ELSE ${chatMessages.body} END`,
      createdAt: chatMessages.createdAt,
    })
    .from(chatMessages)
    .innerJoin(chatConversations, eq(chatConversations.id, chatMessages.conversationId))
    .where(eq(chatConversations.customerId, customerId))
    .orderBy(asc(chatConversations.createdAt), asc(chatConversations.id), asc(chatMessages.seq));
  // Remedies (compensation) recorded by other features, where that table exists on this database.
  const remedies = await optionalSection(db, 'remedies', customerId, ticketIds);
  return {
    sections: {
      profile: profile ? [profile] : [],
      numbers,
      identities,
      tickets: ticketRows,
      messages,
      attachments: files.map(({ storageKey: _key, ...f }) => f),
      call_records: calls,
      surveys: surveyRows,
      callbacks: callbackRows,
      remedies,
      chats,
      chat_messages: chatLines,
      messages_sent: sent.map(({ payload, ...o }) => ({ ...o, text: outboxText(payload) })),
      consents: consentRows,
      privacy_requests: requests,
      access_log: accessLog,
    } satisfies Record<string, Section>,
    files,
  };
}

function outboxText(payload: unknown): string {
  const p = payload as { text?: string; body?: string; subject?: string };
  return [p.subject, p.body, p.text].filter(Boolean).join('\n');
}

/** A section from a table another feature adds (by customer_id or ticket_id), empty when the table is absent. */
async function optionalSection(db: DbOrTx, table: string, customerId: string, ticketIds: string[]): Promise<Section> {
  const columns = await queryRows<{ column_name: string }>(
    db,
    sql`SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ${table}`,
  );
  const names = new Set(columns.map((c) => c.column_name));
  const where = names.has('customer_id')
    ? sql`customer_id = ${customerId}`
    : names.has('ticket_id') && ticketIds.length
      ? sql`ticket_id IN (${sql.join(
          ticketIds.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`
      : null;
  if (!where) return [];
  return queryRows(db, sql`SELECT * FROM ${sql.identifier(table)} WHERE ${where}`);
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function toCsv(rows: Section): string {
  if (rows.length === 0) return '';
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return stringify(
    rows.map((r) => columns.map((c) => cell(r[c]))),
    { header: true, columns, bom: true },
  );
}

/**
 * Claims one queued copy (or one whose builder died) and builds it. Returns whether it did one.
 * Safe on several nodes: the claim is an UPDATE of a row picked with SKIP LOCKED.
 */
export async function buildNextPrivacyExport(deps: Deps & { storage: AttachmentStorage }): Promise<boolean> {
  const now = deps.clock.now();
  const [claimed] = await queryRows<{ id: string; customer_id: string }>(
    deps.db,
    sql`UPDATE ${privacyRequests} SET export_state = 'running', export_started_at = ${now}, export_progress = 0,
          export_error = NULL, updated_at = ${now}
        WHERE id = (
          SELECT id FROM ${privacyRequests}
          WHERE export_state = 'queued'
             OR (export_state = 'running' AND export_started_at < ${new Date(now.getTime() - LEASE_MS)})
          ORDER BY received_at, id
          FOR UPDATE SKIP LOCKED LIMIT 1)
        RETURNING id, customer_id`,
  );
  if (!claimed) return false;
  const progress = (n: number) =>
    deps.db.update(privacyRequests).set({ exportProgress: n }).where(eq(privacyRequests.id, claimed.id));
  try {
    const { sections, files } = await collectCustomerData(deps.db, claimed.customer_id);
    await progress(40);
    const key = uuidv7();
    const { ZipArchive } = await import('archiver'); // loaded on first use (memory at start)
    const zip = new ZipArchive({ zlib: { level: 6 } });
    const out = new PassThrough();
    zip.pipe(out);
    const stored = deps.storage.put(key, out, Number.MAX_SAFE_INTEGER);
    const generatedAt = deps.clock.now().toISOString();
    zip.append(JSON.stringify({ generatedAt, ...sections }, null, 2), { name: 'customer-data.json' });
    for (const [name, rows] of Object.entries(sections)) zip.append(toCsv(rows), { name: `csv/${name}.csv` });
    for (const f of files)
      zip.append(deps.storage.get(f.storageKey), { name: `attachments/${f.id}/${safeName(f.fileName)}` });
    await progress(70);
    await zip.finalize();
    const { size } = await stored;
    const done = deps.clock.now();
    const [row] = await deps.db
      .update(privacyRequests)
      .set({
        exportState: 'ready',
        exportProgress: 100,
        exportStorageKey: key,
        exportSize: size,
        exportExpiresAt: new Date(done.getTime() + privacySettingsOf(deps).exportDays * 86_400_000),
        // The copy is provided once it can be downloaded: that answers the request.
        status: sql`CASE WHEN ${privacyRequests.status} = 'open' THEN 'completed' ELSE ${privacyRequests.status} END`,
        completedAt: sql`coalesce(${privacyRequests.completedAt}, ${done})`,
        updatedAt: done,
      })
      .where(and(eq(privacyRequests.id, claimed.id), eq(privacyRequests.exportState, 'running')))
      .returning({ id: privacyRequests.id });
    if (!row) await deps.storage.remove(key);
  } catch (err) {
    await deps.db
      .update(privacyRequests)
      .set({ exportState: 'failed', exportError: err instanceof Error ? err.message.slice(0, 500) : 'failed' })
      .where(eq(privacyRequests.id, claimed.id));
  }
  return true;
}

/** A file name safe inside a ZIP (no folders, no control characters). */
const safeName = (name: string) => name.replace(/[/\\\x00-\x1f]/g, '_').slice(0, 200) || 'file';
