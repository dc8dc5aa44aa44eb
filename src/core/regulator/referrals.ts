import { DateTime } from 'luxon';
import type { Channel } from '../tickets/types.js';

// Complaints referred by the telecom regulator (监管转办申诉, issue 18): the handling rules every
// referral case follows, its two statutory clocks, and the eligibility hints from the 《电信用户申诉
// 处理办法》 (MIIT Order 35, 2016). Pure: the use cases load the facts and pass the time in.

/** The appeal categories the regulator publishes its figures by. */
export const APPEAL_CATEGORIES = ['user_service', 'fee_dispute', 'network_quality'] as const;
export type AppealCategory = (typeof APPEAL_CATEGORIES)[number];
/** 用户服务 / 收费争议 / 网络质量 */
export const APPEAL_CATEGORY_ZH: Record<AppealCategory, string> = {
  user_service: '用户服务',
  fee_dispute: '收费争议',
  network_quality: '网络质量',
};

export const REFERRAL_STATUSES = ['open', 'replied'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** The supervisor-owned queue every referral case goes to (申诉处理组, created on first start). */
export const REGULATOR_TEAM_CODE = 'regulator-desk';
/** Who may handle a referral case: certified complaint specialists only. */
export const REGULATOR_CERTIFICATION = 'complaint_specialist';

/**
 * How every referral case is handled, whatever its text says: an urgent complaint on the regulator
 * channel, in the regulator queue.
 */
export const REFERRAL_HANDLING = {
  type: 'complaint',
  grade: 'urgent',
  channel: 'regulator',
  queue: REGULATOR_TEAM_CODE,
} as const;

/**
 * 100 % quality inspection: every ticket on the regulator channel is inspected. This is the flag
 * QA sampling reads (`tickets.channel = 'regulator'`); it is never sampled away.
 */
export const alwaysInspected = (channel: Channel): boolean => channel === 'regulator';

/** Whether a ticket may be worked only by certified complaint specialists. */
export const needsCertifiedHandler = (channel: Channel): boolean => channel === 'regulator';

export type RegulatorSettings = {
  /** Hours from entering the referral to the first contact with the customer (LOOPDESK_REGULATOR_FIRST_CONTACT_HOURS). */
  firstContactHours: number;
  /** How far back the customer's own complaints are linked to the case (LOOPDESK_REGULATOR_LINK_DAYS). */
  linkDays: number;
};
export const DEFAULT_REGULATOR_SETTINGS: RegulatorSettings = { firstContactHours: 24, linkDays: 365 };

/** Clock names of a referral case (node targets beside the ticket's policy clocks). */
export const contactMetric = (referralId: string): string => `regulator_contact:${referralId}`;
export const reportMetric = (referralId: string): string => `regulator_report:${referralId}`;

/**
 * The referral's two clocks, in minutes from `now` (when the referral is entered): the first
 * contact with the customer within the setting's hours, and the report to the regulator before the
 * end of the deadline day in the operator's zone. A deadline already past gives a clock of one
 * minute, which breaches at once (and says so) rather than being refused.
 */
export function referralClocks(
  deadline: string,
  now: Date,
  settings: Pick<RegulatorSettings, 'firstContactHours'>,
  zone: string,
): { contactMinutes: number; reportMinutes: number; reportDueAt: Date } {
  const reportDueAt = endOfDay(deadline, zone);
  const reportMinutes = Math.max(1, Math.floor((reportDueAt.getTime() - now.getTime()) / 60_000));
  return { contactMinutes: settings.firstContactHours * 60, reportMinutes, reportDueAt };
}

/** The first instant after the calendar day `date` (YYYY-MM-DD) in `zone`. */
export function endOfDay(date: string, zone: string): Date {
  const day = DateTime.fromISO(date, { zone });
  if (!day.isValid) throw new RangeError(`not a date: ${date}`);
  return day.plus({ days: 1 }).startOf('day').toJSDate();
}

/** The calendar day (YYYY-MM-DD) of an instant in `zone`. */
export const dayOf = (at: Date, zone: string): string => DateTime.fromJSDate(at, { zone }).toISODate()!;

// ---- Eligibility hints (《电信用户申诉处理办法》 2016, Art. 10 and 11) ----

export const ELIGIBILITY_HINTS = [
  /** Art. 10: the customer had not complained to the operator before appealing. */
  'no_prior_complaint',
  /** Art. 10: the customer complained less than 15 days before appealing and had no answer yet. */
  'complained_recently',
  /** Art. 11: a fee dispute more than 5 months old when appealed. */
  'fee_dispute_too_old',
  /** Art. 11: another matter more than 2 years old when appealed. */
  'matter_too_old',
] as const;
export type EligibilityHint = (typeof ELIGIBILITY_HINTS)[number];

export type EligibilityFacts = {
  category: AppealCategory;
  /** The day the customer appealed to the regulator (YYYY-MM-DD). */
  appealedOn: string;
  /** The day the matter in dispute happened, when known. */
  matterOn: string | null;
  /** The customer's complaints to the operator before the appeal: when made, and whether answered. */
  priorComplaints: readonly { on: string; answered: boolean }[];
};

export type EligibilityRules = { replyDays: number; feeDisputeMonths: number; otherMatterYears: number };
/** Art. 10: 15 days; Art. 11: 5 months (fees), 2 years (other matters). */
export const APPEAL_RULES: EligibilityRules = { replyDays: 15, feeDisputeMonths: 5, otherMatterYears: 2 };

const day = (d: string) => DateTime.fromISO(d, { zone: 'UTC' });

/**
 * The hints shown on a referral case: reasons the regulator might not have had to accept it. Hints,
 * not blocks. Days are calendar days; "less than 15 days" means the appeal came before the 15th
 * day after the complaint; "more than 5 months / 2 years" means after the same day 5 months / 2
 * years later (a matter of 31 March is 5 months old on 31 August; of 31 October on 31 March, the
 * end of the shorter month).
 */
export function eligibilityHints(f: EligibilityFacts, rules: EligibilityRules = APPEAL_RULES): EligibilityHint[] {
  const hints: EligibilityHint[] = [];
  const appealed = day(f.appealedOn);
  const before = f.priorComplaints.filter((c) => day(c.on) <= appealed);
  if (before.length === 0) hints.push('no_prior_complaint');
  else {
    const answered = before.some((c) => c.answered);
    const earliest = before.map((c) => day(c.on)).reduce((a, b) => (a < b ? a : b));
    if (!answered && appealed < earliest.plus({ days: rules.replyDays })) hints.push('complained_recently');
  }
  if (f.matterOn) {
    const matter = day(f.matterOn);
    const limit =
      f.category === 'fee_dispute'
        ? matter.plus({ months: rules.feeDisputeMonths })
        : matter.plus({ years: rules.otherMatterYears });
    if (appealed > limit) hints.push(f.category === 'fee_dispute' ? 'fee_dispute_too_old' : 'matter_too_old');
  }
  return hints;
}

// ---- Regulator facts for the KPIs ----

/** The month an appeal counts in (YYYY-MM of the day it was received). */
export const appealMonth = (receivedOn: string): string => receivedOn.slice(0, 7);

/**
 * Appeals per million subscribers, the regulator's published figure; null without a subscriber
 * count.
 */
export const appealsPerMillion = (appeals: number, subscribers: number): number | null =>
  subscribers > 0 ? Math.round((appeals / subscribers) * 1_000_000 * 100) / 100 : null;

/** The referral list and figures: front office and QA (who inspect every case); not departments. */
export const canReadReferrals = (actor: { role: string }): boolean => actor.role !== 'department';
