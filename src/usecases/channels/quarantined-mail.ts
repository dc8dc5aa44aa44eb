import type { Readable } from 'node:stream';
import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import { z } from 'zod';
import { canSupervise, type Actor } from '../../core/auth/policy.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import { quarantinedMail } from '../../db/schema.js';
import { readMail } from '../../channels/email/parse-mail.js';
import { QUARANTINE_HEAD_BYTES } from './email/quarantine-mail.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { receiveEmail, type EmailDeps } from './receive-email.js';

// Mail the intake could not use, kept with its raw bytes: supervisors and administrators see why,
// read it, and take it in again once the cause is fixed.

const ListCursor = z.object({ c: z.iso.datetime(), i: z.uuid() });

/** One page of quarantined mail, newest first (keyset on arrival time and id). */
export async function pageQuarantinedMail(
  deps: EmailDeps,
  actor: Actor,
  opts: { unresolvedOnly?: boolean; limit?: number; cursor?: string | undefined } = {},
) {
  if (!canSupervise(actor))
    throw new AppError('auth.forbidden', 'Only supervisors and administrators see quarantined mail');
  const limit = opts.limit ?? 50;
  const after = decodeCursor(opts.cursor, ListCursor);
  const rows = await deps.db
    .select()
    .from(quarantinedMail)
    .where(
      and(
        opts.unresolvedOnly === false ? undefined : isNull(quarantinedMail.resolvedTicketId),
        after
          ? or(
              lt(quarantinedMail.receivedAt, new Date(after.c)),
              and(eq(quarantinedMail.receivedAt, new Date(after.c)), lt(quarantinedMail.id, after.i)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(quarantinedMail.receivedAt), desc(quarantinedMail.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last ? encodeCursor({ c: last.receivedAt.toISOString(), i: last.id }) : null,
  };
}

/** The first page's rows (the newest), for callers that need no paging. */
export async function listQuarantinedMail(
  deps: EmailDeps,
  actor: Actor,
  opts: { unresolvedOnly?: boolean; limit?: number } = {},
) {
  return (await pageQuarantinedMail(deps, actor, opts)).items;
}

/** The raw bytes of a quarantined mail (message/rfc822), for the administrator to inspect. */
export async function openQuarantinedMail(deps: EmailDeps, actor: Actor, id: string) {
  if (!canSupervise(actor))
    throw new AppError('auth.forbidden', 'Only supervisors and administrators see quarantined mail');
  const [row] = await deps.db.select().from(quarantinedMail).where(eq(quarantinedMail.id, id));
  if (!row) throw notFound('Quarantined mail');
  return { mail: row, stream: deps.storage.get(row.storageKey) };
}

export type RetryOutcome =
  | { outcome: 'accepted'; ticketId: string; ticketNumber: string; created: boolean }
  | { outcome: 'recorded' | 'dropped'; ticketId: string | null }
  | { outcome: 'still_quarantined'; reason: string }
  | { outcome: 'already_resolved'; ticketId: string };

/**
 * Takes a quarantined mail in again (after the cause was fixed, or when an administrator judges a
 * suspected loop to be a real customer). Without the loop check; safe to repeat.
 */
export async function retryQuarantinedMail(deps: EmailDeps, actor: Actor, id: string): Promise<RetryOutcome> {
  if (!canSupervise(actor))
    throw new AppError('auth.forbidden', 'Only supervisors and administrators retry quarantined mail');
  const [row] = await deps.db.select().from(quarantinedMail).where(eq(quarantinedMail.id, id));
  if (!row) throw notFound('Quarantined mail');
  if (row.resolvedTicketId) return { outcome: 'already_resolved', ticketId: row.resolvedTicketId };
  if (row.reason.startsWith('too_large'))
    return {
      outcome: 'still_quarantined',
      reason: `${row.reason}; only the first ${QUARANTINE_HEAD_BYTES} bytes were kept, ask the sender to send it again smaller`,
    };
  const raw = await readAll(deps.storage.get(row.storageKey));
  const envelope = { from: row.envelopeFrom, to: row.envelopeTo };
  const read = await readMail(raw);
  if ('unreadable' in read) {
    await deps.db.update(quarantinedMail).set({ retriedAt: deps.clock.now() }).where(eq(quarantinedMail.id, id));
    return { outcome: 'still_quarantined', reason: read.unreadable };
  }
  const result = await receiveEmail(deps, { mail: read.mail, raw, envelope, retryOf: id });
  switch (result.outcome) {
    case 'accepted':
      return {
        outcome: 'accepted',
        ticketId: result.ticketId,
        ticketNumber: result.ticketNumber,
        created: result.created,
      };
    case 'recorded':
    case 'dropped':
      await deps.db.update(quarantinedMail).set({ retriedAt: deps.clock.now() }).where(eq(quarantinedMail.id, id));
      return { outcome: result.outcome, ticketId: result.outcome === 'recorded' ? result.ticketId : null };
    case 'quarantined':
      return { outcome: 'still_quarantined', reason: result.reason };
    default:
      return result satisfies never;
  }
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
