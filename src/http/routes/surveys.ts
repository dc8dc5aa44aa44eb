import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../contracts/common.js';
import { SurveyAnswer, SurveyPageView, SurveyTokenParams } from '../../contracts/surveys.js';
import { answerSurveyByLink, readSurveyPage } from '../../usecases/surveys/surveys.js';
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
