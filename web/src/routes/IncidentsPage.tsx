import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { incidentsApi, type Incident } from '../api/incidents';
import { ErrorText } from '../components/ErrorText';
import { ListFooter } from '../components/ListFooter';
import { formatDateTime, fromZonedInput } from '../i18n';
import { RemediesSection } from '../features/incidents/RemediesSection';
import { ReviewSection } from '../features/incidents/ReviewSection';
import { INCIDENT_CATEGORIES, type IncidentStatus } from '../../../src/core/incidents/incidents';

/** Network incidents: the list, a new incident (network operations, supervisors), one incident. */
export default function IncidentsPage(props: { canManage: boolean }) {
  const { id } = useParams();
  if (id === 'new') return <NewIncident />;
  return id ? <IncidentView id={id} /> : <IncidentList canManage={props.canManage} />;
}

const splitList = (s: string) =>
  s
    .split(/[,，、\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);

function IncidentList({ canManage }: { canManage: boolean }) {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<'active' | 'closed' | 'all'>('active');
  const list = useInfiniteQuery({
    queryKey: ['incidents', status],
    queryFn: ({ pageParam }) => incidentsApi.list(status, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="incidents">
      <h1>{t('incidents.title')}</h1>
      <p className="muted">{t('incidents.intro')}</p>
      <div className="toolbar">
        {(['active', 'closed', 'all'] as const).map((s) => (
          <button key={s} type="button" aria-pressed={status === s} onClick={() => setStatus(s)}>
            {t(`incidents.filter.${s}`)}
          </button>
        ))}
        <span className="spacer" />
        {canManage && <Link to="/incidents/new">{t('incidents.new')}</Link>}
      </div>
      <ErrorText error={list.error} />
      <table>
        <thead>
          <tr>
            <th>{t('incidents.number')}</th>
            <th>{t('incidents.name')}</th>
            <th>{t('incidents.level')}</th>
            <th>{t('incidents.areas')}</th>
            <th>{t('incidents.status')}</th>
            <th>{t('incidents.expectedRepairAt')}</th>
            <th>{t('incidents.linked')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-incident={r.id}>
              <td>
                <Link to={`/incidents/${r.id}`}>{r.number}</Link>
              </td>
              <td>
                {r.title} <span className="muted">· {t(`incidents.categories.${r.category}`)}</span>
              </td>
              <td>{r.level}</td>
              <td>{r.areas.join('、')}</td>
              <td>
                <span className={`incident-status status-${r.status}`}>{t(`incidents.statuses.${r.status}`)}</span>
              </td>
              <td>{r.expectedRepairAt ? formatDateTime(r.expectedRepairAt, i18n.language, true) : '—'}</td>
              <td className="num">
                {r.linkedTickets} ({t('incidents.open')} {r.openTickets})
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ListFooter list={list} count={rows.length} empty={t('incidents.empty')} />
    </section>
  );
}

function NewIncident() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const levels = useQuery({ queryKey: ['incident-levels'], queryFn: incidentsApi.levels });
  const [form, setForm] = useState({
    title: '',
    category: 'network_performance' as (typeof INCIDENT_CATEGORIES)[number],
    level: 'III',
    areas: '',
    locations: '',
    services: '',
    matchWords: '',
    regionType: 'city' as 'city' | 'rural',
    publicMessage: '',
    agentScript: '',
    expectedRepairAt: '',
    notifyCustomers: false,
  });
  const set = (patch: Partial<typeof form>) => setForm((f) => ({ ...f, ...patch }));
  const create = useMutation({
    mutationFn: () =>
      incidentsApi.create({
        ...form,
        areas: splitList(form.areas),
        locations: splitList(form.locations),
        services: splitList(form.services),
        expectedRepairAt: fromZonedInput(form.expectedRepairAt),
      }),
    onSuccess: (i) => {
      void client.invalidateQueries({ queryKey: ['incidents'] });
      void navigate(`/incidents/${i.id}`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <section className="incidents">
      <p>
        <Link to="/incidents">{t('incidents.back')}</Link>
      </p>
      <h1>{t('incidents.new')}</h1>
      <form className="incident-form" onSubmit={submit}>
        <label>
          {t('incidents.name')}
          <input required value={form.title} onChange={(e) => set({ title: e.target.value })} />
        </label>
        <label>
          {t('incidents.category')}
          <select value={form.category} onChange={(e) => set({ category: e.target.value as typeof form.category })}>
            {INCIDENT_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`incidents.categories.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('incidents.level')}
          <select value={form.level} onChange={(e) => set({ level: e.target.value })}>
            {(levels.data ?? []).map((l) => (
              <option key={l.code} value={l.code}>
                {l.code} · {i18n.language.startsWith('en') ? l.nameEn : l.nameZh}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('incidents.areas')}
          <input required value={form.areas} onChange={(e) => set({ areas: e.target.value })} />
          <small className="muted">{t('incidents.areasHint')}</small>
        </label>
        <label>
          {t('incidents.locations')}
          <input value={form.locations} onChange={(e) => set({ locations: e.target.value })} />
        </label>
        <label>
          {t('incidents.services')}
          <input value={form.services} onChange={(e) => set({ services: e.target.value })} />
        </label>
        <label>
          {t('incidents.regionType')}
          <select value={form.regionType} onChange={(e) => set({ regionType: e.target.value as 'city' | 'rural' })}>
            <option value="city">{t('incidents.regionTypes.city')}</option>
            <option value="rural">{t('incidents.regionTypes.rural')}</option>
          </select>
        </label>
        <label>
          {t('incidents.matchWords')}
          <input value={form.matchWords} onChange={(e) => set({ matchWords: e.target.value })} />
          <small className="muted">{t('incidents.matchWordsHint')}</small>
        </label>
        <label>
          {t('incidents.expectedRepairAt')}
          <input
            type="datetime-local"
            value={form.expectedRepairAt}
            onChange={(e) => set({ expectedRepairAt: e.target.value })}
          />
        </label>
        <label>
          {t('incidents.publicMessage')}
          <textarea value={form.publicMessage} onChange={(e) => set({ publicMessage: e.target.value })} />
        </label>
        <label>
          {t('incidents.agentScript')}
          <textarea value={form.agentScript} onChange={(e) => set({ agentScript: e.target.value })} />
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={form.notifyCustomers}
            onChange={(e) => set({ notifyCustomers: e.target.checked })}
          />
          {t('incidents.notifyCustomers')}
        </label>
        <ErrorText error={create.error} />
        <button type="submit" disabled={create.isPending}>
          {t('incidents.create')}
        </button>
      </form>
    </section>
  );
}

function IncidentView({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const detail = useQuery({ queryKey: ['incident', id], queryFn: () => incidentsApi.get(id) });
  // What the bulk resolution did; shown after the move form has gone (a resolved incident has no next stage).
  const [resolution, setResolution] = useState<string | null>(null);
  const store = (i: Incident) => {
    client.setQueryData(['incident', id], i);
    void client.invalidateQueries({ queryKey: ['incidents'] });
    void client.invalidateQueries({ queryKey: ['incident-banner'] });
  };
  const i = detail.data;
  return (
    <section className="incidents incident-view">
      <p>
        <Link to="/incidents">{t('incidents.back')}</Link>
      </p>
      <ErrorText error={detail.error} />
      {detail.isPending && <p className="loading">{t('list.loading')}</p>}
      {i && (
        <>
          <h1>
            {i.number} · {i.title}{' '}
            <span className={`incident-status status-${i.status}`}>{t(`incidents.statuses.${i.status}`)}</span>
          </h1>
          <dl className="facts">
            <dt>{t('incidents.category')}</dt>
            <dd>{t(`incidents.categories.${i.category}`)}</dd>
            <dt>{t('incidents.level')}</dt>
            <dd>{i.level}</dd>
            <dt>{t('incidents.areas')}</dt>
            <dd>
              {i.areas.join('、')}
              {i.locations.length > 0 && ` · ${i.locations.join('、')}`}
            </dd>
            {i.services.length > 0 && (
              <>
                <dt>{t('incidents.services')}</dt>
                <dd>{i.services.join('、')}</dd>
              </>
            )}
            <dt>{t('incidents.startedAt')}</dt>
            <dd>{formatDateTime(i.startedAt, i18n.language)}</dd>
            <dt>{t('incidents.expectedRepairAt')}</dt>
            <dd>{i.expectedRepairAt ? formatDateTime(i.expectedRepairAt, i18n.language) : '—'}</dd>
            <dt>{t('incidents.team')}</dt>
            <dd>{i.team?.name ?? '—'}</dd>
            <dt>{t('incidents.publicMessage')}</dt>
            <dd>{i.publicMessage || '—'}</dd>
            <dt>{t('incidents.agentScript')}</dt>
            <dd>{i.agentScript || '—'}</dd>
            <dt>{t('incidents.repair')}</dt>
            <dd className={i.repair.overLimit ? 'error' : undefined}>
              {t('incidents.repairText', { elapsed: i.repair.elapsedHours, limit: i.repair.limitHours })}
              {i.repair.proposeFeeWaiver && ` · ${t('incidents.overLimit')}`}
            </dd>
            <dt>{t('incidents.notices')}</dt>
            <dd>{t('incidents.noticeFigures', i.notices)}</dd>
          </dl>
          {i.abilities.includes('move') && <MoveForm incident={i} onDone={store} onResolved={setResolution} />}
          {resolution && (
            <p className="ok" role="status">
              {resolution}
            </p>
          )}
          {i.abilities.includes('update') && <UpdateForm id={id} onDone={() => void detail.refetch()} />}
          <h2>
            {t('incidents.tickets')} ({i.linkedTickets})
          </h2>
          <LinkedTickets incident={i} onDone={() => void detail.refetch()} />
          {(i.status === 'resolved' || i.status === 'reviewed') && <ReviewSection incident={i} onDone={store} />}
          <RemediesSection incident={i} onDone={() => void detail.refetch()} />
          {i.updates.length > 0 && (
            <>
              <h2>{t('incidents.updates')}</h2>
              <ul className="incident-updates">
                {i.updates.map((u) => (
                  <li key={u.id}>
                    {formatDateTime(u.createdAt, i18n.language, true)} · {u.by?.displayName} · {u.body} ·{' '}
                    {t('incidents.updateSent', { count: u.recipients })}
                  </li>
                ))}
              </ul>
            </>
          )}
          <h2>{t('incidents.timeline')}</h2>
          <ol className="incident-timeline">
            {i.timeline.map((e) => (
              <li key={e.id}>
                {formatDateTime(e.createdAt, i18n.language, true)} · {e.by?.displayName ?? '—'} ·{' '}
                {t(`incidents.events.${e.kind}`, { defaultValue: e.kind })}
                {typeof e.data.to === 'string' && ` → ${t(`incidents.statuses.${e.data.to}`)}`}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

function MoveForm({
  incident,
  onDone,
  onResolved,
}: {
  incident: Incident;
  onDone: (i: Incident) => void;
  onResolved: (summary: string) => void;
}) {
  const { t } = useTranslation();
  const [to, setTo] = useState<IncidentStatus | ''>('');
  const [note, setNote] = useState('');
  const move = useMutation({
    mutationFn: () => incidentsApi.move(incident.id, to as IncidentStatus, note || undefined),
    onSuccess: (r) => {
      onDone(r.incident);
      if (r.resolution) onResolved(t('incidents.resolved', r.resolution));
      setTo('');
      setNote('');
    },
  });
  return (
    <form
      className="incident-move"
      onSubmit={(e) => {
        e.preventDefault();
        move.mutate();
      }}
    >
      <label>
        {t('incidents.moveTo')}
        <select value={to} onChange={(e) => setTo(e.target.value as IncidentStatus)}>
          <option value="">—</option>
          {incident.nextStatuses.map((s) => (
            <option key={s} value={s}>
              {t(`incidents.statuses.${s}`)}
            </option>
          ))}
        </select>
      </label>
      {to === 'resolved' && (
        <label>
          {t('incidents.resolveNote')}
          <textarea required value={note} onChange={(e) => setNote(e.target.value)} />
        </label>
      )}
      <ErrorText error={move.error} />
      <button type="submit" disabled={!to || move.isPending}>
        {to === 'resolved' ? t('incidents.resolve') : t('incidents.move')}
      </button>
      {move.isPending && <span className="loading">{t('list.loading')}</span>}
    </form>
  );
}

function UpdateForm({ id, onDone }: { id: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [body, setBody] = useState('');
  const [sent, setSent] = useState<number | null>(null);
  const post = useMutation({
    mutationFn: () => incidentsApi.postUpdate(id, body),
    onSuccess: (r) => {
      setSent(r.recipients);
      setBody('');
      onDone();
    },
  });
  return (
    <form
      className="incident-update"
      onSubmit={(e) => {
        e.preventDefault();
        post.mutate();
      }}
    >
      <label>
        {t('incidents.updateBody')}
        <textarea required value={body} onChange={(e) => setBody(e.target.value)} />
      </label>
      <ErrorText error={post.error} />
      <button type="submit" disabled={post.isPending || !body.trim()}>
        {t('incidents.update')}
      </button>
      {sent !== null && (
        <span className="ok" role="status">
          {t('incidents.updateSent', { count: sent })}
        </span>
      )}
    </form>
  );
}

function LinkedTickets({ incident, onDone }: { incident: Incident; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const [note, setNote] = useState<string | null>(null);
  const unlink = useMutation({
    mutationFn: (ticketId: string) => incidentsApi.unlink(incident.id, ticketId),
    onSuccess: (r) => {
      setNote(r.reopened ? t('incidents.reopened') : t('incidents.unlinked'));
      onDone();
    },
  });
  if (incident.tickets.length === 0) return <p className="empty">{t('incidents.noTickets')}</p>;
  return (
    <>
      <ErrorText error={unlink.error} />
      {note && (
        <p className="ok" role="status">
          {note}
        </p>
      )}
      <table className="incident-tickets">
        <tbody>
          {incident.tickets.map((tk) => (
            <tr key={tk.id} data-ticket={tk.id}>
              <td>
                <Link to={`/tickets/${tk.id}`}>{tk.number}</Link>
              </td>
              <td>{tk.subject}</td>
              <td>{tk.customerName ?? '—'}</td>
              <td>P{tk.priority}</td>
              <td>{t(`status.${tk.status}`, { defaultValue: tk.status })}</td>
              <td>{formatDateTime(tk.createdAt, i18n.language, true)}</td>
              <td>
                <button type="button" onClick={() => unlink.mutate(tk.id)} disabled={unlink.isPending}>
                  {t('incidents.unlink')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
