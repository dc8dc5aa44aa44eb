import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.js';
import {
  CLOSE_REASONS,
  assertAwaitingConfirmation,
  assertOpen,
  availableActions,
  canTransition,
  isOpen,
  statusAfterAssignment,
  statusAfterCustomerMessage,
  statusAfterHandoff,
  TICKET_ACTIONS,
  transition,
  type TransitionFacts,
} from './state-machine.js';
import { TICKET_STATUSES } from './types.js';

const facts = (status: TransitionFacts['status'], extra: Partial<TransitionFacts> = {}): TransitionFacts => ({
  status,
  hasAssignee: true,
  hasPublicReply: true,
  ...extra,
});

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as AppError).code;
  }
  return 'no error';
};

describe('ticket state machine', () => {
  it('walks the full happy path new → assigned → in progress → resolved → closed', () => {
    expect(statusAfterAssignment('new', true)).toBe('assigned');
    expect(transition('start', facts('assigned'))).toBe('in_progress');
    expect(transition('wait_customer', facts('in_progress'))).toBe('pending_customer');
    expect(transition('resume', facts('pending_customer'))).toBe('in_progress');
    expect(transition('wait_department', facts('in_progress'))).toBe('pending_department');
    expect(transition('resume', facts('pending_department'))).toBe('in_progress');
    expect(transition('resolve', facts('in_progress'))).toBe('resolved');
    expect(transition('close', facts('resolved', { closeReason: 'customer_confirmed' }))).toBe('closed');
  });

  it('lets only a resolved ticket take the customer’s answer', () => {
    expect(() => assertAwaitingConfirmation('resolved')).not.toThrow();
    for (const status of TICKET_STATUSES.filter((x) => x !== 'resolved'))
      expect(codeOf(() => assertAwaitingConfirmation(status))).toBe('ticket.invalid_transition');
  });

  it('closes a resolved ticket only with a reason: the customer’s answer, the wait run out, or a supervisor’s override', () => {
    expect(codeOf(() => transition('close', facts('resolved')))).toBe('ticket.confirmation_required');
    expect(availableActions(facts('resolved'))).toEqual(['reopen']);
    for (const closeReason of CLOSE_REASONS) {
      expect(transition('close', facts('resolved', { closeReason }))).toBe('closed');
      expect(availableActions(facts('resolved', { closeReason }))).toContain('close');
    }
  });

  it('refuses to resolve a ticket that has no public reply to the customer', () => {
    expect(codeOf(() => transition('resolve', facts('in_progress', { hasPublicReply: false })))).toBe(
      'ticket.reply_required',
    );
    expect(availableActions(facts('in_progress', { hasPublicReply: false }))).not.toContain('resolve');
  });

  it('refuses to close a ticket that was never resolved', () => {
    for (const status of ['new', 'assigned', 'in_progress', 'pending_customer', 'pending_department'] as const) {
      expect(codeOf(() => transition('close', facts(status)))).toBe('ticket.invalid_transition');
    }
  });

  it('reopens a resolved or closed ticket to its assignee, or to the queue when it has none', () => {
    expect(transition('reopen', facts('closed'))).toBe('assigned');
    expect(transition('reopen', facts('resolved', { hasAssignee: false }))).toBe('new');
    expect(codeOf(() => transition('reopen', facts('in_progress')))).toBe('ticket.invalid_transition');
  });

  it('unassigning an assigned ticket returns it to new, but never moves work in progress', () => {
    expect(statusAfterAssignment('assigned', false)).toBe('new');
    expect(statusAfterAssignment('in_progress', false)).toBe('in_progress');
    expect(statusAfterAssignment('in_progress', true)).toBe('in_progress');
  });

  it('offers exactly the actions that transition accepts, for every state', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TICKET_STATUSES),
        fc.boolean(),
        fc.boolean(),
        (status, hasAssignee, hasPublicReply) => {
          const f = { status, hasAssignee, hasPublicReply };
          for (const action of TICKET_ACTIONS) {
            const accepted = codeOf(() => transition(action, f)) === 'no error';
            expect(accepted).toBe(canTransition(action, f));
            expect(availableActions(f).includes(action)).toBe(accepted);
          }
        },
      ),
    );
  });

  it('refuses to resolve while a blocking department sub-task is open', () => {
    const f = facts('in_progress', { openBlockingSubtasks: 1 });
    expect(codeOf(() => transition('resolve', f))).toBe('ticket.blocking_subtasks_open');
    expect(availableActions(f)).not.toContain('resolve');
    expect(transition('resolve', facts('in_progress', { openBlockingSubtasks: 0 }))).toBe('resolved');
  });

  it('gives a closed ticket no way forward but reopen', () => {
    expect(availableActions(facts('closed'))).toEqual(['reopen']);
  });

  it('wakes a ticket waiting for the customer when they answer, and leaves any other status alone', () => {
    expect(statusAfterCustomerMessage('pending_customer')).toBe('in_progress');
    for (const status of TICKET_STATUSES.filter((s) => s !== 'pending_customer'))
      expect(statusAfterCustomerMessage(status)).toBe(status);
  });

  it('puts worked tickets back in the queue on a hand-off between tiers, and keeps waiting ones waiting', () => {
    expect(statusAfterHandoff('in_progress', false)).toBe('new');
    expect(statusAfterHandoff('in_progress', true)).toBe('assigned');
    expect(statusAfterHandoff('assigned', false)).toBe('new');
    expect(statusAfterHandoff('new', true)).toBe('assigned');
    expect(statusAfterHandoff('pending_customer', true)).toBe('pending_customer');
    expect(statusAfterHandoff('pending_department', false)).toBe('pending_department');
  });
});

describe('open-ticket check', () => {
  it('lets work go on in every open status and refuses resolved and closed tickets with one code and message', () => {
    for (const status of TICKET_STATUSES) {
      const open = status !== 'resolved' && status !== 'closed';
      expect(isOpen(status)).toBe(open);
      if (open) expect(() => assertOpen(status)).not.toThrow();
      else expect(() => assertOpen(status)).toThrow(`The ticket is ${status}; reopen it first`);
      if (!open) expect(codeOf(() => assertOpen(status))).toBe('ticket.invalid_transition');
    }
  });
});
