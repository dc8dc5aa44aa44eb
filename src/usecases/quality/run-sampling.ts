import { and, count, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { v7 as uuidv7 } from 'uuid';
import { decideSampling, type SamplingTicket } from '../../core/quality/sampling.js';
import { DEFAULT_QA_SETTINGS } from '../../core/quality/settings.js';
import type { Channel } from '../../core/tickets/types.js';
import { queryRows } from '../../db/client.js';
import { qaSamples, qaSamplingRuns, staff } from '../../db/schema.js';
import type { Deps } from '../deps.js';

/** Tickets tagged so by routing rules or risk alerts count as high-risk (with grades of major and above). */
export const HIGH_RISK_TAG = 'high-risk';
const MAJOR_GRADE = 'major';

/**
 * The daily sampling run: the first node to insert today's run row samples the tickets closed
 * since the previous run's day began (yesterday on a normal day), in the same transaction; a
 * second node waits on that row and then finds the day done. Samples are unique per ticket, so a
 * ticket is inspected once even if runs overlapped.
 */
export async function runDailySampling(
  deps: Deps,
  opts: { random?: () => number } = {},
): Promise<{ ran: boolean; sampled: number; considered: number }> {
  const settings = deps.qa ?? DEFAULT_QA_SETTINGS;
  const today = DateTime.fromJSDate(deps.clock.now(), { zone: deps.timeZone }).startOf('day');
  const day = today.toISODate()!;
  return deps.db.transaction(async (tx) => {
    const claimed = await tx
      .insert(qaSamplingRuns)
      .values({ day, counts: {} })
      .onConflictDoNothing()
      .returning({ day: qaSamplingRuns.day });
    if (claimed.length === 0) return { ran: false, sampled: 0, considered: 0 };
    const [previous] = await tx
      .select({ day: sql<string>`max(${qaSamplingRuns.day})::text` })
      .from(qaSamplingRuns)
      .where(lt(qaSamplingRuns.day, day));
    const from = previous?.day ? DateTime.fromISO(previous.day, { zone: deps.timeZone }) : today.minus({ days: 1 });
    const yesterday = today.minus({ days: 1 });

    const rows = await queryRows<{
      ticket_id: string;
      agent_id: string;
      team_id: string | null;
      channel: Channel;
      low_rating: boolean;
      high_risk: boolean;
    }>(
      tx,
      sql`SELECT t.id AS ticket_id, s.id AS agent_id, s.team_id, t.channel::text AS channel,
                 EXISTS (SELECT 1 FROM surveys v WHERE v.ticket_id = t.id AND v.csat BETWEEN 1 AND 2) AS low_rating,
                 (${HIGH_RISK_TAG} = ANY (t.tags)
                   OR g.rank >= (SELECT rank FROM grades WHERE code = ${MAJOR_GRADE})) AS high_risk
            FROM tickets t
            JOIN staff s ON s.id = coalesce(t.assignee_id, t.first_contact_owner_id)
            JOIN grades g ON g.code = t.grade
           WHERE t.status = 'closed'
             AND t.closed_at >= ${from.toJSDate()} AND t.closed_at < ${today.toJSDate()}
             AND t.merged_into_id IS NULL
             AND NOT EXISTS (SELECT 1 FROM qa_samples q WHERE q.ticket_id = t.id)
           ORDER BY t.id`,
    );
    const tickets: SamplingTicket[] = rows.map((r) => ({
      ticketId: r.ticket_id,
      agentId: r.agent_id,
      teamId: r.team_id,
      channel: r.channel,
      regulator: r.channel === 'regulator',
      lowRating: r.low_rating,
      highRisk: r.high_risk,
    }));
    // The month the sampled tickets closed in (yesterday's): runs after its first day count.
    const monthRuns = { from: yesterday.startOf('month').plus({ days: 1 }).toISODate()!, to: day };
    const agents = [...new Set(tickets.map((t) => t.agentId))];
    const already = agents.length
      ? await tx
          .select({ agentId: qaSamples.agentId, n: count() })
          .from(qaSamples)
          .where(
            and(
              inArray(qaSamples.agentId, agents),
              gte(qaSamples.runDay, monthRuns.from),
              lt(qaSamples.runDay, monthRuns.to),
            ),
          )
          .groupBy(qaSamples.agentId)
      : [];
    const inspectors = await tx
      .select({ id: staff.id, teamId: staff.teamId })
      .from(staff)
      .where(and(eq(staff.role, 'qa'), eq(staff.active, true)))
      .orderBy(staff.username);
    const samples = decideSampling({
      tickets,
      rate: settings.sampleRate,
      monthlyMinimum: settings.monthlyMinimum,
      dayOfMonth: yesterday.day,
      daysInMonth: yesterday.daysInMonth!,
      sampledThisMonth: new Map(already.map((a) => [a.agentId, a.n])),
      inspectors,
      separateTeams: settings.separateTeams,
      random: opts.random ?? Math.random,
    });
    const inserted = samples.length
      ? await tx
          .insert(qaSamples)
          .values(samples.map((s) => ({ id: uuidv7(), runDay: day, ...s })))
          .onConflictDoNothing({ target: qaSamples.ticketId })
          .returning({ id: qaSamples.id })
      : [];
    const counts: Record<string, number> = { considered: tickets.length, sampled: inserted.length };
    for (const s of samples) counts[s.stratum] = (counts[s.stratum] ?? 0) + 1;
    await tx.update(qaSamplingRuns).set({ counts }).where(eq(qaSamplingRuns.day, day));
    return { ran: true, sampled: inserted.length, considered: tickets.length };
  });
}
