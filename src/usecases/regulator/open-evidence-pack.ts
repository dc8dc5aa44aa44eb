import { eq } from 'drizzle-orm';
import type { Actor } from '../../core/auth/policy.js';
import { notFound } from '../../core/errors/app-error.js';
import { regulatorEvidencePacks } from '../../db/schema.js';
import type { AttachmentStorage } from '../../storage/attachment-storage.js';
import type { Deps } from '../deps.js';
import { loadReferralFor } from './read-referrals.js';

/** Downloads an evidence pack; access follows its referral case's ticket ("not found" otherwise). */
export async function openEvidencePack(deps: Deps & { storage: AttachmentStorage }, actor: Actor, id: string) {
  const [pack] = await deps.db.select().from(regulatorEvidencePacks).where(eq(regulatorEvidencePacks.id, id));
  if (!pack) throw notFound('Evidence pack');
  await loadReferralFor(deps.db, actor, pack.referralId).catch(() => {
    throw notFound('Evidence pack');
  });
  return { pack, stream: deps.storage.get(pack.storageKey) };
}
