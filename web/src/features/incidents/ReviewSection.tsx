import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { incidentsApi, type Incident } from '../../api/incidents';
import { ErrorText } from '../../components/ErrorText';
import { formatDateTime } from '../../i18n';
import './incident-sections.css';

/**
 * The post-incident review (复盘) on a resolved incident: time to detect and restore against the
 * limit, tickets, notices and remedies, the resolution, and the lessons learnt — written once by
 * network operations or a supervisor (the incident becomes reviewed), exported as Markdown.
 */
export function ReviewSection({ incident: i, onDone }: { incident: Incident; onDone: (i: Incident) => void }) {
  const { t, i18n } = useTranslation();
  const [lessons, setLessons] = useState('');
  const save = useMutation({
    mutationFn: () => incidentsApi.review(i.id, lessons),
    onSuccess: (r) => {
      setLessons('');
      onDone(r);
    },
  });
  const approved = i.remedies.filter((r) => r.status === 'approved').length;
  return (
    <section className="incident-review">
      <h2>{t('incidents.review')}</h2>
      <dl className="incident-review-figures">
        <dt>{t('incidents.reviewDetect')}</dt>
        <dd>{t('incidents.minutes', { count: i.review.timeToDetectMinutes ?? 0 })}</dd>
        <dt>{t('incidents.reviewRestore')}</dt>
        <dd className={i.repair.overLimit ? 'error' : undefined}>
          {t('incidents.repairText', { elapsed: i.review.timeToRestoreHours ?? '—', limit: i.repair.limitHours })}
        </dd>
        <dt>{t('incidents.tickets')}</dt>
        <dd>{i.linkedTickets}</dd>
        <dt>{t('incidents.notices')}</dt>
        <dd>{t('incidents.noticeFigures', i.notices)}</dd>
        <dt>{t('incidents.remedies')}</dt>
        <dd>{t('incidents.reviewRemedies', { approved, total: i.remedies.length })}</dd>
        {i.resolutionNote && (
          <>
            <dt>{t('incidents.resolutionNote')}</dt>
            <dd>{i.resolutionNote}</dd>
          </>
        )}
      </dl>
      {i.lessons !== null && (
        <>
          <h3>
            {t('incidents.lessons')}
            {i.reviewedAt && <span className="muted"> · {formatDateTime(i.reviewedAt, i18n.language, true)}</span>}
          </h3>
          <p className="incident-lessons">{i.lessons}</p>
        </>
      )}
      {i.abilities.includes('review') && (
        <form
          className="incident-review-form"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <label>
            {t('incidents.lessons')}
            <textarea
              required
              rows={5}
              value={lessons}
              placeholder={t('incidents.lessonsHint')}
              onChange={(e) => setLessons(e.target.value)}
            />
          </label>
          <ErrorText error={save.error} />
          <button type="submit" disabled={save.isPending || !lessons.trim()}>
            {t('incidents.reviewSave')}
          </button>
        </form>
      )}
      {i.abilities.includes('export') && (
        <p>
          <a href={incidentsApi.reviewMarkdownUrl(i.id)} download>
            {t('incidents.reviewExport')}
          </a>
        </p>
      )}
    </section>
  );
}
