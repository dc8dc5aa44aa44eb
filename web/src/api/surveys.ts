// The public survey page's API (src/contracts/surveys.ts): the one-time token is the credential.
import type { z } from 'zod';
import type {
  SurveyAnswer,
  SurveyProblemAction,
  SurveyProblemsQuery,
  SurveyProblemView,
  SurveyPageView,
  SurveyTemplateBody,
  SurveyTemplatesView,
  TicketSurveyView,
} from '../../../src/contracts/surveys';
import type { SurveyTemplateKind } from '../../../src/core/surveys/templates';
import { get, post, put, query } from './client';

const base = '/api/portal/v1/surveys';

export const surveysApi = {
  page: (token: string) => get<SurveyPageView>(`${base}/${encodeURIComponent(token)}`),
  answer: (token: string, body: SurveyAnswer) => post(`${base}/${encodeURIComponent(token)}`, body),
};

/** The desk's view of a ticket's survey (staff session). */
export const fetchTicketSurvey = (ticketId: string) => get<TicketSurveyView>(`/api/v1/tickets/${ticketId}/survey`);

export type SurveyTemplates = z.infer<typeof SurveyTemplatesView>;

/** Survey texts and the NPS-by-SMS switch (admin console). */
export const surveyTemplatesApi = {
  get: () => get<SurveyTemplates>('/api/v1/survey-templates'),
  save: (kind: SurveyTemplateKind, body: z.input<typeof SurveyTemplateBody>) =>
    put<SurveyTemplates>(`/api/v1/survey-templates/${kind}`, body),
  setSmsNps: (smsNps: boolean) => put<SurveyTemplates>('/api/v1/survey-settings', { smsNps }),
};

export type SurveyProblem = z.infer<typeof SurveyProblemView>;
export type SurveyProblemFilter = z.input<typeof SurveyProblemsQuery>['status'];

/** Problems raised in surveys, tracked to their close (supervisors and the callback team). */
export const surveyProblemsApi = {
  list: (status: SurveyProblemFilter, cursor?: string) =>
    get<{ items: SurveyProblem[]; nextCursor: string | null }>(
      `/api/v1/survey-problems${query({ status, cursor, limit: 50 })}`,
    ),
  act: (id: string, body: z.input<typeof SurveyProblemAction>) =>
    post<SurveyProblem>(`/api/v1/survey-problems/${id}/actions`, body),
};
