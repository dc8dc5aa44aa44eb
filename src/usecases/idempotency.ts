import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { AppError } from '../core/errors/app-error.js';
import type { Db, Tx } from '../db/client.js';
import { preparedOn } from '../db/prepared.js';
import { idempotencyKeys } from '../db/schema.js';

/**
 * Claims an Idempotency-Key inside the transaction that creates `resourceId`. Returns null when the
 * key is new (create the resource), or the id the first request created (answer with that). The
 * claim comes first, so a racing retry waits on its row until the first transaction ends. The same
 * key with a different request is refused.
 */
export async function claimIdempotencyKey(
  db: Db,
  tx: Tx,
  claim: { scope: string; key: string; request: unknown; resourceId: string },
  now: Date,
): Promise<string | null> {
  const requestHash = createHash('sha256').update(JSON.stringify(claim.request)).digest('hex');
  const claimed = await preparedOn(db, tx, 'idempotency_claim', '', (d, name) =>
    d
      .insert(idempotencyKeys)
      .values({
        scope: sql.placeholder('scope'),
        key: sql.placeholder('key'),
        requestHash: sql.placeholder('requestHash'),
        resourceId: sql.placeholder('resourceId'),
        createdAt: sql.placeholder('createdAt'),
      })
      .onConflictDoNothing()
      .returning({ resourceId: idempotencyKeys.resourceId })
      .prepare(name),
  ).execute({ scope: claim.scope, key: claim.key, requestHash, resourceId: claim.resourceId, createdAt: now });
  if (claimed.length > 0) return null;
  const [existing] = await tx
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.scope, claim.scope), eq(idempotencyKeys.key, claim.key)));
  if (!existing) throw new Error('idempotency key vanished'); // keys are never deleted in a transaction
  if (existing.requestHash !== requestHash) {
    throw new AppError(
      'idempotency.key_reused',
      'This Idempotency-Key was already used for a different request; use a new key for a new one',
    );
  }
  return existing.resourceId;
}
