import { DateTime } from 'luxon';

// Retention classes (PIPL Art. 19: keep personal data no longer than necessary; Cybersecurity Law:
// network logs at least 6 months). Each class is a setting; the daily job turns them into cut-off
// instants and removes or anonymises what is older.

export type RetentionSettings = {
  /** Closed tickets older than this are anonymised (LOOPDESK_RETENTION_CLOSED_TICKET_DAYS, 3 years). */
  closedTicketDays: number;
  /** Call recordings (the link to the recording) are removed after this (LOOPDESK_RETENTION_RECORDING_DAYS, 6 months). */
  recordingDays: number;
  /** Portal sign-in codes and ended portal sessions (LOOPDESK_RETENTION_PORTAL_CODE_HOURS, 1 day). */
  portalCodeHours: number;
  /** The personal-data access log; never less than 183 days (LOOPDESK_RETENTION_ACCESS_LOG_DAYS). */
  accessLogDays: number;
  /** Delivered or dead outbound messages lose their recipient and text (LOOPDESK_RETENTION_OUTBOX_DAYS). */
  outboxDays: number;
  /**
   * Live chat transcripts, counted from the end of the conversation (or its last activity, for one
   * never ended); a chat that became a ticket goes with its ticket (LOOPDESK_RETENTION_CHAT_DAYS, 3 years).
   */
  chatDays: number;
};

/** The Cybersecurity Law's floor for logs: at least six months. */
export const MIN_ACCESS_LOG_DAYS = 183;

export const DEFAULT_RETENTION_SETTINGS: RetentionSettings = {
  closedTicketDays: 3 * 365,
  recordingDays: 183,
  portalCodeHours: 24,
  accessLogDays: 365,
  outboxDays: 90,
  chatDays: 3 * 365,
};

export type RetentionCutoffs = {
  closedTicketsBefore: Date;
  recordingsBefore: Date;
  portalCodesBefore: Date;
  accessLogBefore: Date;
  outboxBefore: Date;
  chatsBefore: Date;
};

/** The instants before which each class is removed or anonymised; the access log keeps its legal floor whatever the setting. */
export function retentionCutoffs(now: Date, s: RetentionSettings): RetentionCutoffs {
  const days = (n: number) => new Date(now.getTime() - n * 86_400_000);
  return {
    closedTicketsBefore: days(s.closedTicketDays),
    recordingsBefore: days(s.recordingDays),
    portalCodesBefore: new Date(now.getTime() - s.portalCodeHours * 3_600_000),
    accessLogBefore: days(Math.max(s.accessLogDays, MIN_ACCESS_LOG_DAYS)),
    outboxBefore: days(s.outboxDays),
    chatsBefore: days(s.chatDays),
  };
}

/** The local date a run belongs to: one run a day, whichever node gets there first. */
export const retentionRunDate = (now: Date, timeZone: string): string =>
  DateTime.fromJSDate(now, { zone: timeZone }).toISODate()!;
