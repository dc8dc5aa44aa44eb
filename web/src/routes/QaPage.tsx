import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { qaApi, type QaCoaching, type QaReviewSummary, type QaSampleDetail } from '../api/qa';
import CalibrationsSection from '../admin/CalibrationsSection';
import { ErrorText } from '../components/ErrorText';
import { labelOf, ScoringForm, type ScoringInput } from '../features/quality/ScoringForm';
import { useNow } from '../features/tickets/useNow';
import { formatDateTime, formatDuration } from '../i18n';
import './qa.css';

/** QA inspectors: my samples, and the scoring form of one. */
export function QaSamplesPage() {
  const { id } = useParams();
  return id ? <ScoreSample id={id} /> : <SampleList />;
}

function SampleList() {
  const { t } = useTranslation();
  const [view, setView] = useState<'open' | 'reviewed' | 'calibration'>('open');
  const status = view === 'calibration' ? 'open' : view;
  const list = useInfiniteQuery({
    queryKey: ['qa', 'samples', status],
    enabled: view !== 'calibration',
    queryFn: ({ pageParam }) => qaApi.samples(status, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="qa">
      <h1>{t('qa.samplesTitle')}</h1>
      <p className="muted">{t('qa.samplesIntro')}</p>
      <p>
        {(['open', 'reviewed', 'calibration'] as const).map((s) => (
          <button
            key={s}
            type="button"
            data-view={s}
            className={s === view ? 'primary' : undefined}
            onClick={() => setView(s)}
          >
            {t(`qa.${s}`)}
          </button>
        ))}
      </p>
      {view === 'calibration' && <CalibrationsSection />}
      {view !== 'calibration' && (
        <>
          <ErrorText error={list.error} />
          <table>
            <thead>
              <tr>
                <th>{t('qa.ticket')}</th>
                <th>{t('qa.agent')}</th>
                <th>{t('qa.stratum')}</th>
                <th>{t('qa.day')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((s) => (
                <tr key={s.id} data-sample={s.id}>
                  <td>
                    {s.status === 'open' ? (
                      <Link to={`/qa/samples/${s.id}`}>
                        {s.ticket.number} · {s.ticket.subject}
                      </Link>
                    ) : (
                      `${s.ticket.number} · ${s.ticket.subject}`
                    )}
                  </td>
                  <td>{s.agent?.displayName ?? '—'}</td>
                  <td>{t(`qa.strata.${s.stratum}`)}</td>
                  <td>{s.runDay}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {rows.length === 0 && !list.isLoading && <p className="muted">{t('qa.empty')}</p>}
          {list.hasNextPage && (
            <button type="button" onClick={() => void list.fetchNextPage()}>
              {t('qa.more')}
            </button>
          )}
        </>
      )}
    </section>
  );
}

function ScoreSample({ id }: { id: string }) {
  const { t } = useTranslation();
  const detail = useQuery({ queryKey: ['qa', 'sample', id], queryFn: () => qaApi.sample(id) });
  return (
    <section className="qa">
      <p>
        <Link to="/qa/samples">{t('qa.back')}</Link>
      </p>
      <ErrorText error={detail.error} />
      {detail.data && <ScoringSample detail={detail.data} />}
    </section>
  );
}

function ScoringSample({ detail }: { detail: QaSampleDetail }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const submit = useMutation({
    mutationFn: (input: ScoringInput) => qaApi.review(detail.sample.id, input),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['qa'] }),
  });
  return (
    <>
      <h1>
        {detail.sample.ticket.number} · {detail.sample.ticket.subject}
      </h1>
      <p>
        {detail.sample.agent?.displayName} · {t(`qa.strata.${detail.sample.stratum}`)} ·{' '}
        <Link to={`/tickets/${detail.sample.ticket.id}`} target="_blank">
          {t('qa.openTicket')}
        </Link>
      </p>
      <ScoringForm
        card={detail.scorecard}
        passMark={detail.passMark}
        submitLabel={t('qa.submit')}
        pending={submit.isPending}
        error={submit.error}
        done={submit.data}
        onSubmit={(input) => submit.mutate(input)}
      />
    </>
  );
}

/** Agents and experts: the reviews of my work, to acknowledge or dispute, and my coaching. */
export function QaMyReviewsPage() {
  const { t, i18n } = useTranslation();
  const list = useInfiniteQuery({
    queryKey: ['qa', 'mine'],
    queryFn: ({ pageParam }) => qaApi.myReviews(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const coaching = useQuery({ queryKey: ['qa', 'coaching'], queryFn: qaApi.myCoaching });
  const client = useQueryClient();
  const ackCoaching = useMutation({
    mutationFn: qaApi.acknowledgeCoaching,
    onSuccess: () => void client.invalidateQueries({ queryKey: ['qa'] }),
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="qa">
      <h1>{t('qa.mineTitle')}</h1>
      <p className="muted">{t('qa.mineIntro')}</p>
      <ErrorText error={list.error} />
      <table>
        <thead>
          <tr>
            <th>{t('qa.ticket')}</th>
            <th>{t('qa.score')}</th>
            <th>{t('qa.respondBy')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <ReviewRow key={r.id} review={r} />
          ))}
        </tbody>
      </table>
      {rows.length === 0 && !list.isLoading && <p className="muted">{t('qa.empty')}</p>}
      {list.hasNextPage && (
        <button type="button" onClick={() => void list.fetchNextPage()}>
          {t('qa.more')}
        </button>
      )}
      {(coaching.data?.items.length ?? 0) > 0 && <h2>{t('qa.coachingTitle')}</h2>}
      <ErrorText error={ackCoaching.error} />
      <ul>
        {coaching.data?.items.map((c) => (
          <li key={c.id}>
            {c.ticket.number} · {c.score} · {t('qa.coachingDue', { due: formatDateTime(c.dueAt, i18n.language, true) })}
            {c.note && <> · {t('qa.coachingNote', { note: c.note })}</>}
            {c.abilities.includes('acknowledge') && (
              <button type="button" onClick={() => ackCoaching.mutate(c.id)}>
                {t('qa.acknowledgeCoaching')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function ReviewRow({ review }: { review: QaReviewSummary }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [disputing, setDisputing] = useState(false);
  const [reason, setReason] = useState('');
  const done = () => void client.invalidateQueries({ queryKey: ['qa'] });
  const ack = useMutation({ mutationFn: () => qaApi.acknowledge(review.id), onSuccess: done });
  const dispute = useMutation({ mutationFn: () => qaApi.dispute(review.id, reason), onSuccess: done });
  return (
    <tr data-review={review.id}>
      <td>
        {review.ticket.number} · {review.ticket.subject}
      </td>
      <td className={review.passed ? undefined : 'error'}>
        {review.finalScore} · {t(`qa.status.${review.status}`)}
        {review.decision && <> · {t(`qa.decision.${review.decision}`)}</>}
      </td>
      <td>{review.respondBy ? formatDateTime(review.respondBy, i18n.language, true) : '—'}</td>
      <td>
        {review.abilities.includes('acknowledge') && (
          <button type="button" onClick={() => ack.mutate()}>
            {t('qa.acknowledge')}
          </button>
        )}
        {review.abilities.includes('dispute') && !disputing && (
          <button type="button" onClick={() => setDisputing(true)}>
            {t('qa.dispute')}
          </button>
        )}
        {disputing && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              dispute.mutate();
            }}
          >
            <textarea
              aria-label={t('qa.disputeReason')}
              placeholder={t('qa.disputeReason')}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              rows={2}
            />
            <button type="submit" className="primary" disabled={dispute.isPending || !reason.trim()}>
              {t('qa.sendDispute')}
            </button>
          </form>
        )}
        <ErrorText error={ack.error ?? dispute.error} />
      </td>
    </tr>
  );
}

/** Supervisors: scores by agent and item, disputes to decide (with the decision form) and coaching with its 24-hour clock. */
export function QaOverviewPage() {
  const { t, i18n } = useTranslation();
  const overview = useQuery({ queryKey: ['qa', 'overview'], queryFn: qaApi.overview });
  const now = useNow(30_000);
  const o = overview.data;
  const overdueCoaching = o?.coaching.filter((c) => c.status === 'open' && Date.parse(c.dueAt) < now).length ?? 0;
  return (
    <section className="qa qa-overview">
      <h1>{t('qa.overviewTitle')}</h1>
      <ErrorText error={overview.error} />
      {o && (
        <>
          <p className="muted">
            {o.from} – {o.to} · {t('qa.passMark', { mark: o.passMark })}
          </p>
          <div className="qa-tiles">
            <div className="qa-tile">
              <span className="muted">{t('qa.reviews')}</span>
              <strong>{o.agents.reduce((n, a) => n + a.reviews, 0)}</strong>
            </div>
            <div className="qa-tile" data-tile="disputes">
              <span className="muted">{t('qa.openDisputes')}</span>
              <strong>{o.openDisputes.length}</strong>
            </div>
            <div className={`qa-tile${overdueCoaching > 0 ? ' bad' : ''}`} data-tile="coaching-overdue">
              <span className="muted">{t('qa.coachingOverdue')}</span>
              <strong>{overdueCoaching}</strong>
            </div>
          </div>
          <div className="qa-panels">
            <section className="panel">
              <h2>{t('qa.openDisputes')}</h2>
              {o.openDisputes.length === 0 ? (
                <p className="empty">{t('qa.noDisputes')}</p>
              ) : (
                <table className="qa-disputes">
                  <thead>
                    <tr>
                      <th>{t('qa.ticket')}</th>
                      <th>{t('qa.agent')}</th>
                      <th className="num">{t('qa.score')}</th>
                      <th>{t('qa.decideBy')}</th>
                      <th />
                    </tr>
                  </thead>
                  <tbody>
                    {o.openDisputes.map((r) => (
                      <DisputeRow key={r.id} review={r} now={now} passMark={o.passMark} />
                    ))}
                  </tbody>
                </table>
              )}
            </section>
            <section className="panel">
              <h2>{t('qa.coaching')}</h2>
              <p className="muted">{t('qa.coachingIntro')}</p>
              {o.coaching.length === 0 ? (
                <p className="empty">{t('qa.noCoaching')}</p>
              ) : (
                <table className="qa-coaching">
                  <thead>
                    <tr>
                      <th>{t('qa.ticket')}</th>
                      <th>{t('qa.agent')}</th>
                      <th className="num">{t('qa.score')}</th>
                      <th>{t('qa.coachingClock')}</th>
                      <th />
                    </tr>
                  </thead>
                  <tbody>
                    {o.coaching.map((c) => (
                      <CoachingRow key={c.id} coaching={c} now={now} />
                    ))}
                  </tbody>
                </table>
              )}
            </section>
          </div>
          <div className="qa-panels">
            <section className="panel">
              <h2>{t('qa.byAgent')}</h2>
              <table>
                <thead>
                  <tr>
                    <th>{t('qa.agent')}</th>
                    <th className="num">{t('qa.reviews')}</th>
                    <th className="num">{t('qa.average')}</th>
                    <th className="num">{t('qa.passRate')}</th>
                    <th className="num">{t('qa.disputes')}</th>
                  </tr>
                </thead>
                <tbody>
                  {o.agents.map((a) => (
                    <tr key={a.agent?.id}>
                      <td>{a.agent?.displayName}</td>
                      <td className="num">{a.reviews}</td>
                      <td className={`num${a.averageScore < o.passMark ? ' below' : ''}`}>{a.averageScore}</td>
                      <td className="num">{a.passRate} %</td>
                      <td className="num">{a.disputes}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section className="panel">
              <h2>{t('qa.items')}</h2>
              <table>
                <tbody>
                  {o.items.map((i) => (
                    <tr key={i.itemId}>
                      <td>{labelOf(i.label, i18n.language)}</td>
                      <td className="qa-bar-cell">
                        <span className="qa-bar" style={{ width: `${Math.max(0, Math.min(100, i.averageScore))}%` }} />
                      </td>
                      <td className="num">{i.averageScore}</td>
                      <td className="num muted">{i.reviews}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          </div>
        </>
      )}
    </section>
  );
}

/** Time left to a deadline, or how long past it, moving with `now`. */
function Clock({ due, now, done = false }: { due: string | null; now: number; done?: boolean }) {
  const { t, i18n } = useTranslation();
  if (!due) return <>—</>;
  const left = Date.parse(due) - now;
  const time = formatDuration(left, i18n.language);
  return (
    <span
      className={`qa-clock${done ? '' : left < 0 ? ' overdue' : left < 4 * 3_600_000 ? ' soon' : ''}`}
      title={formatDateTime(due, i18n.language)}
    >
      {formatDateTime(due, i18n.language, true)}
      {!done && (
        <>
          {' · '}
          {left < 0 ? <strong>{t('qa.overdueBy', { time })}</strong> : t('qa.timeLeft', { time })}
        </>
      )}
    </span>
  );
}

function DisputeRow({ review, now, passMark }: { review: QaReviewSummary; now: number; passMark: number }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <tr data-dispute={review.id} className={open ? 'selected' : undefined}>
        <td>
          <Link to={`/tickets/${review.ticket.id}`}>{review.ticket.number}</Link>
          <div className="muted small">{review.ticket.subject}</div>
        </td>
        <td>
          {review.agent?.displayName}
          <div className="muted small">{t('qa.inspectedBy', { name: review.inspector?.displayName ?? '—' })}</div>
        </td>
        <td className={`num${review.passed ? '' : ' below'}`}>{review.finalScore}</td>
        <td>
          <Clock due={review.decideBy} now={now} />
        </td>
        <td>
          {review.abilities.includes('decide') && !open && (
            <button type="button" data-action="open-decision" onClick={() => setOpen(true)}>
              {t('qa.decide')}
            </button>
          )}
        </td>
      </tr>
      {open && (
        <tr className="qa-expand">
          <td colSpan={5}>
            <DecisionForm id={review.id} passMark={passMark} onCancel={() => setOpen(false)} />
          </td>
        </tr>
      )}
    </>
  );
}

function DecisionForm({ id, passMark, onCancel }: { id: string; passMark: number; onCancel: () => void }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const review = useQuery({ queryKey: ['qa', 'review', id], queryFn: () => qaApi.get(id) });
  const [decision, setDecision] = useState<'accept' | 'partly' | 'reject'>('partly');
  const [adjusted, setAdjusted] = useState('');
  const [comment, setComment] = useState('');
  const decide = useMutation({
    mutationFn: () =>
      qaApi.decide(id, {
        decision,
        adjustedScore: decision === 'reject' || adjusted.trim() === '' ? null : Number(adjusted),
        comment,
      }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['qa'] }),
  });
  const r = review.data;
  if (!r) return <ErrorText error={review.error} />;
  const cardItems = new Map(r.scorecard.definition.sections.flatMap((s) => s.items).map((i) => [i.id, i]));
  const label = (id: string) => {
    const item = cardItems.get(id);
    return item ? labelOf(item.label, i18n.language) : id;
  };
  // What the agent lost points on (a bonus not earned is no loss), and every item with a comment.
  const lost = r.items.filter((i) => i.comment || (i.normalised < 100 && cardItems.get(i.itemId)?.kind !== 'bonus'));
  return (
    <form
      className="qa-decision"
      onSubmit={(e) => {
        e.preventDefault();
        decide.mutate();
      }}
    >
      <div className="qa-decision-facts">
        <p>
          <strong>{t('qa.disputeReason')}:</strong> {r.disputeComment}
        </p>
        {r.comment && (
          <p>
            <strong>{t('qa.inspectorComment')}:</strong> {r.comment}
          </p>
        )}
        <ul className="qa-scored">
          {lost.map((i) => (
            <li key={i.itemId} className={i.criticalFailed ? 'critical-failed' : undefined}>
              {label(i.itemId)}: {i.normalised}
              {i.comment && <span className="muted"> — {i.comment}</span>}
            </li>
          ))}
        </ul>
      </div>
      <fieldset className="qa-decision-choice">
        <legend>{t('qa.decision.title')}</legend>
        {(['accept', 'partly', 'reject'] as const).map((d) => (
          <label key={d} className="check">
            <input type="radio" name="decision" value={d} checked={decision === d} onChange={() => setDecision(d)} />{' '}
            {t(`qa.decision.${d}`)}
          </label>
        ))}
      </fieldset>
      {decision !== 'reject' && (
        <label>
          {t('qa.adjusted')}{' '}
          <span className="muted">
            {decision === 'accept'
              ? t('qa.adjustedAccept', { mark: passMark })
              : t('qa.adjustedPartly', { score: r.score })}
          </span>
          <input
            type="number"
            name="adjustedScore"
            min={0}
            max={100}
            step={0.1}
            value={adjusted}
            onChange={(e) => setAdjusted(e.target.value)}
            required
          />
        </label>
      )}
      <label>
        {t('qa.decisionComment')}
        <textarea name="decisionComment" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />
      </label>
      <ErrorText error={decide.error} />
      <div className="qa-actions">
        <button type="submit" className="primary" disabled={decide.isPending || !comment.trim()}>
          {t('qa.sendDecision')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('qa.cancel')}
        </button>
      </div>
    </form>
  );
}

function CoachingRow({ coaching: c, now }: { coaching: QaCoaching; now: number }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const record = useMutation({
    mutationFn: () => qaApi.recordCoaching(c.id, note),
    onSuccess: () => {
      setOpen(false);
      void client.invalidateQueries({ queryKey: ['qa'] });
    },
  });
  const overdue = c.status === 'open' && (c.overdue || Date.parse(c.dueAt) < now);
  return (
    <>
      <tr data-coaching={c.id} className={overdue ? 'overdue' : undefined}>
        <td>
          <Link to={`/tickets/${c.ticket.id}`}>{c.ticket.number}</Link>
          <div className="muted small">{c.ticket.subject}</div>
        </td>
        <td>
          {c.agent?.displayName}
          {c.coach && <div className="muted small">{t('qa.coachName', { name: c.coach.displayName })}</div>}
        </td>
        <td className="num below">{c.score}</td>
        <td>
          <Clock due={c.dueAt} now={now} done={c.status !== 'open'} />
          {overdue && <span className="qa-flag">{t('qa.overdue')}</span>}
          {c.status === 'coached' && <div className="muted small">{t('qa.awaitingAck')}</div>}
        </td>
        <td>
          {c.abilities.includes('record') && !open && (
            <button type="button" data-action="open-coaching" onClick={() => setOpen(true)}>
              {t('qa.record')}
            </button>
          )}
        </td>
      </tr>
      {open && (
        <tr className="qa-expand">
          <td colSpan={5}>
            <form
              className="qa-coaching-form"
              onSubmit={(e) => {
                e.preventDefault();
                record.mutate();
              }}
            >
              <label>
                {t('qa.coachingNoteLabel')}
                <textarea name="coachingNote" rows={3} value={note} onChange={(e) => setNote(e.target.value)} />
              </label>
              <ErrorText error={record.error} />
              <div className="qa-actions">
                <button type="submit" className="primary" disabled={record.isPending || !note.trim()}>
                  {t('qa.saveCoaching')}
                </button>
                <button type="button" onClick={() => setOpen(false)}>
                  {t('qa.cancel')}
                </button>
              </div>
            </form>
          </td>
        </tr>
      )}
    </>
  );
}
