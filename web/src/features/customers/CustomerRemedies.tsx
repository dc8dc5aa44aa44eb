import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { incidentsApi } from '../../api/incidents';
import { ErrorText } from '../../components/ErrorText';
import { formatDateTime } from '../../i18n';
import './customer-remedies.css';

/**
 * The remedies granted to this customer for network incidents (data pack, fee waiver): amount,
 * status (approved, waiting for approval, rejected) and the incident they were for. Nothing shown
 * for a customer who has none.
 */
export function CustomerRemedies({ customerId }: { customerId: string }) {
  const { t, i18n } = useTranslation();
  const remedies = useQuery({
    queryKey: ['customer-remedies', customerId],
    queryFn: () => incidentsApi.customerRemedies(customerId),
  });
  if (remedies.isPending) return null;
  if (!remedies.data) return <ErrorText error={remedies.error} />;
  if (remedies.data.length === 0) return null;
  return (
    <div className="customer-remedies">
      <h3>{t('incidents.customerRemedies')}</h3>
      <ul>
        {remedies.data.map((r) => (
          <li key={r.id} data-remedy={r.id} data-status={r.status}>
            <strong>{t(`incidents.remedyKinds.${r.kind}`)}</strong> {r.amount}{' '}
            {t(`incidents.remedyUnits.${r.unit}`, { defaultValue: r.unit })}{' '}
            <span className={`badge remedy-${r.status}`}>{t(`incidents.remedyStatuses.${r.status}`)}</span>{' '}
            <Link to={`/incidents/${r.incident.id}`}>
              {t('incidents.customerRemedyFor', { number: r.incident.number })}
            </Link>{' '}
            <span className="muted">{formatDateTime(r.createdAt, i18n.language, true)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
