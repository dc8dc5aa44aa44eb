import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  type Notification,
} from '../api/notifications';
import { ErrorText } from '../components/ErrorText';
import { ListFooter } from '../components/ListFooter';
import { describeNotification } from '../features/notifications/describe';
import { formatDateTime } from '../i18n';

/** My notifications: SLA warnings and breaches, department tasks; newest first, with the ticket linked. */
export default function InboxPage() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const list = useInfiniteQuery({
    queryKey: ['notifications', 'list', { unreadOnly }],
    queryFn: ({ pageParam }) => listNotifications({ cursor: pageParam, unread: unreadOnly }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const refresh = () => void client.invalidateQueries({ queryKey: ['notifications'] });
  const markOne = useMutation({ mutationFn: markNotificationRead, onSuccess: refresh });
  const markAll = useMutation({ mutationFn: markAllNotificationsRead, onSuccess: refresh });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  /** Where a notification leads: its ticket, or the article, call or request it is about. */
  const linkOf = (n: Notification): { to: string; label: string } | null => {
    const p = n.payload;
    if (n.ticket) return { to: `/tickets/${n.ticket.id}`, label: `${n.ticket.number} ${n.ticket.subject}` };
    if (n.kind === 'knowledge.review_due' && typeof p.articleId === 'string')
      return { to: `/knowledge/${p.articleId}`, label: t('inbox.openArticle') };
    if (n.kind === 'call.unfiled')
      return {
        to: `/new${typeof p.customerId === 'string' ? `?customer=${p.customerId}` : ''}`,
        label: t('inbox.fileCall'),
      };
    if (n.kind === 'privacy.hold_ended' && typeof p.requestId === 'string')
      return { to: `/privacy/${p.requestId}`, label: t('inbox.openPrivacyRequest') };
    return null;
  };
  const unread = list.data?.pages[0]?.unread ?? 0;

  return (
    <section className="inbox">
      <header className="inbox-head">
        <h1>{t('inbox.title')}</h1>
        <span className="badge" data-testid="inbox-unread">
          {t('inbox.unreadCount', { count: unread })}
        </span>
        <label>
          <input type="checkbox" checked={unreadOnly} onChange={(e) => setUnreadOnly(e.target.checked)} />{' '}
          {t('inbox.onlyUnread')}
        </label>
        <span className="spacer" />
        <button type="button" onClick={() => markAll.mutate()} disabled={unread === 0 || markAll.isPending}>
          {t('inbox.markAllRead')}
        </button>
      </header>
      <ErrorText error={list.error ?? markOne.error ?? markAll.error} />
      <table>
        <thead>
          <tr>
            <th>{t('inbox.when')}</th>
            <th>{t('inbox.what')}</th>
            <th>{t('inbox.ticket')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((n) => (
            <tr key={n.id} className={n.readAt ? 'read' : 'unread'} data-kind={n.kind}>
              <td className="muted">{formatDateTime(n.createdAt, i18n.language, true)}</td>
              <td>
                {!n.readAt && <span className="dot" aria-hidden="true" />}
                {describeNotification(n, t, i18n.language)}
                {typeof n.payload.dueAt === 'string' && (
                  <span className="muted">
                    {' '}
                    · {t('inbox.due', { due: formatDateTime(n.payload.dueAt, i18n.language, true) })}
                  </span>
                )}
              </td>
              <td className="subject">
                {(() => {
                  const target = linkOf(n);
                  if (!target) return <span className="muted">—</span>;
                  return (
                    <Link
                      to={target.to}
                      onClick={() => {
                        if (!n.readAt) markOne.mutate(n.id);
                      }}
                    >
                      {target.label}
                    </Link>
                  );
                })()}
              </td>
              <td>
                {n.readAt ? (
                  <span className="muted">{t('inbox.read')}</span>
                ) : (
                  <button type="button" className="link" onClick={() => markOne.mutate(n.id)}>
                    {t('inbox.markRead')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ListFooter list={list} count={rows.length} empty={unreadOnly ? t('inbox.emptyUnread') : t('inbox.empty')} />
    </section>
  );
}
