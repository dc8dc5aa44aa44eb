import { AppError } from '../errors/app-error.js';
import {
  lowRatings,
  SURVEY_DIMENSIONS,
  type SurveyDimension,
  type SurveyScores,
  type SurveySettings,
} from './rules.js';

// Problems raised in satisfaction surveys (issue 13, domain §5): what the customer complained of
// becomes a tracked item — first handled within 24 hours, resolved within 48 (the handbooks'
// figures, settings) — until someone closes it with what was done. Pure: the use cases load and save.

/** What a tracked item is about: a service dimension rated low, or the customer's comment with a low rating. */
export type SurveyProblemTopic = SurveyDimension | 'comment';

export const SURVEY_PROBLEM_STATUSES = ['open', 'handling', 'closed'] as const;
export type SurveyProblemStatus = (typeof SURVEY_PROBLEM_STATUSES)[number];

export const SURVEY_PROBLEM_ACTIONS = ['handle', 'close'] as const;
export type SurveyProblemAction = (typeof SURVEY_PROBLEM_ACTIONS)[number];

export const DEFAULT_PROBLEM_HOURS = { response: 24, resolution: 48 } as const;
export type ProblemHours = { response: number; resolution: number };

export const problemMetric = (id: string, clock: 'response' | 'resolution'): string => `survey_problem:${id}:${clock}`;

/**
 * The problems an answer raises, or none: every service dimension rated low (≤ the threshold), and
 * the comment when it comes with any low rating (a comment under a good rating is praise or
 * chatter, not a problem). A low overall score alone, with no comment, raises no problem: the
 * callback finds out why.
 */
export function surveyProblemTopics(
  scores: SurveyScores,
  comment: string | null | undefined,
  settings: Pick<SurveySettings, 'lowRating'>,
): SurveyProblemTopic[] {
  const low = lowRatings(scores, settings);
  const dims = SURVEY_DIMENSIONS.filter((d) => low.includes(d));
  const topics: SurveyProblemTopic[] = [...dims];
  if (low.length > 0 && comment?.trim()) topics.push('comment');
  return topics;
}

/**
 * The next status of a tracked item: `handle` records the first handling (open → handling; again
 * while handling adds a note and keeps the first time), `close` finishes it from open or handling.
 * A closed item takes nothing more (`survey_problem.closed`).
 */
export function nextProblemStatus(status: SurveyProblemStatus, action: SurveyProblemAction): SurveyProblemStatus {
  if (status === 'closed') throw new AppError('survey_problem.closed', 'This survey problem is already closed');
  switch (action) {
    case 'handle':
      return 'handling';
    case 'close':
      return 'closed';
    default:
      return action satisfies never;
  }
}
