import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  CallbackAttemptBody,
  CallbackDetail,
  CallbackOutcomeBody,
  CallbackPage,
  CallbacksQuery,
} from '../../contracts/callbacks.js';
import { errorResponses, IdParams } from '../../contracts/common.js';
import {
  finishCallback,
  getCallback,
  listOpenCallbacks,
  recordCallbackAttempt,
} from '../../usecases/callbacks/callbacks.js';
import { requireActor } from '../auth.js';
import type { RouteDeps } from './route-deps.js';

const tags = ['callbacks'];

export function callbackRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/callbacks',
    {
      schema: {
        tags,
        summary:
          'Open callbacks to dissatisfied customers, due soonest first (supervisors and agents of the callback team; 403 for others)',
        querystring: CallbacksQuery,
        response: { 200: CallbackPage, ...errorResponses },
      },
    },
    async (request) => listOpenCallbacks(deps, requireActor(request), request.query),
  );
  r.get(
    '/api/v1/callbacks/:id',
    {
      schema: {
        tags,
        summary: 'One callback with the survey scores and its attempts',
        params: IdParams,
        response: { 200: CallbackDetail, ...errorResponses },
      },
    },
    async (request) => getCallback(deps, requireActor(request), request.params.id),
  );
  r.post(
    '/api/v1/callbacks/:id/attempts',
    {
      schema: {
        tags,
        summary:
          'Record a try to reach the customer; 409 `callback.attempts_exhausted` after 3, 409 `callback.closed` once done',
        params: IdParams,
        body: CallbackAttemptBody,
        response: { 200: CallbackDetail, ...errorResponses },
      },
    },
    async (request) => recordCallbackAttempt(deps, requireActor(request), request.params.id, request.body),
  );
  r.post(
    '/api/v1/callbacks/:id/outcome',
    {
      schema: {
        tags,
        summary:
          'Finish the callback (root cause, remedy, outcome); stops its clock; `ticket_reopened` reopens the ticket. 422 `callback.not_reached_yet` before a reached attempt, 422 `callback.attempts_remaining` for `unreachable` before 3 unreached attempts',
        params: IdParams,
        body: CallbackOutcomeBody,
        response: { 200: CallbackDetail, ...errorResponses },
      },
    },
    async (request) => finishCallback(deps, requireActor(request), request.params.id, request.body),
  );
}
