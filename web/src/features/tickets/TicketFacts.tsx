import { useTranslation } from 'react-i18next';
import type { Ticket } from '../../api/types';
import { formatDateTime } from '../../i18n';

/** How the contact came in, the number to call back on (masked) and a fault's details. */
export function TicketFacts({ ticket }: { ticket: Ticket }) {
  const { t, i18n } = useTranslation();
  const d = ticket.details;
  return (
    <dl className="ticket-facts">
      <dt>{t('edit.channel')}</dt>
      <dd className="channel">{t(`channel.${ticket.channel}`)}</dd>
      <dt>{t('edit.contactNumber')}</dt>
      <dd className="contact-number">{ticket.contactNumber ?? '—'}</dd>
      {d.location && (
        <>
          <dt>{t('edit.location')}</dt>
          <dd className="fault-location">{d.location}</dd>
        </>
      )}
      {d.symptom && (
        <>
          <dt>{t('edit.symptom')}</dt>
          <dd className="fault-symptom">{d.symptom}</dd>
        </>
      )}
      {d.scope && (
        <>
          <dt>{t('edit.scope')}</dt>
          <dd className="fault-scope">{t(`scope.${d.scope}`)}</dd>
        </>
      )}
      {d.onsetAt && (
        <>
          <dt>{t('edit.onset')}</dt>
          <dd className="fault-onset">{formatDateTime(d.onsetAt, i18n.language)}</dd>
        </>
      )}
    </dl>
  );
}
