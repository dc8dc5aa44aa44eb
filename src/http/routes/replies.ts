import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, IdParams } from '../../contracts/common.js';
import { MacroApply, ReplyCreate, ReplyListQuery, ReplyPage, ReplyUpdate } from '../../contracts/replies.js';
import { createReply, deleteReply, listReplies, updateReply } from '../../usecases/desk/replies.js';
import { applyMacro } from '../../usecases/tickets/apply-macro.js';
import { requireActor } from '../auth.js';
import type { RouteDeps } from './route-deps.js';

const tags = ['replies'];

export function replyRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/replies',
    {
      schema: {
        tags,
        summary:
          'Managed replies and macros I may use (mine, my team’s, global), by name; `q` finds words (segmented) at the start of words of the name or text',
        querystring: ReplyListQuery,
        response: { 200: ReplyPage, ...errorResponses },
      },
    },
    async (request) => {
      const page = await listReplies(deps, requireActor(request), request.query);
      return {
        ...page,
        items: page.items.map((r) => ({
          id: r.id,
          scope: r.scope,
          team: r.team,
          owner: r.owner,
          name: r.name,
          body: r.body,
          actions: r.actions,
          isMacro: r.isMacro,
          updatedAt: r.updatedAt.toISOString(),
          abilities: [...r.abilities],
        })),
      };
    },
  );
  r.post(
    '/api/v1/replies',
    {
      schema: {
        tags,
        summary:
          'Create a reply or macro: personal (anyone who works tickets), team (its supervisors, admins) or global (supervisors, admins). 400 reply.unknown_placeholder; 409 reply.name_taken',
        body: ReplyCreate,
        response: { 201: z.object({ id: z.uuid() }), ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send({ id: await createReply(deps, requireActor(request), request.body) }),
  );
  r.patch(
    '/api/v1/replies/:id',
    {
      schema: {
        tags,
        summary: 'Change a reply or macro I manage',
        params: IdParams,
        body: ReplyUpdate,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await updateReply(deps, requireActor(request), request.params.id, request.body);
      return reply.status(204).send(null);
    },
  );
  r.delete(
    '/api/v1/replies/:id',
    {
      schema: {
        tags,
        summary: 'Delete a reply or macro I manage',
        params: IdParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await deleteReply(deps, requireActor(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
  r.post(
    '/api/v1/tickets/:id/macros',
    {
      schema: {
        tags: [...tags, 'tickets'],
        summary:
          'Apply a macro to the ticket in one step (tags, grade, my reviewed message, its note, then its status move); 409 macro.not_applicable with the reason when any part cannot apply, and nothing is applied',
        params: IdParams,
        body: MacroApply,
        response: {
          200: z.object({
            applied: z.object({
              edit: z.boolean(),
              message: z.boolean(),
              note: z.boolean(),
              status: z.string().nullable(),
            }),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => applyMacro(deps, requireActor(request), request.params.id, request.body),
  );
}
