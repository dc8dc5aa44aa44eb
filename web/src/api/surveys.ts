// The public survey page's API (src/contracts/surveys.ts): the one-time token is the credential.
import type { z } from 'zod';
import type {
  SurveyAnswer,
  SurveyPageView,
  SurveyTemplateBody,
  SurveyTemplatesView,
  TicketSurveyView,
} from '../../../src/contracts/surveys';
import type { SurveyTemplateKind } from '../../../src/core/surveys/templates';
import { get, post, put } from './client';

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
