import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { deEscalateTicket, escalateTicket, recordConfirmation, transitionTicket } from '../../api/tickets';
import type { Ticket } from '../../api/types';
import { ErrorText } from '../../components/ErrorText';
import { storeTicket } from './storeTicket';
import { useTeams } from './useTeams';

/** Escalate to tier 2 with the mandatory handoff note, to the default expert queue or a chosen expert team. */
export function EscalateForm({ ticketId, onDone }: { ticketId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [teamId, setTeamId] = useState('');
  const teams = useTeams();
  const experts = teams.data?.items.filter((x) => x.kind === 'expert') ?? [];
  return (
    <HandoffForm
      onDone={onDone}
      className="escalate"
      title={t('ticket.escalate')}
      noteLabel={t('ticket.escalateNote')}
      noteName="handoff"
      submitLabel={t('ticket.escalate')}
      send={(note) => escalateTicket(ticketId, note, teamId || undefined)}
    >
      {experts.length > 1 && (
        <label>
          {t('ticket.escalateTeam')}
          <select name="team" value={teamId} onChange={(e) => setTeamId(e.target.value)}>
            <option value="">{t('ticket.anyExpert')}</option>
            {experts.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </select>
        </label>
      )}
    </HandoffForm>
  );
}

/** Hand a tier-2 ticket back to tier 1 (its first-contact owner) with a note. */
export function DeEscalateForm({ ticketId, onDone }: { ticketId: string; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <HandoffForm
      onDone={onDone}
      className="de-escalate"
      noteLabel={t('ticket.deEscalateNote')}
      noteName="back-note"
      submitLabel={t('ticket.deEscalate')}
      send={(note) => deEscalateTicket(ticketId, note)}
    />
  );
}

/** A supervisor closes a resolved ticket before the customer answered: only with a reason. */
export function OverrideCloseForm({ ticketId, onDone }: { ticketId: string; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <HandoffForm
      onDone={onDone}
      className="override-close"
      title={t('closing.overrideTitle')}
      noteLabel={t('closing.overrideReason')}
      noteName="reason"
      submitLabel={t('closing.override')}
      send={(note) => transitionTicket(ticketId, 'close', note)}
    />
  );
}

/** The customer's answer to a resolution, as the agent heard it on the phone. */
export function ConfirmationForm({ ticketId, onDone }: { ticketId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [solved, setSolved] = useState(true);
  return (
    <HandoffForm
      onDone={onDone}
      className="confirmation"
      title={t('closing.recordTitle')}
      noteLabel={t('closing.what')}
      noteName="said"
      submitLabel={t('closing.save')}
      send={(note) => recordConfirmation(ticketId, solved, note.trim() || undefined)}
    >
      {([true, false] as const).map((value) => (
        <label key={String(value)} className="check">
          <input
            type="radio"
            name="solved"
            value={value ? 'yes' : 'no'}
            checked={solved === value}
            onChange={() => setSolved(value)}
          />
          {t(value ? 'closing.solved' : 'closing.notSolved')}
        </label>
      ))}
    </HandoffForm>
  );
}

/** A move between tiers: a note, the API call, the updated ticket in the cache; Escape cancels. */
function HandoffForm(props: {
  onDone: () => void;
  className: string;
  title?: string;
  noteLabel: string;
  noteName: string;
  submitLabel: string;
  send: (note: string) => Promise<Ticket>;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [note, setNote] = useState('');
  const move = useMutation({
    mutationFn: () => props.send(note),
    onSuccess: (ticket) => {
      storeTicket(client, ticket);
      props.onDone();
    },
  });
  return (
    <form
      className={`card inline ${props.className}`}
      onSubmit={(e) => {
        e.preventDefault();
        move.mutate();
      }}
      onKeyDown={(e) => e.key === 'Escape' && props.onDone()}
    >
      {props.title && <h2>{props.title}</h2>}
      {props.children}
      <label>
        {props.noteLabel}
        <textarea name={props.noteName} value={note} onChange={(e) => setNote(e.target.value)} rows={3} autoFocus />
      </label>
      <ErrorText error={move.error} />
      <span className="row">
        <button type="submit" className="primary" disabled={move.isPending}>
          {props.submitLabel}
        </button>
        <button type="button" className="link" onClick={props.onDone}>
          {t('ticket.cancel')}
        </button>
      </span>
    </form>
  );
}
