import { DateTime } from 'luxon';
import type { BusinessCalendar } from '../sla/business-calendar.js';
import { dayKindOf } from '../sla/calendar-days.js';

// Personal-data rights (PIPL Art. 45–47, 50): what a customer may ask for, the statutory clock on
// the business calendar, the life of a request, four-eyes approval of a deletion and the legal holds
// that postpone it. Pure: the current time and the facts are passed in.

export const PRIVACY_REQUEST_KINDS = ['access', 'correction', 'deletion', 'consent_withdrawal'] as const;
export type PrivacyRequestKind = (typeof PRIVACY_REQUEST_KINDS)[number];

/**
 * open: received, being handled; awaiting_approval: a deletion previewed, waiting for a second
 * person; on_hold: a deletion a law postpones (with the reasons and the date); completed; refused
 * (with the reason given to the customer).
 */
export const PRIVACY_REQUEST_STATUSES = ['open', 'awaiting_approval', 'on_hold', 'completed', 'refused'] as const;
export type PrivacyRequestStatus = (typeof PRIVACY_REQUEST_STATUSES)[number];
export const OPEN_PRIVACY_STATUSES: readonly PrivacyRequestStatus[] = ['open', 'awaiting_approval', 'on_hold'];

/** How the requester was identified: signed in to the portal with a code sent to the number, or what the agent checked. */
export const IDENTITY_CHECKS = [
  'portal_code',
  'id_document',
  'callback_registered_number',
  'service_password',
] as const;
export type IdentityCheck = (typeof IDENTITY_CHECKS)[number];
/** The checks an agent may record (the portal's is the portal's alone). */
export const AGENT_IDENTITY_CHECKS = IDENTITY_CHECKS.filter((c) => c !== 'portal_code');

/** What a customer consents to: surveys and proactive notices are service messages; marketing needs explicit consent. */
export const CONSENT_PURPOSES = ['surveys', 'notices', 'marketing'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

export const EXPORT_STATES = ['queued', 'running', 'ready', 'failed', 'expired'] as const;
export type ExportState = (typeof EXPORT_STATES)[number];

/** Laws that require keeping the data for now: a billing dispute under review, an open regulator case. */
export const LEGAL_HOLD_REASONS = ['billing_dispute', 'regulator_case'] as const;
export type LegalHoldReason = (typeof LEGAL_HOLD_REASONS)[number];

export type PrivacySettings = {
  /** Working days to answer a request (GB/T 35273-2020 §8.5: 15; LOOPDESK_PRIVACY_DUE_WORKING_DAYS). */
  dueWorkingDays: number;
  /** The business calendar the working days are counted on (LOOPDESK_PRIVACY_CALENDAR). */
  calendarId: string;
  /** How long a copy can be downloaded (LOOPDESK_PRIVACY_EXPORT_DAYS). */
  exportDays: number;
  /** When a hold has no date of its own (an open case without a deadline): this many days on (LOOPDESK_PRIVACY_HOLD_DAYS). */
  holdDays: number;
};
export const DEFAULT_PRIVACY_SETTINGS: PrivacySettings = {
  dueWorkingDays: 15,
  calendarId: 'cn-business',
  exportDays: 7,
  holdDays: 30,
};

/** Whether a local date is a working day: a holiday never, a make-up day always, otherwise when the week has hours that day. A 24×7 calendar: every day. */
export function isWorkingDay(cal: BusinessCalendar, date: string): boolean {
  if (cal.alwaysOpen) return true;
  const kind = dayKindOf(cal, date);
  return kind === 'work' || kind === 'workday';
}

/**
 * The statutory deadline: the end (local midnight) of the `workingDays`-th working day after the
 * day the request was received, in the calendar's zone. The day received does not count.
 */
export function privacyDueAt(receivedAt: Date, workingDays: number, cal: BusinessCalendar): Date {
  let day = DateTime.fromJSDate(receivedAt, { zone: cal.timeZone }).startOf('day');
  let counted = 0;
  for (let guard = 0; counted < workingDays; guard++) {
    if (guard > 3 * 366) throw new Error(`calendar ${cal.id} has no working days`);
    day = day.plus({ days: 1 });
    if (isWorkingDay(cal, day.toISODate()!)) counted++;
  }
  return day.plus({ days: 1 }).toJSDate();
}

export const PRIVACY_ACTIONS = ['preview', 'approve', 'complete', 'refuse'] as const;
export type PrivacyAction = (typeof PRIVACY_ACTIONS)[number];

export type PrivacyRequestFacts = {
  kind: PrivacyRequestKind;
  status: PrivacyRequestStatus;
  previewedById: string | null;
  exportState: ExportState | null;
};

export type PrivacyDecision =
  | { ok: true; status: PrivacyRequestStatus }
  | {
      ok: false;
      code: 'privacy.invalid_transition' | 'privacy.same_approver' | 'privacy.export_not_ready';
      message: string;
    };

/**
 * The next status when `actorId` takes `action`, or why not.
 * - preview (deletion only): open or on_hold → awaiting_approval (the preview shows what a law holds).
 * - approve (deletion only): awaiting_approval → completed, by someone other than who previewed it
 *   (four eyes); on_hold when `holds` apply: what they do not cover is erased, the rest waits.
 * - complete: access once its copy is ready; correction and consent withdrawal when done.
 * - refuse: any open request, with a reason for the customer (PIPL Art. 50).
 */
export function decidePrivacyAction(
  req: PrivacyRequestFacts,
  action: PrivacyAction,
  actorId: string,
  holds: readonly LegalHoldReason[] = [],
): PrivacyDecision {
  const refuse = (message: string): PrivacyDecision => ({ ok: false, code: 'privacy.invalid_transition', message });
  if (!OPEN_PRIVACY_STATUSES.includes(req.status)) return refuse(`The request is already ${req.status}`);
  switch (action) {
    case 'preview':
      if (req.kind !== 'deletion') return refuse('Only a deletion is previewed');
      if (req.status === 'awaiting_approval') return refuse('The deletion is already waiting for approval');
      return { ok: true, status: 'awaiting_approval' };
    case 'approve':
      if (req.kind !== 'deletion' || req.status !== 'awaiting_approval')
        return refuse('Only a previewed deletion is approved');
      if (req.previewedById === actorId)
        return { ok: false, code: 'privacy.same_approver', message: 'A second person must approve the deletion' };
      if (holds.length > 0) return { ok: true, status: 'on_hold' };
      return { ok: true, status: 'completed' };
    case 'complete':
      if (req.kind === 'deletion') return refuse('A deletion is completed by its approval');
      if (req.kind === 'access' && req.exportState !== 'ready')
        return { ok: false, code: 'privacy.export_not_ready', message: 'The copy is not ready yet' };
      return { ok: true, status: 'completed' };
    case 'refuse':
      return { ok: true, status: 'refused' };
    default:
      return action satisfies never;
  }
}

/** What the viewer may do to a request now (the queue offers nothing the server would refuse). */
export function privacyActionsFor(req: PrivacyRequestFacts, actorId: string): PrivacyAction[] {
  return PRIVACY_ACTIONS.filter((a) => {
    const d = decidePrivacyAction(req, a, actorId);
    return d.ok;
  });
}

export type HoldingCase = { reason: LegalHoldReason; dueAt: Date | null };

/**
 * Legal holds on a deletion: each open billing dispute or regulator case holds it; it can be done
 * after the latest of their deadlines (a case without one: `holdDays` from now).
 */
export function legalHold(
  cases: readonly HoldingCase[],
  now: Date,
  holdDays: number,
): { reasons: LegalHoldReason[]; until: Date } | null {
  if (cases.length === 0) return null;
  const fallback = now.getTime() + holdDays * 86_400_000;
  const until = Math.max(...cases.map((c) => Math.max(c.dueAt?.getTime() ?? fallback, now.getTime())));
  return { reasons: LEGAL_HOLD_REASONS.filter((r) => cases.some((c) => c.reason === r)), until: new Date(until) };
}

export type ConsentRecord = { purpose: ConsentPurpose; granted: boolean; at: Date };

/** Service messages (surveys, notices) go out until withdrawn; marketing only with explicit consent. */
export const CONSENT_DEFAULTS: Readonly<Record<ConsentPurpose, boolean>> = {
  surveys: true,
  notices: true,
  marketing: false,
};

/** The consent in force for each purpose: the latest record, else the default. */
export function consentsInForce(records: readonly ConsentRecord[]): Record<ConsentPurpose, boolean> {
  const out = { ...CONSENT_DEFAULTS };
  for (const purpose of CONSENT_PURPOSES) {
    const latest = records
      .filter((r) => r.purpose === purpose)
      .reduce<ConsentRecord | null>((a, r) => (a === null || r.at.getTime() >= a.at.getTime() ? r : a), null);
    if (latest) out[purpose] = latest.granted;
  }
  return out;
}

/** The text that replaces personal data on erasure (kept short and the same everywhere, so a dump shows it). */
export const ERASED = '[erased]';
