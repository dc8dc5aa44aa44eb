import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { qaApi, type QaReviewSummary, type QaSampleDetail } from '../api/qa';
import { ErrorText } from '../components/ErrorText';
import { labelOf, ScoringForm, type ScoringInput } from '../features/quality/ScoringForm';
import { formatDateTime } from '../i18n';

/** QA inspectors: my samples, and the scoring form of one. */
export function QaSamplesPage() {
  const { id } = useParams();
  return id ? <ScoreSample id={id} /> : <SampleList />;
}

function SampleList() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<'open' | 'reviewed'>('open');
  const list = useInfiniteQuery({
    queryKey: ['qa', 'samples', status],
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
        {(['open', 'reviewed'] as const).map((s) => (
          <button key={s} type="button" className={s === status ? 'primary' : undefined} onClick={() => setStatus(s)}>
            {t(`qa.${s}`)}
          </button>
        ))}
      </p>
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

/** Supervisors: scores by agent and item, disputes to decide, open coaching. */
export function QaOverviewPage() {
  const { t, i18n } = useTranslation();
  const overview = useQuery({ queryKey: ['qa', 'overview'], queryFn: qaApi.overview });
  const o = overview.data;
  return (
    <section className="qa">
      <h1>{t('qa.overviewTitle')}</h1>
      <ErrorText error={overview.error} />
      {o && (
        <>
          <p className="muted">
            {o.from} – {o.to} · {t('qa.passMark', { mark: o.passMark })}
          </p>
          <table>
            <thead>
              <tr>
                <th>{t('qa.agent')}</th>
                <th>{t('qa.reviews')}</th>
                <th>{t('qa.average')}</th>
                <th>{t('qa.passRate')}</th>
                <th>{t('qa.disputes')}</th>
              </tr>
            </thead>
            <tbody>
              {o.agents.map((a) => (
                <tr key={a.agent?.id}>
                  <td>{a.agent?.displayName}</td>
                  <td className="num">{a.reviews}</td>
                  <td className="num">{a.averageScore}</td>
                  <td className="num">{a.passRate} %</td>
                  <td className="num">{a.disputes}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>{t('qa.items')}</h2>
          <table>
            <tbody>
              {o.items.map((i) => (
                <tr key={i.itemId}>
                  <td>{labelOf(i.label, i18n.language)}</td>
                  <td className="num">{i.averageScore}</td>
                  <td className="num muted">{i.reviews}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>{t('qa.openDisputes')}</h2>
          <table>
            <tbody>
              {o.openDisputes.map((r) => (
                <tr key={r.id}>
                  <td>
                    {r.ticket.number} · {r.agent?.displayName}
                  </td>
                  <td className="num">{r.finalScore}</td>
                  <td>
                    {t('qa.decideBy')} {r.decideBy ? formatDateTime(r.decideBy, i18n.language, true) : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>{t('qa.coaching')}</h2>
          <table>
            <tbody>
              {o.coaching.map((c) => (
                <tr key={c.id}>
                  <td>
                    {c.ticket.number} · {c.agent?.displayName}
                  </td>
                  <td className={c.overdue ? 'error' : undefined}>
                    {formatDateTime(c.dueAt, i18n.language, true)} {c.overdue && t('qa.overdue')}
                  </td>
                  <td>{c.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
