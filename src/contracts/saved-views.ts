import { z } from 'zod';
import { TICKET_STATUSES, TICKET_TYPES } from '../core/tickets/types.js';

/** The desk's built-in queue views; a saved view starts from one of them or from a team's queue. */
export const QUEUE_VIEWS = ['mine', 'unassigned', 'due_soon', 'breached', 'vip', 'all'] as const;

/** The queue page's filters as it puts them in its address, so a saved view opens exactly as it was. */
export const SavedViewFilters = z
  .strictObject({
    view: z.enum(QUEUE_VIEWS).optional(),
    team: z.uuid().optional(),
    type: z.enum(TICKET_TYPES).optional(),
    grade: z.string().min(1).max(40).optional(),
    status: z.enum(TICKET_STATUSES).optional(),
    q: z.string().trim().min(1).max(200).optional(),
    sort: z.literal('due').optional(),
  })
  .meta({ id: 'SavedViewFilters' });

export const SavedViewCreate = z.strictObject({
  name: z.string().trim().min(1).max(40),
  filters: SavedViewFilters,
});

export const SavedViewView = z
  .object({ id: z.uuid(), name: z.string(), filters: SavedViewFilters, createdAt: z.iso.datetime() })
  .meta({ id: 'SavedView' });
