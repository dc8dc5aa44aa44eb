import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, IdParams } from '../../contracts/common.js';
import { requireActor } from '../auth.js';
import {
  SurveyAnswer,
  SurveyPageView,
  SurveySettingsBody,
  SurveyTemplateBody,
  SurveyTemplateParams,
  SurveyTemplatesView,
  SurveyTokenParams,
  TicketSurveyView,
} from '../../contracts/surveys.js';
import { readSurveyTemplates, saveSurveyTemplate, setSmsNps } from '../../usecases/surveys/survey-templates.js';
import { answerSurveyByLink, readSurveyPage, readTicketSurvey } from '../../usecases/surveys/surveys.js';
import type { RouteDeps } from './route-deps.js';

const tags = ['portal'];

/**
 * The satisfaction survey a customer opens from the link in a message: public (the one-time token
 * in the path is the credential), so they sit in the explicit list of public routes.
 */
export function surveyRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/portal/v1/surveys/:token',
    {
      schema: {
        tags,
        summary: 'The survey behind a link: its questions, or that it was already answered or has expired',
        security: [],
        params: SurveyTokenParams,
        response: { 200: SurveyPageView, ...errorResponses },
      },
    },
    async (request) => readSurveyPage(deps, request.params.token),
  );
  r.post(
    '/api/portal/v1/surveys/:token',
    {
      schema: {
        tags,
        summary: 'Answer the survey (once): CSAT 1–5, NPS 0–10, four dimensions and a comment',
        description:
          '409 `survey.already_answered` for a link used before, 409 `survey.expired` after its answer window; 404 `survey.not_found` for an unknown token.',
        security: [],
        params: SurveyTokenParams,
        body: SurveyAnswer,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await answerSurveyByLink(deps, request.params.token, request.body);
      return reply.status(204).send(null);
    },
  );
}

/** The desk's view of a ticket's survey (staff scope: a session that may read the ticket). */
export function ticketSurveyRoutes(staff: FastifyInstance, deps: RouteDeps): void {
  staff.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/tickets/:id/survey',
    {
      schema: {
        tags: ['tickets'],
        summary:
          'The ticket’s satisfaction survey: scheduled, sent, answered (with the scores), expired or skipped (why)',
        params: IdParams,
        response: { 200: TicketSurveyView, ...errorResponses },
      },
    },
    async (request) => readTicketSurvey(deps, requireActor(request), request.params.id),
  );
  const r = staff.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/survey-templates',
    {
      schema: {
        tags: ['settings'],
        summary: 'Survey texts per kind and language, and whether SMS surveys ask the NPS question (admins)',
        response: { 200: SurveyTemplatesView, ...errorResponses },
      },
    },
    async (request) => readSurveyTemplates(deps, requireActor(request)),
  );
  r.put(
    '/api/v1/survey-templates/:kind',
    {
      schema: {
        tags: ['settings'],
        summary:
          'Replace one kind’s texts (admins); 400 `survey_template.invalid` for a link text without {link}, an unknown placeholder or no text at all',
        params: SurveyTemplateParams,
        body: SurveyTemplateBody,
        response: { 200: SurveyTemplatesView, ...errorResponses },
      },
    },
    async (request) => saveSurveyTemplate(deps, requireActor(request), request.params.kind, request.body),
  );
  r.put(
    '/api/v1/survey-settings',
    {
      schema: {
        tags: ['settings'],
        summary: 'Switch the NPS question by SMS on or off (admins)',
        body: SurveySettingsBody,
        response: { 200: SurveyTemplatesView, ...errorResponses },
      },
    },
    async (request) => setSmsNps(deps, requireActor(request), request.body.smsNps),
  );
}
