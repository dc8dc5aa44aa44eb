import { DateTime } from 'luxon';
import type { AppealCategory } from '../regulator/referrals.js';
import { legalHold, type LegalHoldReason } from './requests.js';

// Erasure on request (PIPL Art. 47): what a law keeps for now, what the customer is told, and
// which free-text values of append-only records an erasure overwrites. Pure: the use case loads
// the facts and passes the time in.

/** A ticket a law requires keeping for now, and why. */
export type HeldTicket = { ticketId: string; ticketNumber: string; reason: LegalHoldReason; dueAt: Date | null };

/** An open regulator referral holds its case ticket and the complaints linked to it; a fee dispute is a billing dispute. */
export const referralHoldReason = (category: AppealCategory): LegalHoldReason =>
  category === 'fee_dispute' ? 'billing_dispute' : 'regulator_case';

export type ErasurePlan = {
  /** Tickets kept as they are (with their messages, files, calls and surveys). */
  heldTicketIds: string[];
  /** The customer's profile and numbers stay while anything is held: the case needs a person to answer. */
  keepProfile: boolean;
  hold: { reasons: LegalHoldReason[]; until: Date } | null;
};

export function erasurePlan(held: readonly HeldTicket[], now: Date, holdDays: number): ErasurePlan {
  const hold = legalHold(
    held.map((h) => ({ reason: h.reason, dueAt: h.dueAt })),
    now,
    holdDays,
  );
  return { heldTicketIds: [...new Set(held.map((h) => h.ticketId))], keepProfile: hold !== null, hold };
}

const REASON_TEXT: Record<LegalHoldReason, { zh: string; en: string }> = {
  billing_dispute: { zh: '计费争议尚在处理', en: 'a billing dispute is under review' },
  regulator_case: { zh: '监管部门转办的申诉尚未办结', en: 'a complaint referred by the regulator is still open' },
};

/**
 * What the customer is told when the deletion is carried out: everything is erased, or what a law
 * keeps (each ticket and why) and from when the rest can be erased. Chinese, then English.
 */
export function erasureAnswer(held: readonly HeldTicket[], plan: ErasurePlan, timeZone: string): string {
  if (!plan.hold) return '您的个人信息已删除或匿名化处理。 / Your personal data has been erased or anonymised.';
  const until = DateTime.fromJSDate(plan.hold.until, { zone: timeZone }).toISODate()!;
  const byTicket = new Map<string, HeldTicket[]>();
  for (const h of held) byTicket.set(h.ticketNumber, [...(byTicket.get(h.ticketNumber) ?? []), h]);
  const lines = [...byTicket.entries()].map(([number, hs]) => {
    const reasons = [...new Set(hs.map((h) => h.reason))];
    return `- ${number}: ${reasons.map((r) => REASON_TEXT[r].zh).join('、')} / ${reasons.map((r) => REASON_TEXT[r].en).join(', ')}`;
  });
  return [
    `其余个人信息已删除或匿名化。依法暂时保留以下工单及您的姓名和号码，最早可于 ${until} 后删除：`,
    `The rest of your personal data has been erased or anonymised. By law we keep the tickets below, with your name and numbers, until at least ${until}:`,
    ...lines,
  ].join('\n');
}

/**
 * The free text staff write on timeline events (the reason for revealing personal data, notes of
 * escalations, subtask titles and results): an erasure overwrites these values with the erasure
 * marker, which the database allows only inside an erasure (migration 0035). Every other value of
 * an event stays.
 */
export const ERASABLE_EVENT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  pii_revealed: ['reason'],
  // A recording's address often carries the caller's number.
  call_linked: ['recordingUrl'],
  attachment_added: ['fileName'],
  status_changed: ['note'],
  escalated: ['note'],
  de_escalated: ['note'],
  subtask_created: ['title'],
  subtask_completed: ['title', 'result'],
  subtask_cancelled: ['title', 'result'],
};
