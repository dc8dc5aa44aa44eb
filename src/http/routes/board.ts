import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Board } from '../../contracts/board.js';
import { errorResponses } from '../../contracts/common.js';
import { readBoard } from '../../usecases/board/read-board.js';
import { requireActor } from '../auth.js';
import type { RouteDeps } from './route-deps.js';

export function boardRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/board',
    {
      schema: {
        tags: ['board'],
        summary: 'Open work per team and status, and each person’s load (supervisors)',
        response: { 200: Board, ...errorResponses },
      },
    },
    async (request) => readBoard(deps, requireActor(request)),
  );
}
