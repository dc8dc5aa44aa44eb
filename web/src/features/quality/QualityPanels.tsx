import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { qualityApi } from '../../api/quality';
import { ErrorText } from '../../components/ErrorText';
import { formatDateTime } from '../../i18n';
import { useGrades } from '../tickets/useGrades';

// The board's quality panels. Their query keys start with 'board', so every live ticket event
// (a new risk_detected entry among them) refreshes them at once.

/** Risk words customers wrote in the last 24 hours, newest first. */
export function RiskAlertsPanel() {
  const { t, i18n } = useTranslation();
  const grades = useGrades();
  const alerts = useQuery({ queryKey: ['board', 'risk-alerts'], queryFn: () => qualityApi.riskAlerts(24) });
  return (
    <section className="panel risk-alerts">
      <h2>{t('quality.riskAlerts')}</h2>
      <ErrorText error={alerts.error} />
      <ul className="risk-alert-list">
        {alerts.data?.items.map((a) => (
          <li key={a.id} data-ticket={a.ticketId}>
            <Link to={`/tickets/${a.ticketId}`}>{a.number}</Link>{' '}
            <strong className="risk-words">{a.words.join('、')}</strong>{' '}
            <span className="muted">
              {t(`channel.${a.channel}`)} · {formatDateTime(a.createdAt, i18n.language, true)}
            </span>
            {a.gradeFrom !== a.gradeTo && (
              <span className="badge late">
                {t('quality.raised', { from: grades.label(a.gradeFrom), to: grades.label(a.gradeTo) })}
              </span>
            )}
            <div className="subject">{a.subject}</div>
          </li>
        ))}
      </ul>
      {alerts.isPending && <p className="loading">{t('list.loading')}</p>}
      {alerts.data?.items.length === 0 && <p className="empty">{t('quality.riskAlertsEmpty')}</p>}
    </section>
  );
}

const percent = (share: number | null) => (share === null ? '—' : `${(share * 100).toFixed(1)}%`);

/** Script compliance per agent for the current month, against the 98 % target. */
export function CompliancePanel() {
  const { t } = useTranslation();
  const data = useQuery({ queryKey: ['board', 'compliance'], queryFn: () => qualityApi.compliance() });
  const c = data.data;
  return (
    <section className="panel compliance">
      <h2>
        {t('quality.compliance', { month: c?.month ?? '' })}{' '}
        {c && <span className="muted">{t('quality.target', { percent: Math.round(c.target * 100) })}</span>}
      </h2>
      <ErrorText error={data.error} />
      <table>
        <thead>
          <tr>
            <th>{t('quality.agent')}</th>
            <th className="num">{t('quality.replies')}</th>
            <th className="num">{t('quality.share')}</th>
            <th className="num">{t('quality.missingGreeting')}</th>
            <th className="num">{t('quality.missingClosing')}</th>
            <th className="num">{t('quality.forbidden')}</th>
          </tr>
        </thead>
        <tbody>
          {c?.agents.map((a) => (
            <tr key={a.staffId} data-agent={a.staffId}>
              <td>{a.displayName}</td>
              <td className="num">{a.replies}</td>
              <td className={a.meetsTarget === false ? 'num late' : 'num'}>{percent(a.share)}</td>
              <td className="num">{a.missingGreeting}</td>
              <td className="num">{a.missingClosing}</td>
              <td className="num">{a.forbidden}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {c?.agents.length === 0 && <p className="empty">{t('quality.noReplies')}</p>}
    </section>
  );
}
