import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, IdParams } from '../../contracts/common.js';
import { SavedViewCreate, SavedViewView } from '../../contracts/saved-views.js';
import { createSavedView, deleteSavedView, listSavedViews } from '../../usecases/desk/saved-views.js';
import { requireActor } from '../auth.js';
import type { RouteDeps } from './route-deps.js';

export function savedViewRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/saved-views',
    {
      schema: {
        tags: ['desk'],
        summary: 'My saved queue views, oldest first',
        response: { 200: z.object({ items: z.array(SavedViewView) }), ...errorResponses },
      },
    },
    async (request) => {
      const items = await listSavedViews(deps, requireActor(request));
      return { items: items.map((v) => ({ ...v, createdAt: v.createdAt.toISOString() })) };
    },
  );
  r.post(
    '/api/v1/saved-views',
    {
      schema: {
        tags: ['desk'],
        summary:
          'Save the current queue filters under a name (409 saved_view.name_taken if I have one by that name; 422 saved_view.limit_reached at 20)',
        body: SavedViewCreate,
        response: { 201: z.object({ id: z.uuid() }), ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send({ id: await createSavedView(deps, requireActor(request), request.body) }),
  );
  r.delete(
    '/api/v1/saved-views/:id',
    {
      schema: {
        tags: ['desk'],
        summary: 'Delete one of my saved views',
        params: IdParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await deleteSavedView(deps, requireActor(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
