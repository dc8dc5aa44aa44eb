import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { incidentsApi } from '../../api/incidents';
import { ErrorText } from '../../components/ErrorText';
import { formatDateTime } from '../../i18n';

/**
 * The agents' banner: active network incidents in the caller's area (on the new-ticket form) or
 * the ticket customer's area (on the ticket), with the status, the expected repair time and the
 * words to say. On a ticket not linked yet, an agent who may work it links it by hand.
 */
export function IncidentBanner(props: { customerId?: string; ticketId?: string; canLink?: boolean }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const params = props.ticketId ? { ticketId: props.ticketId } : { customerId: props.customerId };
  const banner = useQuery({
    queryKey: ['incident-banner', params],
    queryFn: () => incidentsApi.banner(params),
    enabled: Boolean(props.ticketId ?? props.customerId),
  });
  const link = useMutation({
    mutationFn: (incidentId: string) => incidentsApi.link(incidentId, props.ticketId!),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['incident-banner'] });
      void client.invalidateQueries({ queryKey: ['ticket', props.ticketId] });
    },
  });
  const items = banner.data ?? [];
  if (items.length === 0) return null;
  const anyLinked = items.some((b) => b.linked);
  return (
    <div className="incident-banner" role="alert">
      {items.map((b) => (
        <div key={b.id} className="incident-banner-item" data-incident={b.id}>
          <strong>
            {t('incidents.banner.title', { number: b.number, title: b.title })} <Link to={`/incidents/${b.id}`}>↗</Link>
          </strong>
          <p>
            {t('incidents.banner.status', { status: t(`incidents.statuses.${b.status}`) })} ·{' '}
            {b.expectedRepairAt
              ? t('incidents.banner.eta', { time: formatDateTime(b.expectedRepairAt, i18n.language) })
              : t('incidents.banner.noEta')}
            {b.linked && ` · ${t('incidents.banner.linked')}`}
          </p>
          {b.agentScript && (
            <p className="incident-script">
              {t('incidents.banner.script')} {b.agentScript}
            </p>
          )}
          {props.ticketId && props.canLink && !anyLinked && (
            <button type="button" onClick={() => link.mutate(b.id)} disabled={link.isPending}>
              {t('incidents.linkThis')}
            </button>
          )}
        </div>
      ))}
      <ErrorText error={link.error} />
    </div>
  );
}
