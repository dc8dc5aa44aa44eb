import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../contracts/common.js';
import { NotificationPage, NotificationsQuery, UnreadCount } from '../../contracts/notifications.js';
import { presentNotification } from '../../presenters/notifications.js';
import {
  countUnreadNotifications,
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
} from '../../usecases/desk/notifications.js';
import { requireActor } from '../auth.js';
import type { RouteDeps } from './route-deps.js';

const tags = ['notifications'];
const NotificationParams = z.strictObject({ id: z.coerce.number().int().positive() });

export function notificationRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/notifications',
    {
      schema: {
        tags,
        summary:
          'My notifications, newest first (SLA warnings and breaches, sub-tasks), only about tickets I may read now, with my unread count',
        querystring: NotificationsQuery,
        response: { 200: NotificationPage, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const page = await listNotifications(deps, actor, {
        limit: request.query.limit,
        cursor: request.query.cursor,
        unreadOnly: request.query.unread === 'true',
      });
      return { ...page, items: page.items.map((n) => presentNotification(n, actor)) };
    },
  );
  r.get(
    '/api/v1/notifications/unread-count',
    {
      schema: {
        tags,
        summary: 'How many unread notifications I have (about tickets I may read)',
        response: { 200: UnreadCount, ...errorResponses },
      },
    },
    async (request) => ({ unread: await countUnreadNotifications(deps, requireActor(request)) }),
  );
  r.post(
    '/api/v1/notifications/:id/read',
    {
      schema: {
        tags,
        summary: 'Mark one of my notifications read; answers my unread count',
        params: NotificationParams,
        response: { 200: UnreadCount, ...errorResponses },
      },
    },
    async (request) => ({ unread: await markNotificationRead(deps, requireActor(request), request.params.id) }),
  );
  r.post(
    '/api/v1/notifications/read-all',
    {
      schema: {
        tags,
        summary: 'Mark all my notifications read',
        response: { 200: z.object({ marked: z.number().int(), unread: z.literal(0) }), ...errorResponses },
      },
    },
    async (request) => ({ marked: await markAllNotificationsRead(deps, requireActor(request)), unread: 0 as const }),
  );
}
