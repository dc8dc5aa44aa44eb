import { inArray } from 'drizzle-orm';
import { ALWAYS_OPEN, calendarMath } from '../../core/sla/business-calendar.js';
import { BusinessCalendarSchema } from '../../contracts/sla.js';
import type { CalendarMath } from '../../core/sla/target-clock.js';
import type { DbOrTx } from '../../db/client.js';
import { businessCalendars } from '../../db/schema.js';

/** Calendar math for the given ids; '24×7' (`always`) needs no row. Unknown ids count as 24×7. */
export async function loadCalendarMath(db: DbOrTx, ids: string[]): Promise<(id: string) => CalendarMath> {
  const wanted = [...new Set(ids)].filter((id) => id !== ALWAYS_OPEN.id);
  const rows = wanted.length
    ? await db.select().from(businessCalendars).where(inArray(businessCalendars.id, wanted))
    : [];
  const maths = new Map<string, CalendarMath>([[ALWAYS_OPEN.id, calendarMath(ALWAYS_OPEN)]]);
  for (const row of rows) {
    const parsed = BusinessCalendarSchema.safeParse(row.definition);
    if (parsed.success) maths.set(row.id, calendarMath(parsed.data));
  }
  return (id) => maths.get(id) ?? maths.get(ALWAYS_OPEN.id)!;
}
