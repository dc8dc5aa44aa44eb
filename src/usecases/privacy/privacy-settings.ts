import { eq } from 'drizzle-orm';
import { DEFAULT_PRIVACY_SETTINGS, type PrivacySettings } from '../../core/privacy/requests.js';
import { ALWAYS_OPEN, type BusinessCalendar } from '../../core/sla/business-calendar.js';
import { BusinessCalendarSchema } from '../../contracts/sla.js';
import type { DbOrTx } from '../../db/client.js';
import { businessCalendars } from '../../db/schema.js';
import type { Deps } from '../deps.js';

export const privacySettingsOf = (deps: Pick<Deps, 'privacy'>): PrivacySettings =>
  deps.privacy ?? DEFAULT_PRIVACY_SETTINGS;

/** The calendar the statutory working days are counted on; a missing or unreadable one counts every day (24×7). */
export async function privacyCalendar(db: DbOrTx, id: string): Promise<BusinessCalendar> {
  const [row] = await db.select().from(businessCalendars).where(eq(businessCalendars.id, id));
  const parsed = row ? BusinessCalendarSchema.safeParse(row.definition) : null;
  return parsed?.success ? parsed.data : ALWAYS_OPEN;
}
