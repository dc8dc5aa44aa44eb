import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { portalPrivacyApi, type Consents as ConsentState, type PortalPrivacyRequest } from '../api/privacy';
import { ErrorText } from '../components/ErrorText';
import { formatDateTime } from '../i18n';
import './my-data.css';

/** "My data": ask for a copy (and download it), a correction or deletion, and follow each request. */
export function MyData({ onBack }: { onBack: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const requests = useQuery({
    queryKey: ['portal-privacy'],
    queryFn: () => portalPrivacyApi.requests(),
    // While a copy is being built, its progress is shown.
    refetchInterval: (q) =>
      q.state.data?.items.some((r) => r.export.state === 'queued' || r.export.state === 'running') ? 2000 : false,
  });
  const [correction, setCorrection] = useState('');
  const [confirmDeletion, setConfirmDeletion] = useState(false);
  const create = useMutation({
    mutationFn: portalPrivacyApi.create,
    onSuccess: () => {
      setCorrection('');
      setConfirmDeletion(false);
      return client.invalidateQueries({ queryKey: ['portal-privacy'] });
    },
  });
  return (
    <>
      <button type="button" className="link" onClick={onBack}>
        ← {t('myData.back')}
      </button>
      <section className="card my-data">
        <h1>{t('myData.title')}</h1>
        <p className="muted">{t('myData.intro')}</p>
        <div className="actions">
          <button type="button" disabled={create.isPending} onClick={() => create.mutate({ kind: 'access' })}>
            {t('myData.requestCopy')}
          </button>
        </div>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate({ kind: 'correction', details: correction });
          }}
        >
          <label>
            {t('myData.requestCorrection')}
            <textarea
              name="correction"
              value={correction}
              placeholder={t('myData.correctionPlaceholder')}
              onChange={(e) => setCorrection(e.target.value)}
            />
          </label>
          <button type="submit" disabled={create.isPending || correction.trim() === ''}>
            {t('myData.requestCorrection')}
          </button>
        </form>
        <div className="actions">
          {confirmDeletion ? (
            <>
              <p className="warning">{t('myData.deletionWarning')}</p>
              <button
                type="button"
                className="danger"
                disabled={create.isPending}
                onClick={() => create.mutate({ kind: 'deletion' })}
              >
                {t('myData.confirmDeletion')}
              </button>
            </>
          ) : (
            <button type="button" className="secondary" onClick={() => setConfirmDeletion(true)}>
              {t('myData.requestDeletion')}
            </button>
          )}
        </div>
        <ErrorText error={create.error} />
      </section>
      <Consents />
      <section className="card">
        <h2>{t('myData.requests')}</h2>
        <ErrorText error={requests.error} />
        {requests.data?.items.length === 0 && <p className="empty">{t('myData.none')}</p>}
        <ul className="privacy-requests">
          {requests.data?.items.map((r) => (
            <RequestItem key={r.id} r={r} />
          ))}
        </ul>
      </section>
    </>
  );
}

function RequestItem({ r }: { r: PortalPrivacyRequest }) {
  const { t, i18n } = useTranslation();
  const date = (iso: string) => formatDateTime(iso, i18n.language);
  return (
    <li data-request={r.id} data-status={r.status}>
      <strong>{t(`privacy.kind.${r.kind}`)}</strong>
      {r.consentPurpose && ` · ${t(`privacy.purpose.${r.consentPurpose}`)}`} ·{' '}
      <span className={`status status-${r.status}`}>{t(`privacy.status.${r.status}`)}</span>
      <div className="muted">
        {date(r.receivedAt)} · {t('myData.dueBy', { date: date(r.dueAt) })}
      </div>
      {r.holdReasons.length > 0 && (
        <div>
          {r.holdReasons.map((h) => t(`privacy.hold.${h}`)).join(t('timeline.listSep'))}
          {r.holdUntil && ` · ${t('privacy.holdUntil', { date: date(r.holdUntil) })}`}
        </div>
      )}
      {r.answer && <p className="answer">{r.answer}</p>}
      {r.export.state === 'ready' ? (
        <div>
          <a className="button" href={portalPrivacyApi.downloadUrl(r.id)} download>
            {t('privacy.download')}
          </a>{' '}
          {r.export.expiresAt && (
            <span className="muted">{t('myData.expiresAt', { date: date(r.export.expiresAt) })}</span>
          )}
        </div>
      ) : r.export.state === 'queued' || r.export.state === 'running' ? (
        <div role="status">
          <progress max={100} value={r.export.progress} /> {t('privacy.progress', { n: r.export.progress })}
        </div>
      ) : r.export.state ? (
        <div>{t(`privacy.exportState.${r.export.state}`)}</div>
      ) : null}
    </li>
  );
}

const PURPOSES = ['surveys', 'notices', 'marketing'] as const;

/** The consent switches: each change is recorded at once and honoured by surveys and incident notices. */
function Consents() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const consents = useQuery({ queryKey: ['portal-consents'], queryFn: () => portalPrivacyApi.consents() });
  // The switch moves at once, from this component's own state: React puts a controlled checkbox back
  // unless its state changes in the same event, and the query cache only changes after a tick. The
  // server's answer (or a reload after an error) then settles it; a read still in flight, which would
  // land after the switch and move it back, is cancelled first.
  const [moving, setMoving] = useState<{ purpose: (typeof PURPOSES)[number]; granted: boolean } | null>(null);
  const change = useMutation({
    mutationFn: portalPrivacyApi.setConsent,
    onMutate: () => client.cancelQueries({ queryKey: ['portal-consents'] }),
    onSuccess: (c: ConsentState) => client.setQueryData(['portal-consents'], c),
    onError: () => client.invalidateQueries({ queryKey: ['portal-consents'] }),
    onSettled: () => setMoving(null),
  });
  return (
    <section className="card consents">
      <h2>{t('myData.consents')}</h2>
      <p className="muted">{t('myData.consentsIntro')}</p>
      <ErrorText error={consents.error ?? change.error} />
      {consents.data &&
        PURPOSES.map((purpose) => (
          <label key={purpose} className="check">
            <input
              type="checkbox"
              name={`consent-${purpose}`}
              checked={moving?.purpose === purpose ? moving.granted : consents.data[purpose]}
              disabled={change.isPending}
              onChange={(e) => {
                setMoving({ purpose, granted: e.target.checked });
                change.mutate({ purpose, granted: e.target.checked });
              }}
            />{' '}
            {t(`privacy.purpose.${purpose}`)}
          </label>
        ))}
    </section>
  );
}
