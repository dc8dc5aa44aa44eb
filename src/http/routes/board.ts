import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../contracts/common.js';
import { ROLES, TICKET_STATUSES } from '../../core/tickets/types.js';
import { readBoard } from '../../usecases/board/read-board.js';
import { requireActor } from '../auth.js';
import type { RouteDeps } from './route-deps.js';

const Board = z
  .object({
    teams: z.array(
      z.object({
        id: z.uuid().nullable().describe('null: tickets not yet on any team'),
        name: z.string(),
        kind: z.string(),
        counts: z.partialRecord(z.enum(TICKET_STATUSES), z.number().int()),
        open: z.number().int(),
        oldestOpenAgeMinutes: z.number().int(),
      }),
    ),
    agents: z.array(
      z.object({
        id: z.uuid(),
        displayName: z.string(),
        role: z.enum(ROLES),
        teamId: z.uuid().nullable(),
        openCount: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'Board' });

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
