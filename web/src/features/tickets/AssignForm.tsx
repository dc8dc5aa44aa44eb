import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchAssignees, reassignTicket } from '../../api/tickets';
import type { AssigneeList, Ticket } from '../../api/types';
import { ErrorText } from '../../components/ErrorText';
import { storeTicket } from './storeTicket';

type Assignee = AssigneeList['items'][number];

/**
 * A supervisor names the ticket's assignee. Whom the server takes comes from the server (the one
 * certification rule is in core): those it would refuse are still listed, after the others,
 * greyed out with the certification they lack, so the supervisor sees why the person they had in
 * mind cannot take it instead of wondering where they went.
 */
export function AssignForm({ ticket, onDone }: { ticket: Ticket; onDone: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [chosen, setChosen] = useState('');
  const assignees = useQuery({
    queryKey: ['ticket', ticket.id, 'assignees'],
    queryFn: () => fetchAssignees(ticket.id),
  });
  const assign = useMutation({
    mutationFn: () => reassignTicket(ticket.id, chosen),
    onSuccess: (updated) => {
      storeTicket(client, updated);
      void client.invalidateQueries({ queryKey: ['tickets'] });
      void client.invalidateQueries({ queryKey: ['board'] });
      onDone();
    },
  });
  const certName = (code: string) => t(`training.certificationNames.${code}`, { defaultValue: code });
  const names = (codes: string[]) => codes.map(certName).join(t('assign.separator'));
  const items = assignees.data?.items ?? [];
  const current = ticket.assignee?.id ?? null;
  const canTake = (a: Assignee) => a.missingCertifications.length === 0 && a.id !== current;
  const eligible = items.filter((a) => a.missingCertifications.length === 0);
  const ineligible = items.filter((a) => a.missingCertifications.length > 0);

  const row = (a: Assignee) => (
    <li key={a.id}>
      <label className="assignee" data-assignee={a.id} data-eligible={String(a.missingCertifications.length === 0)}>
        <input
          type="radio"
          name="assignee"
          value={a.id}
          checked={chosen === a.id}
          disabled={!canTake(a)}
          onChange={() => setChosen(a.id)}
        />
        <span className="name">{a.displayName}</span>
        <span className={`badge presence-${a.presence}`}>{t(`presence.${a.presence}`)}</span>
        <span className="muted load">{t('assign.load', { open: a.openCount, capacity: a.capacity })}</span>
        {a.id === current && <span className="muted current">{t('assign.current')}</span>}
        {a.missingCertifications.length > 0 && (
          <span className="why">{t('assign.lacks', { names: names(a.missingCertifications) })}</span>
        )}
      </label>
    </li>
  );

  return (
    <form
      className="card inline assign-ticket"
      aria-label={t('assign.title')}
      onSubmit={(e) => {
        e.preventDefault();
        if (chosen) assign.mutate();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onDone();
      }}
    >
      <h3>{t('assign.title')}</h3>
      {assignees.data && assignees.data.required.length > 0 && (
        <p className="hint needs">{t('assign.needs', { names: names(assignees.data.required) })}</p>
      )}
      {assignees.isPending && <p className="loading">{t('list.loading')}</p>}
      {assignees.isSuccess && eligible.length === 0 && <p className="empty">{t('assign.none')}</p>}
      {eligible.length > 0 && (
        <fieldset className="assignees eligible">
          <legend>{t('assign.eligible')}</legend>
          <ul>{eligible.map(row)}</ul>
        </fieldset>
      )}
      {ineligible.length > 0 && (
        <fieldset className="assignees ineligible">
          <legend>{t('assign.ineligible')}</legend>
          <ul>{ineligible.map(row)}</ul>
        </fieldset>
      )}
      <ErrorText error={assignees.error ?? assign.error} />
      <div className="buttons">
        <button type="submit" className="primary" disabled={!chosen || assign.isPending}>
          {t('assign.submit')}
        </button>
        <button type="button" onClick={onDone}>
          {t('assign.cancel')}
        </button>
      </div>
    </form>
  );
}
