import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { trainingApi } from '../api/training';
import { ErrorText } from '../components/ErrorText';
import { formatDateTime } from '../i18n';

/** One person's training record: tier, certifications with their dates and state, and sessions. */
export default function TrainingRecordPage({ me }: { me: { id: string } }) {
  const { t, i18n } = useTranslation();
  const { id = me.id } = useParams();
  const record = useQuery({ queryKey: ['training', 'record', id], queryFn: () => trainingApi.person(id) });
  const r = record.data;
  const date = (iso: string | null) => (iso ? formatDateTime(iso, i18n.language) : '—');
  return (
    <div className="training-record">
      <ErrorText error={record.error} />
      {record.isPending && <p className="loading">{t('list.loading')}</p>}
      {r && (
        <>
          <h1>{t('training.recordTitle', { name: r.displayName })}</h1>
          <p>
            {t('training.tier')}: <strong className="tier">{t(`training.tiers.${r.trainingTier}`)}</strong>
          </p>
          <section className="panel">
            <h2>{t('training.certifications')}</h2>
            <table>
              <thead>
                <tr>
                  <th>{t('training.certification')}</th>
                  <th>{t('training.issuedAt')}</th>
                  <th>{t('training.expiresAt')}</th>
                  <th>{t('training.state')}</th>
                </tr>
              </thead>
              <tbody>
                {r.certifications.map((c) => (
                  <tr key={c.code} data-certification={c.code} data-state={c.state}>
                    <td>
                      {t(`training.certificationNames.${c.code}`, { defaultValue: c.code })}
                      {!c.fromTraining && <span className="muted"> {t('training.manual')}</span>}
                    </td>
                    <td>{date(c.issuedAt)}</td>
                    <td>{date(c.expiresAt)}</td>
                    <td className={c.state === 'valid' ? '' : 'late'}>{t(`training.states.${c.state}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {r.certifications.length === 0 && <p className="empty">{t('training.empty')}</p>}
          </section>
          <section className="panel">
            <h2>{t('training.history')}</h2>
            <table>
              <tbody>
                {r.sessions.map((s) => (
                  <tr key={s.sessionId}>
                    <td>{s.courseTitle}</td>
                    <td>{date(s.startsAt)}</td>
                    <td>
                      {s.attended
                        ? t('training.attended')
                        : Date.parse(s.startsAt) > Date.now()
                          ? t('training.enrolled')
                          : t('training.absent')}
                    </td>
                    <td className="num">{s.examScore ?? '—'}</td>
                    <td className={s.passed === false ? 'late' : ''}>
                      {s.passed === null
                        ? t('training.noExam')
                        : s.passed
                          ? t('training.passed')
                          : t('training.failed')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {r.sessions.length === 0 && <p className="empty">{t('training.empty')}</p>}
          </section>
        </>
      )}
    </div>
  );
}
