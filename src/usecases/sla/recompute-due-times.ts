import { and, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { slaTargets, tickets } from '../../db/schema.js';
import { loadCalendarMath } from './calendars.js';
import { clockOf, columnsOf } from './target-rows.js';

/**
 * A calendar changed (a holiday, a make-up working day, working hours): every running clock on it
 * gets its due time and next warning recomputed on the new calendar, as a service centre expects —
 * a ticket due on a day that has just become a holiday is due on the next working day instead.
 * Business time already used stays as recorded, and breaches and warnings already given stay on
 * record. Runs in the calendar's transaction, after the calendar row is written. Returns how many
 * tickets' clocks were recomputed.
 */
export async function recomputeDueTimes(tx: Tx, calendarId: string, now: Date): Promise<number> {
  const rows = await tx
    .select()
    .from(slaTargets)
    .where(and(eq(slaTargets.calendarId, calendarId), isNull(slaTargets.metAt), isNotNull(slaTargets.runningSince)))
    .for('update');
  if (rows.length === 0) return 0;
  const cal = (await loadCalendarMath(tx, [calendarId]))(calendarId);
  for (const row of rows) {
    const { dueAt, nextFireAt } = columnsOf(clockOf(row), cal, now);
    if (dueAt?.getTime() === row.dueAt?.getTime() && nextFireAt?.getTime() === row.nextFireAt?.getTime()) continue;
    await tx.update(slaTargets).set({ dueAt, nextFireAt, updatedAt: now }).where(eq(slaTargets.id, row.id));
  }
  const ticketIds = [...new Set(rows.map((r) => r.ticketId))];
  // What queues sort and filter by: the earliest unmet due time of each ticket.
  await tx
    .update(tickets)
    .set({
      slaDueAt: sql`(SELECT min(${slaTargets.dueAt}) FROM ${slaTargets} WHERE ${slaTargets.ticketId} = ${tickets.id} AND ${slaTargets.metAt} IS NULL)`,
    })
    .where(inArray(tickets.id, ticketIds));
  return ticketIds.length;
}
