import { useQuery } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { kpiApi, type AppraisalParams, type AppraisalSheet, type Appraisals } from '../api/kpi';
import { ErrorText } from '../components/ErrorText';
import { useParamsUpdate } from '../components/useParamsUpdate';
import { TeamSelect } from '../features/tickets/TeamSelect';
import '../features/kpi/appraisal.css';

type Period = AppraisalParams['period'];
const PERIODS: Period[] = ['month', 'quarter', 'year'];
const COMPONENTS = [
  'satisfaction',
  'response_time',
  'resolution_rate',
  'handling_time',
  'complaint_rate',
  'qa_score',
] as const;

/** The keys of the last few periods, newest first (browser's calendar). */
export function recentKeys(period: Period, now = new Date()): string[] {
  const y = now.getFullYear();
  const m = now.getMonth();
  if (period === 'year') return Array.from({ length: 5 }, (_, i) => String(y - i));
  if (period === 'quarter')
    return Array.from({ length: 8 }, (_, i) => {
      const q = Math.floor(m / 3) - i;
      const year = y + Math.floor(q / 4);
      return `${year}-Q${(((q % 4) + 4) % 4) + 1}`;
    });
  return Array.from({ length: 12 }, (_, i) => {
    const d = new Date(y, m - i, 1);
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
  });
}

const fmt = (v: number | null, digits = 1) => (v === null ? '—' : v.toFixed(digits));

/** Supervisors: the team's ranked table with each agent's sheet; agents (`mine`): their own sheet. */
export default function AppraisalPage({ mine = false }: { mine?: boolean }) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const set = useParamsUpdate();
  const period = (PERIODS as string[]).includes(params.get('period') ?? '')
    ? (params.get('period') as Period)
    : 'month';
  const keys = recentKeys(period);
  const key = params.get('key') && keys.includes(params.get('key')!) ? params.get('key')! : keys[0]!;
  const teamId = params.get('team') ?? '';
  const [open, setOpen] = useState<string | null>(null);
  const data = useQuery({
    queryKey: ['kpi', 'appraisal', mine, period, key, teamId],
    queryFn: () =>
      mine ? kpiApi.myAppraisal({ period, key }) : kpiApi.appraisals({ period, key, ...(teamId ? { teamId } : {}) }),
  });
  const d = data.data;

  return (
    <div className="appraisal-page">
      <header className="appraisal-head">
        <h1>{mine ? t('appraisal.mine') : t('appraisal.title')}</h1>
        <form className="filters" onSubmit={(e) => e.preventDefault()}>
          <label>
            {t('appraisal.period')}{' '}
            <select value={period} onChange={(e) => set({ period: e.target.value, key: undefined })}>
              {PERIODS.map((p) => (
                <option key={p} value={p}>
                  {t(`appraisal.periods.${p}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('appraisal.key')}{' '}
            <select value={key} onChange={(e) => set({ key: e.target.value })}>
              {keys.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </label>
          {!mine && (
            <label>
              {t('appraisal.team')}{' '}
              <TeamSelect value={teamId} onChange={(team) => set({ team })} noneLabel={t('appraisal.myTeam')} />
            </label>
          )}
        </form>
        {d && (
          <p className="muted">
            {t('appraisal.days', { from: d.from, to: d.to })} · {t('appraisal.weights')}
            {COMPONENTS.filter((c) => (d.weights[c] ?? 0) > 0)
              .map((c) => `${t(`appraisal.components.${c}`)} ${d.weights[c]}%`)
              .join(' · ')}
          </p>
        )}
      </header>
      <ErrorText error={data.error} />
      {d && mine && d.sheets[0] && <Sheet sheet={d.sheets[0]} />}
      {d && !mine && <TeamTable data={d} open={open} setOpen={setOpen} />}
    </div>
  );
}

function TeamTable(props: { data: Appraisals; open: string | null; setOpen: (id: string | null) => void }) {
  const { t } = useTranslation();
  const { data, open, setOpen } = props;
  if (data.sheets.length === 0) return <p className="muted">{t('appraisal.empty')}</p>;
  const shown = COMPONENTS.filter((c) => (data.weights[c] ?? 0) > 0);
  return (
    <table className="appraisal-table">
      <thead>
        <tr>
          <th>{t('appraisal.rank')}</th>
          <th>{t('appraisal.agent')}</th>
          <th>{t('appraisal.score')}</th>
          {shown.map((c) => (
            <th key={c}>
              {t(`appraisal.components.${c}`)} <span className="muted">{data.weights[c]}%</span>
            </th>
          ))}
          <th />
        </tr>
      </thead>
      <tbody>
        {data.sheets.map((s) => (
          <Fragment key={s.agent.id}>
            <tr className={s.score === null ? 'no-score' : ''}>
              <td className="rank">{s.rank ?? '—'}</td>
              <td>{s.agent.displayName}</td>
              <td className="score">{s.score === null ? t('appraisal.noScore') : fmt(s.score)}</td>
              {shown.map((c) => (
                <td key={c} className="num">
                  {fmt(s.parts.find((p) => p.component === c)?.score ?? null)}
                </td>
              ))}
              <td>
                <button type="button" className="link" onClick={() => setOpen(open === s.agent.id ? null : s.agent.id)}>
                  {open === s.agent.id ? t('appraisal.hide') : t('appraisal.show')}
                </button>
              </td>
            </tr>
            {open === s.agent.id && (
              <tr className="sheet-row">
                <td colSpan={shown.length + 4}>
                  <Sheet sheet={s} />
                </td>
              </tr>
            )}
          </Fragment>
        ))}
      </tbody>
    </table>
  );
}

function basisText(
  part: AppraisalSheet['parts'][number],
  t: (k: string, o?: Record<string, unknown>) => string,
): string {
  const b = part.basis;
  if (b.value === null) return t('appraisal.noBasis');
  const value =
    part.component === 'satisfaction' || part.component === 'qa_score'
      ? b.value.toFixed(2)
      : `${(b.value * 100).toFixed(1)}%`;
  return t(`appraisal.bases.${part.component}`, {
    value,
    numerator: b.numerator === null ? '—' : Math.round(b.numerator * 10) / 10,
    denominator: b.denominator ?? '—',
  });
}

/** One agent's sheet: each component's basis, score, weight and points. */
function Sheet({ sheet }: { sheet: AppraisalSheet }) {
  const { t } = useTranslation();
  return (
    <section className="appraisal-sheet" aria-label={t('appraisal.sheet', { name: sheet.agent.displayName })}>
      <h2>
        {t('appraisal.sheet', { name: sheet.agent.displayName })}:{' '}
        <strong>{sheet.score === null ? t('appraisal.noScore') : fmt(sheet.score)}</strong>
      </h2>
      <table>
        <thead>
          <tr>
            <th>{t('appraisal.component')}</th>
            <th>{t('appraisal.basis')}</th>
            <th>{t('appraisal.componentScore')}</th>
            <th>{t('appraisal.weight')}</th>
            <th>{t('appraisal.effectiveWeight')}</th>
            <th>{t('appraisal.points')}</th>
          </tr>
        </thead>
        <tbody>
          {sheet.parts.map((p) => (
            <tr key={p.component} className={p.score === null ? 'no-score' : ''}>
              <td>{t(`appraisal.components.${p.component}`)}</td>
              <td>{basisText(p, t)}</td>
              <td className="num">{fmt(p.score)}</td>
              <td className="num">{p.weight}%</td>
              <td className="num">{p.effectiveWeight.toFixed(1)}%</td>
              <td className="num">{p.points.toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {sheet.redistributed.length > 0 && (
        <p className="muted">
          {t('appraisal.redistributed', {
            list: sheet.redistributed.map((c) => t(`appraisal.components.${c}`)).join(t('appraisal.listSep')),
          })}
        </p>
      )}
    </section>
  );
}
