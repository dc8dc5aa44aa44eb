import type { TicketAction } from '../tickets/state-machine.js';
import type { MessageKind, TicketStatus } from '../tickets/types.js';
import type { SlaMetric } from './sla-policy.js';
import { markMet, pause, resume, type CalendarMath, type TargetClock } from './target-clock.js';

// What a ticket event does to its SLA clocks: which milestone meets which target, and when a
// clock pauses, resumes or starts again. The use cases only report what happened to the ticket.

/** What happened to the ticket, as far as its clocks are concerned. */
export type SlaMilestone = 'started' | 'public_reply' | 'handed_off' | 'resolved' | 'reopened';

/** The targets each milestone meets. A reopening meets nothing: it restarts the resolution clock. */
export const MILESTONE_MEETS: Readonly<Record<Exclude<SlaMilestone, 'reopened'>, readonly SlaMetric[]>> = {
  started: ['first_response'],
  public_reply: ['first_response', 'handling_plan', 'diagnosis'],
  handed_off: ['first_response', 'diagnosis'],
  resolved: ['first_response', 'handling_plan', 'diagnosis', 'resolution'],
};

/** The kind of a message sent without one (and of those written before kinds existed). */
export const DEFAULT_MESSAGE_KIND: MessageKind = 'answer';

/**
 * Which targets a public message of each kind meets: the policy's `messageKindMeets` where it
 * says, else this table. An acknowledgement meets the first response only.
 */
export const DEFAULT_MESSAGE_KIND_MEETS: Readonly<Record<MessageKind, readonly SlaMetric[]>> = {
  acknowledgement: ['first_response'],
  handling_plan: ['first_response', 'handling_plan', 'diagnosis'],
  answer: ['first_response', 'handling_plan', 'diagnosis'],
  other: ['first_response'],
};

/** The milestone a lifecycle action reaches, if any. */
export const ACTION_MILESTONES: Readonly<Partial<Record<TicketAction, SlaMilestone>>> = {
  start: 'started',
  wait_department: 'handed_off',
  resolve: 'resolved',
  reopen: 'reopened',
};

export type TicketClockChange = {
  status?: { from: TicketStatus; to: TicketStatus } | undefined;
  milestone?: SlaMilestone | undefined;
  /** With a `public_reply`: what the message is (DEFAULT_MESSAGE_KIND when absent). */
  messageKind?: MessageKind | undefined;
};

/** A policy's own message-kind table (SlaPolicy.messageKindMeets), possibly partial. */
export type MessageKindMeets = Partial<Record<MessageKind, readonly SlaMetric[]>> | undefined;

/** The targets a milestone meets; for a public reply, by its kind under the policy's table. */
export function metricsMet(
  milestone: Exclude<SlaMilestone, 'reopened'>,
  messageKind: MessageKind | undefined,
  policyMeets: MessageKindMeets,
): readonly SlaMetric[] {
  if (milestone !== 'public_reply') return MILESTONE_MEETS[milestone];
  const kind = messageKind ?? DEFAULT_MESSAGE_KIND;
  return policyMeets?.[kind] ?? DEFAULT_MESSAGE_KIND_MEETS[kind];
}

/**
 * One target's clock after a ticket change. `pausesIn` is the policy's pause rule for this
 * target (null when the ticket's policy is gone: statuses then move nothing). `met` says whether
 * this change met the target.
 */
export function applyTicketChange(
  clock: TargetClock,
  metric: string,
  pausesIn: ((status: TicketStatus) => boolean) | null,
  change: TicketClockChange,
  now: Date,
  cal: CalendarMath,
  /** The ticket's policy's message-kind table (undefined: the defaults). */
  policyMeets?: MessageKindMeets,
): { clock: TargetClock; met: boolean } {
  let next = clock;
  let met = false;
  const reopenedResolution = change.milestone === 'reopened' && metric === 'resolution';
  if (reopenedResolution && next.metAt) next = { ...next, metAt: null };
  if (
    change.milestone &&
    change.milestone !== 'reopened' &&
    (metricsMet(change.milestone, change.messageKind, policyMeets) as readonly string[]).includes(metric) &&
    !next.metAt
  ) {
    next = markMet(next, now, cal);
    met = true;
  }
  if (change.status && pausesIn && !next.metAt) {
    const wasPaused = pausesIn(change.status.from);
    const isPaused = pausesIn(change.status.to);
    if (!wasPaused && isPaused) next = pause(next, now, cal);
    if (wasPaused && !isPaused) next = resume(next, now);
  }
  if (reopenedResolution && !next.metAt) next = resume(next, now);
  return { clock: next, met };
}
