import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { fetchTicketSurvey } from '../../api/surveys';
import { formatDateTime } from '../../i18n';

const DIMENSIONS = ['speed', 'quality', 'attitude', 'convenience'] as const;

/** The ticket's satisfaction survey: when it goes out, whether it was answered and with what, or why not. */
export function SurveyPanel({ ticketId }: { ticketId: string }) {
  const { t, i18n } = useTranslation();
  const q = useQuery({ queryKey: ['ticket', ticketId, 'survey'], queryFn: () => fetchTicketSurvey(ticketId) });
  const s = q.data?.survey;
  if (!s) return null;
  const when = (at: string | null) => (at ? formatDateTime(at, i18n.language, true) : '');
  return (
    <section className="panel survey-panel" aria-labelledby="survey-title" data-survey-status={s.status}>
      <h2 id="survey-title">{t('surveyPanel.title')}</h2>
      <p>
        <span className={`badge survey-${s.status}`}>{t(`surveyPanel.status.${s.status}`)}</span>{' '}
        {s.status === 'scheduled' && t('surveyPanel.sendsAt', { when: when(s.sendAfter) })}
        {s.status === 'sent' && t('surveyPanel.sentAt', { when: when(s.sentAt), until: when(s.expiresAt) })}
        {s.status === 'skipped' && s.skipReason && t(`surveyPanel.skip.${s.skipReason}`)}
        {s.status === 'answered' && when(s.answeredAt)}
      </p>
      {s.status === 'answered' && (
        <dl className="survey-scores">
          <dt>CSAT</dt>
          <dd>{s.csat}/5</dd>
          {s.nps !== null && (
            <>
              <dt>NPS</dt>
              <dd>{s.nps}/10</dd>
            </>
          )}
          {DIMENSIONS.filter((d) => s[d] !== null).map((d) => (
            <div key={d} className="survey-dimension">
              <dt>{t(`survey.dimension.${d}`)}</dt>
              <dd>{s[d]}/5</dd>
            </div>
          ))}
        </dl>
      )}
      {s.comment && <blockquote className="survey-comment">{s.comment}</blockquote>}
    </section>
  );
}
