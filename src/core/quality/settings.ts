import { DEFAULT_MONTHLY_MINIMUM, DEFAULT_SAMPLE_RATE } from './sampling.js';
import { DEFAULT_PASS_MARK } from './scorecard.js';

/** The QA settings (LOOPDESK_QA_*), with the handbooks' defaults. */
export type QaSettings = {
  /** Share of each agent's closed tickets sampled daily (0.1–0.2). */
  sampleRate: number;
  /** Samples per agent per month at least. */
  monthlyMinimum: number;
  /** A review passes at this score (0–100). */
  passMark: number;
  /** Never give inspectors their own team's tickets. */
  separateTeams: boolean;
  /** The business calendar the dispute and coaching clocks run on. */
  calendarId: string;
};

export const DEFAULT_QA_SETTINGS: QaSettings = {
  sampleRate: DEFAULT_SAMPLE_RATE,
  monthlyMinimum: DEFAULT_MONTHLY_MINIMUM,
  passMark: DEFAULT_PASS_MARK,
  separateTeams: false,
  calendarId: 'cn-business',
};
