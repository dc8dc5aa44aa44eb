import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { fetchLinks, linkTicket, listTickets, mergeTicket } from '../../api/tickets';
import { isOpen, type Ticket, type TicketSummary } from '../../api/types';
import { StatusBadge } from '../../components/Badges';
import { ErrorText } from '../../components/ErrorText';

/**
 * Merge this ticket into another of the same customer, or link a related one. The other ticket is
 * chosen among the customer's tickets or by its number; the list and the search return only the
 * tickets this person may read, so nothing here names a ticket they may not see.
 */
export function MergeLinkForm({
  ticket,
  canMerge,
  canLink,
  onDone,
}: {
  ticket: Ticket;
  canMerge: boolean;
  canLink: boolean;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [otherId, setOtherId] = useState('');
  const [number, setNumber] = useState('');
  const [found, setFound] = useState<TicketSummary | null>(null);
  const [notFound, setNotFound] = useState(false);
  const siblings = useQuery({
    queryKey: ['tickets', { customerId: ticket.customer.id }],
    queryFn: () => listTickets({ customerId: ticket.customer.id, limit: 20 }),
  });
  const candidates = [
    ...(siblings.data?.items ?? []).filter((s) => s.id !== ticket.id),
    ...(found && found.id !== ticket.id && !siblings.data?.items.some((s) => s.id === found.id) ? [found] : []),
  ];
  const other = candidates.find((c) => c.id === otherId);
  const find = useMutation({
    mutationFn: () => listTickets({ q: number.trim(), limit: 5 }),
    onSuccess: (page) => {
      const hit = page.items.find((i) => i.number === number.trim().toUpperCase());
      setNotFound(!hit);
      setFound(hit ?? null);
      if (hit) setOtherId(hit.id);
    },
  });
  const done = () => {
    void client.invalidateQueries({ queryKey: ['ticket'] });
    void client.invalidateQueries({ queryKey: ['tickets'] });
    void client.invalidateQueries({ queryKey: ['links'] });
    onDone();
  };
  const merge = useMutation({ mutationFn: () => mergeTicket(ticket.id, otherId), onSuccess: done });
  const link = useMutation({ mutationFn: () => linkTicket(ticket.id, otherId), onSuccess: done });
  const canMergeInto = other ? isOpen(other.status) && other.customer.id === ticket.customer.id : false;

  return (
    <div className="card merge-link" role="group" aria-label={t('merge.title')}>
      <h2>{t('merge.title')}</h2>
      <label>
        {t('merge.pick')}
        <select name="other-ticket" value={otherId} onChange={(e) => setOtherId(e.target.value)}>
          <option value="">—</option>
          {candidates.map((c) => (
            <option key={c.id} value={c.id}>
              {c.number} · {t(`status.${c.status}`)} · {c.subject}
            </option>
          ))}
        </select>
      </label>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (number.trim()) find.mutate();
        }}
      >
        <label>
          {t('merge.byNumber')}
          <span className="row">
            <input name="other-number" value={number} onChange={(e) => setNumber(e.target.value)} />
            <button type="submit" disabled={find.isPending}>
              {t('merge.find')}
            </button>
          </span>
        </label>
      </form>
      {notFound && <p className="error">{t('merge.notFound')}</p>}
      <ErrorText error={find.error ?? merge.error ?? link.error} />
      {other && canMerge && canMergeInto && <p className="muted">{t('merge.mergeHint')}</p>}
      <span className="row">
        {canMerge && (
          <button
            type="button"
            className="primary"
            data-action="merge-into"
            disabled={!other || !canMergeInto || merge.isPending}
            onClick={() => merge.mutate()}
          >
            {t('merge.merge')}
          </button>
        )}
        {canLink && (
          <button type="button" data-action="link" disabled={!other || link.isPending} onClick={() => link.mutate()}>
            {t('merge.link')}
          </button>
        )}
        <button type="button" className="link" onClick={onDone}>
          {t('ticket.cancel')}
        </button>
      </span>
    </div>
  );
}

/** Duplicates, repeats and related tickets beside the ticket (only those this person may read). */
export function LinksPanel({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const links = useQuery({ queryKey: ['links', ticketId], queryFn: () => fetchLinks(ticketId) });
  const items = links.data?.items ?? [];
  return (
    <section className="panel links-panel">
      <h2>{t('merge.links')}</h2>
      <ErrorText error={links.error} />
      {links.data && items.length === 0 && <p className="muted">{t('merge.noLinks')}</p>}
      <ul className="links">
        {items.map((l) => (
          <li key={`${l.ticketId}-${l.kind}`}>
            <Link to={`/tickets/${l.ticketId}`}>{l.number}</Link>{' '}
            <StatusBadge status={l.status as TicketSummary['status']} />{' '}
            <span className="muted">{t(`merge.kind.${l.kind}`, { defaultValue: l.kind })}</span> {l.subject}
          </li>
        ))}
      </ul>
    </section>
  );
}
