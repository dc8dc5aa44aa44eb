import { eq, sql, type SQL } from 'drizzle-orm';
import {
  CC_MEASURES,
  emptyCcMeasures,
  factsDelta,
  type CcMeasure,
  type ContactFacts,
} from '../../core/contact-centre/figures.js';
import type { Tx } from '../../db/client.js';
import { contactFacts, contactIntervalFacts } from '../../db/schema.js';

// Keeps the interval roll-up in step with one contact: what the contact contributed before (its
// contact_facts row) is replaced by what it contributes now, and only the difference is added to
// the interval rows. A repeated event computes the same facts and writes nothing; a late event
// that moves a contact to another interval takes it out of the old one. The caller holds the
// contact's own row lock (the call record, or the conversation), so two nodes never interleave
// on one contact; the interval rows are changed with `+ excluded`, in key order (no deadlocks).

export const COLUMN: Record<CcMeasure, string> = {
  offered: 'offered',
  answered: 'answered',
  abandoned: 'abandoned',
  short_abandoned: 'short_abandoned',
  answered_in_sl: 'answered_in_sl',
  answer_wait_ms: 'answer_wait_ms',
  abandon_wait_ms: 'abandon_wait_ms',
  conversations: 'conversations',
  ended: 'ended',
  contained: 'contained',
  first_responses: 'first_responses',
  first_response_ms: 'first_response_ms',
  first_response_in_target: 'first_response_in_target',
};

function storedFacts(row: typeof contactFacts.$inferSelect | undefined): ContactFacts | null {
  if (!row) return null;
  const cells = emptyCcMeasures();
  for (const m of CC_MEASURES) cells[m] = Number(row.cells[m] ?? 0);
  return {
    media: row.media,
    queue: row.queue,
    interval: { start: row.intervalStart, day: row.day, minute: row.minute },
    cells,
  };
}

/** Replaces what contact `key` contributes with `after` (null: nothing). Returns the rows changed. */
export async function applyContactFacts(tx: Tx, key: string, after: ContactFacts | null, now: Date): Promise<number> {
  const [row] = await tx.select().from(contactFacts).where(eq(contactFacts.contactKey, key)).for('update');
  const deltas = factsDelta(storedFacts(row), after).sort(
    (a, b) =>
      a.key.start.getTime() - b.key.start.getTime() ||
      a.key.media.localeCompare(b.key.media) ||
      a.key.queue.localeCompare(b.key.queue),
  );
  if (deltas.length === 0) return 0;
  for (const d of deltas) {
    const columns = CC_MEASURES.map((m) => sql.raw(`"${COLUMN[m]}"`));
    const values = CC_MEASURES.map((m) => sql`${d.cells[m]}`);
    const updates = CC_MEASURES.map((m) =>
      sql.raw(`"${COLUMN[m]}" = contact_interval_facts."${COLUMN[m]}" + excluded."${COLUMN[m]}"`),
    );
    await tx.execute(sql`
      INSERT INTO contact_interval_facts (interval_start, media, queue, day, minute, updated_at, ${sql.join(columns, sql`, `)})
      VALUES (${d.key.start.toISOString()}::timestamptz, ${d.key.media}, ${d.key.queue}, ${d.key.day}::date, ${d.key.minute}, ${now.toISOString()}::timestamptz, ${sql.join(values, sql`, `)})
      ON CONFLICT (interval_start, media, queue) DO UPDATE SET ${sql.join(updates, sql`, `)}, updated_at = excluded.updated_at`);
  }
  if (!after) await tx.delete(contactFacts).where(eq(contactFacts.contactKey, key));
  else {
    const values = {
      media: after.media,
      queue: after.queue,
      intervalStart: after.interval.start,
      day: after.interval.day,
      minute: after.interval.minute,
      cells: { ...after.cells },
      updatedAt: now,
    };
    await tx
      .insert(contactFacts)
      .values({ contactKey: key, ...values })
      .onConflictDoUpdate({ target: contactFacts.contactKey, set: values });
  }
  return deltas.length;
}

const TABLE_COLUMN = {
  offered: contactIntervalFacts.offered,
  answered: contactIntervalFacts.answered,
  abandoned: contactIntervalFacts.abandoned,
  short_abandoned: contactIntervalFacts.shortAbandoned,
  answered_in_sl: contactIntervalFacts.answeredInSl,
  answer_wait_ms: contactIntervalFacts.answerWaitMs,
  abandon_wait_ms: contactIntervalFacts.abandonWaitMs,
  conversations: contactIntervalFacts.conversations,
  ended: contactIntervalFacts.ended,
  contained: contactIntervalFacts.contained,
  first_responses: contactIntervalFacts.firstResponses,
  first_response_ms: contactIntervalFacts.firstResponseMs,
  first_response_in_target: contactIntervalFacts.firstResponseInTarget,
} satisfies Record<CcMeasure, unknown>;

/** Sums of every measure of the roll-up rows selected, as numbers on both engines. */
export const measureSums = () =>
  Object.fromEntries(
    CC_MEASURES.map((m) => [m, sql<number>`coalesce(sum(${TABLE_COLUMN[m]}), 0)::float8`.mapWith(Number)]),
  ) as Record<CcMeasure, SQL<number>>;
