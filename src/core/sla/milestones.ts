import type { TicketAction } from '../tickets/state-machine.js';
import type { TicketStatus } from '../tickets/types.js';
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

/**
 * What a public staff message is (ticket_messages.kind). Which targets a message of each kind
 * meets is per SLA policy (`messageKindMeets`), defaulting to DEFAULT_MESSAGE_KIND_MEETS: an
 * acknowledgement answers the customer but is no handling plan.
 */
export const MESSAGE_KINDS = ['acknowledgement', 'handling_plan', 'answer', 'other'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** The kind of a message sent without one (and of those written before kinds existed). */
export const DEFAULT_MESSAGE_KIND: MessageKind = 'answer';

/** The message-kind → targets table a policy starts with. */
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
};

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
): { clock: TargetClock; met: boolean } {
  let next = clock;
  let met = false;
  const reopenedResolution = change.milestone === 'reopened' && metric === 'resolution';
  if (reopenedResolution && next.metAt) next = { ...next, metAt: null };
  if (
    change.milestone &&
    change.milestone !== 'reopened' &&
    (MILESTONE_MEETS[change.milestone] as readonly string[]).includes(metric) &&
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
