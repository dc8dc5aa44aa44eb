import { useQuery } from '@tanstack/react-query';
import { unreadNotifications } from '../../api/notifications';

/** My unread notifications; the live stream's `notification` events invalidate ['notifications']. */
export function useUnreadCount(enabled: boolean): number {
  const unread = useQuery({
    queryKey: ['notifications', 'unread'],
    queryFn: unreadNotifications,
    enabled,
    // A ticket moving out of sight changes the count without a notification; check now and then.
    refetchInterval: 120_000,
  });
  return unread.data?.unread ?? 0;
}
