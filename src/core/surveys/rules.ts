import type { Channel } from '../tickets/types.js';

// Satisfaction surveys (closed loop, domain §5): who gets one, how an SMS reply reads, and what
// counts as a low rating. Pure: the use cases load the facts and pass them in.

export const SURVEY_STATUSES = ['scheduled', 'sent', 'answered', 'expired', 'skipped'] as const;
export type SurveyStatus = (typeof SURVEY_STATUSES)[number];

export const SURVEY_SKIP_REASONS = ['opted_out', 'merged', 'regulator', 'frequency_cap', 'no_contact'] as const;
export type SurveySkipReason = (typeof SURVEY_SKIP_REASONS)[number];

/** The handbooks' four service dimensions, each rated 1–5. */
export const SURVEY_DIMENSIONS = ['speed', 'quality', 'attitude', 'convenience'] as const;
export type SurveyDimension = (typeof SURVEY_DIMENSIONS)[number];

export type SurveySettings = {
  /** Minutes between the resolution and sending the survey (LOOPDESK_SURVEY_DELAY_MINUTES). */
  delayMinutes: number;
  /** At most one survey per customer in this many days (LOOPDESK_SURVEY_CAP_DAYS). */
  capDays: number;
  /** How long an answer is taken after sending (LOOPDESK_SURVEY_VALID_DAYS). */
  validDays: number;
  /** A rating at or below this on CSAT or any dimension is a low rating (LOOPDESK_SURVEY_LOW_RATING). */
  lowRating: number;
  /**
   * Problems raised in a survey: hours to the first handling and to the resolution
   * (LOOPDESK_SURVEY_PROBLEM_RESPOND_HOURS / _RESOLVE_HOURS; 24 and 48 when absent).
   */
  problemHours?: { response: number; resolution: number };
};

export const DEFAULT_SURVEY_SETTINGS: SurveySettings = { delayMinutes: 120, capDays: 30, validDays: 7, lowRating: 2 };

export type SurveyFacts = {
  channel: Channel;
  /** Set when the ticket was merged into another one (a duplicate). */
  mergedIntoId: string | null;
  /** Whether the customer's number opted out of surveys ("TD" / "退订"). */
  optedOut: boolean;
  /** When the customer's latest survey (not a skipped one) was created, if any. */
  lastSurveyAt: Date | null;
};

/** Why a resolved ticket gets no survey, or null when it gets one. Checked in this order. */
export function surveySkipReason(facts: SurveyFacts, settings: SurveySettings, now: Date): SurveySkipReason | null {
  if (facts.optedOut) return 'opted_out';
  if (facts.mergedIntoId) return 'merged';
  // Regulator-referred cases are answered to the regulator, not surveyed (domain §5; issue 13).
  if (facts.channel === 'regulator') return 'regulator';
  if (facts.lastSurveyAt && now.getTime() - facts.lastSurveyAt.getTime() < settings.capDays * 86_400_000)
    return 'frequency_cap';
  return null;
}

/**
 * How the survey is answered: by a digit in reply to an SMS for customers who came by phone or SMS
 * (or in person); by a one-time link to the survey page for the online channels (email, WeChat,
 * app, portal) and whenever the message does not go out by SMS.
 */
export function surveyMode(ticketChannel: Channel, deliveryChannel: string): 'sms_digit' | 'link' {
  const online: readonly Channel[] = ['email', 'wechat', 'app', 'web'];
  return deliveryChannel === 'sms' && !online.includes(ticketChannel) ? 'sms_digit' : 'link';
}

/** When a survey for a ticket resolved at `resolvedAt` is sent. */
export const surveySendAfter = (resolvedAt: Date, settings: SurveySettings): Date =>
  new Date(resolvedAt.getTime() + settings.delayMinutes * 60_000);

/** Until when a survey sent at `sentAt` takes an answer. */
export const surveyExpiresAt = (sentAt: Date, settings: SurveySettings): Date =>
  new Date(sentAt.getTime() + settings.validDays * 86_400_000);

/**
 * What an inbound SMS means to the surveys: a lone number 0–10 (full-width digits too) is a score
 * that may answer a pending question, "TD" / "退订" opts the number out; anything else is an
 * ordinary message.
 */
export type SmsSurveyReply = { kind: 'score'; value: number } | { kind: 'opt_out' } | { kind: 'message' };

export function readSmsSurveyReply(text: string): SmsSurveyReply {
  const t = text
    .normalize('NFKC')
    .trim()
    .replace(/[。.!！]+$/u, '');
  if (/^(10|[0-9])$/.test(t)) return { kind: 'score', value: Number(t) };
  if (/^(td|退订)$/iu.test(t)) return { kind: 'opt_out' };
  return { kind: 'message' };
}

/** A question waiting for an SMS answer from one number: the CSAT digit or the NPS follow-up. */
export type PendingQuestion = { surveyId: string; question: 'csat' | 'nps'; askedAt: Date };

/**
 * Which pending question of a number a score answers: the newest asked question the score fits
 * (CSAT 1–5, NPS 0–10). Null when none fits: the text is then an ordinary message.
 */
export function questionAnswered(value: number, pending: readonly PendingQuestion[]): PendingQuestion | null {
  const fits = (q: PendingQuestion) => (q.question === 'csat' ? value >= 1 && value <= 5 : value >= 0 && value <= 10);
  return pending
    .filter(fits)
    .reduce<PendingQuestion | null>(
      (best, q) =>
        !best ||
        q.askedAt.getTime() > best.askedAt.getTime() ||
        (q.askedAt.getTime() === best.askedAt.getTime() && q.surveyId > best.surveyId)
          ? q
          : best,
      null,
    );
}

export type SurveyScores = {
  csat: number;
  nps?: number | null | undefined;
} & Partial<Record<SurveyDimension, number | null | undefined>>;

/** The scores that make an answer a low rating (≤ threshold on CSAT or any dimension); empty: not low. */
export function lowRatings(scores: SurveyScores, settings: Pick<SurveySettings, 'lowRating'>): string[] {
  const low: string[] = [];
  if (scores.csat <= settings.lowRating) low.push('csat');
  for (const d of SURVEY_DIMENSIONS) {
    const v = scores[d];
    if (v !== null && v !== undefined && v <= settings.lowRating) low.push(d);
  }
  return low;
}
