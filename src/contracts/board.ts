import { z } from 'zod';
import { ROLES, TICKET_STATUSES } from '../core/tickets/types.js';

/** The supervisor board: open work per team and status, and each person's load. */
export const Board = z
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
