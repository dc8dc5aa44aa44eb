import { DateTime } from 'luxon';

// Training and certification records (handbook §11): an exam passed at a training session grants
// the course's certification from the session's date for the course's validity; a certification
// is valid until it expires, and its holder is reminded some days before. Pure: times are passed in.

export const TRAINING_TIERS = ['new', 'growing', 'expert'] as const;
export type TrainingTier = (typeof TRAINING_TIERS)[number];

/** Days before expiry that the holder (and their supervisors) are reminded. */
export const CERTIFICATION_REMINDER_DAYS = 30;

export type ExamOutcome = { passed: boolean | null };

/**
 * Whether a recorded attendance passed the exam: a score at or above the pass mark, by someone who
 * attended. No score: no exam taken (null).
 */
export function examOutcome(input: { attended: boolean; examScore: number | null }, passScore: number): ExamOutcome {
  if (input.examScore === null) return { passed: null };
  return { passed: input.attended && input.examScore >= passScore };
}

/** When a certification granted at `issuedAt` expires: `validityMonths` calendar months later, in `timeZone`. */
export function certificationExpiry(issuedAt: Date, validityMonths: number, timeZone: string): Date {
  return DateTime.fromJSDate(issuedAt, { zone: timeZone }).plus({ months: validityMonths }).toJSDate();
}

export type CertificationState = 'valid' | 'expiring' | 'expired';

/** Valid, expiring (within the reminder window) or expired at `now`; no expiry: valid for ever. */
export function certificationState(
  expiresAt: Date | null,
  now: Date,
  reminderDays = CERTIFICATION_REMINDER_DAYS,
): CertificationState {
  if (expiresAt === null) return 'valid';
  if (expiresAt.getTime() <= now.getTime()) return 'expired';
  return expiresAt.getTime() - now.getTime() <= reminderDays * 86_400_000 ? 'expiring' : 'valid';
}

/** The latest time a certification may expire by to be reminded at `now`. */
export const reminderHorizon = (now: Date, reminderDays = CERTIFICATION_REMINDER_DAYS): Date =>
  new Date(now.getTime() + reminderDays * 86_400_000);
