import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { fetchCustomerCare, type ChurnReason } from '../../api/care';
import { ErrorText } from '../../components/ErrorText';

/** One reason in the reader's language: what happened and how many points it added. */
function ReasonText({ reason, days }: { reason: ChurnReason; days: number }) {
  const { t } = useTranslation();
  switch (reason.code) {
    case 'tier':
      return <>{t('care.reason.tier', { tier: t(`tier.${reason.tier}`) })}</>;
    case 'new_customer':
      return <>{t('care.reason.new_customer', { days: reason.tenureDays })}</>;
    default:
      return <>{t(`care.reason.${reason.code}`, { n: reason.count, days })}</>;
  }
}

/**
 * The customer's churn risk as a badge (low / medium / high) with the reasons listed, their
 * satisfaction history, and the care counts it came from. Explainable: every reason is a fact with the points it added.
 */
export function ChurnRisk({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const care = useQuery({
    queryKey: ['customer-care', customerId],
    queryFn: () => fetchCustomerCare(customerId),
  });
  if (care.isPending) return <p className="loading">{t('list.loading')}</p>;
  if (!care.data) return <ErrorText error={care.error} />;
  const { churnRisk, counts, windowDays, satisfaction } = care.data;
  return (
    <div className="care" data-churn-level={churnRisk.level}>
      <h3>{t('care.title')}</h3>
      <p>
        {t('care.risk')}{' '}
        <span className={`badge churn-${churnRisk.level}`} data-testid="churn-level">
          {t(`care.level.${churnRisk.level}`)}
        </span>{' '}
        <span className="muted">{t('care.score', { score: churnRisk.score })}</span>
      </p>
      {churnRisk.reasons.length === 0 ? (
        <p className="muted">{t('care.noReasons', { days: windowDays })}</p>
      ) : (
        <ul className="churn-reasons" aria-label={t('care.reasonsTitle')}>
          {churnRisk.reasons.map((r) => (
            <li key={r.code} data-reason={r.code}>
              <ReasonText reason={r} days={windowDays} />{' '}
              <span className="muted">{t('care.points', { points: r.points })}</span>
            </li>
          ))}
        </ul>
      )}
      {satisfaction.answered === 0 ? (
        <p className="muted satisfaction">{t('care.noSatisfaction', { days: windowDays })}</p>
      ) : (
        <p className="satisfaction">
          {t('care.satisfaction', {
            days: windowDays,
            answered: satisfaction.answered,
            average: satisfaction.averageCsat?.toFixed(1),
          })}
          <br />
          <span className="muted">
            {t('care.recentRatings', { ratings: satisfaction.recent.map((r) => r.csat).join(' · ') })}
          </span>
        </p>
      )}
      <p className="muted care-counts">
        {t('care.counts', {
          days: windowDays,
          complaints: counts.complaints,
          open: counts.openComplaints,
          breaches: counts.slaBreaches,
        })}
      </p>
    </div>
  );
}
