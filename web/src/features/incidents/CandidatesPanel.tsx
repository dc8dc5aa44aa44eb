import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { incidentsApi } from '../../api/incidents';
import { ErrorText } from '../../components/ErrorText';
import { formatDateTime } from '../../i18n';

/** Candidate incidents on the supervisor board, kept live by the `incident` server-sent events. */
export function CandidatesPanel() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [level, setLevel] = useState('III');
  const candidates = useQuery({ queryKey: ['incident-candidates'], queryFn: incidentsApi.candidates });
  const levels = useQuery({ queryKey: ['incident-levels'], queryFn: incidentsApi.levels });
  const done = () => {
    void client.invalidateQueries({ queryKey: ['incident-candidates'] });
    void client.invalidateQueries({ queryKey: ['incidents'] });
  };
  const confirm = useMutation({
    mutationFn: (id: string) => incidentsApi.confirm(id, { level }),
    onSuccess: (i) => {
      done();
      void navigate(`/incidents/${i.id}`);
    },
  });
  const dismiss = useMutation({ mutationFn: incidentsApi.dismiss, onSuccess: done });
  const rows = candidates.data ?? [];
  return (
    <section className="card incident-candidates">
      <h2>{t('incidents.candidates.title')}</h2>
      <p className="muted">{t('incidents.candidates.intro')}</p>
      <ErrorText error={candidates.error ?? confirm.error ?? dismiss.error} />
      {rows.length === 0 ? (
        <p className="empty">{t('incidents.candidates.empty')}</p>
      ) : (
        <>
          <label>
            {t('incidents.candidates.level')}{' '}
            <select value={level} onChange={(e) => setLevel(e.target.value)}>
              {(levels.data ?? []).map((l) => (
                <option key={l.code} value={l.code}>
                  {l.code} · {i18n.language.startsWith('en') ? l.nameEn : l.nameZh}
                </option>
              ))}
            </select>
          </label>
          <ul>
            {rows.map((c) => (
              <li key={c.id} data-candidate={c.id}>
                <strong>
                  {c.region} ·{' '}
                  {c.categoryName
                    ? i18n.language.startsWith('en')
                      ? c.categoryName.en
                      : c.categoryName.zh
                    : c.categoryCode}
                </strong>{' '}
                · {t('incidents.candidates.tickets', { count: c.ticketCount })} ·{' '}
                {t('incidents.candidates.since', { time: formatDateTime(c.firstAt, i18n.language, true) })} ·{' '}
                {t(`incidents.categories.${c.proposedCategory}`)}{' '}
                <button
                  type="button"
                  className="primary"
                  onClick={() => confirm.mutate(c.id)}
                  disabled={confirm.isPending}
                >
                  {t('incidents.candidates.confirm')}
                </button>{' '}
                <button type="button" onClick={() => dismiss.mutate(c.id)} disabled={dismiss.isPending}>
                  {t('incidents.candidates.dismiss')}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
