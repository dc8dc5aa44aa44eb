import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { deskChatApi, type ChatDetail, type ChatMessage, type ChatTicketType } from '../../api/chat';
import { deskApi } from '../../api/desk';
import { ErrorText } from '../../components/ErrorText';
import { formatDateTime } from '../../i18n';
import { useTeams } from '../tickets/useTeams';
import { ChatComposer } from './ChatComposer';
import { FirstResponseClock } from './FirstResponseClock';
import { useCustomerTyping } from './typing';
import { chatLineText } from './chat-line';
import { TICKET_TYPES } from '../../../../src/core/tickets/types';

/**
 * One chat as its agent sees it: what happened with the bot (folded, with what the bot tried and
 * why it handed off), the conversation with the person, "the customer is typing", the first
 * response clock, the reply, and transfer / end (settled on the spot) / turn into a ticket.
 */
export function ChatConversation({ detail, me }: { detail: ChatDetail; me: { id: string; displayName: string } }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const { chat, messages, abilities } = detail;
  const ended = chat.state === 'ended';
  // The bot's part runs to the hand-off note; the rest is with people.
  const split = messages.findIndex((m) => m.author === 'system' && m.payload.kind === 'handoff');
  const botPart = split < 0 ? (chat.state === 'bot' ? messages : []) : messages.slice(0, split + 1);
  const humanPart = split < 0 ? (chat.state === 'bot' ? [] : messages) : messages.slice(split + 1);
  const customerLines = messages.filter((m) => m.author === 'customer');
  const lastCustomerSeq = customerLines.at(-1)?.seq ?? 0;
  const typing = useCustomerTyping(chat.id, lastCustomerSeq);
  const handoff = split >= 0 ? messages[split]!.payload : null;
  const end = useRef<HTMLDivElement>(null);
  // (Braces: scrollIntoView may return a promise, which React would take for a clean-up.)
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'nearest' });
  }, [messages.length, typing]);
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['chat', chat.id] });
    void client.invalidateQueries({ queryKey: ['chats'] });
  };
  const customerName = chat.customer?.name ?? t('deskChat.anonymous');
  return (
    <section
      className="chat-conversation"
      aria-labelledby="chat-conv-title"
      data-chat={chat.id}
      data-state={chat.state}
    >
      <header className="chat-conv-head">
        <h1 id="chat-conv-title">
          {customerName} <span className="badge">{t(`deskChat.channel.${chat.channel}`)}</span>{' '}
          <span className={`badge chat-state-${chat.state}`}>{t(`deskChat.state.${chat.state}`)}</span>
        </h1>
        {!ended && <FirstResponseClock clock={chat.clock} startedAt={chat.queuedAt} />}
      </header>
      {chat.handoffReason && (
        <p className="chat-why small">
          <strong>{t('deskChat.why')}:</strong> {t(`deskChat.handoff.${chat.handoffReason}`)}
          {handoff?.words && handoff.words.length > 0 && ` (${handoff.words.join('、')})`}
        </p>
      )}
      {botPart.length > 0 && (
        <details className="chat-bot-part" open={humanPart.length === 0}>
          <summary>
            {t('deskChat.botPart')} ({botPart.length})
          </summary>
          <Transcript messages={botPart} lang={i18n.language} />
        </details>
      )}
      {chat.state !== 'bot' && <BotTried detail={detail} />}
      <Transcript messages={humanPart} lang={i18n.language} />
      {typing && !ended && (
        <p className="chat-typing muted small" role="status">
          {t('deskChat.customerTyping')}
        </p>
      )}
      <div ref={end} />
      {ended && (
        <p className="chat-ended-line" role="status">
          {chat.outcome && t('deskChat.endedAs', { outcome: t(`deskChat.outcome.${chat.outcome}`) })}
          {chat.ticket && (
            <>
              {' '}
              <Link to={`/tickets/${chat.ticket.id}`} data-ticket-link>
                {chat.ticket.number}
              </Link>
            </>
          )}
        </p>
      )}
      {abilities.includes('reply') && (
        <ChatComposer
          key={chat.id}
          conversationId={chat.id}
          customerName={customerName}
          agentName={me.displayName}
          customerWords={customerLines
            .slice(-2)
            .map((m) => m.body)
            .join(' ')}
          onSent={(m: ChatMessage) => {
            client.setQueryData<ChatDetail>(['chat', chat.id], (d) =>
              d && !d.messages.some((x) => x.seq === m.seq) ? { ...d, messages: [...d.messages, m] } : d,
            );
            refresh();
          }}
        />
      )}
      {!ended && <ChatActions detail={detail} me={me} onDone={refresh} />}
    </section>
  );
}

function Transcript({ messages, lang }: { messages: ChatMessage[]; lang: string }) {
  const { t } = useTranslation();
  if (messages.length === 0) return null;
  return (
    <ol className="chat-transcript">
      {messages.map((m) => (
        <li key={m.seq} className={`chat-line from-${m.author}`} data-seq={m.seq}>
          <span className="chat-who small">
            {m.author === 'agent' && m.agentName ? m.agentName : t(`deskChat.author.${m.author}`)}
            <time className="muted"> {formatDateTime(m.createdAt, lang, true)}</time>
          </span>
          <span className="chat-body">{chatLineText(m, t)}</span>
          {m.author === 'bot' && (m.payload.articles?.length ?? 0) > 0 && (
            <span className="chat-offered small muted">
              {t('deskChat.offered')}:{' '}
              {m.payload.articles!.map((a, i) => (
                <span key={a.id}>
                  {i > 0 && '、'}
                  <Link to={`/knowledge/${a.id}`}>{a.title}</Link>
                </span>
              ))}
            </span>
          )}
        </li>
      ))}
    </ol>
  );
}

/** What the bot tried before the hand-off: the intents it recognised, the articles it answered with or offered. */
function BotTried({ detail }: { detail: ChatDetail }) {
  const { t } = useTranslation();
  const tried = detail.botTried.filter((b) => b.intent || b.articles.length > 0);
  return (
    <div className="chat-bot-tried small">
      <strong>{t('deskChat.botTried')}</strong>
      {tried.length === 0 ? (
        <span className="muted"> {t('deskChat.noBotTried')}</span>
      ) : (
        <ul>
          {tried.map((b) => (
            <li key={b.seq}>
              {b.intent && t('deskChat.intent', { intent: t(`deskChat.intents.${b.intent}`) })}
              {b.articles.map((a, i) => (
                <span key={a.id}>
                  {i > 0 ? '、' : b.intent ? ' · ' : ''}
                  <Link to={`/knowledge/${a.id}`}>{a.title}</Link>
                </span>
              ))}{' '}
              <span className="muted">
                {t(`deskChat.botKind.${b.kind}`, { defaultValue: b.kind })}
                {b.confidence !== null && ` · ${t('deskChat.confidence', { value: b.confidence.toFixed(2) })}`}
                {b.helpful !== null && ` · ${b.helpful ? t('deskChat.helpfulYes') : t('deskChat.helpfulNo')}`}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Transfer to a colleague or a tier-2 team, end (settled on the spot), turn into a ticket. */
function ChatActions({ detail, me, onDone }: { detail: ChatDetail; me: { id: string }; onDone: () => void }) {
  const { t } = useTranslation();
  const { chat, messages, abilities } = detail;
  const [open, setOpen] = useState<'transfer' | 'end' | 'ticket' | null>(null);
  const firstCustomer = messages.find((m) => m.author === 'customer')?.body ?? '';
  const [subject, setSubject] = useState(firstCustomer.slice(0, 60));
  const [type, setType] = useState<ChatTicketType>('fault');
  const [description, setDescription] = useState('');
  const [phone, setPhone] = useState('');
  const [target, setTarget] = useState('');
  const [note, setNote] = useState('');
  const agents = useQuery({
    queryKey: ['board', 'agents'],
    queryFn: () => deskApi.agents(),
    enabled: open === 'transfer',
  });
  const teams = useTeams({ enabled: open === 'transfer' });
  const transfer = useMutation({
    mutationFn: () =>
      deskChatApi.transfer(
        chat.id,
        target.startsWith('team:')
          ? { toTeamId: target.slice(5), ...(note.trim() ? { note: note.trim() } : {}) }
          : { toAgentId: target.slice(6), ...(note.trim() ? { note: note.trim() } : {}) },
      ),
    onSuccess: onDone,
  });
  const end = useMutation({ mutationFn: () => deskChatApi.end(chat.id), onSuccess: onDone });
  const ticket = useMutation({
    mutationFn: () =>
      deskChatApi.toTicket(chat.id, {
        type,
        subject: subject.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
        // An anonymous visitor: the number the agent asked for (the ticket needs a customer).
        ...(!chat.customer && phone.trim() ? { phone: phone.trim() } : {}),
      }),
    onSuccess: onDone,
  });
  const can = (a: 'transfer' | 'end' | 'ticket') => abilities.includes(a);
  if (!can('transfer') && !can('end') && !can('ticket')) return null;
  const colleagues = agents.data?.items.filter((a) => a.id !== me.id && a.presence === 'online') ?? [];
  const tier2 = teams.data?.items.filter((tm) => tm.kind === 'expert') ?? [];
  return (
    <div className="chat-actions-desk">
      <div className="row">
        {(['transfer', 'end', 'ticket'] as const).filter(can).map((a) => (
          <button
            key={a}
            type="button"
            aria-expanded={open === a}
            onClick={() => setOpen(open === a ? null : a)}
            data-action={a === 'ticket' ? 'to-ticket' : a}
          >
            {t(a === 'ticket' ? 'deskChat.toTicket' : `deskChat.${a}`)}
          </button>
        ))}
      </div>
      {open === 'transfer' && (
        <form
          className="chat-transfer"
          onSubmit={(e) => {
            e.preventDefault();
            transfer.mutate();
          }}
        >
          <label>
            {t('deskChat.transferTo')}
            <select name="transfer-to" value={target} onChange={(e) => setTarget(e.target.value)} required>
              <option value="" />
              <optgroup label={t('deskChat.colleague')}>
                {colleagues.map((a) => (
                  <option key={a.id} value={`agent:${a.id}`}>
                    {a.displayName}
                  </option>
                ))}
              </optgroup>
              <optgroup label={t('deskChat.tier2')}>
                {tier2.map((tm) => (
                  <option key={tm.id} value={`team:${tm.id}`}>
                    {tm.name}
                  </option>
                ))}
              </optgroup>
            </select>
          </label>
          <label>
            {t('deskChat.transferNote')}
            <input name="transfer-note" value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} />
          </label>
          <ErrorText error={transfer.error} />
          <button type="submit" className="primary" disabled={!target || transfer.isPending}>
            {t('deskChat.transferSubmit')}
          </button>
        </form>
      )}
      {open === 'end' && (
        <div className="chat-confirm">
          <p>{t('deskChat.endConfirm')}</p>
          <ErrorText error={end.error} />
          <span className="row">
            <button
              type="button"
              className="primary"
              onClick={() => end.mutate()}
              disabled={end.isPending}
              data-action="confirm-end"
            >
              {t('deskChat.end')}
            </button>
            <button type="button" className="link" onClick={() => setOpen(null)}>
              {t('deskChat.cancel')}
            </button>
          </span>
        </div>
      )}
      {open === 'ticket' && (
        <form
          className="chat-to-ticket"
          onSubmit={(e) => {
            e.preventDefault();
            ticket.mutate();
          }}
        >
          <label>
            {t('deskChat.ticketType')}
            <select name="ticket-type" value={type} onChange={(e) => setType(e.target.value as ChatTicketType)}>
              {TICKET_TYPES.map((v) => (
                <option key={v} value={v}>
                  {t(`type.${v}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('deskChat.toTicketSubject')}
            <input
              name="ticket-subject"
              value={subject}
              onChange={(e) => setSubject(e.target.value)}
              maxLength={200}
              required
            />
          </label>
          {!chat.customer && (
            <label>
              {t('deskChat.toTicketPhone')}
              <input
                name="ticket-phone"
                inputMode="tel"
                value={phone}
                onChange={(e) => setPhone(e.target.value)}
                required
              />
            </label>
          )}
          <label>
            {t('deskChat.toTicketFollowUp')}
            <textarea
              name="ticket-description"
              rows={3}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
              maxLength={5000}
            />
          </label>
          <p className="muted small">{t('deskChat.transcriptAttached')}</p>
          <ErrorText error={ticket.error} />
          <button type="submit" className="primary" disabled={ticket.isPending} data-action="create-ticket">
            {t('deskChat.toTicketSubmit')}
          </button>
        </form>
      )}
    </div>
  );
}
