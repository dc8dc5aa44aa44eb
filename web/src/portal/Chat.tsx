import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { customerChatApi, type ChatMessage } from '../api/chat';
import { ErrorText } from '../components/ErrorText';
import { chatLineText } from '../features/chat/chat-line';
import { FaqArticleView } from './Faq';
import { useCustomerChat, type CustomerChat, type Outgoing } from './useCustomerChat';
import './chat.css';

/**
 * The portal's live chat, phone-sized first: the bot answers (with "did this help?") or offers the
 * closest articles; "talk to a person" queues the chat (the place in the queue shows), an agent's
 * typing and replies arrive live. Sending shows until the server has stored the message; a failed
 * send can be retried. Outside service hours or after a long wait the customer can leave a message.
 */
export function PortalChat({ signedIn, onBack }: { signedIn: boolean; onBack: () => void }) {
  const { t, i18n } = useTranslation();
  const chat = useCustomerChat();
  const [article, setArticle] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);

  if (article)
    return (
      <div className="chat-article">
        <FaqArticleView id={article} onBack={() => setArticle(null)} />
      </div>
    );
  return (
    <section className="card chat" aria-labelledby="chat-title">
      <header className="chat-head">
        <button type="button" className="link" onClick={onBack}>
          ← {t('chat.back')}
        </button>
        <h1 id="chat-title">{t('chat.title')}</h1>
        {chat.conv && chat.status?.state !== 'ended' && (
          <button
            type="button"
            className="link chat-end"
            onClick={() => void chat.call(customerChatApi.end)}
            data-action="end-chat"
          >
            {t('chat.end')}
          </button>
        )}
      </header>
      {!chat.conv ? (
        <div className="chat-intro">
          <p>{t('chat.intro')}</p>
          {!signedIn && <p className="muted small">{t('chat.signInHint')}</p>}
          <ErrorText error={chat.error} />
          <button
            type="button"
            className="primary"
            disabled={starting}
            onClick={() => {
              setStarting(true);
              void chat.start(i18n.language === 'en' ? 'en' : 'zh').finally(() => setStarting(false));
            }}
          >
            {starting ? t('chat.starting') : t('chat.start')}
          </button>
        </div>
      ) : (
        <Conversation chat={chat} onArticle={setArticle} />
      )}
    </section>
  );
}

function Conversation({ chat, onArticle }: { chat: CustomerChat; onArticle: (id: string) => void }) {
  const { t } = useTranslation();
  const end = useRef<HTMLDivElement>(null);
  const s = chat.status;
  const ended = s?.state === 'ended';
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [chat.messages.length, chat.outgoing.length, chat.agentTyping]);
  return (
    <>
      {!chat.connected && (
        <p className="chat-banner warning" role="status">
          {t('chat.reconnecting')}
        </p>
      )}
      {s?.state === 'queued' && (
        <p className="chat-banner queue" role="status" data-position={s.queuePosition ?? ''}>
          {s.queuePosition && s.queuePosition > 1
            ? t('chat.queued', { ahead: s.queuePosition - 1 })
            : t('chat.queuedFirst')}
        </p>
      )}
      {s?.state === 'assigned' && s.agentName && (
        <p className="chat-banner assigned" role="status">
          {t('chat.assigned', { name: s.agentName })}
        </p>
      )}
      <ol className="chat-log" aria-live="polite">
        {chat.messages.map((m) => (
          <Bubble key={m.seq} m={m} chat={chat} onArticle={onArticle} />
        ))}
        {chat.outgoing.map((o) => (
          <PendingBubble key={o.clientMessageId} o={o} onRetry={() => chat.retry(o)} />
        ))}
      </ol>
      {chat.agentTyping && (
        <p className="chat-typing muted small" role="status">
          {t('chat.agentTyping')}
        </p>
      )}
      <div ref={end} />
      <ErrorText error={chat.error} />
      {ended ? (
        <EndedPanel chat={chat} />
      ) : (
        <>
          {s?.canLeaveMessage && <LeaveMessage chat={chat} />}
          <Composer chat={chat} />
        </>
      )}
    </>
  );
}

function Bubble({ m, chat, onArticle }: { m: ChatMessage; chat: CustomerChat; onArticle: (id: string) => void }) {
  const { t } = useTranslation();
  const [voted, setVoted] = useState(m.payload.helpful !== undefined && m.payload.helpful !== null);
  const articles = m.payload.articles ?? [];
  const answered = m.author === 'bot' && m.payload.kind === 'answer';
  return (
    <li className={`chat-msg from-${m.author}`} data-seq={m.seq}>
      {m.author !== 'customer' && (
        <span className="chat-who">
          {m.author === 'agent' && m.agentName ? m.agentName : t(`chat.author.${m.author}`)}
        </span>
      )}
      <div className="chat-bubble">
        <p className="chat-text">{chatLineText(m, t)}</p>
        {articles.length > 0 && (
          <div className="chat-articles">
            <ul>
              {articles.map((a) => (
                <li key={a.id}>
                  <button type="button" className="link" data-article={a.id} onClick={() => onArticle(a.id)}>
                    {a.title}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        )}
        {answered && (
          <div className="chat-helpful">
            {voted ? (
              <span className="ok small">{t('chat.thanks')}</span>
            ) : (
              <span role="group" aria-label={t('chat.helpful')}>
                {[true, false].map((helpful) => (
                  <button
                    key={String(helpful)}
                    type="button"
                    className="chip"
                    data-helpful={helpful}
                    onClick={() => {
                      setVoted(true);
                      void chat.call((id, token) => customerChatApi.feedback(id, token, m.seq, helpful));
                    }}
                  >
                    {helpful ? t('chat.yes') : t('chat.no')}
                  </button>
                ))}
              </span>
            )}
          </div>
        )}
      </div>
    </li>
  );
}

function PendingBubble({ o, onRetry }: { o: Outgoing; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <li className={`chat-msg from-customer ${o.status}`} data-pending={o.status}>
      <div className="chat-bubble">
        <p className="chat-text">{o.body}</p>
      </div>
      <span className="chat-send-state small">
        {o.status === 'pending' ? (
          t('chat.sending')
        ) : (
          <>
            <span className="error-text">{t('chat.failed')}</span>{' '}
            <button type="button" className="link" onClick={onRetry} data-action="retry">
              {t('chat.retry')}
            </button>
          </>
        )}
      </span>
    </li>
  );
}

function Composer({ chat }: { chat: CustomerChat }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const inBot = chat.status?.state === 'bot';
  const submit = () => {
    const body = text.trim();
    if (!body) return;
    chat.send(body);
    setText('');
  };
  return (
    <form
      className="chat-composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <textarea
        name="chat-body"
        rows={2}
        value={text}
        placeholder={t('chat.placeholder')}
        aria-label={t('chat.placeholder')}
        maxLength={2000}
        onChange={(e) => {
          setText(e.target.value);
          chat.typing();
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            submit();
          }
        }}
      />
      <div className="chat-actions">
        {inBot && (
          <button type="button" data-action="ask-human" onClick={() => void chat.call(customerChatApi.handoff)}>
            {t('chat.askHuman')}
          </button>
        )}
        <span className="spacer" />
        <button type="submit" className="primary" disabled={!text.trim()}>
          {t('chat.send')}
        </button>
      </div>
    </form>
  );
}

function LeaveMessage({ chat }: { chat: CustomerChat }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [body, setBody] = useState('');
  const [contact, setContact] = useState('');
  const [number, setNumber] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const reason = chat.status?.serviceOpen === false ? t('chat.outsideHours') : t('chat.longWait');
  if (number)
    return (
      <p className="ok chat-left" role="status">
        {t('chat.leftMessage', { number })}
      </p>
    );
  return (
    <div className="chat-leave">
      <p className="small">{reason}</p>
      {!open ? (
        <button type="button" onClick={() => setOpen(true)} data-action="leave-message">
          {t('chat.leaveMessage')}
        </button>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setBusy(true);
            void chat
              .call(async (id, token) =>
                setNumber((await customerChatApi.leaveMessage(id, token, body, contact)).number),
              )
              .finally(() => setBusy(false));
          }}
        >
          <h2>{t('chat.leaveTitle')}</h2>
          <label>
            {t('chat.leaveBody')}
            <textarea name="leave-body" rows={4} value={body} onChange={(e) => setBody(e.target.value)} required />
          </label>
          <label>
            {t('chat.leaveContact')}
            <input name="leave-contact" inputMode="tel" value={contact} onChange={(e) => setContact(e.target.value)} />
          </label>
          <button type="submit" className="primary" disabled={busy || !body.trim()}>
            {t('chat.leaveSubmit')}
          </button>
        </form>
      )}
    </div>
  );
}

function EndedPanel({ chat }: { chat: CustomerChat }) {
  const { t } = useTranslation();
  const s = chat.status;
  // Ended by the system because the customer went quiet (or left the queue): say so, and offer a new chat.
  const last = chat.messages.findLast((m) => m.author === 'system');
  const idle = last?.payload.kind === 'abandoned' || last?.payload.kind === 'timed_out';
  return (
    <div className="chat-ended" role="status" data-ended={idle ? 'idle' : 'ended'}>
      {s?.outcome === 'left_message' && s.ticketNumber ? (
        <p className="ok">{t('chat.leftMessage', { number: s.ticketNumber })}</p>
      ) : (
        <p>{t(idle ? 'chat.endedIdle' : 'chat.ended')}</p>
      )}
      <button type="button" onClick={chat.forget} data-action="new-chat">
        {t('chat.newChat')}
      </button>
    </div>
  );
}
