import { sql } from 'drizzle-orm';
import { queryRows, type DbOrTx } from './client.js';

// Rate limits that hold across app nodes and under parallel requests: each hit is one atomic
// statement (INSERT ... ON CONFLICT DO UPDATE ... RETURNING) on a row per limited thing, so two
// requests can never both read "4 of 5" and both go ahead. A window starts at the first hit
// after the previous one ended, so "one a minute" really means a minute between two.

export type RateLimit = {
  /** What is limited, e.g. `login:user-address:alice|203.0.113.7`. */
  key: string;
  max: number;
  windowMs: number;
};

/**
 * Counts one hit. Returns null while the hit is within the limit, otherwise the seconds until the
 * window ends. Hits over the limit are counted too (they change nothing: the limit is reached).
 */
export async function hitRateLimit(db: DbOrTx, limit: RateLimit, now: Date): Promise<number | null> {
  const at = now.toISOString();
  const [row] = await queryRows<{ hits: number; retry: string | number }>(
    db,
    sql`INSERT INTO rate_limits AS r (key, window_start, hits) VALUES (${limit.key}, ${at}::timestamptz, 1)
        ON CONFLICT (key) DO UPDATE SET
          hits = CASE WHEN r.window_start + ${limit.windowMs}::integer * interval '1 millisecond' <= ${at}::timestamptz
                      THEN 1 ELSE r.hits + 1 END,
          window_start = CASE WHEN r.window_start + ${limit.windowMs}::integer * interval '1 millisecond' <= ${at}::timestamptz
                      THEN excluded.window_start ELSE r.window_start END
        RETURNING r.hits AS hits,
          extract(epoch FROM r.window_start + ${limit.windowMs}::integer * interval '1 millisecond' - ${at}::timestamptz) AS retry`,
  );
  return row!.hits <= limit.max ? null : Math.max(1, Math.ceil(Number(row!.retry)));
}

/** Takes back one hit each (a sign-in that succeeded is not a failure). */
export async function releaseRateLimits(db: DbOrTx, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await db.execute(
    sql`UPDATE rate_limits SET hits = hits - 1 WHERE hits > 0 AND key IN (${sql.join(
      keys.map((k) => sql`${k}`),
      sql`, `,
    )})`,
  );
}

/** Rows whose window began two days ago or more (every window is shorter than a day): nothing reads them. */
export async function pruneRateLimits(db: DbOrTx, now: Date): Promise<number> {
  const rows = await queryRows(
    db,
    sql`DELETE FROM rate_limits WHERE window_start < ${now.toISOString()}::timestamptz - interval '2 days' RETURNING 1`,
  );
  return rows.length;
}
