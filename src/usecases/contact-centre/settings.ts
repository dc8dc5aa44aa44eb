import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import { canAdminister, type Actor } from '../../core/auth/policy.js';
import {
  contactCentreSettingsProblems,
  mergeContactCentreSettings,
  type ContactCentreSettings,
} from '../../core/contact-centre/figures.js';
import { AppError } from '../../core/errors/app-error.js';
import { ContactCentreSettingsBody } from '../../contracts/contact-centre.js';
import type { DbOrTx } from '../../db/client.js';
import { appSettings } from '../../db/schema.js';
import type { Deps } from '../deps.js';

// Service-level and short-abandon thresholds, peak hours and the chat first-response target:
// defaults until an administrator stores their own (app_settings `contact_centre`). A change
// applies to the contacts recorded from then on (each contact's facts are kept as computed).

const KEY = 'contact_centre';

export async function contactCentreSettingsOf(db: DbOrTx): Promise<ContactCentreSettings> {
  const [row] = await db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, KEY));
  const stored = ContactCentreSettingsBody.safeParse(row?.value ?? {});
  return mergeContactCentreSettings(stored.success ? stored.data : null);
}

export async function setContactCentreSettings(
  deps: Deps,
  actor: Actor,
  body: z.output<typeof ContactCentreSettingsBody>,
): Promise<ContactCentreSettings> {
  if (!canAdminister(actor)) throw new AppError('auth.forbidden', 'Only administrators change contact-centre settings');
  return deps.db.transaction(async (tx) => {
    const next = mergeContactCentreSettings(body, await contactCentreSettingsOf(tx));
    const problems = contactCentreSettingsProblems(next);
    if (problems.length > 0) throw new AppError('contact_centre.invalid_settings', problems.join('; '), { problems });
    const now = deps.clock.now();
    await tx
      .insert(appSettings)
      .values({ key: KEY, value: next, updatedAt: now })
      .onConflictDoUpdate({ target: appSettings.key, set: { value: next, updatedAt: now } });
    return next;
  });
}
