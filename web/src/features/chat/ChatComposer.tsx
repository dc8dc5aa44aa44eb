import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { richTextToPlain } from '../../../../src/core/knowledge/plain-text';
import { fillPlaceholders } from '../../../../src/core/replies/placeholders';
import { deskChatApi, type ChatMessage } from '../../api/chat';
import { knowledgeApi, type SearchHit } from '../../api/knowledge';
import type { Reply } from '../../api/replies';
import { ErrorText } from '../../components/ErrorText';
import { Highlighted } from '../knowledge/Highlighted';
import { ReplyPicker, type ReplyPickerHandle } from '../replies/ReplyPicker';

type Outgoing = {
  clientMessageId: string;
  body: string;
  /** The article or canned reply the text came from (recorded as used). */
  articleId?: string;
  replyId?: string;
  status: 'pending' | 'failed';
  error?: unknown;
};
const TYPING_EVERY_MS = 3000;

/**
 * The agent's reply in a chat: Enter sends (Shift+Enter a new line), each message shows "sending"
 * until the server has stored it and can be retried with the same client id when it failed.
 * Canned replies (Ctrl+K) and knowledge articles for the customer's words are inserted into the text.
 */
export function ChatComposer(props: {
  conversationId: string;
  customerName: string;
  agentName: string;
  /** What the customer said lately: the first search for articles. */
  customerWords: string;
  onSent: (m: ChatMessage) => void;
}) {
  const { t } = useTranslation();
  const [body, setBody] = useState('');
  const [outgoing, setOutgoing] = useState<Outgoing[]>([]);
  const [showArticles, setShowArticles] = useState(false);
  const [source, setSource] = useState<{ articleId?: string; replyId?: string }>({});
  const box = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<ReplyPickerHandle>(null);
  const lastTyping = useRef(0);
  const deliver = (o: Outgoing) => {
    setOutgoing((list) => list.map((x) => (x.clientMessageId === o.clientMessageId ? { ...x, status: 'pending' } : x)));
    deskChatApi
      .send(props.conversationId, {
        clientMessageId: o.clientMessageId,
        body: o.body,
        ...(o.articleId ? { articleId: o.articleId } : {}),
        ...(o.replyId ? { replyId: o.replyId } : {}),
      })
      .then((m) => {
        setOutgoing((list) => list.filter((x) => x.clientMessageId !== o.clientMessageId));
        props.onSent(m);
      })
      .catch((error: unknown) =>
        setOutgoing((list) =>
          list.map((x) => (x.clientMessageId === o.clientMessageId ? { ...x, status: 'failed', error } : x)),
        ),
      );
  };
  const submit = () => {
    const text = body.trim();
    if (!text) return;
    const o: Outgoing = { clientMessageId: crypto.randomUUID(), body: text, ...source, status: 'pending' };
    setOutgoing((list) => [...list, o]);
    setBody('');
    setSource({});
    deliver(o);
  };
  const insert = (text: string) => {
    setBody((b) => (b.trim() ? `${b}\n` : '') + text);
    box.current?.focus();
  };
  const values = { 'customer.name': props.customerName, 'agent.name': props.agentName };
  return (
    <div className="chat-composer-desk">
      {outgoing.length > 0 && (
        <ol className="chat-outgoing">
          {outgoing.map((o) => (
            <li key={o.clientMessageId} className={`chat-line from-agent ${o.status}`} data-pending={o.status}>
              <span className="chat-body">{o.body}</span>{' '}
              {o.status === 'pending' ? (
                <span className="muted small">{t('deskChat.sending')}</span>
              ) : (
                <>
                  <span className="error small">{t('deskChat.failed')}</span>
                  <button type="button" className="link" onClick={() => deliver(o)}>
                    {t('deskChat.retry')}
                  </button>
                  <ErrorText error={o.error} />
                </>
              )}
            </li>
          ))}
        </ol>
      )}
      <form
        className="composer chat-reply"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
        onKeyDown={(e) => {
          if (e.key === 'k' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            picker.current?.focus();
          }
        }}
      >
        <div className="tabs">
          <ReplyPicker
            ref={picker}
            onPick={(r: Reply) => {
              if (!r.body) return;
              insert(fillPlaceholders(r.body, values));
              setSource((x) => ({ ...x, replyId: r.id }));
            }}
            onLeave={() => box.current?.focus()}
          />
          <button
            type="button"
            aria-expanded={showArticles}
            onClick={() => setShowArticles((v) => !v)}
            data-action="articles"
          >
            📖 {t('deskChat.articles')}
          </button>
        </div>
        {showArticles && (
          <ArticlePicker
            words={props.customerWords}
            onInsert={(articleId, text) => {
              insert(text);
              setSource((x) => ({ ...x, articleId }));
            }}
          />
        )}
        <textarea
          ref={box}
          name="chat-reply"
          rows={3}
          value={body}
          placeholder={t('deskChat.placeholder')}
          aria-label={t('deskChat.placeholder')}
          onChange={(e) => {
            setBody(e.target.value);
            if (Date.now() - lastTyping.current > TYPING_EVERY_MS) {
              lastTyping.current = Date.now();
              deskChatApi.typing(props.conversationId).catch(() => undefined);
            }
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              submit();
            }
          }}
        />
        <div className="row end">
          <button type="submit" className="primary" disabled={!body.trim()}>
            {t('deskChat.send')}
          </button>
        </div>
      </form>
    </div>
  );
}

/**
 * Knowledge articles for what the customer wrote (or other words), published and in force; "insert"
 * puts the article's text into the reply.
 */
function ArticlePicker({ words, onInsert }: { words: string; onInsert: (articleId: string, text: string) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(words.slice(0, 200));
  const [q, setQ] = useState(text);
  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), 300);
    return () => clearTimeout(timer);
  }, [text]);
  const found = useQuery({
    queryKey: ['knowledge', 'search', { q, status: 'published', limit: 5 }],
    queryFn: () => knowledgeApi.search({ q, status: 'published', limit: 5 }),
    enabled: q.length > 0,
    placeholderData: keepPreviousData,
  });
  const fetchText = useMutation({
    mutationFn: async (hit: SearchHit) => {
      const a = await knowledgeApi.get(hit.id);
      const c = a.published?.content ?? a.working.content;
      return { id: hit.id, text: c.resolution.trim() || richTextToPlain(c.body) };
    },
    onSuccess: (r) => onInsert(r.id, r.text),
  });
  const items = found.data?.items.filter((h) => h.live && h.effective) ?? [];
  return (
    <div className="chat-kb" role="region" aria-label={t('deskChat.articles')}>
      <input
        type="search"
        name="article-search"
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder={t('deskChat.articleSearch')}
        aria-label={t('deskChat.articleSearch')}
      />
      <ErrorText error={found.error ?? fetchText.error} />
      {found.data && items.length === 0 && <p className="muted small">{t('deskChat.noArticles')}</p>}
      <ol className="suggestions">
        {items.map((s) => (
          <li key={s.id} data-suggestion={s.id}>
            <span className="suggestion-title">
              <Highlighted parts={s.title} />
            </span>{' '}
            <button
              type="button"
              className="link"
              onClick={() => fetchText.mutate(s)}
              disabled={fetchText.isPending}
              data-action="insert-article"
            >
              {t('deskChat.insert')}
            </button>
            <p className="snippet small muted">
              <Highlighted parts={s.snippet} />
            </p>
          </li>
        ))}
      </ol>
    </div>
  );
}
