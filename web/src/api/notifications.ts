// The notifications inbox: typed endpoints (shapes from src/contracts/notifications.ts).
import type { z } from 'zod';
import type { NotificationPage, NotificationView, UnreadCount } from '../../../src/contracts/notifications';
import { get, post, query } from './client';

export type Notification = z.output<typeof NotificationView>;
export type NotificationList = z.output<typeof NotificationPage>;
export type { LiveNotificationEvent } from '../../../src/contracts/events';

export const listNotifications = (params: { cursor?: string | undefined; unread?: boolean; limit?: number }) =>
  get<NotificationList>(
    `/api/v1/notifications${query({ cursor: params.cursor, limit: params.limit ?? 30, unread: params.unread ? 'true' : undefined })}`,
  );
export const unreadNotifications = () => get<z.output<typeof UnreadCount>>('/api/v1/notifications/unread-count');
export const markNotificationRead = (id: number) =>
  post<z.output<typeof UnreadCount>>(`/api/v1/notifications/${id}/read`);
export const markAllNotificationsRead = () => post<{ marked: number; unread: 0 }>('/api/v1/notifications/read-all');
