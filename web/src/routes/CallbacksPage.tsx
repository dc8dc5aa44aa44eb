import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, useParams, useSearchParams } from 'react-router';
import { callbacksApi, type CallbackDetail, type CallbackHolder, type RootCause } from '../api/callbacks';
import { ErrorText } from '../components/ErrorText';
import { ListFooter } from '../components/ListFooter';
import { useParamsUpdate } from '../components/useParamsUpdate';
import './callbacks.css';
import { formatDateTime } from '../i18n';
import { CALLBACK_OUTCOMES } from '../../../src/core/callbacks/callbacks';

type T = ReturnType<typeof useTranslation>['t'];
/** A root cause's label in the desk's language. */
const causeLabel = (c: Pick<RootCause, 'nameZh' | 'nameEn'> | { zh: string; en: string }, lang: string) =>
  'zh' in c ? (lang === 'en' ? c.en : c.zh) : lang === 'en' ? c.nameEn : c.nameZh;
const lowText = (low: string[], t: T) =>
  low.map((k) => (k === 'csat' ? 'CSAT' : t(`survey.dimension.${k}`, { defaultValue: k }))).join(', ');

/** Supervisors and callback-team agents: open callbacks to dissatisfied customers, due soonest first. */
export default function CallbacksPage() {
  const { id } = useParams();
  return id ? <CallbackTask id={id} /> : <CallbackList />;
}

const HOLDERS = ['me', 'unassigned'] as const;

function CallbackList() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const setParams = useParamsUpdate();
  const raw = params.get('assignee');
  const holder: CallbackHolder | undefined = HOLDERS.find((h) => h === raw);
  const list = useInfiniteQuery({
    queryKey: ['callbacks', holder ?? 'all'],
    queryFn: ({ pageParam }) => callbacksApi.list(pageParam, holder),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const now = Date.now();
  return (
    <section className="callbacks">
      <nav className="callback-tabs">
        <NavLink to="/callbacks" end>
          {t('callbacks.title')}
        </NavLink>
        <NavLink to="/survey-problems">{t('surveyProblems.title')}</NavLink>
      </nav>
      <h1>{t('callbacks.title')}</h1>
      <p className="muted">{t('callbacks.intro')}</p>
      <div className="callback-holders" role="tablist" aria-label={t('callbacks.holderFilter')}>
        {([undefined, ...HOLDERS] as const).map((h) => (
          <button
            key={h ?? 'all'}
            type="button"
            role="tab"
            data-holder={h ?? 'all'}
            aria-selected={holder === h}
            onClick={() => setParams({ assignee: h })}
          >
            {t(`callbacks.holder.${h ?? 'all'}`)}
          </button>
        ))}
      </div>
      <ErrorText error={list.error} />
      <table>
        <thead>
          <tr>
            <th>{t('callbacks.ticket')}</th>
            <th>{t('callbacks.customer')}</th>
            <th>{t('callbacks.assignee')}</th>
            <th>{t('callbacks.low')}</th>
            <th>{t('callbacks.attempts')}</th>
            <th>{t('callbacks.due')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => {
            const overdue = c.dueAt !== null && new Date(c.dueAt).getTime() < now;
            return (
              <tr key={c.id} data-callback={c.id}>
                <td>
                  {c.ticket.number} · {c.ticket.subject}
                </td>
                <td>{c.customerName ?? '—'}</td>
                <td className={c.assignee ? undefined : 'muted'}>{c.assignee?.displayName ?? t('callbacks.nobody')}</td>
                <td>{lowText(c.low, t)}</td>
                <td className="num">{c.attempts} / 3</td>
                <td className={overdue ? 'error' : undefined}>
                  {c.dueAt ? formatDateTime(c.dueAt, i18n.language, true) : '—'}
                  {overdue && ` · ${t('callbacks.overdue')}`}
                </td>
                <td>
                  <Link to={`/callbacks/${c.id}`}>{t('callbacks.open')}</Link>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <ListFooter list={list} count={rows.length} empty={t('callbacks.empty')} />
    </section>
  );
}

function CallbackTask({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const detail = useQuery({ queryKey: ['callback', id], queryFn: () => callbacksApi.get(id) });
  const update = (d: CallbackDetail) => {
    client.setQueryData(['callback', id], d);
    void client.invalidateQueries({ queryKey: ['callbacks'] });
  };
  const cb = detail.data;
  return (
    <section className="callbacks callback-task">
      <p>
        <Link to="/callbacks">{t('callbacks.back')}</Link>
      </p>
      <ErrorText error={detail.error} />
      {detail.isPending && <p className="loading">{t('list.loading')}</p>}
      {cb && (
        <>
          <h1>
            {t('callbacks.title')} · <Link to={`/tickets/${cb.ticket.id}`}>{cb.ticket.number}</Link>
          </h1>
          <p>
            {cb.ticket.subject} · {cb.customerName ?? '—'} · {t('callbacks.due')}{' '}
            {cb.dueAt ? formatDateTime(cb.dueAt, i18n.language) : '—'}
          </p>
          {cb.canAssign ? (
            <AssignForm cb={cb} onDone={update} />
          ) : (
            <p className="callback-holder">
              {t('callbacks.assignee')}: {cb.assignee?.displayName ?? t('callbacks.nobody')}
            </p>
          )}
          <h2>{t('callbacks.scores')}</h2>
          <dl className="scores">
            <dt>{t('callbacks.csat')}</dt>
            <dd>{cb.scores.csat ?? t('callbacks.noScore')} / 5</dd>
            <dt>{t('callbacks.nps')}</dt>
            <dd>{cb.scores.nps ?? t('callbacks.noScore')} / 10</dd>
            {(['speed', 'quality', 'attitude', 'convenience'] as const).map((k) =>
              cb.scores[k] === null ? null : (
                <span key={k} className="score-pair">
                  <dt>{t(`survey.dimension.${k}`)}</dt>
                  <dd>{cb.scores[k]} / 5</dd>
                </span>
              ),
            )}
          </dl>
          {cb.scores.comment && <blockquote>{cb.scores.comment}</blockquote>}
          <h2>{t('callbacks.attemptsTitle')}</h2>
          {cb.attemptList.length === 0 ? (
            <p className="empty">{t('callbacks.noAttempts')}</p>
          ) : (
            <ol className="attempts">
              {cb.attemptList.map((a, i) => (
                <li key={a.id} data-reached={a.reached}>
                  {t('callbacks.attemptOf', { n: i + 1 })} · {formatDateTime(a.at, i18n.language, true)} ·{' '}
                  {a.by?.displayName} · {a.reached ? t('callbacks.reached') : t('callbacks.notReached')}
                  {a.note && ` · ${a.note}`}
                </li>
              ))}
            </ol>
          )}
          {cb.status === 'open' ? (
            <>
              {cb.attemptList.length < cb.maxAttempts && (
                <AttemptForm id={id} left={cb.maxAttempts - cb.attemptList.length} onDone={update} />
              )}
              <OutcomeForm id={id} attempts={cb.attemptList.length} onDone={update} />
            </>
          ) : (
            <>
              <p className="ok" role="status">
                {t('callbacks.done', { outcome: cb.outcome ? t(`callbacks.outcomes.${cb.outcome}`) : '' })}
                {cb.rootCauseLabel && ` · ${causeLabel(cb.rootCauseLabel, i18n.language)}`}
                {cb.remedy && ` · ${cb.remedy}`}
              </p>
              {cb.complaint && (
                <p className="callback-complaint">
                  {t('callbacks.complaintOpened')} <Link to={`/tickets/${cb.complaint.id}`}>{cb.complaint.number}</Link>
                </p>
              )}
            </>
          )}
        </>
      )}
    </section>
  );
}

/** Supervisors: give the callback to a named agent of the callback team, or back to the queue. */
function AssignForm(props: { cb: CallbackDetail; onDone: (d: CallbackDetail) => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const people = useQuery({ queryKey: ['callback-assignees'], queryFn: () => callbacksApi.assignees() });
  const [to, setTo] = useState(props.cb.assignee?.id ?? '');
  const save = useMutation({
    mutationFn: () => callbacksApi.assign(props.cb.id, to || null),
    onSuccess: (d) => {
      void client.invalidateQueries({ queryKey: ['callback-assignees'] });
      props.onDone(d);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const current = props.cb.assignee?.id ?? '';
  return (
    <form className="assign-callback" onSubmit={submit} aria-label={t('callbacks.assignTitle')}>
      <label>
        {t('callbacks.assignee')}
        <select name="assignee" value={to} onChange={(e) => setTo(e.target.value)}>
          <option value="">{t('callbacks.nobody')}</option>
          {people.data?.items.map((p) => (
            <option key={p.id} value={p.id}>
              {t('callbacks.assigneeOption', { name: p.displayName, count: p.open })}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={save.isPending || to === current}>
        {!current ? t('callbacks.assign') : to ? t('callbacks.reassign') : t('callbacks.unassign')}
      </button>
      <ErrorText error={save.error ?? people.error} />
    </form>
  );
}

function AttemptForm(props: { id: string; left: number; onDone: (d: CallbackDetail) => void }) {
  const { t } = useTranslation();
  const [reached, setReached] = useState(true);
  const [note, setNote] = useState('');
  const save = useMutation({
    mutationFn: () => callbacksApi.attempt(props.id, { reached, note }),
    onSuccess: (d) => {
      setNote('');
      props.onDone(d);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form className="attempt-form" onSubmit={submit} aria-label={t('callbacks.addAttempt')}>
      <fieldset>
        <legend>
          {t('callbacks.addAttempt')} <span className="muted">({t('callbacks.attemptsLeft', { n: props.left })})</span>
        </legend>
        <label className="check">
          <input type="radio" name="reached" checked={reached} onChange={() => setReached(true)} />{' '}
          {t('callbacks.reached')}
        </label>
        <label className="check">
          <input type="radio" name="reached" checked={!reached} onChange={() => setReached(false)} />{' '}
          {t('callbacks.notReached')}
        </label>
        <label>
          {t('callbacks.note')}
          <input name="note" value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
        </label>
        <button type="submit" disabled={save.isPending}>
          {t('callbacks.addAttempt')}
        </button>
        <ErrorText error={save.error} />
      </fieldset>
    </form>
  );
}

function OutcomeForm(props: { id: string; attempts: number; onDone: (d: CallbackDetail) => void }) {
  const { t, i18n } = useTranslation();
  const causes = useQuery({ queryKey: ['root-causes'], queryFn: () => callbacksApi.rootCauses() });
  const [rootCause, setRootCause] = useState('');
  const [remedy, setRemedy] = useState('');
  const [notes, setNotes] = useState('');
  const [outcome, setOutcome] = useState<(typeof CALLBACK_OUTCOMES)[number]>('resolved');
  const save = useMutation({
    mutationFn: () => {
      if (!rootCause) throw new Error(t('callbacks.chooseRootCause'));
      return callbacksApi.outcome(props.id, { rootCause, remedy, outcome, notes });
    },
    onSuccess: props.onDone,
  });
  const { reset } = save;
  // A refusal (e.g. not reached yet) no longer stands once another attempt is recorded.
  useEffect(() => reset(), [props.attempts, reset]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const complaint = outcome === 'complaint_opened';
  return (
    <form className="outcome-form" onSubmit={submit} aria-label={t('callbacks.outcomeTitle')}>
      <fieldset>
        <legend>{t('callbacks.outcomeTitle')}</legend>
        <ErrorText error={causes.error} />
        <label>
          {t('callbacks.rootCause')}
          <select name="rootCause" value={rootCause} required onChange={(e) => setRootCause(e.target.value)}>
            <option value="">{t('callbacks.chooseRootCause')}</option>
            {causes.data?.items.map((c) => (
              <option key={c.code} value={c.code}>
                {causeLabel(c, i18n.language)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('callbacks.remedy')}
          <textarea
            name="remedy"
            value={remedy}
            required
            maxLength={2000}
            onChange={(e) => setRemedy(e.target.value)}
          />
        </label>
        <label>
          {t('callbacks.outcome')}
          <select
            name="outcome"
            value={outcome}
            onChange={(e) => setOutcome(e.target.value as (typeof CALLBACK_OUTCOMES)[number])}
          >
            {CALLBACK_OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {t(`callbacks.outcomes.${o}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {complaint ? t('callbacks.complaintNotes') : t('callbacks.notes')}
          <textarea
            name="notes"
            value={notes}
            required={complaint}
            maxLength={4000}
            placeholder={complaint ? t('callbacks.complaintNotesHint') : undefined}
            onChange={(e) => setNotes(e.target.value)}
          />
        </label>
        <button type="submit" className="primary" disabled={save.isPending}>
          {complaint ? t('callbacks.saveAndOpenComplaint') : t('callbacks.saveOutcome')}
        </button>
        <ErrorText error={save.error} />
      </fieldset>
    </form>
  );
}
