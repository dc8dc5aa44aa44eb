import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  listOutbox,
  listQuarantinedMail,
  retryOutbox,
  retryQuarantinedMail,
  type OutboxState,
  type QuarantineRetry,
} from '../api/outbox';
import { ErrorText } from '../components/ErrorText';
import { ListFooter } from '../components/ListFooter';
import { formatDateTime } from '../i18n';

/** Supervisors: messages to customers that could not be delivered, and mail the intake quarantined; both can be retried. */
export default function DeliveriesPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<'outbox' | 'quarantine'>('outbox');
  return (
    <section className="deliveries">
      <h1>{t('deliveries.title')}</h1>
      <div className="tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === 'outbox'} onClick={() => setTab('outbox')}>
          {t('deliveries.outbox')}
        </button>
        <button type="button" role="tab" aria-selected={tab === 'quarantine'} onClick={() => setTab('quarantine')}>
          {t('deliveries.quarantine')}
        </button>
      </div>
      {tab === 'outbox' ? <OutboxList /> : <QuarantineList />}
    </section>
  );
}

/** A retry button that asks first: the message goes to a customer again. */
function RetryButton({ onConfirm, pending, label }: { onConfirm: () => void; pending: boolean; label: string }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button type="button" onClick={() => setAsking(true)} disabled={pending}>
        {t('deliveries.retry')}
      </button>
    );
  return (
    <span className="confirm" role="group" aria-label={label}>
      {label}{' '}
      <button
        type="button"
        className="primary"
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {t('deliveries.confirm')}
      </button>{' '}
      <button type="button" onClick={() => setAsking(false)}>
        {t('deliveries.cancel')}
      </button>
    </span>
  );
}

function OutboxList() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [state, setState] = useState<OutboxState>('dead');
  const list = useInfiniteQuery({
    queryKey: ['deliveries', 'outbox', state],
    queryFn: ({ pageParam }) => listOutbox(state, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const [retried, setRetried] = useState<string[]>([]);
  const retry = useMutation({
    mutationFn: retryOutbox,
    onSuccess: (_d, id) => {
      setRetried((r) => [...r, id]);
      void client.invalidateQueries({ queryKey: ['deliveries', 'outbox'] });
    },
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <div className="filters">
        <label>
          {t('deliveries.state')}{' '}
          <select value={state} onChange={(e) => setState(e.target.value as OutboxState)}>
            {(['dead', 'pending', 'logged', 'sent'] as const).map((s) => (
              <option key={s} value={s}>
                {t(`deliveries.states.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <span className="muted">{t(`deliveries.stateHint.${state}`)}</span>
      </div>
      {retried.length > 0 && (
        <p className="ok" role="status">
          {t('deliveries.requeued', { count: retried.length })}
        </p>
      )}
      <ErrorText error={list.error ?? retry.error} />
      <table>
        <thead>
          <tr>
            <th>{t('deliveries.col.created')}</th>
            <th>{t('deliveries.col.channel')}</th>
            <th>{t('deliveries.col.recipient')}</th>
            <th>{t('deliveries.col.ticket')}</th>
            <th>{t('deliveries.col.attempts')}</th>
            <th>{t('deliveries.col.error')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((o) => (
            <tr key={o.id} data-outbox={o.id}>
              <td className="muted">{formatDateTime(o.createdAt, i18n.language, true)}</td>
              <td>{t(`deliveries.channel.${o.channel}`, { defaultValue: o.channel })}</td>
              <td>{o.recipient}</td>
              <td>{o.ticketId ? <Link to={`/tickets/${o.ticketId}`}>{t('deliveries.open')}</Link> : '—'}</td>
              <td className="num">{o.attempts}</td>
              <td className="delivery-error">
                {o.lastError ? (
                  <>
                    <span>{explainError(o.lastError, t)}</span>
                    <code title={o.lastError}>{o.lastError}</code>
                  </>
                ) : (
                  '—'
                )}
              </td>
              <td>
                {o.state === 'dead' && (
                  <RetryButton
                    label={t('deliveries.confirmRetry', { recipient: o.recipient })}
                    pending={retry.isPending}
                    onConfirm={() => retry.mutate(o.id)}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ListFooter list={list} count={rows.length} empty={t(`deliveries.empty.${state}`)} />
    </>
  );
}

function QuarantineList() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [all, setAll] = useState(false);
  const list = useInfiniteQuery({
    queryKey: ['deliveries', 'quarantine', all],
    queryFn: ({ pageParam }) => listQuarantinedMail(all, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const [outcome, setOutcome] = useState<QuarantineRetry | null>(null);
  const retry = useMutation({
    mutationFn: retryQuarantinedMail,
    onSuccess: (result) => {
      setOutcome(result);
      void client.invalidateQueries({ queryKey: ['deliveries', 'quarantine'] });
    },
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <div className="filters">
        <label>
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />{' '}
          {t('deliveries.includeResolved')}
        </label>
      </div>
      {outcome && (
        <p className={outcome.outcome === 'still_quarantined' ? 'error' : 'ok'} role="status">
          {t(`deliveries.outcome.${outcome.outcome}`, {
            number: outcome.ticketNumber ?? '',
            reason: outcome.reason ?? '',
          })}
          {outcome.ticketId && (
            <>
              {' '}
              <Link to={`/tickets/${outcome.ticketId}`}>{t('deliveries.open')}</Link>
            </>
          )}
        </p>
      )}
      <ErrorText error={list.error ?? retry.error} />
      <table>
        <thead>
          <tr>
            <th>{t('deliveries.col.received')}</th>
            <th>{t('deliveries.col.from')}</th>
            <th>{t('deliveries.col.reason')}</th>
            <th>{t('deliveries.col.size')}</th>
            <th>{t('deliveries.col.ticket')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((m) => (
            <tr key={m.id} data-quarantined={m.id}>
              <td className="muted">{formatDateTime(m.receivedAt, i18n.language, true)}</td>
              <td>{m.envelopeFrom ?? '—'}</td>
              <td className="delivery-error">
                <span>{explainReason(m.reason, t)}</span>
                <code>{m.reason}</code>
              </td>
              <td className="num">{formatSize(m.size)}</td>
              <td>
                {m.resolvedTicketId ? <Link to={`/tickets/${m.resolvedTicketId}`}>{t('deliveries.open')}</Link> : '—'}
              </td>
              <td>
                {!m.resolvedTicketId && (
                  <RetryButton
                    label={t('deliveries.confirmTakeIn')}
                    pending={retry.isPending}
                    onConfirm={() => retry.mutate(m.id)}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ListFooter list={list} count={rows.length} empty={t('deliveries.empty.quarantine')} />
    </>
  );
}

const formatSize = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;

type T = ReturnType<typeof useTranslation>['t'];

/** A sentence for the gateway errors supervisors meet most; the raw text stays next to it. */
function explainError(error: string, t: T): string {
  const e = error.toLowerCase();
  if (e.includes('no sender is configured')) return t('deliveries.why.noSender');
  if (/timed? ?out|etimedout/.test(e)) return t('deliveries.why.timeout');
  if (/econnrefused|enotfound|unreachable|socket/.test(e)) return t('deliveries.why.unreachable');
  if (/not in service|invalid|unknown user|no such|rejected|mailbox unavailable|blocked/.test(e))
    return t('deliveries.why.rejected');
  if (/\b(421|429|450|451|452|503)\b|rate|throttl|busy|try again/.test(e)) return t('deliveries.why.temporary');
  if (/\b[45]\d\d\b/.test(e)) return t('deliveries.why.rejected');
  return t('deliveries.why.other');
}

function explainReason(reason: string, t: T): string {
  const r = reason.toLowerCase();
  if (r.startsWith('too_large')) return t('deliveries.reason.tooLarge');
  if (r.includes('loop')) return t('deliveries.reason.loop');
  if (r.includes('malformed') || r.includes('unreadable') || r.includes('parse'))
    return t('deliveries.reason.unreadable');
  return t('deliveries.reason.other');
}
