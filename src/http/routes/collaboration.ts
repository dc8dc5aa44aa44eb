import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, IdParams } from '../../contracts/common.js';
import { TicketView } from '../../contracts/tickets.js';
import { deEscalateTicket, escalateTicket } from '../../usecases/tickets/escalate-ticket.js';
import { linkTickets, listLinks, mergeTicket } from '../../usecases/tickets/link-tickets.js';
import type { Actor } from '../../core/auth/policy.js';
import { ticketViewFor } from './tickets.js';
import { cancelSubtask, completeSubtask, createSubtask, listSubtasks } from '../../usecases/tickets/subtasks.js';
import { requireActor } from '../auth.js';
import type { RouteDeps } from './route-deps.js';

const Note = z.string().trim().min(2).max(5000);
const SubtaskView = z
  .object({
    id: z.uuid(),
    teamId: z.uuid(),
    teamName: z.string(),
    assigneeId: z.uuid().nullable(),
    title: z.string(),
    description: z.string(),
    blocking: z.boolean(),
    status: z.enum(['open', 'done', 'cancelled']),
    dueAt: z.iso.datetime().nullable(),
    result: z.string().nullable(),
    createdAt: z.iso.datetime(),
    completedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Subtask' });
const LinkView = z
  .object({
    ticketId: z.uuid(),
    number: z.string(),
    status: z.string(),
    subject: z.string(),
    kind: z.string(),
    direction: z.enum(['outgoing', 'incoming']),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'TicketLink' });

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
        body: z.strictObject({ note: Note, teamId: z.uuid().optional(), assigneeId: z.uuid().optional() }),
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
        body: z.strictObject({ note: Note }),
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
    async (request) => ({
      items: (await listSubtasks(deps, requireActor(request), request.params.id)).map(({ task, teamName }) => ({
        id: task.id,
        teamId: task.teamId,
        teamName,
        assigneeId: task.assigneeId,
        title: task.title,
        description: task.description,
        blocking: task.blocking,
        status: task.status as 'open' | 'done' | 'cancelled',
        dueAt: task.dueAt?.toISOString() ?? null,
        result: task.result,
        createdAt: task.createdAt.toISOString(),
        completedAt: task.completedAt?.toISOString() ?? null,
      })),
    }),
  );
  r.post(
    '/api/v1/tickets/:id/subtasks',
    {
      schema: {
        tags: ['subtasks'],
        summary: 'Hand part of the work to a department, with its own assignee and time limit (business minutes)',
        params: IdParams,
        body: z.strictObject({
          teamId: z.uuid(),
          title: z.string().trim().min(1).max(200),
          description: z.string().max(5000).default(''),
          blocking: z.boolean().default(true),
          assigneeId: z.uuid().optional(),
          dueInMinutes: z
            .number()
            .int()
            .min(1)
            .max(60 * 24 * 30)
            .optional(),
        }),
        response: { 201: z.object({ id: z.uuid() }), ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send({ id: await createSubtask(deps, requireActor(request), request.params.id, request.body) }),
  );
  for (const [verb, run] of [
    ['complete', completeSubtask],
    ['cancel', cancelSubtask],
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
          body: z.strictObject({ [verb === 'complete' ? 'result' : 'reason']: Note }),
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        await run(deps, requireActor(request), request.params.id, request.body.result ?? request.body.reason ?? '');
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
        body: z.strictObject({ intoTicketId: z.uuid() }),
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
    async (request) => ({ items: await listLinks(deps, requireActor(request), request.params.id) }),
  );
  r.post(
    '/api/v1/tickets/:id/links',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Link a related ticket',
        params: IdParams,
        body: z.strictObject({ otherTicketId: z.uuid() }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await linkTickets(deps, requireActor(request), request.params.id, request.body.otherTicketId);
      return reply.status(204).send(null);
    },
  );
}
