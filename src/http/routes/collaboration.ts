import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  DeEscalateBody,
  EscalateBody,
  LinkCreate,
  LinkView,
  MergeBody,
  SubtaskCancel,
  SubtaskComplete,
  SubtaskCreate,
  SubtaskView,
} from '../../contracts/collaboration.js';
import { errorResponses, IdParams } from '../../contracts/common.js';
import { TicketView } from '../../contracts/tickets.js';
import { deEscalateTicket, escalateTicket } from '../../usecases/tickets/escalate-ticket.js';
import { linkTickets, listLinks, mergeTicket } from '../../usecases/tickets/link-tickets.js';
import type { Actor } from '../../core/auth/policy.js';
import { presentLink, presentSubtask } from '../../presenters/collaboration.js';
import { ticketViewFor } from './tickets.js';
import { cancelSubtask, completeSubtask, createSubtask, listSubtasks } from '../../usecases/tickets/subtasks.js';
import { requireActor } from '../auth.js';
import type { RouteDeps } from './route-deps.js';

/** Tiers, transfers to other departments, duplicates and related tickets. */
export function collaborationRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const view = (actor: Actor, id: string) => ticketViewFor(deps, actor, id);

  r.post(
    '/api/v1/tickets/:id/escalate',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Escalate to tier 2 (the expert queue, or a given team / expert) with a mandatory handoff note',
        params: IdParams,
        body: EscalateBody,
        response: { 200: TicketView, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      await escalateTicket(deps, actor, request.params.id, request.body);
      return view(actor, request.params.id);
    },
  );
  r.post(
    '/api/v1/tickets/:id/de-escalate',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Hand back to tier 1 (the first-contact owner) with a note',
        params: IdParams,
        body: DeEscalateBody,
        response: { 200: TicketView, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      await deEscalateTicket(deps, actor, request.params.id, request.body);
      return view(actor, request.params.id);
    },
  );

  r.get(
    '/api/v1/tickets/:id/subtasks',
    {
      schema: {
        tags: ['subtasks'],
        summary: 'Work handed to other departments, with progress',
        params: IdParams,
        response: { 200: z.object({ items: z.array(SubtaskView) }), ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const { rows, access } = await listSubtasks(deps, actor, request.params.id);
      return { items: rows.map((s) => presentSubtask(s, actor, access)) };
    },
  );
  r.post(
    '/api/v1/tickets/:id/subtasks',
    {
      schema: {
        tags: ['subtasks'],
        summary: 'Hand part of the work to a department, with its own assignee and time limit (business minutes)',
        params: IdParams,
        body: SubtaskCreate,
        response: { 201: z.object({ id: z.uuid() }), ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send({ id: await createSubtask(deps, requireActor(request), request.params.id, request.body) }),
  );
  for (const [verb, run, body] of [
    ['complete', completeSubtask, SubtaskComplete],
    ['cancel', cancelSubtask, SubtaskCancel],
  ] as const) {
    r.post(
      `/api/v1/subtasks/:id/${verb}`,
      {
        schema: {
          tags: ['subtasks'],
          summary:
            verb === 'complete'
              ? 'Report the sub-task done (the department); the first-contact owner is notified'
              : 'Cancel a sub-task no longer needed',
          params: IdParams,
          body,
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        const text = 'result' in request.body ? request.body.result : request.body.reason;
        await run(deps, requireActor(request), request.params.id, text);
        return reply.status(204).send(null);
      },
    );
  }

  r.post(
    '/api/v1/tickets/:id/merge',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Merge this duplicate into another ticket of the same customer (this one is closed and linked)',
        params: IdParams,
        body: MergeBody,
        response: { 200: TicketView, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      await mergeTicket(deps, actor, request.params.id, request.body.intoTicketId);
      return view(actor, request.body.intoTicketId);
    },
  );
  r.get(
    '/api/v1/tickets/:id/links',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Duplicates, repeats and related tickets',
        params: IdParams,
        response: { 200: z.object({ items: z.array(LinkView) }), ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return { items: (await listLinks(deps, actor, request.params.id)).map((link) => presentLink(link, actor)) };
    },
  );
  r.post(
    '/api/v1/tickets/:id/links',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Link a related ticket',
        params: IdParams,
        body: LinkCreate,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await linkTickets(deps, requireActor(request), request.params.id, request.body.otherTicketId);
      return reply.status(204).send(null);
    },
  );
}
