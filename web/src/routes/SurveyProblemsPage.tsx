import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, useSearchParams } from 'react-router';
import { surveyProblemsApi, type SurveyProblem } from '../api/surveys';
import { ErrorText } from '../components/ErrorText';
import { ListFooter } from '../components/ListFooter';
import { useParamsUpdate } from '../components/useParamsUpdate';
import { formatDateTime } from '../i18n';
import './callbacks.css';

const FILTERS = ['active', 'open', 'handling', 'closed', 'all'] as const;
type Filter = (typeof FILTERS)[number];

/**
 * Problems raised in surveys (a low dimension, a comment under a low rating), each tracked until
 * closed: first handled within 24 hours, resolved within 48; what is late says so.
 */
export default function SurveyProblemsPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const setParams = useParamsUpdate();
  const raw = params.get('status');
  const filter: Filter = FILTERS.find((f) => f === raw) ?? 'active';
  const list = useInfiniteQuery({
    queryKey: ['survey-problems', filter],
    queryFn: ({ pageParam }) => surveyProblemsApi.list(filter, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="callbacks survey-problems">
      <nav className="callback-tabs">
        <NavLink to="/callbacks" end>
          {t('callbacks.title')}
        </NavLink>
        <NavLink to="/survey-problems">{t('surveyProblems.title')}</NavLink>
      </nav>
      <h1>{t('surveyProblems.title')}</h1>
      <p className="muted">{t('surveyProblems.intro')}</p>
      <div className="callback-holders" role="tablist" aria-label={t('surveyProblems.filter')}>
        {FILTERS.map((f) => (
          <button
            key={f}
            type="button"
            role="tab"
            data-filter={f}
            aria-selected={filter === f}
            onClick={() => setParams({ status: f === 'active' ? undefined : f })}
          >
            {t(`surveyProblems.filters.${f}`)}
          </button>
        ))}
      </div>
      <ErrorText error={list.error} />
      <ol className="problem-list">
        {rows.map((p) => (
          <ProblemItem key={p.id} problem={p} />
        ))}
      </ol>
      <ListFooter list={list} count={rows.length} empty={t('surveyProblems.empty')} />
    </section>
  );
}

function ProblemItem({ problem: p }: { problem: SurveyProblem }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [text, setText] = useState('');
  const [action, setAction] = useState<'handle' | 'close'>(p.firstHandledAt ? 'close' : 'handle');
  const save = useMutation({
    mutationFn: () =>
      surveyProblemsApi.act(p.id, action === 'handle' ? { action, note: text } : { action, resolution: text }),
    onSuccess: () => {
      setText('');
      // Once handled, what is left to do is to close it.
      setAction('close');
      void client.invalidateQueries({ queryKey: ['survey-problems'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const now = Date.now();
  const late = (due: string | null, done: string | null) => !done && due !== null && new Date(due).getTime() < now;
  const due = (label: string, at: string | null, done: string | null) => (
    <span className={late(at, done) ? 'error' : done ? 'ok' : undefined}>
      {label} {at ? formatDateTime(at, i18n.language, true) : '—'}
      {done ? ` · ${t('surveyProblems.doneAt', { at: formatDateTime(done, i18n.language, true) })}` : ''}
      {late(at, done) ? ` · ${t('surveyProblems.late')}` : ''}
    </span>
  );
  return (
    <li className={`problem ${p.status}`} data-problem={p.id} data-status={p.status}>
      <div className="problem-head">
        <span className={`badge status-${p.status}`}>{t(`surveyProblems.status.${p.status}`)}</span>{' '}
        <Link to={`/tickets/${p.ticket.id}`}>{p.ticket.number}</Link> · {p.ticket.subject} · {p.customerName ?? '—'}
      </div>
      <div className="problem-topics">
        {p.topics.map((k) => t(`surveyProblems.topic.${k}`, { defaultValue: k })).join(t('timeline.listSep'))}
        {p.csat !== null && ` · CSAT ${p.csat}/5`}
      </div>
      {p.comment && <blockquote>{p.comment}</blockquote>}
      <div className="problem-clocks">
        {due(t('surveyProblems.respondBy'), p.respondDueAt, p.firstHandledAt)}
        {' · '}
        {due(t('surveyProblems.resolveBy'), p.resolveDueAt, p.closedAt)}
      </div>
      {p.handler && (
        <div className="muted">
          {t('surveyProblems.handler', { name: p.handler.displayName })}
          {p.handlingNote && ` · ${p.handlingNote}`}
        </div>
      )}
      {p.resolution && <div className="ok">{t('surveyProblems.resolution', { text: p.resolution })}</div>}
      {p.status !== 'closed' && (
        <form className="problem-action" onSubmit={submit}>
          <select
            name="action"
            value={action}
            onChange={(e) => setAction(e.target.value as 'handle' | 'close')}
            aria-label={t('surveyProblems.action')}
          >
            <option value="handle">{t('surveyProblems.handle')}</option>
            <option value="close">{t('surveyProblems.close')}</option>
          </select>
          <input
            name="text"
            value={text}
            required
            maxLength={2000}
            placeholder={
              action === 'handle' ? t('surveyProblems.notePlaceholder') : t('surveyProblems.resolutionPlaceholder')
            }
            onChange={(e) => setText(e.target.value)}
          />
          <button type="submit" disabled={save.isPending || !text.trim()}>
            {t('surveyProblems.save')}
          </button>
          <ErrorText error={save.error} />
        </form>
      )}
    </li>
  );
}
