import { AppError } from '../errors/app-error.js';

/**
 * Callbacks for dissatisfied customers (issue 13): a low survey rating opens a callback task due
 * within 24 hours. An agent of the callback team tries to reach the customer (at most three
 * attempts), finds the root cause, offers a remedy and records the outcome.
 */

/**
 * Root causes are data (the `root_causes` table, kept in the admin console): a code, labels in
 * Chinese and English, an order and whether agents may still choose it. A code is lower-case
 * letters, digits and underscores, starting with a letter.
 */
export const ROOT_CAUSE_CODE = /^[a-z][a-z0-9_]{1,39}$/;

export type RootCauseOption = { code: string; active: boolean };

/** Throws unless `code` is a root cause agents may choose now (one of the active ones). */
export function assertRootCauseChoosable(code: string, options: readonly RootCauseOption[]): void {
  if (!options.some((o) => o.code === code && o.active))
    throw new AppError('callback.unknown_root_cause', `"${code}" is not one of the root causes in use`, {
      field: 'rootCause',
      allowed: options.filter((o) => o.active).map((o) => o.code),
    });
}

/**
 * How a callback ends: the customer is satisfied (`resolved`), the ticket is reopened, a new
 * complaint linked to the ticket is opened with the callback's notes (`complaint_opened`), or the
 * customer could not be reached.
 */
export const CALLBACK_OUTCOMES = ['resolved', 'ticket_reopened', 'complaint_opened', 'unreachable'] as const;
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
 * every other outcome needs the customer to have been reached.
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

/** A member of staff a supervisor wants to give a callback to, as loaded (null: no such person). */
export type CallbackCandidate = { role: string; active: boolean; teamId: string | null };

/**
 * Assigning or reassigning a callback (supervisors): only an open callback, and only to an active
 * agent of the callback team — the people who work the callback queue (首问 stays with the ticket).
 * Unassigning (null) puts it back in the queue for anyone of the team.
 */
export function assertCallbackAssignable(
  status: CallbackStatus,
  candidate: CallbackCandidate | null | 'unassign',
  callbackTeamId: string,
): void {
  if (status !== 'open') throw new AppError('callback.closed', 'This callback is already done');
  if (candidate === 'unassign') return;
  if (!candidate || !candidate.active || candidate.role !== 'agent' || candidate.teamId !== callbackTeamId)
    throw new AppError('callback.invalid_assignee', 'A callback goes to an active agent of the callback team', {
      field: 'assigneeId',
    });
}

/** The most a complaint's subject holds (the ticket's subject limit). */
const SUBJECT_MAX = 200;

/**
 * The complaint a callback opens (outcome `complaint_opened`): a complaint for the same customer
 * about the original ticket, described by the callback's notes — what the customer said on each
 * attempt that reached them, the agent's notes and the remedy offered.
 */
export function complaintFromCallback(input: {
  ticketNumber: string;
  ticketSubject: string;
  rootCauseLabel: string;
  notes: string;
  remedy: string;
  attemptNotes: readonly string[];
}): { subject: string; description: string } {
  const subject = `回访投诉 / Callback complaint ${input.ticketNumber}: ${input.ticketSubject}`.slice(0, SUBJECT_MAX);
  const lines = [
    `原工单 / Original ticket: ${input.ticketNumber}`,
    `根本原因 / Root cause: ${input.rootCauseLabel}`,
    input.notes.trim(),
    ...input.attemptNotes
      .map((n) => n.trim())
      .filter((n) => n.length > 0)
      .map((n) => `回访记录 / Attempt: ${n}`),
    `补救措施 / Remedy offered: ${input.remedy.trim()}`,
  ].filter((l) => l.length > 0);
  return { subject, description: lines.join('\n') };
}
