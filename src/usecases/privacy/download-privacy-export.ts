import type { Readable } from 'node:stream';
import { and, eq } from 'drizzle-orm';
import type { Actor } from '../../core/auth/policy.js';
import { AppError, notFound } from '../../core/errors/app-error.js';
import { piiAccessLog, privacyRequests } from '../../db/schema.js';
import type { AttachmentStorage } from '../../storage/attachment-storage.js';
import type { Deps } from '../deps.js';
import { requirePrivacyDesk } from './read-privacy-requests.js';

// The copy of a customer's data leaves the server only through here: by the customer signed in
// to the portal, or by the privacy desk (to hand over a copy an agent recorded), until it expires.
// Every download is written to the append-only access log in the same transaction.

export type Downloader = { via: 'portal'; customerId: string } | { via: 'desk'; actor: Actor };

export async function downloadPrivacyExport(
  deps: Deps & { storage: AttachmentStorage },
  who: Downloader,
  requestId: string,
): Promise<{ stream: Readable; size: number | null; fileName: string }> {
  if (who.via === 'desk') requirePrivacyDesk(who.actor);
  const now = deps.clock.now();
  const row = await deps.db.transaction(async (tx) => {
    const [r] = await tx
      .select()
      .from(privacyRequests)
      .where(
        and(
          eq(privacyRequests.id, requestId),
          who.via === 'portal' ? eq(privacyRequests.customerId, who.customerId) : undefined,
        ),
      );
    if (!r || r.kind !== 'access') throw notFound('Request');
    if (r.exportState === 'expired' || (r.exportExpiresAt && r.exportExpiresAt <= now))
      throw new AppError('privacy.export_expired', 'The download has expired; ask for a new copy');
    if (r.exportState !== 'ready' || !r.exportStorageKey)
      throw new AppError('privacy.export_not_ready', 'The copy is not ready yet');
    await tx.insert(piiAccessLog).values({
      staffId: who.via === 'desk' ? who.actor.id : null,
      byCustomer: who.via === 'portal',
      customerId: r.customerId,
      field: 'export',
      reason: who.via === 'portal' ? 'copy downloaded by the customer' : 'copy downloaded for the customer',
      createdAt: now,
    });
    return r;
  });
  return {
    stream: deps.storage.get(row.exportStorageKey!),
    size: row.exportSize,
    fileName: `personal-data-${row.receivedAt.toISOString().slice(0, 10)}.zip`,
  };
}
