import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { fetchCustomer, listTickets, revealPii } from '../../api/tickets';
import type { PiiField } from '../../api/types';
import { StatusBadge, TierBadge } from '../../components/Badges';
import { ErrorText } from '../../components/ErrorText';
import { AccountManager } from './AccountManager';
import { ChurnRisk } from './ChurnRisk';
import { CustomerRemedies } from './CustomerRemedies';

/**
 * The customer beside a ticket: masked numbers, ID and address, an audited reveal (the reason goes
 * to the personal-data access log with this ticket), plans, the churn risk with its reasons, the
 * remedies granted for network incidents, and past tickets with repeat flags.
 */
export function CustomerPanel({
  customerId,
  ticketId,
  canReveal,
  canChooseAccountManager = false,
}: {
  customerId: string;
  /** The ticket beside which the panel shows (none beside a chat): the reveal is logged with it. */
  ticketId?: string;
  /** The session grants `reveal_pii`: otherwise no reveal is offered. */
  canReveal: boolean;
  /** The session grants `supervise`: a VIP or gold customer's account manager can be chosen here. */
  canChooseAccountManager?: boolean;
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [revealing, setRevealing] = useState(false);
  const [field, setField] = useState<PiiField>('phone');
  const [reason, setReason] = useState('');
  const [revealed, setRevealed] = useState<Partial<Record<PiiField, string[]>>>({});
  const customer = useQuery({
    queryKey: ['customer', customerId],
    queryFn: () => fetchCustomer(customerId),
  });
  const history = useQuery({
    queryKey: ['tickets', { customerId }],
    queryFn: () => listTickets({ customerId, limit: 20 }),
  });
  const reveal = useMutation({
    mutationFn: () => revealPii(customerId, { field, reason: reason.trim(), ...(ticketId ? { ticketId } : {}) }),
    onSuccess: (r) => {
      setRevealed((v) => ({ ...v, [r.field]: r.values }));
      setRevealing(false);
      setReason('');
      void client.invalidateQueries({ queryKey: ['pii-log'] });
    },
  });
  if (customer.isPending) return <section className="panel customer loading">{t('list.loading')}</section>;
  if (!customer.data) return <ErrorText error={customer.error} />;
  const c = customer.data;
  const past = history.data?.items.filter((h) => h.id !== ticketId) ?? [];
  return (
    <section className="panel customer" aria-labelledby="customer-title">
      <h2 id="customer-title">{t('ticket.customer')}</h2>
      <p>
        <strong>{c.name}</strong> <TierBadge tier={c.tier} /> {c.region}
      </p>
      <dl className="pii">
        <dt>{t('ticket.phone')}</dt>
        <dd className={revealed.phone ? 'numbers revealed' : 'numbers'}>{(revealed.phone ?? c.numbers).join(', ')}</dd>
        {c.emails.length > 0 && (
          <>
            <dt>{t('customerPanel.email')}</dt>
            <dd className={revealed.email ? 'emails revealed' : 'emails'}>{(revealed.email ?? c.emails).join(', ')}</dd>
          </>
        )}
        {c.idNumber && (
          <>
            <dt>{t('ticket.idNumber')}</dt>
            <dd className={revealed.id_number ? 'revealed' : ''}>{revealed.id_number?.join(', ') ?? c.idNumber}</dd>
          </>
        )}
        {c.address && (
          <>
            <dt>{t('ticket.address')}</dt>
            <dd className={revealed.address ? 'revealed' : ''}>{revealed.address?.join(', ') ?? c.address}</dd>
          </>
        )}
      </dl>
      {!canReveal ? null : !revealing ? (
        <button type="button" className="link" onClick={() => setRevealing(true)} data-action="reveal">
          {t('ticket.reveal')}
        </button>
      ) : (
        <form
          className="reveal"
          onSubmit={(e) => {
            e.preventDefault();
            reveal.mutate();
          }}
        >
          <label>
            {t('ticket.revealField')}
            <select name="field" value={field} onChange={(e) => setField(e.target.value as PiiField)}>
              <option value="phone">{t('ticket.phone')}</option>
              {c.emails.length > 0 && <option value="email">{t('customerPanel.email')}</option>}
              {c.idNumber && <option value="id_number">{t('ticket.idNumber')}</option>}
              {c.address && <option value="address">{t('ticket.address')}</option>}
            </select>
          </label>
          <label>
            {t('ticket.revealReason')}
            <input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} autoFocus />
          </label>
          <ErrorText error={reveal.error} />
          <span className="row">
            <button type="submit" className="primary" disabled={reveal.isPending}>
              {t('ticket.revealSubmit')}
            </button>
            <button type="button" className="link" onClick={() => setRevealing(false)}>
              {t('ticket.cancel')}
            </button>
          </span>
        </form>
      )}
      {c.plans.length > 0 && <p className="muted">{c.plans.join(' · ')}</p>}
      <AccountManager customer={c} canChoose={canChooseAccountManager} />
      <ChurnRisk customerId={customerId} />
      <CustomerRemedies customerId={customerId} />
      <h3>{t('ticket.history')}</h3>
      {history.isPending && <p className="loading">{t('list.loading')}</p>}
      {history.data && past.length === 0 && <p className="muted">{t('ticket.none')}</p>}
      <ul className="history">
        {past.map((h) => (
          <li key={h.id}>
            <Link to={`/tickets/${h.id}`}>{h.number}</Link> <StatusBadge status={h.status} /> {h.subject}
            {h.isRepeat && <span className="badge repeat">{t('ticket.repeat')}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
