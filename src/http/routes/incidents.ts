import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, IdParams } from '../../contracts/common.js';
import {
  BannerQuery,
  CandidateConfirmBody,
  CandidateView,
  IncidentBanner,
  IncidentCreate,
  IncidentDetail,
  IncidentEdit,
  IncidentLevelView,
  IncidentLinkBody,
  IncidentPage,
  IncidentReviewBody,
  IncidentsQuery,
  IncidentStatusBody,
  IncidentTicketParams,
  IncidentUpdateBody,
  RemedyBulkDecisionBody,
  RemedyDecisionBody,
  RemedyGrantBody,
  RemedyParams,
  RemedyView,
  CustomerRemedyView,
  ResolveOutcome,
} from '../../contracts/incidents.js';
import { presentReviewMarkdown } from '../../presenters/incident-review.js';
import { presentIncidentDetail } from '../../presenters/incidents.js';
import { reviewIncident } from '../../usecases/incidents/review-incident.js';
import { AppError } from '../../core/errors/app-error.js';
import { confirmCandidate, dismissCandidate, listCandidates } from '../../usecases/incidents/candidates.js';
import { createIncident } from '../../usecases/incidents/create-incident.js';
import { editIncident } from '../../usecases/incidents/edit-incident.js';
import { linkTicketToIncident, unlinkTicketFromIncident } from '../../usecases/incidents/link-ticket.js';
import { moveIncident } from '../../usecases/incidents/move-incident.js';
import { postIncidentUpdate } from '../../usecases/incidents/post-update.js';
import {
  decideRemedies,
  grantRemedies,
  listCustomerRemedies,
  listRemedies,
  remediesCsv,
} from '../../usecases/incidents/remedies.js';
import {
  incidentBanner,
  listIncidentLevels,
  listIncidents,
  readIncident,
} from '../../usecases/incidents/read-incidents.js';
import type { Actor } from '../../core/auth/policy.js';
import { requireActor } from '../auth.js';
import type { RouteDeps } from './route-deps.js';

const tags = ['incidents'];

export function incidentRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const detail = async (actor: Actor, id: string) => {
    const { facts, ctx } = await readIncident(deps, id);
    return presentIncidentDetail(facts, actor, ctx);
  };

  r.get(
    '/api/v1/incidents',
    {
      schema: {
        tags,
        summary: 'Network incidents, newest first (`status`: active, closed or all)',
        querystring: IncidentsQuery,
        response: { 200: IncidentPage, ...errorResponses },
      },
    },
    async (request) => listIncidents(deps, requireActor(request), request.query),
  );
  r.post(
    '/api/v1/incidents',
    {
      schema: {
        tags,
        summary:
          'Open a network incident (network operations and supervisors; 403 otherwise). 422 `incident.unknown_level`',
        body: IncidentCreate,
        response: { 201: IncidentDetail, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const id = await createIncident(deps, actor, request.body);
      return reply.code(201).send(await detail(actor, id));
    },
  );
  r.get(
    '/api/v1/incidents/:id',
    {
      schema: {
        tags,
        summary: 'One incident: linked tickets, updates, notices, remedies, timeline and the review figures',
        params: IdParams,
        response: { 200: IncidentDetail, ...errorResponses },
      },
    },
    async (request) => detail(requireActor(request), request.params.id),
  );
  r.patch(
    '/api/v1/incidents/:id',
    {
      schema: {
        tags,
        summary: 'Edit an active incident (expected repair time, message, area …); 409 `incident.not_active`',
        params: IdParams,
        body: IncidentEdit,
        response: { 200: IncidentDetail, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      await editIncident(deps, actor, request.params.id, request.body);
      return detail(actor, request.params.id);
    },
  );
  r.post(
    '/api/v1/incidents/:id/status',
    {
      schema: {
        tags,
        summary:
          'Move the incident (409 `incident.invalid_transition`). `resolved` needs the note and resolves every open linked ticket with it, telling each customer once',
        params: IdParams,
        body: IncidentStatusBody,
        response: {
          200: z.object({ incident: IncidentDetail, resolution: ResolveOutcome.nullable() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const resolution = await moveIncident(deps, actor, request.params.id, request.body);
      return { incident: await detail(actor, request.params.id), resolution };
    },
  );
  r.post(
    '/api/v1/incidents/:id/updates',
    {
      schema: {
        tags,
        summary:
          'Write an update: it reaches every customer with an open linked ticket through the outbox (rate-limited)',
        params: IdParams,
        body: IncidentUpdateBody,
        response: { 200: z.object({ recipients: z.number().int() }), ...errorResponses },
      },
    },
    async (request) => postIncidentUpdate(deps, requireActor(request), request.params.id, request.body.body),
  );
  r.post(
    '/api/v1/incidents/:id/tickets',
    {
      schema: {
        tags,
        summary: 'Link a ticket to the active incident by hand (the ticket is then attributed to the network)',
        params: IdParams,
        body: IncidentLinkBody,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await linkTicketToIncident(deps, requireActor(request), request.params.id, request.body.ticketId);
      return reply.code(204).send(null);
    },
  );
  r.delete(
    '/api/v1/incidents/:id/tickets/:ticketId',
    {
      schema: {
        tags,
        summary:
          "Unlink a ticket (a different problem); a ticket the incident's resolution resolved is reopened. 409 `incident.not_linked`",
        params: IncidentTicketParams,
        response: { 200: z.object({ reopened: z.boolean() }), ...errorResponses },
      },
    },
    async (request) =>
      unlinkTicketFromIncident(deps, requireActor(request), request.params.id, request.params.ticketId),
  );
  r.post(
    '/api/v1/incidents/:id/review',
    {
      schema: {
        tags,
        summary:
          'Write the post-incident review (lessons learnt) on a resolved incident; it becomes reviewed. 409 `incident.invalid_transition`',
        params: IdParams,
        body: IncidentReviewBody,
        response: { 200: IncidentDetail, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      await reviewIncident(deps, actor, request.params.id, request.body.lessons);
      return detail(actor, request.params.id);
    },
  );
  r.get(
    '/api/v1/incidents/:id/review.md',
    {
      schema: {
        tags,
        summary:
          'The review as a Markdown report: figures, timeline, resolution, lessons (network operations and supervisors)',
        params: IdParams,
        response: errorResponses,
      },
    },
    async (request, reply) => {
      const incident = await detail(requireActor(request), request.params.id);
      if (!incident.abilities.includes('export'))
        throw new AppError('auth.forbidden', 'Only network operations and supervisors export the review');
      return reply
        .header('content-type', 'text/markdown; charset=utf-8')
        .header('content-disposition', `attachment; filename="review-${incident.number}.md"`)
        .send(presentReviewMarkdown(incident, deps.timeZone) as never); // text; the schema lists only the error shapes
    },
  );
  r.get(
    '/api/v1/customers/:id/remedies',
    {
      schema: {
        tags: ['customers'],
        summary:
          'The remedies granted to a customer for network incidents (kind, amount, status, incident), newest first',
        params: IdParams,
        response: { 200: z.array(CustomerRemedyView), ...errorResponses },
      },
    },
    async (request) => listCustomerRemedies(deps, requireActor(request), request.params.id),
  );
  r.get(
    '/api/v1/incidents/:id/remedies',
    {
      schema: {
        tags,
        summary: 'The remedies granted for the incident (staff who may grant them)',
        params: IdParams,
        response: { 200: z.array(RemedyView), ...errorResponses },
      },
    },
    async (request) => listRemedies(deps, requireActor(request), request.params.id),
  );
  r.post(
    '/api/v1/incidents/:id/remedies',
    {
      schema: {
        tags,
        summary:
          'Grant a remedy to one customer, or to every customer with a linked ticket. Above the approval limit it waits for a supervisor other than the grantor. 409 `incident.no_customers`',
        params: IdParams,
        body: RemedyGrantBody,
        response: {
          201: z.object({ granted: z.number().int(), pendingApproval: z.number().int() }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await grantRemedies(deps, requireActor(request), request.params.id, request.body)),
  );
  r.post(
    '/api/v1/incidents/:id/remedies/:remedyId/decision',
    {
      schema: {
        tags,
        summary:
          'Approve or reject a remedy awaiting approval (supervisors; 403 `remedy.four_eyes` for the grantor, 409 `remedy.not_pending`)',
        params: RemedyParams,
        body: RemedyDecisionBody,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await decideRemedies(
        deps,
        requireActor(request),
        request.params.id,
        [request.params.remedyId],
        request.body.approve,
      );
      return reply.code(204).send(null);
    },
  );
  r.post(
    '/api/v1/incidents/:id/remedies/decision',
    {
      schema: {
        tags,
        summary: 'Approve or reject several remedies awaiting approval at once (a bulk grant); all or none, as for one',
        params: IdParams,
        body: RemedyBulkDecisionBody,
        response: { 200: z.object({ decided: z.number().int() }), ...errorResponses },
      },
    },
    async (request) =>
      decideRemedies(deps, requireActor(request), request.params.id, request.body.remedyIds, request.body.approve),
  );
  r.get(
    '/api/v1/incidents/:id/remedies.csv',
    {
      schema: {
        tags,
        summary: 'The approved remedies as CSV for billing (network operations and supervisors)',
        params: IdParams,
        response: errorResponses,
      },
    },
    async (request, reply) => {
      const { fileName, csv } = await remediesCsv(deps, requireActor(request), request.params.id);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .send(csv as never); // text; the schema lists only the error shapes
    },
  );
  r.get(
    '/api/v1/incident-banner',
    {
      schema: {
        tags,
        summary:
          "The agents' banner: active incidents of the customer's area (new-ticket form) or of a ticket's customer",
        querystring: BannerQuery,
        response: { 200: z.array(IncidentBanner), ...errorResponses },
      },
    },
    async (request) => incidentBanner(deps, requireActor(request), request.query),
  );
  r.get(
    '/api/v1/incident-levels',
    {
      schema: {
        tags,
        summary: 'The incident levels (data)',
        response: { 200: z.array(IncidentLevelView), ...errorResponses },
      },
    },
    async (request) => {
      requireActor(request);
      return listIncidentLevels(deps.db);
    },
  );
  r.get(
    '/api/v1/incident-candidates',
    {
      schema: {
        tags,
        summary: 'Open candidate incidents the detection job proposed (network operations and supervisors)',
        response: { 200: z.array(CandidateView), ...errorResponses },
      },
    },
    async (request) => listCandidates(deps, requireActor(request)),
  );
  r.post(
    '/api/v1/incident-candidates/:id/confirm',
    {
      schema: {
        tags,
        summary:
          'Confirm a candidate: it becomes an incident and its open tickets are linked. 409 `incident.candidate_decided`',
        params: IdParams,
        body: CandidateConfirmBody,
        response: { 201: IncidentDetail, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { incidentId } = await confirmCandidate(deps, actor, request.params.id, request.body);
      return reply.code(201).send(await detail(actor, incidentId));
    },
  );
  r.post(
    '/api/v1/incident-candidates/:id/dismiss',
    {
      schema: {
        tags,
        summary: 'Dismiss a candidate (not an outage). 409 `incident.candidate_decided`',
        params: IdParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await dismissCandidate(deps, requireActor(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
