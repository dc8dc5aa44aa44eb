import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CandidatesPanel } from '../features/incidents/CandidatesPanel';
import { Link } from 'react-router';
import { OPEN_FILTER } from '../api/types';
import { DueBadge, PriorityBadge, StatusBadge } from '../components/Badges';
import { ErrorText } from '../components/ErrorText';
import { useNow } from '../features/tickets/useNow';
import { formatDuration } from '../i18n';
import { deskApi } from '../api/desk';
import { CompliancePanel, RiskAlertsPanel } from '../features/quality/QualityPanels';

type Focus =
  { kind: 'risk' } | { kind: 'agent'; id: string; name: string } | { kind: 'team'; id: string | null; name: string };

/** The supervisor's live board: queues, agents with presence and load, and the tickets at risk. */
export default function BoardPage() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const now = useNow(15_000);
  const [target, setTarget] = useState<Record<string, string>>({});
  const board = useQuery({ queryKey: ['board'], queryFn: () => deskApi.board(), refetchInterval: 30_000 });
  const agents = useQuery({
    queryKey: ['board', 'agents'],
    queryFn: () => deskApi.agents(),
    refetchInterval: 30_000,
  });
  // The list below the board: tickets at risk, or the open work of the agent or queue picked above.
  const [focus, setFocus] = useState<Focus>({ kind: 'risk' });
  const listed = useQuery({
    queryKey: ['tickets', 'board', focus],
    queryFn: async () => {
      if (focus.kind === 'risk') {
        const [breached, soon] = await Promise.all([
          deskApi.tickets({ sla: 'breached', sort: 'due', limit: 50 }),
          deskApi.tickets({ sla: 'due_soon', sort: 'due', limit: 50 }),
        ]);
        return [...breached.items, ...soon.items];
      }
      const filter = focus.kind === 'agent' ? { assigneeId: focus.id } : focus.id ? { teamId: focus.id } : {};
      return (await deskApi.tickets({ ...filter, status: OPEN_FILTER, sort: 'due', limit: 100 })).items;
    },
  });
  // Whom the certification rule rules out of each listed ticket (the server's verdict, not the
  // web app's): those people are listed greyed out with what they lack.
  const assignableIds = (listed.data ?? []).filter((tk) => tk.abilities.includes('assign')).map((tk) => tk.id);
  const blocked = useQuery({
    queryKey: ['board', 'blocked-assignees', assignableIds],
    queryFn: () => deskApi.blockedAssignees(assignableIds),
    enabled: assignableIds.length > 0,
  });
  const lacks = (ticketId: string, staffId: string) =>
    blocked.data?.items.find((i) => i.ticketId === ticketId)?.blocked.find((b) => b.staffId === staffId)
      ?.missingCertifications ?? [];
  const certNames = (codes: string[]) =>
    codes.map((c) => t(`training.certificationNames.${c}`, { defaultValue: c })).join(t('assign.separator'));
  const reassign = useMutation({
    mutationFn: (v: { ticketId: string; assigneeId: string }) => deskApi.reassign(v.ticketId, v.assigneeId),
    onSuccess: (_data, v) => {
      setTarget((all) => ({ ...all, [v.ticketId]: '' }));
      void client.invalidateQueries({ queryKey: ['tickets'] });
      void client.invalidateQueries({ queryKey: ['board'] });
      void client.invalidateQueries({ queryKey: ['ticket', v.ticketId] });
    },
  });

  return (
    <div className="board">
      <h1>
        {t('board.title')} <Link to="/wallboard">{t('nav.wallboard')} →</Link>
      </h1>
      <CandidatesPanel />
      <ErrorText error={board.error ?? agents.error} />
      <div className="board-grid">
        <section className="panel">
          <h2>{t('board.queues')}</h2>
          <table>
            <thead>
              <tr>
                <th>{t('board.queues')}</th>
                <th>{t('board.open')}</th>
                <th>{t('board.oldest')}</th>
              </tr>
            </thead>
            <tbody>
              {board.data?.teams.map((q) => (
                <tr key={q.id ?? 'none'} className={focus.kind === 'team' && focus.id === q.id ? 'selected' : ''}>
                  <td>
                    <button
                      type="button"
                      className="link"
                      onClick={() => setFocus({ kind: 'team', id: q.id, name: q.name })}
                    >
                      {q.name}
                    </button>
                  </td>
                  <td className="num">{q.open}</td>
                  <td className={q.oldestOpenAgeMinutes > 120 ? 'num late' : 'num'}>
                    {formatDuration(q.oldestOpenAgeMinutes * 60_000, i18n.language)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="panel">
          <h2>{t('board.agents')}</h2>
          <p className="muted">{t('board.dropHint')}</p>
          <ul className="agents">
            {agents.data?.items.map((a) => (
              <li
                key={a.id}
                className={`agent presence-${a.presence}`}
                onDragOver={(e) => e.preventDefault()}
                onDrop={(e) => {
                  const ticketId = e.dataTransfer.getData('text/ticket-id');
                  if (ticketId) reassign.mutate({ ticketId, assigneeId: a.id });
                }}
              >
                <button
                  type="button"
                  className="link name"
                  data-id={a.id}
                  onClick={() => setFocus({ kind: 'agent', id: a.id, name: a.displayName })}
                  aria-pressed={focus.kind === 'agent' && focus.id === a.id}
                >
                  {a.displayName}
                </button>
                <span className={`badge presence-${a.presence}`}>{t(`presence.${a.presence}`)}</span>
                <meter min={0} max={a.capacity} value={a.openCount} aria-label={t('board.load')} />
                <span className="num">
                  {a.openCount}/{a.capacity}
                </span>
              </li>
            ))}
          </ul>
        </section>
      </div>
      <div className="board-grid">
        <RiskAlertsPanel />
        <CompliancePanel />
      </div>
      <section className="panel">
        <h2>
          {focus.kind === 'risk' ? t('board.atRisk') : t('board.openOf', { name: focus.name })}
          {focus.kind !== 'risk' && (
            <button type="button" className="link" onClick={() => setFocus({ kind: 'risk' })}>
              ← {t('board.atRisk')}
            </button>
          )}
        </h2>
        <ErrorText error={reassign.error} />
        <table className="tickets">
          <tbody>
            {listed.data?.map((tk) => (
              <tr
                key={tk.id}
                data-ticket={tk.id}
                draggable={tk.abilities.includes('assign')}
                onDragStart={(e) => e.dataTransfer.setData('text/ticket-id', tk.id)}
              >
                <td>
                  <Link to={`/tickets/${tk.id}`}>{tk.number}</Link>
                </td>
                <td>
                  <PriorityBadge priority={tk.priority} />
                </td>
                <td className="subject">{tk.subject}</td>
                <td>
                  <StatusBadge status={tk.status} />
                </td>
                <td className="assignee">{tk.assignee?.displayName ?? t('ticket.unassigned')}</td>
                <td>
                  <DueBadge dueAt={tk.slaDueAt} now={now} />
                </td>
                <td className="reassign">
                  {/* Offered only where the server grants `assign` on this ticket. */}
                  {tk.abilities.includes('assign') && (
                    <>
                      <select
                        aria-label={t('board.to')}
                        value={target[tk.id] ?? ''}
                        onChange={(e) => setTarget({ ...target, [tk.id]: e.target.value })}
                      >
                        <option value="">{t('board.to')}…</option>
                        {[...(agents.data?.items ?? [])]
                          .map((a) => ({ a, missing: lacks(tk.id, a.id) }))
                          .sort((x, y) => Number(x.missing.length > 0) - Number(y.missing.length > 0))
                          .map(({ a, missing }) => (
                            <option
                              key={a.id}
                              value={a.id}
                              disabled={missing.length > 0}
                              data-eligible={String(missing.length === 0)}
                            >
                              {a.displayName} ({a.openCount}/{a.capacity})
                              {missing.length > 0 && ` — ${t('assign.lacks', { names: certNames(missing) })}`}
                            </option>
                          ))}
                      </select>
                      <button
                        type="button"
                        disabled={!target[tk.id] || reassign.isPending}
                        onClick={() => reassign.mutate({ ticketId: tk.id, assigneeId: target[tk.id]! })}
                      >
                        {t('board.reassign')}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {listed.isPending && <p className="loading">{t('list.loading')}</p>}
        {listed.data?.length === 0 && <p className="empty">{focus.kind === 'risk' ? '✓' : t('list.empty')}</p>}
      </section>
    </div>
  );
}
