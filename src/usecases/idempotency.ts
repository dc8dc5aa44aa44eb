import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { AppError } from '../core/errors/app-error.js';
import type { Db, Tx } from '../db/client.js';
import { preparedOn } from '../db/prepared.js';
import { idempotencyKeys } from '../db/schema.js';

/** An Idempotency-Key claimed for the resource `resourceId` that `request` is about to create. */
export type IdempotencyClaim = { scope: string; key: string; request: unknown; resourceId: string };

/** The key's row: the request's hash is what tells a retry (same hash) from a reused key. */
export function idempotencyKeyRow(claim: IdempotencyClaim, now: Date) {
  return {
    scope: claim.scope,
    key: claim.key,
    requestHash: createHash('sha256').update(JSON.stringify(claim.request)).digest('hex'),
    resourceId: claim.resourceId,
    createdAt: now,
  };
}

/**
 * The claim itself, to prepare (its values are placeholders named as `idempotencyKeyRow`'s
 * fields): it returns a row when the key is new. A key inserted by a transaction still running
 * makes it wait for that transaction; once it committed, it returns nothing.
 */
export function insertIdempotencyKey(db: Db) {
  return db
    .insert(idempotencyKeys)
    .values({
      scope: sql.placeholder('scope'),
      key: sql.placeholder('key'),
      requestHash: sql.placeholder('requestHash'),
      resourceId: sql.placeholder('resourceId'),
      createdAt: sql.placeholder('createdAt'),
    })
    .onConflictDoNothing()
    .returning({ resourceId: idempotencyKeys.resourceId });
}

/**
 * After a claim found its key taken: the id the first request with this key created, or, for a
 * different request, the refusal. A statement of its own, run after the claim: the claim's
 * statement read the database as it was before it waited for the first transaction, so it could
 * not see that transaction's row.
 */
export async function earlierResource(
  tx: Tx,
  row: { scope: string; key: string; requestHash: string },
): Promise<string> {
  const [existing] = await tx
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.scope, row.scope), eq(idempotencyKeys.key, row.key)));
  if (!existing) throw new Error('idempotency key vanished'); // keys are never deleted in a transaction
  if (existing.requestHash !== row.requestHash) {
    throw new AppError(
      'idempotency.key_reused',
      'This Idempotency-Key was already used for a different request; use a new key for a new one',
    );
  }
  return existing.resourceId;
}

/**
 * Claims an Idempotency-Key inside the transaction that creates `resourceId`. Returns null when the
 * key is new (create the resource), or the id the first request created (answer with that). The
 * claim comes first, so a racing retry waits on its row until the first transaction ends. The same
 * key with a different request is refused. (Ticket creation claims its key in the statement that
 * reads the new ticket's facts instead: see routeNewTicket.)
 */
export async function claimIdempotencyKey(db: Db, tx: Tx, claim: IdempotencyClaim, now: Date): Promise<string | null> {
  const row = idempotencyKeyRow(claim, now);
  const claimed = await preparedOn(db, tx, 'idempotency_claim', '', (d, name) =>
    insertIdempotencyKey(d).prepare(name),
  ).execute(row);
  return claimed.length > 0 ? null : earlierResource(tx, row);
}
