import { and, eq, ne, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { canSuperviseQuality, type Actor } from '../../core/auth/policy.js';
import { AppError } from '../../core/errors/app-error.js';
import { itemsOf } from '../../core/quality/scorecard.js';
import { queryRows } from '../../db/client.js';
import { qaCoaching, qaReviews } from '../../db/schema.js';
import type { Deps } from '../deps.js';
import { loadCoaching, loadReviews } from './load-quality.js';
import { scorecardInUse } from './scorecards.js';

/**
 * The supervisor's quality overview for a period: per agent (reviews, average final score, pass
 * rate, disputes) from the reporting facts; per scorecard item the average normalised score;
 * the open disputes and the coaching not yet closed. Calibration reviews never count.
 */
export async function readQualityOverview(
  deps: Deps,
  actor: Actor,
  q: { from?: string | undefined; to?: string | undefined },
) {
  if (!canSuperviseQuality(actor)) throw new AppError('auth.forbidden', 'The quality overview is for supervisors');
  const today = DateTime.fromJSDate(deps.clock.now(), { zone: deps.timeZone }).startOf('day');
  const to = q.to ? DateTime.fromISO(q.to, { zone: deps.timeZone }) : today;
  const from = q.from ? DateTime.fromISO(q.from, { zone: deps.timeZone }) : to.minus({ days: 29 });
  if (from > to) throw new AppError('request.invalid', '`from` must not be after `to`', { field: 'from' });
  const start = from.toJSDate();
  const end = to.plus({ days: 1 }).toJSDate();

  const agents = await queryRows<{
    agent_id: string;
    name: string | null;
    reviews: number;
    average: number;
    pass_rate: number;
    disputes: number;
  }>(
    deps.db,
    sql`SELECT f.agent_id, s.display_name AS name, count(*)::int AS reviews,
               round(avg(f.final_score)::numeric, 1)::float8 AS average,
               round(avg(CASE WHEN f.passed THEN 100 ELSE 0 END)::numeric, 1)::float8 AS pass_rate,
               count(*) FILTER (WHERE f.disputed)::int AS disputes
          FROM qa_review_facts f LEFT JOIN staff s ON s.id = f.agent_id
         WHERE f.reviewed_at >= ${start} AND f.reviewed_at < ${end}
         GROUP BY f.agent_id, s.display_name
         ORDER BY average ASC, f.agent_id`,
  );
  const items = await queryRows<{ item_id: string; reviews: number; average: number }>(
    deps.db,
    sql`SELECT i->>'itemId' AS item_id, count(*)::int AS reviews,
               round(avg((i->>'normalised')::numeric), 1)::float8 AS average
          FROM qa_reviews r, jsonb_array_elements(r.items) AS i
         WHERE r.calibration_id IS NULL AND r.submitted_at >= ${start} AND r.submitted_at < ${end}
         GROUP BY i->>'itemId'`,
  );
  const card = await scorecardInUse(deps.db);
  const labels = new Map(itemsOf(card.definition).map((i, k) => [i.id, { label: i.label, order: k }]));
  const disputes = await loadReviews(deps.db, eq(qaReviews.status, 'disputed'), { limit: 100, order: 'oldest' });
  const coaching = await loadCoaching(deps.db, and(ne(qaCoaching.status, 'done')), 100);
  return {
    from: from.toISODate()!,
    to: to.toISODate()!,
    agents: agents.map((a) => ({
      agent: { id: a.agent_id, displayName: a.name ?? '' },
      reviews: Number(a.reviews),
      averageScore: Number(a.average),
      passRate: Number(a.pass_rate),
      disputes: Number(a.disputes),
    })),
    items: items
      .map((i) => ({
        itemId: i.item_id,
        label: labels.get(i.item_id)?.label ?? { zh: i.item_id, en: i.item_id },
        reviews: Number(i.reviews),
        averageScore: Number(i.average),
        order: labels.get(i.item_id)?.order ?? 999,
      }))
      .sort((a, b) => a.order - b.order)
      .map(({ order: _order, ...rest }) => rest),
    disputes,
    coaching,
  };
}
