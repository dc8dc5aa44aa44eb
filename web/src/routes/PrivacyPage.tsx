import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { privacyApi, type PrivacyRequest } from '../api/privacy';
import './privacy.css';
import { ErrorText } from '../components/ErrorText';
import { formatDateTime } from '../i18n';

/** The privacy desk (supervisors and admins): personal-data requests by deadline, and one request's handling. */
export default function PrivacyPage() {
  const { id } = useParams();
  return id ? <RequestDetail id={id} /> : <RequestList />;
}

function RequestList() {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<'open' | 'closed'>('open');
  const list = useInfiniteQuery({
    queryKey: ['privacy', status],
    queryFn: ({ pageParam }) => privacyApi.list(status, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="privacy">
      <h1>{t('privacy.title')}</h1>
      <p className="muted">{t('privacy.intro')}</p>
      <RetentionLine />
      <div className="tabs" role="tablist">
        {(['open', 'closed'] as const).map((s) => (
          <button
            key={s}
            type="button"
            role="tab"
            aria-selected={status === s}
            className={status === s ? 'active' : undefined}
            onClick={() => setStatus(s)}
          >
            {t(`privacy.${s}`)}
          </button>
        ))}
      </div>
      <ErrorText error={list.error} />
      <table>
        <thead>
          <tr>
            <th>{t('privacy.customer')}</th>
            <th>{t('privacy.kindLabel')}</th>
            <th>{t('privacy.statusLabel')}</th>
            <th>{t('privacy.source')}</th>
            <th>{t('privacy.received')}</th>
            <th>{t('privacy.due')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-request={r.id}>
              <td>{r.customer.name}</td>
              <td>{t(`privacy.kind.${r.kind}`)}</td>
              <td>{t(`privacy.status.${r.status}`)}</td>
              <td>{t(`privacy.sourceName.${r.source}`)}</td>
              <td>{formatDateTime(r.receivedAt, i18n.language, true)}</td>
              <td className={r.overdue ? 'error' : undefined}>
                {formatDateTime(r.dueAt, i18n.language, true)}
                {r.overdue && ` · ${t('privacy.overdue')}`}
              </td>
              <td>
                <Link to={`/privacy/${r.id}`}>{t('callbacks.open')}</Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.isSuccess && rows.length === 0 && <p className="empty">{t('privacy.empty')}</p>}
      {list.hasNextPage && (
        <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {t('privacy.more')}
        </button>
      )}
    </section>
  );
}

function RequestDetail({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const request = useQuery({ queryKey: ['privacy', 'one', id], queryFn: () => privacyApi.get(id) });
  const [answer, setAnswer] = useState('');
  const done = (r: PrivacyRequest) => {
    client.setQueryData(['privacy', 'one', id], r);
    setAnswer('');
    return client.invalidateQueries({ queryKey: ['privacy'] });
  };
  const complete = useMutation({ mutationFn: () => privacyApi.complete(id, answer || undefined), onSuccess: done });
  const refuse = useMutation({ mutationFn: () => privacyApi.refuse(id, answer), onSuccess: done });
  const r = request.data;
  const date = (iso: string | null) => (iso ? formatDateTime(iso, i18n.language) : '—');
  return (
    <section className="privacy-request card">
      <Link to="/privacy">← {t('privacy.title')}</Link>
      <ErrorText error={request.error} />
      {r && (
        <>
          <h1>
            {t(`privacy.kind.${r.kind}`)} · {r.customer.name}
          </h1>
          <dl className="request-facts">
            <dt>{t('privacy.statusLabel')}</dt>
            <dd data-status={r.status}>{t(`privacy.status.${r.status}`)}</dd>
            <dt>{t('privacy.received')}</dt>
            <dd>{date(r.receivedAt)}</dd>
            <dt>{t('privacy.due')}</dt>
            <dd className={r.overdue ? 'error' : undefined}>
              {date(r.dueAt)}
              {r.overdue && ` · ${t('privacy.overdue')}`}
            </dd>
            <dt>{t('privacy.source')}</dt>
            <dd>
              {t(`privacy.sourceName.${r.source}`)}
              {r.recordedBy && ` · ${r.recordedBy.displayName}`}
            </dd>
            <dt>{t('privacy.identity')}</dt>
            <dd>{t(`privacy.check.${r.identityCheck}`)}</dd>
            {r.consentPurpose && (
              <>
                <dt>{t('privacy.kind.consent_withdrawal')}</dt>
                <dd>{t(`privacy.purpose.${r.consentPurpose}`)}</dd>
              </>
            )}
            {r.details && (
              <>
                <dt>{t('privacy.details')}</dt>
                <dd className="pre">{r.details}</dd>
              </>
            )}
            {r.export.state && (
              <>
                <dt>{t('privacy.exportLabel')}</dt>
                <dd>
                  {r.export.state === 'ready' ? (
                    <a href={privacyApi.downloadUrl(r.id)} download>
                      {t('privacy.download')}
                    </a>
                  ) : (
                    t(`privacy.exportState.${r.export.state}`)
                  )}
                </dd>
              </>
            )}
            {r.holdReasons.length > 0 && (
              <>
                <dt>{t('privacy.holdsLabel')}</dt>
                <dd data-holds>
                  {r.holdReasons.map((h) => t(`privacy.hold.${h}`)).join('、')}
                  {r.holdUntil && ` · ${t('privacy.holdUntil', { date: date(r.holdUntil) })}`}
                </dd>
              </>
            )}
            {r.previewedBy && (
              <>
                <dt>{t('privacy.previewedBy')}</dt>
                <dd>{r.previewedBy.displayName}</dd>
              </>
            )}
            {r.approvedBy && (
              <>
                <dt>{t('privacy.approvedBy')}</dt>
                <dd>{r.approvedBy.displayName}</dd>
              </>
            )}
            {r.answer && (
              <>
                <dt>{t('privacy.answer')}</dt>
                <dd className="pre">{r.answer}</dd>
              </>
            )}
          </dl>
          {r.kind === 'deletion' && <DeletionPanel request={r} onDone={done} />}
          {(r.actions.includes('complete') || r.actions.includes('refuse')) && (
            <form onSubmit={(e) => e.preventDefault()}>
              <label>
                {r.actions.includes('complete') ? t('privacy.answer') : t('privacy.refuseReason')}
                <textarea name="answer" value={answer} onChange={(e) => setAnswer(e.target.value)} />
              </label>
              <div className="actions">
                {r.actions.includes('complete') && (
                  <button type="button" disabled={complete.isPending} onClick={() => complete.mutate()}>
                    {t('privacy.complete')}
                  </button>
                )}
                {r.actions.includes('refuse') && (
                  <button
                    type="button"
                    className="danger"
                    disabled={refuse.isPending || answer.trim() === ''}
                    onClick={() => refuse.mutate()}
                  >
                    {t('privacy.refuse')}
                  </button>
                )}
              </div>
              <ErrorText error={complete.error ?? refuse.error} />
            </form>
          )}
        </>
      )}
    </section>
  );
}

/** A deletion: one person previews what will change, a second approves and the data is erased (four eyes). */
function DeletionPanel({ request: r, onDone }: { request: PrivacyRequest; onDone: (r: PrivacyRequest) => unknown }) {
  const { t } = useTranslation();
  const preview = useMutation({ mutationFn: () => privacyApi.preview(r.id), onSuccess: onDone });
  const approve = useMutation({ mutationFn: () => privacyApi.approve(r.id), onSuccess: onDone });
  // Tickets kept by law are named only when there are some.
  const counts = Object.entries(r.preview ?? {}).filter(([table, n]) => table !== 'held_tickets' || n > 0);
  return (
    <div className="deletion">
      {r.preview && (
        <>
          <h2>{t('privacy.previewTitle')}</h2>
          <table className="preview">
            <tbody>
              {counts.map(([table, n]) => (
                <tr key={table} data-table={table}>
                  <td>{t(`privacy.table.${table}`, { defaultValue: table })}</td>
                  <td className="num">{n}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {(r.actions.includes('preview') || r.actions.includes('approve')) && (
        <>
          <p className="muted">{t('privacy.previewNote')}</p>
          <div className="actions">
            {r.actions.includes('preview') && (
              <button type="button" disabled={preview.isPending} onClick={() => preview.mutate()}>
                {t('privacy.preview')}
              </button>
            )}
            {r.actions.includes('approve') && (
              <button
                type="button"
                className="danger"
                disabled={approve.isPending}
                onClick={() => {
                  if (window.confirm(t('privacy.approveConfirm'))) approve.mutate();
                }}
              >
                {t('privacy.approve')}
              </button>
            )}
          </div>
        </>
      )}
      <ErrorText error={preview.error ?? approve.error} />
    </div>
  );
}

const RETENTION_ORDER = [
  'closed_tickets',
  'recordings',
  'exports',
  'portal_codes',
  'portal_sessions',
  'access_log',
  'outbox',
  'chats',
] as const;

/** The latest daily retention runs: one line each, what was removed or anonymised. */
function RetentionLine() {
  const { t, i18n } = useTranslation();
  const runs = useQuery({ queryKey: ['privacy', 'retention'], queryFn: () => privacyApi.retentionRuns() });
  const items = runs.data?.items ?? [];
  return (
    <section className="retention-runs" aria-label={t('privacy.retention.title')}>
      <h2>{t('privacy.retention.title')}</h2>
      {runs.isSuccess && items.length === 0 && <p className="muted">{t('privacy.retention.none')}</p>}
      <ul>
        {items.map((r) => (
          <li key={r.id} data-run={r.runDate}>
            <strong>{r.runDate}</strong> ·{' '}
            {r.finishedAt
              ? `${t('privacy.retention.finished')} ${formatDateTime(r.finishedAt, i18n.language, true)}`
              : t('privacy.retention.running')}
            {RETENTION_ORDER.every((k) => !r.counts[k]) ? (
              <span className="count zero"> · {t('privacy.retention.nothing')}</span>
            ) : (
              RETENTION_ORDER.filter((k) => (r.counts[k] ?? 0) > 0).map((k) => (
                <span key={k} className="count" data-count={k}>
                  {' '}
                  · {t(`privacy.retention.${k}`)} {r.counts[k]}
                </span>
              ))
            )}
            {r.error && <span className="error"> · {r.error}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
