import { z } from 'zod';
import { PageQuery } from './common.js';

// The desk's notifications inbox: what was written for me (SLA warnings and breaches, sub-tasks),
// about tickets I may still read.

export const NotificationsQuery = z.strictObject({
  ...PageQuery,
  unread: z.enum(['true', 'false']).optional().describe('true: only unread'),
});

export const NotificationView = z
  .object({
    id: z.number(),
    kind: z.string().describe('sla.warning, sla.breached, subtask.assigned, subtask.done, subtask.cancelled'),
    ticketId: z.uuid().nullable(),
    ticket: z
      .object({ id: z.uuid(), number: z.string(), subject: z.string(), status: z.string() })
      .nullable()
      .describe('The ticket it is about, as it is now'),
    payload: z.record(z.string(), z.unknown()),
    createdAt: z.iso.datetime(),
    readAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Notification' });

export const NotificationPage = z.object({
  items: z.array(NotificationView),
  nextCursor: z.string().nullable(),
  unread: z.number().int().describe('How many unread notifications I have (about tickets I may read)'),
});

export const UnreadCount = z.object({ unread: z.number().int() });
