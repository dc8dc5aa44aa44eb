import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { OPEN_FILTER, TICKET_STATUSES, type StaffAbility, type TicketSummary } from '../api/types';
import { DueBadge, PriorityBadge, StatusBadge, TierBadge } from '../components/Badges';
import { ListFooter } from '../components/ListFooter';
import { ErrorText } from '../components/ErrorText';
import { isShortcutKey } from '../components/shortcuts';
import { SavedViews } from '../features/tickets/SavedViews';
import { useGrades } from '../features/tickets/useGrades';
import { useNow } from '../features/tickets/useNow';
import { useParamsUpdate } from '../components/useParamsUpdate';
import { deskApi } from '../api/desk';
import { TICKET_NUMBER_PATTERN } from '../../../src/core/tickets/ticket-number';
import { ExportButtons } from '../features/kpi/ExportButtons';
import { ScheduleReportButton } from '../features/kpi/ReportSchedules';
import { scheduleOfList, useListName } from '../features/kpi/reportLists';

const VIEWS = ['mine', 'unassigned', 'due_soon', 'breached', 'vip', 'all'] as const;
type View = (typeof VIEWS)[number];
const LAST_VIEW = 'loopdesk.queue';
/** List filters a KPI drill-down link carries (see the dashboard's `drill`). */
const DRILL_PARAMS = [
  'kpi',
  'factsFrom',
  'factsTo',
  'teamId',
  'assigneeId',
  'categoryId',
  'channel',
  'region',
  'status',
  'type',
  'q',
] as const;

/** The filters of a saved view, as list query parameters. */
function viewParams(view: View): Record<string, string> {
  switch (view) {
    case 'mine':
      return { assigneeId: 'me', status: OPEN_FILTER };
    case 'unassigned':
      return { assigneeId: 'none', status: OPEN_FILTER };
    case 'due_soon':
      return { sla: 'due_soon', sort: 'due' };
    case 'breached':
      return { sla: 'breached', sort: 'due' };
    case 'vip':
      return { customerTier: 'vip', status: OPEN_FILTER };
    case 'all':
      return {};
  }
}

/** The whole ticket number a caller reads out (TS20261129000193), in any case: it names one ticket, whatever the view. */
function ticketNumberIn(words: string): string | null {
  const number = words.trim().toUpperCase();
  return TICKET_NUMBER_PATTERN.test(number) ? number : null;
}

/** The keys this person can use: reply, note, escalate and new only for those who work tickets, the board for supervisors. */
function shortcutKeys(abilities: readonly StaffAbility[]): string[] {
  const works = abilities.includes('create_ticket');
  return [
    ...(works ? ['reply', 'note', 'escalate'] : []),
    'search',
    'move',
    'open',
    'queue',
    ...(works ? ['new'] : []),
    ...(abilities.includes('supervise') ? ['board'] : []),
    'inbox',
    ...(works ? ['replies', 'send'] : []),
  ];
}

export default function QueuePage({
  me,
}: {
  me: { id: string; teamId: string | null; abilities: readonly StaffAbility[] };
}) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const now = useNow();
  const grades = useGrades();
  const [params, setParams] = useSearchParams();
  const view = (params.get('view') ?? localStorage.getItem(LAST_VIEW) ?? 'mine') as View;
  const teamId = params.get('team') ?? '';
  const filters = {
    type: params.get('type') ?? '',
    grade: params.get('grade') ?? '',
    status: params.get('status') ?? '',
    q: params.get('q') ?? '',
    sort: params.get('sort') ?? '',
  };
  const [search, setSearch] = useState(filters.q);
  // The box follows the address when a saved view, a link or Back changes the words.
  useEffect(() => setSearch(filters.q), [filters.q]);
  const searchBox = useRef<HTMLInputElement>(null);

  const location = useLocation();
  useEffect(() => localStorage.setItem(LAST_VIEW, view), [view]);
  useEffect(() => {
    if ((location.state as { focusSearch?: boolean } | null)?.focusSearch) searchBox.current?.focus();
  }, [location.state]);
  // "/" searches; "j"/"k" move through the list and Enter or "o" opens the ticket under the cursor.
  const [cursor, setCursor] = useState(-1);
  const rowsRef = useRef<TicketSummary[]>([]);
  const cursorRef = useRef(cursor);
  cursorRef.current = cursor;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isShortcutKey(e)) return;
      const tag = (e.target as HTMLElement | null)?.tagName;
      const count = rowsRef.current.length;
      if (e.key === '/') searchBox.current?.focus();
      else if (e.key === 'j' && count) setCursor((c) => Math.min(count - 1, c + 1));
      else if (e.key === 'k' && count) setCursor((c) => Math.max(0, c - 1));
      else if (e.key === 'Enter' || e.key === 'o') {
        const row = rowsRef.current[cursorRef.current];
        if (!row || tag === 'BUTTON' || tag === 'A') return;
        void navigate(`/tickets/${row.id}`);
      } else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate]);

  const set = useParamsUpdate();

  // A drill-down from the KPI dashboard: exactly the tickets behind the figure.
  const drill = Object.fromEntries(DRILL_PARAMS.map((k) => [k, params.get(k) ?? '']).filter(([, v]) => v)) as Record<
    string,
    string
  >;
  const drilling = params.get('drill') === '1';
  // The sidebar's views and teams are no part of a drill-down: choosing one leaves it.
  const choose = (changes: Record<string, string>) =>
    drilling ? setParams(new URLSearchParams(Object.entries(changes).filter(([, v]) => v))) : set(changes);
  // An exact number is looked up among every ticket this person may read, not within the view.
  const exactNumber = drilling ? null : ticketNumberIn(filters.q);
  const listParams = drilling
    ? { ...drill, ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v)), limit: 50 }
    : exactNumber
      ? { q: exactNumber, limit: 50 }
      : {
          ...viewParams(teamId ? 'all' : view),
          ...(teamId ? { teamId, status: OPEN_FILTER } : {}),
          ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v)),
          limit: 50,
        };
  const tickets = useInfiniteQuery({
    queryKey: ['tickets', listParams],
    queryFn: ({ pageParam }) => deskApi.tickets({ ...listParams, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const counts = useQuery({ queryKey: ['tickets', 'counts'], queryFn: () => deskApi.ticketCounts() });
  const rows = tickets.data?.pages.flatMap((p) => p.items) ?? [];
  rowsRef.current = rows;

  return (
    <div className="queue">
      <aside className="views" aria-label={t('nav.queue')}>
        {VIEWS.map((v) => (
          <button
            key={v}
            type="button"
            className={!drilling && !teamId && view === v ? 'active' : ''}
            onClick={() => choose({ view: v, team: '' })}
          >
            <span>{t(`views.${v}`)}</span>
            <span className="count">{counts.data?.views[v] ?? ''}</span>
          </button>
        ))}
        <hr />
        <SavedViews params={params} open={(saved) => setParams(new URLSearchParams(saved))} />
        <hr />
        {counts.data?.teams.map((team) => (
          <button
            key={team.teamId}
            type="button"
            className={teamId === team.teamId ? 'active' : ''}
            onClick={() => choose({ team: team.teamId })}
          >
            <span>
              {team.name}
              {team.teamId === me.teamId ? ' ★' : ''}
            </span>
            <span className="count">{team.open}</span>
          </button>
        ))}
      </aside>
      <section className="list">
        {drilling && (
          <div className="drill-banner">
            <span role="status">
              {t('drill.title', {
                kpi: t(`drill.kinds.${drill.kpi ?? 'contacts'}`),
                from: drill.factsFrom ?? '…',
                to: drill.factsTo ?? '…',
              })}
            </span>{' '}
            <button type="button" className="link" onClick={() => setParams(new URLSearchParams({ view: 'all' }))}>
              {t('drill.clear')}
            </button>
            {me.abilities.includes('supervise') && (
              <ExportButtons
                kind="tickets"
                query={Object.fromEntries(
                  Object.entries(listParams)
                    .filter(([k, v]) => k !== 'limit' && v !== undefined && v !== '')
                    .map(([k, v]) => [k, String(v)]),
                )}
              />
            )}
            {me.abilities.includes('supervise') && <ScheduleListButton listParams={listParams} />}
          </div>
        )}
        <form
          className="filters"
          onSubmit={(e) => {
            e.preventDefault();
            const number = ticketNumberIn(search);
            if (!number) {
              set({ q: search.trim() });
              return;
            }
            // A caller's ticket number goes straight to the ticket (the list's own read policy
            // decides whether there is one); when there is none, the list says so for that number.
            void deskApi
              .tickets({ q: number, limit: 1 })
              .then((found) => found.items[0])
              .catch(() => undefined)
              .then((ticket) => (ticket ? navigate(`/tickets/${ticket.id}`) : set({ q: number })));
          }}
        >
          <input
            ref={searchBox}
            type="search"
            placeholder={t('filters.search')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            aria-label={t('filters.search')}
          />
          <select aria-label={t('filters.type')} value={filters.type} onChange={(e) => set({ type: e.target.value })}>
            <option value="">
              {t('filters.type')}: {t('filters.any')}
            </option>
            {(['inquiry', 'fault', 'complaint', 'service_request'] as const).map((v) => (
              <option key={v} value={v}>
                {t(`type.${v}`)}
              </option>
            ))}
          </select>
          <select
            aria-label={t('filters.grade')}
            value={filters.grade}
            onChange={(e) => set({ grade: e.target.value })}
          >
            <option value="">
              {t('filters.grade')}: {t('filters.any')}
            </option>
            {grades.items.map((g) => (
              <option key={g.code} value={g.code}>
                {grades.label(g.code)}
              </option>
            ))}
          </select>
          <select
            aria-label={t('filters.status')}
            value={filters.status}
            onChange={(e) => set({ status: e.target.value })}
          >
            <option value="">
              {t('filters.status')}: {t('filters.any')}
            </option>
            {TICKET_STATUSES.map((v) => (
              <option key={v} value={v}>
                {t(`status.${v}`)}
              </option>
            ))}
          </select>
          <label className="check">
            <input
              type="checkbox"
              checked={filters.sort === 'due'}
              onChange={(e) => set({ sort: e.target.checked ? 'due' : '' })}
            />
            {t('filters.sortDue')}
          </label>
        </form>
        <ErrorText error={tickets.error} />
        <table className="tickets">
          <thead>
            <tr>
              <th>{t('list.number')}</th>
              <th>{t('list.priority')}</th>
              <th>{t('list.subject')}</th>
              <th>{t('list.customer')}</th>
              <th>{t('list.status')}</th>
              <th>{t('list.assignee')}</th>
              <th>{t('list.due')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((tk, i) => (
              <tr
                key={tk.id}
                className={i === cursor ? 'cursor' : undefined}
                aria-selected={i === cursor}
                onDoubleClick={() => void navigate(`/tickets/${tk.id}`)}
                draggable
                onDragStart={(e) => e.dataTransfer.setData('text/ticket-id', tk.id)}
              >
                <td>
                  <Link to={`/tickets/${tk.id}`}>{tk.number}</Link>
                </td>
                <td>
                  <PriorityBadge priority={tk.priority} />
                </td>
                <td className="subject">
                  <span className="type">{t(`type.${tk.type}`)}</span> {tk.subject}
                </td>
                <td>
                  {tk.customer.name} <TierBadge tier={tk.customer.tier} />
                </td>
                <td>
                  <StatusBadge status={tk.status} />
                </td>
                <td>{tk.assignee?.displayName ?? <span className="muted">{t('ticket.unassigned')}</span>}</td>
                <td>
                  <DueBadge dueAt={tk.slaDueAt} now={now} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <ListFooter
          list={tickets}
          count={rows.length}
          empty={
            exactNumber
              ? t('list.noNumber', { number: exactNumber })
              : t(me.abilities.includes('create_ticket') ? 'list.emptyOrCreate' : 'list.empty')
          }
        />
        <p className="hint muted" lang={i18n.language}>
          {t('ticket.shortcuts.prefix')}
          {shortcutKeys(me.abilities)
            .map((k) => t(`ticket.shortcuts.${k}`))
            .join(' · ')}
        </p>
      </section>
    </div>
  );
}

/** "Schedule this list": the drill-down's list (its KPI and filters) as a scheduled report. */
function ScheduleListButton({ listParams }: { listParams: Record<string, string | number | undefined> }) {
  const { t } = useTranslation();
  const what = scheduleOfList(listParams);
  const listName = useListName({ agents: Boolean(what?.agentId) });
  return (
    <ScheduleReportButton
      what={what}
      unavailable={t('kpi.schedule.listUnavailable')}
      defaultName={what ? listName(what) : ''}
    />
  );
}
