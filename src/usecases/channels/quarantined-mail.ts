import type { Readable } from 'node:stream';
import { desc, eq, isNull } from 'drizzle-orm';
import { canSupervise, type Actor } from '../../core/auth/policy.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import { quarantinedMail } from '../../db/schema.js';
import { readMail } from '../../channels/email/parse-mail.js';
import { QUARANTINE_HEAD_BYTES } from './email/quarantine-mail.js';
import { receiveEmail, type EmailDeps } from './receive-email.js';

// Mail the intake could not use, kept with its raw bytes: supervisors and administrators see why,
// read it, and take it in again once the cause is fixed.

export async function listQuarantinedMail(
  deps: EmailDeps,
  actor: Actor,
  opts: { unresolvedOnly?: boolean; limit?: number } = {},
) {
  if (!canSupervise(actor))
    throw new AppError('auth.forbidden', 'Only supervisors and administrators see quarantined mail');
  return deps.db
    .select()
    .from(quarantinedMail)
    .where(opts.unresolvedOnly === false ? undefined : isNull(quarantinedMail.resolvedTicketId))
    .orderBy(desc(quarantinedMail.receivedAt))
    .limit(opts.limit ?? 50);
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
