import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  CallbackAssignBody,
  CallbackAssigneeList,
  CallbackAttemptBody,
  CallbackDetail,
  CallbackOutcomeBody,
  CallbackPage,
  CallbacksQuery,
  RootCauseCreate,
  RootCauseList,
  RootCauseParams,
  RootCauseQuery,
  RootCauseUpdate,
  RootCauseView,
} from '../../contracts/callbacks.js';
import { createRootCause, listRootCauses, updateRootCause } from '../../usecases/callbacks/root-causes.js';
import { errorResponses, IdParams } from '../../contracts/common.js';
import {
  assignCallback,
  callbackAssignees,
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
    '/api/v1/callbacks/assignees',
    {
      schema: {
        tags,
        summary:
          'The agents of the callback team a supervisor may give callbacks to, with the open callbacks each holds',
        response: { 200: CallbackAssigneeList, ...errorResponses },
      },
    },
    async (request) => callbackAssignees(deps, requireActor(request)),
  );
  r.put(
    '/api/v1/callbacks/:id/assignee',
    {
      schema: {
        tags,
        summary:
          'Give an open callback to an active agent of the callback team, or back to the queue (null); supervisors only (403). 422 `callback.invalid_assignee`, 409 `callback.closed`. Noted on the ticket timeline (`callback_assigned`) and in the new holder’s inbox',
        params: IdParams,
        body: CallbackAssignBody,
        response: { 200: CallbackDetail, ...errorResponses },
      },
    },
    async (request) => assignCallback(deps, requireActor(request), request.params.id, request.body),
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
          'Finish the callback (root cause from the list, remedy, outcome); stops its clock; `ticket_reopened` reopens the ticket; `complaint_opened` opens a complaint linked to it, described by `notes`. 422 `callback.not_reached_yet` before a reached attempt, 422 `callback.attempts_remaining` for `unreachable` before 3 unreached attempts, 422 `callback.unknown_root_cause` for a code not in the active list',
        params: IdParams,
        body: CallbackOutcomeBody,
        response: { 200: CallbackDetail, ...errorResponses },
      },
    },
    async (request) => finishCallback(deps, requireActor(request), request.params.id, request.body),
  );

  r.get(
    '/api/v1/root-causes',
    {
      schema: {
        tags,
        summary: 'The root causes callbacks are filed under, in order; `all=true` also the deactivated ones (admins)',
        querystring: RootCauseQuery,
        response: { 200: RootCauseList, ...errorResponses },
      },
    },
    async (request) => listRootCauses(deps, requireActor(request), request.query),
  );
  r.post(
    '/api/v1/root-causes',
    {
      schema: {
        tags,
        summary: 'Add a root cause (admins); 409 `root_cause.code_taken` for a code in use',
        body: RootCauseCreate,
        response: { 200: RootCauseView, ...errorResponses },
      },
    },
    async (request) => createRootCause(deps, requireActor(request), request.body),
  );
  r.patch(
    '/api/v1/root-causes/:code',
    {
      schema: {
        tags,
        summary: 'Rename, reorder, deactivate or reactivate a root cause (admins); finished callbacks keep it',
        params: RootCauseParams,
        body: RootCauseUpdate,
        response: { 200: RootCauseView, ...errorResponses },
      },
    },
    async (request) => updateRootCause(deps, requireActor(request), request.params.code, request.body),
  );
}
