import { AppError } from '../errors/app-error.js';

/**
 * Callbacks for dissatisfied customers (issue 13): a low survey rating opens a callback task due
 * within 24 hours. An agent of the callback team tries to reach the customer (at most three
 * attempts), finds the root cause, offers a remedy and records the outcome.
 */

/** The root causes an agent files a callback under (labels in the desk's callbacks locale). */
export const ROOT_CAUSES = [
  'service_attitude',
  'slow_handling',
  'unresolved_fault',
  'billing_error',
  'policy_explanation',
  'other',
] as const;
export type RootCause = (typeof ROOT_CAUSES)[number];

export const CALLBACK_OUTCOMES = ['resolved', 'ticket_reopened', 'unreachable'] as const;
export type CallbackOutcome = (typeof CALLBACK_OUTCOMES)[number];

export const CALLBACK_STATUSES = ['open', 'done'] as const;
export type CallbackStatus = (typeof CALLBACK_STATUSES)[number];

/** The handbooks' callback limit. */
export const CALLBACK_DUE_MINUTES = 24 * 60;
/** How often an agent may try to reach the customer. */
export const MAX_ATTEMPTS = 3;
/** The queue callbacks land in. */
export const CALLBACK_TEAM_CODE = 'callback';

export const callbackMetric = (callbackId: string): string => `callback:${callbackId}`;

type Attempt = { reached: boolean };

/** Throws unless another attempt may be recorded on a callback with these attempts. */
export function assertCanAttempt(status: CallbackStatus, attempts: readonly Attempt[]): void {
  if (status !== 'open') throw new AppError('callback.closed', 'This callback is already done');
  if (attempts.length >= MAX_ATTEMPTS)
    throw new AppError('callback.attempts_exhausted', `At most ${MAX_ATTEMPTS} attempts may be recorded`, {
      max: MAX_ATTEMPTS,
    });
}

/**
 * Throws unless the outcome fits the attempts: 'unreachable' only after three unreached attempts;
 * 'resolved' and 'ticket_reopened' need the customer to have been reached.
 */
export function assertOutcomeAllowed(
  status: CallbackStatus,
  attempts: readonly Attempt[],
  outcome: CallbackOutcome,
): void {
  if (status !== 'open') throw new AppError('callback.closed', 'This callback is already done');
  const reached = attempts.some((a) => a.reached);
  if (outcome === 'unreachable') {
    if (reached || attempts.length < MAX_ATTEMPTS)
      throw new AppError(
        'callback.attempts_remaining',
        `A callback is unreachable only after ${MAX_ATTEMPTS} attempts that did not reach the customer`,
        { max: MAX_ATTEMPTS, attempts: attempts.length },
      );
    return;
  }
  if (!reached) throw new AppError('callback.not_reached_yet', 'Record an attempt that reached the customer first');
}
