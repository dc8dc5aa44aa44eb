import type { Clock } from '../core/clock.js';
import type { PriorityWeights } from '../core/tickets/priority.js';
import type { IntakeQueues } from '../core/routing/intake.js';
import type { Db } from '../db/client.js';

/** What every use case may depend on; passed in, never imported as globals. */
export type Deps = {
  db: Db;
  clock: Clock;
  /** Word-segments Chinese/English text into space-separated terms for the search index. */
  indexText: (text: string) => string;
  timeZone: string;
  /** A new ticket of a category the customer had within this many days is a repeat contact (default 30). */
  repeatWindowDays?: number;
  /** The priority weights setting (LOOPDESK_PRIORITY_WEIGHTS); the handbook's defaults when absent. */
  priorityWeights?: PriorityWeights;
  /** Which team takes in each channel's tickets that no rule places (default: every channel to `frontline`). */
  intakeQueues?: IntakeQueues;
};
