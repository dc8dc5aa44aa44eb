import type { Clock } from '../core/clock.js';
import type { PriorityWeights } from '../core/tickets/priority.js';
import type { ChurnWeights } from '../core/customers/churn-risk.js';
import type { IntakeQueues } from '../core/routing/intake.js';
import type { Db } from '../db/client.js';
import type { SurveySettings } from '../core/surveys/rules.js';
import type { QaSettings } from '../core/quality/settings.js';
import type { PrivacySettings } from '../core/privacy/requests.js';
import type { IncidentSettings } from '../core/incidents/incidents.js';
import type { Config } from '../config.js';

/** What every use case may depend on; passed in, never imported as globals. */
export type Deps = {
  db: Db;
  clock: Clock;
  /** Word-segments Chinese/English text into space-separated terms for the search index. */
  indexText: (text: string) => string;
  timeZone: string;
  /** A new ticket of a category the customer had within this many days is a repeat contact (default 30). */
  repeatWindowDays?: number;
  /**
   * The environment's priority weights (LOOPDESK_PRIORITY_WEIGHTS; the handbook's when absent): only
   * the initial value. The weights in force may be set in the console: read them with
   * `priorityWeightsOf` (usecases/admin/settings.ts).
   */
  priorityWeights?: PriorityWeights;
  /**
   * The environment's intake queues (LOOPDESK_INTAKE_QUEUES; default every channel to `frontline`):
   * used for a channel the console has no setting for (`intakeTeamIdSql`, usecases/admin/settings.ts).
   */
  intakeQueues?: IntakeQueues;
  /** Churn-risk weights (LOOPDESK_CHURN_WEIGHTS; DEFAULT_CHURN_WEIGHTS when absent). */
  churnWeights?: ChurnWeights;
  /** Satisfaction survey settings (LOOPDESK_SURVEY_*); the defaults when absent. */
  surveys?: SurveySettings;
  /** Quality-inspection settings (LOOPDESK_QA_*); DEFAULT_QA_SETTINGS when absent. */
  qa?: QaSettings;
  /** Personal-data request settings (LOOPDESK_PRIVACY_*); the defaults when absent. */
  privacy?: PrivacySettings;
  /** Network incident settings (LOOPDESK_INCIDENT_*, LOOPDESK_QUIET_HOURS, …); the defaults when absent. */
  incidents?: IncidentSettings;
  /** Confidence from which a channel ticket takes the suggested classification (LOOPDESK_CLASSIFY_APPLY_AT; 0.5). */
  classifyApplyAt?: number;
  /** When the sidebar's counts of a large backlog are shared between viewers (DEFAULT_QUEUE_COUNT_SHARING in tickets/queue-counts.ts; tests lower it). */
  queueCountSharing?: {
    /** A smaller open backlog is counted for every request, so its counts are always exact. */
    fromOpenTickets: number;
    /** Shared counts younger than this are used as they are. */
    freshMs: number;
    /** Older ones, up to this age, are used while a new count runs in the background; older still, a request waits for a new count. */
    staleMs: number;
  };
};

/** The settings a node's use cases take from its configuration (the server and the worker CLI). */
export const settingsOf = (config: Config) =>
  ({
    timeZone: config.timeZone,
    priorityWeights: config.priorityWeights,
    intakeQueues: config.intakeQueues,
    surveys: config.surveys,
    qa: config.qa,
    privacy: config.privacy,
    incidents: config.incidents,
    classifyApplyAt: config.classifyApplyAt,
  }) satisfies Partial<Deps>;
