import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponses, IdParams } from '../../contracts/common.js';
import {
  SurveyProblemAction,
  SurveyProblemPage,
  SurveyProblemsQuery,
  SurveyProblemView,
} from '../../contracts/surveys.js';
import { actOnSurveyProblem, listSurveyProblems } from '../../usecases/surveys/survey-problems.js';
import { requireActor } from '../auth.js';
import type { RouteDeps } from './route-deps.js';

const tags = ['surveys'];

export function surveyProblemRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/survey-problems',
    {
      schema: {
        tags,
        summary:
          'Problems raised in surveys (low dimensions, a comment under a low rating), newest first, with their first-handling and resolution due times (supervisors and agents of the callback team; 403 for others)',
        querystring: SurveyProblemsQuery,
        response: { 200: SurveyProblemPage, ...errorResponses },
      },
    },
    async (request) => listSurveyProblems(deps, requireActor(request), request.query),
  );
  r.post(
    '/api/v1/survey-problems/:id/actions',
    {
      schema: {
        tags,
        summary:
          '`handle` (with a note; the first stops the 24 h clock) or `close` (with the resolution; stops the 48 h clock); 409 `survey_problem.closed` once closed',
        params: IdParams,
        body: SurveyProblemAction,
        response: { 200: SurveyProblemView, ...errorResponses },
      },
    },
    async (request) => actOnSurveyProblem(deps, requireActor(request), request.params.id, request.body),
  );
}
