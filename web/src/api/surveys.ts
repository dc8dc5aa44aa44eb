// The public survey page's API (src/contracts/surveys.ts): the one-time token is the credential.
import type { SurveyAnswer, SurveyPageView, TicketSurveyView } from '../../../src/contracts/surveys';
import { get, post } from './client';

const base = '/api/portal/v1/surveys';

export const surveysApi = {
  page: (token: string) => get<SurveyPageView>(`${base}/${encodeURIComponent(token)}`),
  answer: (token: string, body: SurveyAnswer) => post(`${base}/${encodeURIComponent(token)}`, body),
};

/** The desk's view of a ticket's survey (staff session). */
export const fetchTicketSurvey = (ticketId: string) => get<TicketSurveyView>(`/api/v1/tickets/${ticketId}/survey`);
