import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorText } from '../../components/ErrorText';
import { formatDateTime } from '../../i18n';
import { useTeams } from './useTeams';
import { deskApi } from '../../api/desk';

/** Work handed to other departments (协办): the list with progress, a hand-over form, done/cancel. */
export function SubtasksPanel({ ticketId, canHandOut }: { ticketId: string; canHandOut: boolean }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [adding, setAdding] = useState(false);
  const [teamId, setTeamId] = useState('');
  const [title, setTitle] = useState('');
  const [blocking, setBlocking] = useState(true);
  const [due, setDue] = useState('');
  const [closing, setClosing] = useState<{ id: string; verb: 'complete' | 'cancel' } | null>(null);
  const [note, setNote] = useState('');
  const subtasks = useQuery({
    queryKey: ['ticket', ticketId, 'subtasks'],
    queryFn: () => deskApi.subtasks(ticketId),
  });
  const teams = useTeams({ enabled: adding });
  const refresh = () => client.invalidateQueries({ queryKey: ['ticket', ticketId] });
  const create = useMutation({
    mutationFn: () =>
      deskApi.createSubtask(ticketId, {
        teamId,
        title: title.trim(),
        blocking,
        ...(due ? { dueInMinutes: Number(due) } : {}),
      }),
    onSuccess: () => {
      setAdding(false);
      setTitle('');
      setDue('');
      void refresh();
    },
  });
  const close = useMutation({
    mutationFn: (c: { id: string; verb: 'complete' | 'cancel' }) =>
      c.verb === 'complete' ? deskApi.completeSubtask(c.id, note.trim()) : deskApi.cancelSubtask(c.id, note.trim()),
    onSuccess: () => {
      setClosing(null);
      setNote('');
      void refresh();
    },
  });
  const items = subtasks.data?.items ?? [];
  return (
    <section className="panel subtasks" aria-labelledby="subtasks-title">
      <h2 id="subtasks-title">{t('ticket.subtasks')}</h2>
      {subtasks.data && items.length === 0 && <p className="muted">{t('ticket.none')}</p>}
      <ul>
        {items.map((s) => (
          <li key={s.id} className={`subtask subtask-${s.status}`}>
            <div>
              <strong>{s.teamName}</strong>: {s.title}{' '}
              <span className={`badge subtask-${s.status}`}>{t(`subtaskStatus.${s.status}`)}</span>
              {s.blocking && s.status === 'open' && <span className="badge sla-warning">{t('ticket.blocking')}</span>}
              {s.dueAt && s.status === 'open' && (
                <span className="muted">
                  {' '}
                  {t('ticket.subtaskDueAt')} {formatDateTime(s.dueAt, i18n.language, true)}
                </span>
              )}
              {s.result && <div className="muted">→ {s.result}</div>}
            </div>
            {s.abilities.length > 0 && closing?.id !== s.id && (
              <span className="row">
                {s.abilities.includes('complete') && (
                  <button type="button" className="link" onClick={() => setClosing({ id: s.id, verb: 'complete' })}>
                    {t('ticket.subtaskDone')}
                  </button>
                )}
                {s.abilities.includes('cancel') && (
                  <button type="button" className="link" onClick={() => setClosing({ id: s.id, verb: 'cancel' })}>
                    {t('ticket.subtaskCancel')}
                  </button>
                )}
              </span>
            )}
            {closing?.id === s.id && (
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  close.mutate(closing);
                }}
              >
                <label>
                  {closing.verb === 'complete' ? t('ticket.subtaskResult') : t('ticket.subtaskReason')}
                  <input name="subtask-note" value={note} onChange={(e) => setNote(e.target.value)} autoFocus />
                </label>
                <ErrorText error={close.error} />
                <span className="row">
                  <button type="submit" className="primary" disabled={close.isPending}>
                    {closing.verb === 'complete' ? t('ticket.subtaskDone') : t('ticket.subtaskCancel')}
                  </button>
                  <button type="button" className="link" onClick={() => setClosing(null)}>
                    {t('ticket.cancel')}
                  </button>
                </span>
              </form>
            )}
          </li>
        ))}
      </ul>
      {canHandOut && !adding && (
        <button type="button" className="link" onClick={() => setAdding(true)} data-action="add-subtask">
          + {t('ticket.subtaskNew')}
        </button>
      )}
      {adding && (
        <form
          className="subtask-new"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <label>
            {t('ticket.subtaskTeam')}
            <select name="subtask-team" value={teamId} onChange={(e) => setTeamId(e.target.value)} required>
              <option value="">—</option>
              {teams.data?.items.map((team) => (
                <option key={team.id} value={team.id}>
                  {team.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('ticket.subtaskTitle')}
            <input
              name="subtask-title"
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              required
              maxLength={200}
            />
          </label>
          <label>
            {t('ticket.subtaskDue')}
            <input name="subtask-due" type="number" min={1} value={due} onChange={(e) => setDue(e.target.value)} />
          </label>
          <label className="check">
            <input type="checkbox" checked={blocking} onChange={(e) => setBlocking(e.target.checked)} />
            {t('ticket.blocking')}
          </label>
          <ErrorText error={create.error} />
          <span className="row">
            <button type="submit" className="primary" disabled={create.isPending}>
              {t('ticket.subtaskAdd')}
            </button>
            <button type="button" className="link" onClick={() => setAdding(false)}>
              {t('ticket.cancel')}
            </button>
          </span>
        </form>
      )}
    </section>
  );
}
