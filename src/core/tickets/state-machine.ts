import { AppError } from '../errors/app-error.js';
import type { TicketStatus } from './types.js';

// Lifecycle: new → assigned → in progress ⇄ pending customer / pending department → resolved →
// closed, and reopen from resolved or closed. The table is the single source of truth: the API
// uses it to refuse illegal moves and the desk uses `availableActions` to offer only legal ones.

export const TICKET_ACTIONS = [
  'start',
  'wait_customer',
  'wait_department',
  'resume',
  'resolve',
  'close',
  'reopen',
] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];

const TRANSITIONS: Record<TicketAction, { from: readonly TicketStatus[] }> = {
  start: { from: ['assigned'] },
  wait_customer: { from: ['in_progress', 'pending_department'] },
  wait_department: { from: ['in_progress', 'pending_customer'] },
  resume: { from: ['pending_customer', 'pending_department'] },
  resolve: { from: ['assigned', 'in_progress', 'pending_customer', 'pending_department'] },
  close: { from: ['resolved'] },
  reopen: { from: ['resolved', 'closed'] },
};

/** Statuses in which work goes on; a resolved or closed ticket must be reopened first. */
export const OPEN_STATUSES: readonly TicketStatus[] = [
  'new',
  'assigned',
  'in_progress',
  'pending_customer',
  'pending_department',
];

export const isOpen = (status: TicketStatus): boolean => OPEN_STATUSES.includes(status);

/**
 * Edits, assignment, escalation and de-escalation, sub-tasks and merges need an open ticket: one
 * check, one error (`ticket.invalid_transition`, 409) with one message, whatever the use case.
 */
export function assertOpen(status: TicketStatus): void {
  if (!isOpen(status)) {
    throw new AppError('ticket.invalid_transition', `The ticket is ${status}; reopen it first`, {
      status,
      allowedFrom: OPEN_STATUSES,
    });
  }
}

/**
 * Closed loop: a resolved ticket closes when the customer says it is solved (in the portal, or on
 * the phone as the agent records), when the wait for an answer runs out, or when a supervisor
 * overrides with a reason. Never on an agent's say-so alone.
 */
export const CLOSE_REASONS = ['customer_confirmed', 'supervisor_override', 'no_answer'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

/** Only a resolved ticket waits for the customer's answer (solved closes it, not solved reopens it). */
export function assertAwaitingConfirmation(status: TicketStatus): void {
  if (status !== 'resolved') {
    throw new AppError('ticket.invalid_transition', "Only a resolved ticket waits for the customer's answer", {
      status,
      allowedFrom: ['resolved'],
    });
  }
}

export type TransitionFacts = {
  status: TicketStatus;
  /** Why a `close` happens; without one a resolved ticket does not close. */
  closeReason?: CloseReason | undefined;
  hasAssignee: boolean;
  /** Closed loop: nothing is resolved without a public answer to the customer. */
  hasPublicReply: boolean;
  /** Department work the answer depends on; absent = none. */
  openBlockingSubtasks?: number;
};

export function targetStatus(action: TicketAction, facts: TransitionFacts): TicketStatus {
  switch (action) {
    case 'start':
    case 'resume':
      return 'in_progress';
    case 'wait_customer':
      return 'pending_customer';
    case 'wait_department':
      return 'pending_department';
    case 'resolve':
      return 'resolved';
    case 'close':
      return 'closed';
    case 'reopen':
      return facts.hasAssignee ? 'assigned' : 'new';
    default:
      return action satisfies never;
  }
}

export function canTransition(action: TicketAction, facts: TransitionFacts): boolean {
  return (
    TRANSITIONS[action].from.includes(facts.status) &&
    !missingReply(action, facts) &&
    !blockedBySubtasks(action, facts) &&
    !missingConfirmation(action, facts)
  );
}

export function availableActions(facts: TransitionFacts): TicketAction[] {
  return TICKET_ACTIONS.filter((action) => canTransition(action, facts));
}

/** Returns the new status, or throws `ticket.invalid_transition` / `ticket.reply_required`. */
export function transition(action: TicketAction, facts: TransitionFacts): TicketStatus {
  if (!TRANSITIONS[action].from.includes(facts.status)) {
    throw new AppError(
      'ticket.invalid_transition',
      `Cannot ${action.replace('_', ' ')} a ticket that is ${facts.status.replace('_', ' ')}`,
      { action, status: facts.status, allowedFrom: TRANSITIONS[action].from },
    );
  }
  if (missingReply(action, facts)) {
    throw new AppError(
      'ticket.reply_required',
      'A ticket cannot be resolved before the customer has been sent a public reply',
      { action, status: facts.status },
    );
  }
  if (missingConfirmation(action, facts)) {
    throw new AppError(
      'ticket.confirmation_required',
      'A resolved ticket closes when the customer confirms it is solved, when the wait for an answer runs out, or by a supervisor with a reason',
      { action, status: facts.status },
    );
  }
  if (blockedBySubtasks(action, facts)) {
    throw new AppError(
      'ticket.blocking_subtasks_open',
      `${facts.openBlockingSubtasks} department sub-task(s) must be finished before the ticket can be resolved`,
      { action, openBlockingSubtasks: facts.openBlockingSubtasks },
    );
  }
  return targetStatus(action, facts);
}

function blockedBySubtasks(action: TicketAction, facts: TransitionFacts): boolean {
  return action === 'resolve' && (facts.openBlockingSubtasks ?? 0) > 0;
}

function missingConfirmation(action: TicketAction, facts: TransitionFacts): boolean {
  return action === 'close' && !facts.closeReason;
}

function missingReply(action: TicketAction, facts: TransitionFacts): boolean {
  return action === 'resolve' && !facts.hasPublicReply;
}

/** Assigning moves a new ticket to assigned; unassigning an assigned ticket moves it back. */
export function statusAfterAssignment(status: TicketStatus, hasAssignee: boolean): TicketStatus {
  if (hasAssignee && status === 'new') return 'assigned';
  if (!hasAssignee && status === 'assigned') return 'new';
  return status;
}

/**
 * Work moved between tiers: what was being worked on goes back to the queue (assigned when it
 * has a new holder, new otherwise); work waiting on the customer or a department keeps its state.
 */
export function statusAfterHandoff(status: TicketStatus, hasAssignee: boolean): TicketStatus {
  return status === 'assigned' || status === 'in_progress' || status === 'new'
    ? hasAssignee
      ? 'assigned'
      : 'new'
    : status;
}

/** The customer answered: a ticket waiting for them goes back to work; any other status stays. */
export function statusAfterCustomerMessage(status: TicketStatus): TicketStatus {
  return status === 'pending_customer' ? 'in_progress' : status;
}
