import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { deskChatApi, type ChatSummary } from '../api/chat';
import type { Session } from '../api/types';
import { TierBadge } from '../components/Badges';
import { ErrorText } from '../components/ErrorText';
import { usePresence } from '../components/usePresence';
import { CustomerPanel } from '../features/customers/CustomerPanel';
import { ChatConversation } from '../features/chat/ChatConversation';
import { FirstResponseClock } from '../features/chat/FirstResponseClock';
import { formatDuration } from '../i18n';
import { useNow } from '../features/tickets/useNow';
import './chat.css';

/**
 * The desk's live chat: the waiting chats (longest wait first, with why the bot handed off), my
 * chats up to my limit, the open chat in the middle and the customer beside it. Live `chat` events
 * reload the lists and the open chat.
 */
export default function ChatPage({ me }: { me: Session['staff'] }) {
  const { t } = useTranslation();
  const { id } = useParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  // The queue is also read again now and then: a wait grows, a chat may leave it on another node.
  const queue = useQuery({
    queryKey: ['chats', 'queue'],
    queryFn: () => deskChatApi.list('queue'),
    refetchInterval: 15_000,
  });
  const mine = useQuery({ queryKey: ['chats', 'mine'], queryFn: () => deskChatApi.list('mine') });
  const chat = useQuery({ queryKey: ['chat', id], queryFn: () => deskChatApi.get(id!), enabled: Boolean(id) });
  const accept = useMutation({
    mutationFn: (chatId: string) => deskChatApi.accept(chatId),
    onSuccess: (_r, chatId) => {
      void client.invalidateQueries({ queryKey: ['chats'] });
      void client.invalidateQueries({ queryKey: ['chat', chatId] });
      void navigate(`/chat/${chatId}`);
    },
    // The queue, and my presence (refused while not online), may have changed meanwhile.
    onError: () => {
      void client.invalidateQueries({ queryKey: ['chats'] });
      void client.invalidateQueries({ queryKey: ['board', 'agents'] });
    },
  });
  const limit = mine.data?.mine.limit ?? queue.data?.mine.limit ?? 3;
  const count = mine.data?.mine.active ?? 0;
  // Only someone online accepts a chat: offline (as everyone starts) or away, the screen offers to go online.
  const { presence, set: setPresence } = usePresence(me.id);
  const notOnline = presence !== null && presence !== 'online';
  const atLimit = count >= limit;
  const canReveal = me.abilities.includes('reveal_pii');
  return (
    <div className="chat-page">
      <aside className="chat-lists">
        <section className="panel" aria-labelledby="chat-mine-title">
          <h2 id="chat-mine-title">{t('deskChat.mine', { count, limit })}</h2>
          {mine.data?.items.length === 0 && <p className="muted small">{t('deskChat.mineEmpty')}</p>}
          <ul className="chat-list mine" role="tablist">
            {mine.data?.items.map((c) => (
              <li key={c.id} className={c.id === id ? 'selected' : ''}>
                <Link to={`/chat/${c.id}`} role="tab" aria-selected={c.id === id} data-chat-link={c.id}>
                  <ChatItem c={c} />
                </Link>
              </li>
            ))}
          </ul>
        </section>
        <section className="panel" aria-labelledby="chat-queue-title">
          <h2 id="chat-queue-title">
            {t('deskChat.queue')} ({queue.data?.items.length ?? 0})
          </h2>
          <ErrorText error={queue.error ?? accept.error} />
          {notOnline && (
            <p className="chat-offline warning small" role="status">
              {t('deskChat.notOnline', { context: presence })}{' '}
              <button
                type="button"
                className="primary"
                data-action="go-online"
                disabled={setPresence.isPending}
                onClick={() => setPresence.mutate('online')}
              >
                {t('deskChat.goOnline')}
              </button>
            </p>
          )}
          {atLimit && queue.data && queue.data.items.length > 0 && (
            <p className="warning small" role="status">
              {t('deskChat.atLimit', { limit })}
            </p>
          )}
          {queue.data?.items.length === 0 && <p className="muted small">{t('deskChat.queueEmpty')}</p>}
          <ul className="chat-list queue">
            {queue.data?.items.map((c) => (
              <li key={c.id} data-queued={c.id} className={c.id === id ? 'selected' : ''}>
                <Link to={`/chat/${c.id}`}>
                  <ChatItem c={c} waiting />
                </Link>
                <button
                  type="button"
                  className="primary"
                  disabled={atLimit || notOnline || accept.isPending}
                  onClick={() => accept.mutate(c.id)}
                  data-action="accept"
                >
                  {t('deskChat.accept')}
                </button>
              </li>
            ))}
          </ul>
        </section>
      </aside>
      <main className="chat-main">
        {!id ? (
          <p className="empty">{t('deskChat.select')}</p>
        ) : chat.data ? (
          <>
            {chat.data.abilities.includes('accept') && (
              <p className="chat-accept-bar">
                <button
                  type="button"
                  className="primary"
                  disabled={atLimit || notOnline || accept.isPending}
                  onClick={() => accept.mutate(chat.data.chat.id)}
                >
                  {t('deskChat.accept')}
                </button>
              </p>
            )}
            <ChatConversation detail={chat.data} me={me} />
          </>
        ) : (
          <ErrorText error={chat.error} />
        )}
      </main>
      <aside className="chat-side">
        {chat.data?.chat.customer ? (
          <CustomerPanel customerId={chat.data.chat.customer.id} canReveal={canReveal} />
        ) : chat.data ? (
          <section className="panel customer">
            <h2>{t('deskChat.customer')}</h2>
            <p className="muted">{t('deskChat.anonymous')}</p>
          </section>
        ) : null}
      </aside>
    </div>
  );
}

/** One chat in a list: who, the channel, why the bot handed off, and the wait or the first response clock. */
function ChatItem({ c, waiting = false }: { c: ChatSummary; waiting?: boolean }) {
  const { t, i18n } = useTranslation();
  const now = useNow(1000);
  return (
    <span className="chat-item">
      <span className="chat-item-who">
        <strong>{c.customer?.name ?? t('deskChat.anonymous')}</strong>
        {c.customer && <TierBadge tier={c.customer.tier as 'regular'} />}
        <span className="badge">{t(`deskChat.channel.${c.channel}`)}</span>
      </span>
      {waiting && c.queuedAt && (
        <span className="chat-wait small" data-wait>
          {t('deskChat.waiting', { time: formatDuration(now - Date.parse(c.queuedAt), i18n.language, true) })}
        </span>
      )}
      {c.handoffReason && (
        <span className={`chat-reason small reason-${c.handoffReason}`}>
          {t(`deskChat.handoff.${c.handoffReason}`)}
        </span>
      )}
      {c.preview && <span className="chat-preview small muted">{c.preview}</span>}
      {c.state !== 'ended' && <FirstResponseClock clock={c.clock} startedAt={c.queuedAt} compact />}
    </span>
  );
}
