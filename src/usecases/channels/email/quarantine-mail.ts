import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { checkMailSize } from '../../../core/channels/email-rules.js';
import { quarantinedMail } from '../../../db/schema.js';
import type { Envelope } from '../../../channels/email/parse-mail.js';
import type { EmailDeps, EmailOutcome } from './intake.js';

export type Quarantined = Extract<EmailOutcome, { outcome: 'quarantined' }>;

// Quarantine (隔离邮件): mail the intake cannot use — unreadable, malformed, oversized, a suspected
// loop, or one the intake failed on — kept with its bytes and envelope for an administrator, who
// sees why and can take it in again (quarantined-mail.ts).

/** Of an oversized mail only the head is kept, for the administrator to see who sent what. */
export const QUARANTINE_HEAD_BYTES = 64 * 1024;

/**
 * Holds the bytes with the reason. The same mail held again (redelivered, or fetched by two IMAP
 * pollers at once) stays one row. On a retry (`retryOf`) the existing row only gets the new reason.
 */
export async function holdMail(
  deps: EmailDeps,
  bytes: Buffer,
  envelope: Envelope,
  reason: string,
  size = bytes.length,
  retryOf?: string,
): Promise<Quarantined> {
  const now = deps.clock.now();
  if (retryOf) {
    await deps.db
      .update(quarantinedMail)
      .set({ retriedAt: now, reason: reason.slice(0, 1000) })
      .where(eq(quarantinedMail.id, retryOf));
    return { outcome: 'quarantined', quarantineId: retryOf, reason };
  }
  const contentHash = createHash('sha256').update(bytes).update(`:${size}`).digest('hex');
  const heldBefore = () =>
    deps.db
      .select({ id: quarantinedMail.id })
      .from(quarantinedMail)
      .where(eq(quarantinedMail.contentHash, contentHash));
  const [held] = await heldBefore();
  if (held) return { outcome: 'quarantined', quarantineId: held.id, reason };

  const id = uuidv7();
  await deps.storage.put(id, Readable.from([bytes]), Number.MAX_SAFE_INTEGER);
  let inserted: { id: string }[];
  try {
    inserted = await deps.db
      .insert(quarantinedMail)
      .values({
        id,
        reason: reason.slice(0, 1000),
        envelopeFrom: envelope.from,
        envelopeTo: envelope.to,
        size,
        storageKey: id,
        receivedAt: now,
        contentHash,
      })
      .onConflictDoNothing({ target: quarantinedMail.contentHash })
      .returning({ id: quarantinedMail.id });
  } catch (err) {
    await deps.storage.remove(id).catch(() => undefined);
    throw err;
  }
  if (inserted.length > 0) return { outcome: 'quarantined', quarantineId: id, reason };
  // Another node held it in the meantime: keep its row, drop our copy of the bytes.
  await deps.storage.remove(id).catch(() => undefined);
  const [winner] = await heldBefore();
  return { outcome: 'quarantined', quarantineId: winner!.id, reason };
}

/** Keeps a mail the intake failed on for a reason of its own (not a passing outage), for an administrator. */
export function quarantineMail(deps: EmailDeps, raw: Buffer, envelope: Envelope, reason: string): Promise<Quarantined> {
  return holdMail(deps, raw, envelope, reason, raw.length);
}

/** Records a mail refused for its size; only its head is kept (it cannot be retried). */
export async function quarantineOversizedMail(
  deps: EmailDeps,
  head: Buffer,
  envelope: Envelope,
  size: number,
  maxBytes: number,
): Promise<Quarantined> {
  const verdict = checkMailSize(size, maxBytes);
  return holdMail(
    deps,
    head.subarray(0, QUARANTINE_HEAD_BYTES),
    envelope,
    verdict.ok ? `too_large: over ${maxBytes} bytes` : verdict.reason,
    size,
  );
}

/** A quarantined mail an administrator retried became a ticket message. */
export async function markQuarantineResolved(deps: EmailDeps, id: string, ticketId: string): Promise<void> {
  await deps.db
    .update(quarantinedMail)
    .set({ retriedAt: deps.clock.now(), resolvedTicketId: ticketId })
    .where(eq(quarantinedMail.id, id));
}
