import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { deskApi } from '../api/desk';
import { qaApi, type QaCalibration } from '../api/qa';
import { ErrorText } from '../components/ErrorText';
import { labelOf, ScoringForm, type ScoringInput } from '../features/quality/ScoringForm';
import './admin-directory.css';
import './admin-quality.css';
import '../features/quality/scoring.css';

/** An item whose scores lie this many points (0–100) apart or more is marked as a disagreement. */
export const WIDE_SPREAD = 20;

/**
 * Calibration sessions (校准): several inspectors score the same ticket on one scorecard version;
 * the spread per item (lowest, highest, range, mean) shows where they disagree. Calibration
 * scores never count toward the agent's results.
 */
export default function CalibrationsSection() {
  const { t } = useTranslation();
  const list = useQuery({ queryKey: ['admin', 'calibrations'], queryFn: qaApi.calibrations });
  const [chosen, setChosen] = useState<string | null>(null);
  const sessions = list.data?.items ?? [];
  const selected = chosen ?? sessions[0]?.id ?? null;
  return (
    <div className="dir-section calibrations-section">
      <h2>{t('qaAdmin.calibrations.title')}</h2>
      <p className="muted intro">{t('qaAdmin.calibrations.intro', { wide: WIDE_SPREAD })}</p>
      <ErrorText error={list.error} />
      <div className="qa-admin-grid">
        <section className="panel">
          <NewSession onCreated={setChosen} />
          <table className="calibration-list">
            <thead>
              <tr>
                <th>{t('qaAdmin.calibrations.session')}</th>
                <th>{t('qaAdmin.calibrations.status')}</th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((c) => (
                <tr
                  key={c.id}
                  data-calibration={c.title}
                  className={c.id === selected ? 'selected' : undefined}
                  onClick={() => setChosen(c.id)}
                >
                  <td>
                    <button type="button" className="link" onClick={() => setChosen(c.id)}>
                      {c.title}
                    </button>
                    <div className="muted small">
                      {c.ticket.number} · v{c.scorecard.version}
                    </div>
                  </td>
                  <td>
                    <span className={`dir-badge ${c.status === 'open' ? 'on' : ''}`}>
                      {t(`qaAdmin.calibrations.${c.status}`)}
                    </span>{' '}
                    {c.scoredByMe && <span className="dir-badge">{t('qaAdmin.calibrations.scoredByMe')}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {list.isPending && <p className="loading">{t('list.loading')}</p>}
          {list.data?.items.length === 0 && <p className="empty">{t('qaAdmin.calibrations.empty')}</p>}
        </section>
        <section className="panel">{selected && <Session key={selected} id={selected} />}</section>
      </div>
    </div>
  );
}

/** A session on a ticket named by its number. */
function NewSession({ onCreated }: { onCreated: (id: string) => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [number, setNumber] = useState('');
  const [title, setTitle] = useState('');
  const create = useMutation({
    mutationFn: async () => {
      const found = await deskApi.tickets({ q: number.trim(), limit: 5 });
      const ticket = found.items.find((x) => x.number === number.trim());
      if (!ticket) throw new ApiError(404, 'qa_admin.no_ticket', t('qaAdmin.calibrations.noTicket'));
      return qaApi.createCalibration({ ticketId: ticket.id, title });
    },
    onSuccess: (c) => {
      setNumber('');
      setTitle('');
      onCreated(c.id);
      void client.invalidateQueries({ queryKey: ['admin', 'calibrations'] });
    },
  });
  return (
    <form
      className="dir-form new-calibration"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        create.mutate();
      }}
    >
      <label>
        {t('qaAdmin.calibrations.ticketNumber')}
        <input name="ticketNumber" value={number} onChange={(e) => setNumber(e.target.value)} required />
      </label>
      <label>
        {t('qaAdmin.calibrations.titleField')}
        <input name="title" value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} />
      </label>
      <div className="wide dir-actions">
        <button type="submit" className="primary" disabled={create.isPending}>
          {t('qaAdmin.calibrations.start')}
        </button>
      </div>
      <div className="wide">
        <ErrorText error={create.error} />
      </div>
    </form>
  );
}

function Session({ id }: { id: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const session = useQuery({ queryKey: ['admin', 'calibration', id], queryFn: () => qaApi.calibration(id) });
  const passMark = useQuery({ queryKey: ['admin', 'scorecards'], queryFn: qaApi.scorecards }).data?.passMark ?? 80;
  const refresh = () => void client.invalidateQueries({ queryKey: ['admin'] });
  const score = useMutation({
    mutationFn: (input: ScoringInput) => qaApi.scoreCalibration(id, input),
    onSuccess: refresh,
  });
  const close = useMutation({ mutationFn: () => qaApi.closeCalibration(id), onSuccess: refresh });
  const c = session.data;
  if (!c) return <ErrorText error={session.error} />;
  return (
    <div className="calibration" data-status={c.status}>
      <h3>
        {c.title}{' '}
        <span className={`dir-badge ${c.status === 'open' ? 'on' : ''}`}>{t(`qaAdmin.calibrations.${c.status}`)}</span>
      </h3>
      <p className="muted">
        {c.ticket.number} · {c.ticket.subject} ·{' '}
        {t('qa.scorecard', { version: c.scorecard.version, name: c.scorecard.name })}
      </p>
      <SpreadTable c={c} />
      {c.status === 'open' && (
        <div className="dir-actions">
          <button
            type="button"
            data-action="close-calibration"
            disabled={close.isPending}
            onClick={() => close.mutate()}
          >
            {t('qaAdmin.calibrations.close')}
          </button>
          <span className="muted">{t('qaAdmin.calibrations.closeHint')}</span>
        </div>
      )}
      <ErrorText error={close.error} />
      {c.status === 'open' && !c.scoredByMe && (
        <>
          <h4>{t('qaAdmin.calibrations.myScore')}</h4>
          <ScoringForm
            card={c.scorecard}
            passMark={passMark}
            submitLabel={t('qaAdmin.calibrations.submit')}
            pending={score.isPending}
            error={score.error}
            done={undefined}
            onSubmit={(input) => score.mutate(input)}
          />
        </>
      )}
    </div>
  );
}

/** Per item: each inspector's normalised score, then lowest, highest, range and mean. */
function SpreadTable({ c }: { c: QaCalibration }) {
  const { t, i18n } = useTranslation();
  if (c.reviews.length === 0) return <p className="empty">{t('qaAdmin.calibrations.noScores')}</p>;
  const spread = new Map(c.spread.items.map((s) => [s.itemId, s]));
  const items = c.scorecard.definition.sections.flatMap((s) => s.items);
  const cell = (r: QaCalibration['reviews'][number], itemId: string) =>
    r.items.find((i) => i.itemId === itemId)?.normalised ?? '—';
  return (
    <div className="spread-scroll">
      <table className="spread">
        <thead>
          <tr>
            <th>{t('qaAdmin.scorecards.item')}</th>
            {c.reviews.map((r) => (
              <th key={r.inspector?.id} className="num">
                {r.inspector?.displayName}
              </th>
            ))}
            <th className="num">{t('qaAdmin.calibrations.min')}</th>
            <th className="num">{t('qaAdmin.calibrations.max')}</th>
            <th className="num">{t('qaAdmin.calibrations.range')}</th>
            <th className="num">{t('qaAdmin.calibrations.mean')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => {
            const s = spread.get(item.id);
            const wide = (s?.range ?? 0) >= WIDE_SPREAD;
            return (
              <tr key={item.id} data-spread={item.id} className={wide ? 'wide' : undefined}>
                <td>
                  {labelOf(item.label, i18n.language)}
                  {wide && <span className="dir-badge off">{t('qaAdmin.calibrations.disagree')}</span>}
                </td>
                {c.reviews.map((r) => (
                  <td key={r.inspector?.id} className="num">
                    {cell(r, item.id)}
                  </td>
                ))}
                <td className="num">{s?.min ?? '—'}</td>
                <td className="num">{s?.max ?? '—'}</td>
                <td className="num range">{s?.range ?? '—'}</td>
                <td className="num">{s?.mean ?? '—'}</td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr data-spread="score">
            <th>{t('qaAdmin.calibrations.score')}</th>
            {c.reviews.map((r) => (
              <th key={r.inspector?.id} className="num">
                {r.score}
              </th>
            ))}
            <th className="num">{c.spread.score?.min}</th>
            <th className="num">{c.spread.score?.max}</th>
            <th className="num range">{c.spread.score?.range}</th>
            <th className="num">{c.spread.score?.mean}</th>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
