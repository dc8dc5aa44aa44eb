import type { z } from 'zod';
import { canSuperviseQuality, type Actor } from '../core/auth/policy.js';
import { freeTextFor } from '../core/privacy/free-text.js';
import type { CoachingRecord, ReviewRecord, SampleRecord, ScorecardRecord } from '../core/quality/records.js';
import { reviewAbilities } from '../core/quality/reviews.js';
import type { CoachingView, ReviewSummary, ReviewView, SampleView, ScorecardVersion } from '../contracts/qa-reviews.js';

// What each viewer sees of QA records, and what they may do with them now.

type TicketRef = ReviewRecord['ticket'];

export const presentScorecard = (row: ScorecardRecord, inUseId: string | null): z.output<typeof ScorecardVersion> => ({
  id: row.id,
  version: row.version,
  name: row.name,
  status: row.status,
  inUse: row.id === inUseId,
  definition: row.definition,
  createdAt: row.createdAt.toISOString(),
  publishedAt: row.publishedAt?.toISOString() ?? null,
});

const ticketFor = (t: TicketRef, viewer: Actor): TicketRef => ({ ...t, subject: freeTextFor(viewer)(t.subject) });

export const presentSample = (s: SampleRecord, viewer: Actor): z.output<typeof SampleView> => ({
  ...s,
  ticket: ticketFor(s.ticket, viewer),
});

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** A review for one viewer: the agent, the inspector, a supervisor. */
export function presentReview(r: ReviewRecord, viewer: Actor, now: Date, inUseId: string | null) {
  const abilities = r.calibrationId
    ? []
    : reviewAbilities(
        { status: r.status, respondBy: r.respondBy, decideBy: r.decideBy, agentId: r.agentId },
        { id: viewer.id, supervises: canSuperviseQuality(viewer) },
        now,
      );
  const view: z.output<typeof ReviewView> = {
    id: r.id,
    ticket: ticketFor(r.ticket, viewer),
    agent: r.agent,
    inspector: r.inspector,
    kind: r.calibrationId ? 'calibration' : 'sample',
    scorecard: presentScorecard(r.scorecard, inUseId),
    items: r.items,
    comment: r.comment,
    weighted: r.weighted,
    bonus: r.bonus,
    score: r.score,
    finalScore: r.finalScore,
    criticalFailed: r.criticalFailed,
    passed: r.passed,
    status: r.status,
    lapsed: r.lapsed,
    submittedAt: r.submittedAt.toISOString(),
    respondBy: iso(r.respondBy),
    respondedAt: iso(r.respondedAt),
    disputeComment: r.disputeComment,
    decideBy: iso(r.decideBy),
    decidedAt: iso(r.decidedAt),
    decidedBy: r.decidedBy,
    decision: r.decision,
    decisionComment: r.decisionComment,
    coaching: r.coaching ? { ...r.coaching, dueAt: r.coaching.dueAt.toISOString() } : null,
    abilities,
  };
  return view;
}

export function summariseReview(view: z.output<typeof ReviewView>): z.output<typeof ReviewSummary> {
  const { id, ticket, agent, inspector, finalScore, passed, criticalFailed, status, submittedAt } = view;
  const { respondBy, decideBy, decision, abilities } = view;
  return {
    id,
    ticket,
    agent,
    inspector,
    finalScore,
    passed,
    criticalFailed,
    status,
    submittedAt,
    respondBy,
    decideBy,
    decision,
    abilities,
  };
}

/** Coaching: supervisors record it while open; the agent acknowledges it once recorded. */
export function presentCoaching(c: CoachingRecord, viewer: Actor, now: Date): z.output<typeof CoachingView> {
  const abilities: ('record' | 'acknowledge')[] = [];
  if (c.status === 'open' && canSuperviseQuality(viewer) && viewer.id !== c.agentId) abilities.push('record');
  if (c.status === 'coached' && viewer.id === c.agentId) abilities.push('acknowledge');
  return {
    id: c.id,
    reviewId: c.reviewId,
    ticket: ticketFor(c.ticket, viewer),
    agent: c.agent,
    coach: c.coach,
    status: c.status,
    dueAt: c.dueAt.toISOString(),
    overdue: c.status === 'open' && now > c.dueAt,
    score: c.score,
    note: c.note,
    coachedAt: iso(c.coachedAt),
    acknowledgedAt: iso(c.acknowledgedAt),
    abilities,
  };
}
