import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../i18n';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { kpiApi, type Dashboard, type KpiTile } from '../api/kpi';
import { ErrorText } from '../components/ErrorText';
import { useParamsUpdate } from '../components/useParamsUpdate';
import { Chart, type ChartOption } from '../features/kpi/Chart';
import { ExportButtons } from '../features/kpi/ExportButtons';
import { MyReportSchedules, ScheduleReportButton } from '../features/kpi/ReportSchedules';
import { TeamSelect } from '../features/tickets/TeamSelect';
import '../features/kpi/kpi.css';

const DIMS = ['team', 'agent', 'type', 'category', 'channel', 'region'] as const;
type Dim = (typeof DIMS)[number];

/** The queue page's address listing the tickets behind a figure. */
export const drillHref = (drill: Record<string, string>) => `/?${new URLSearchParams({ drill: '1', ...drill })}`;

export default function DashboardPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  // Without a period in the address the server picks the last 30 days in the installation's time
  // zone (the browser's day may be another); the inputs then show the period it answered for.
  const asked = params.get('from') && params.get('to') ? { from: params.get('from')!, to: params.get('to')! } : {};
  const granularity = (params.get('by') ?? 'day') as 'day' | 'week' | 'month';
  const teamId = params.get('team') ?? '';
  const [dim, setDim] = useState<Dim>('team');
  const set = useParamsUpdate();
  const dashboard = useQuery({
    queryKey: ['kpi', 'dashboard', asked.from, asked.to, granularity, teamId],
    queryFn: () => kpiApi.dashboard({ ...asked, granularity, ...(teamId ? { teamId } : {}) }),
  });
  const d = dashboard.data;
  const from = asked.from ?? d?.from ?? '';
  const to = asked.to ?? d?.to ?? '';
  const en = i18n.language.startsWith('en');

  return (
    <div className="kpi-dashboard">
      <header className="kpi-head">
        <h1>{t('kpi.title')}</h1>
        <form className="filters" onSubmit={(e) => e.preventDefault()}>
          <label>
            {t('kpi.from')}{' '}
            <input type="date" value={from} max={to} onChange={(e) => set({ from: e.target.value, to })} />
          </label>
          <label>
            {t('kpi.to')}{' '}
            <input type="date" value={to} min={from} onChange={(e) => set({ from, to: e.target.value })} />
          </label>
          <label>
            {t('kpi.granularity')}{' '}
            <select value={granularity} onChange={(e) => set({ by: e.target.value })}>
              {(['day', 'week', 'month'] as const).map((g) => (
                <option key={g} value={g}>
                  {t(`kpi.granularities.${g}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('kpi.team')}{' '}
            <TeamSelect value={teamId} onChange={(team) => set({ team })} noneLabel={t('kpi.anyTeam')} />
          </label>
        </form>
        {d && (
          <p className="muted facts-as-of">
            {d.factsAsOf ? t('kpi.factsAsOf', { at: formatDateTime(d.factsAsOf, i18n.language) }) : t('kpi.factsNever')}
          </p>
        )}
        {from && to && (
          <ExportButtons kind="dashboard" query={{ from, to, granularity, ...(teamId ? { teamId } : {}) }} />
        )}
        {d && (
          <ScheduleReportButton
            what={{ kind: 'dashboard', granularity, ...(teamId ? { teamId } : {}) }}
            defaultName={t('kpi.schedule.defaultName', { granularity: t(`kpi.granularities.${granularity}`) })}
            timeZone={d.timeZone}
          />
        )}
      </header>
      <ErrorText error={dashboard.error} />
      {dashboard.isPending && <p className="loading">{t('list.loading')}</p>}
      {d && (
        <>
          <section className="tiles" aria-label={t('kpi.title')}>
            {d.kpis.map((k) => (
              <Tile key={k.id} k={k} />
            ))}
          </section>
          <div className="kpi-grid">
            <section className="panel wide">
              <h2>{t('kpi.trend')}</h2>
              <Chart label={t('kpi.trend')} option={trendOption(d, t)} />
            </section>
            <section className="panel wide">
              <h2>
                {t('kpi.breakdown')}{' '}
                <span className="tabs" role="tablist">
                  {DIMS.map((x) => (
                    <button
                      key={x}
                      type="button"
                      role="tab"
                      aria-selected={dim === x}
                      className={dim === x ? 'active' : ''}
                      onClick={() => setDim(x)}
                    >
                      {t(`kpi.dims.${x}`)}
                    </button>
                  ))}
                </span>
              </h2>
              <Breakdown d={d} dim={dim} en={en} onDrill={(href) => void navigate(href)} />
            </section>
            <section className="panel">
              <h2>{t('kpi.handlingByType')}</h2>
              <table className="kpi-table">
                <thead>
                  <tr>
                    <th>{t('kpi.dims.type')}</th>
                    <th>{t('kpi.clock')}</th>
                    <th>{t('kpi.business')}</th>
                    <th>{t('kpi.target', { target: '' })}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.handlingByType.map((h) => (
                    <tr key={h.type} className={h.met === false ? 'missed' : h.met ? 'met' : ''}>
                      <td>{t(`type.${h.type}`)}</td>
                      <td className="num">{duration(h.meanMs, t)}</td>
                      <td className="num">{duration(h.businessMs, t)}</td>
                      <td className="num">≤ {duration(h.targetMs, t)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <h2>{t('kpi.sla')}</h2>
              {d.sla.length === 0 ? (
                <p className="muted">{t('kpi.noData')}</p>
              ) : (
                <table className="kpi-table">
                  <tbody>
                    {d.sla.map((s) => (
                      <tr
                        key={s.metric}
                        className={
                          s.compliance !== null && s.target !== null && s.compliance < s.target ? 'missed' : 'met'
                        }
                      >
                        <td>{t(`kpi.metrics.${s.metric}`)}</td>
                        <td className="num">
                          {s.met} / {s.met + s.breached}
                        </td>
                        <td className="num">{pct(s.compliance)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
            <section className="panel">
              <h2>{t('kpi.backlog')}</h2>
              <p>
                <Link to={drillHref(d.backlog.drill)}>{t('kpi.open', { count: d.backlog.open })}</Link>
              </p>
              <Chart
                label={t('kpi.backlog')}
                height={180}
                option={{
                  grid: { left: 40, right: 10, top: 10, bottom: 30 },
                  tooltip: {},
                  xAxis: { type: 'category', data: d.backlog.ageing.map((a) => t(`kpi.ages.${a.bucket}`)) },
                  yAxis: { type: 'value', minInterval: 1 },
                  series: [{ type: 'bar', data: d.backlog.ageing.map((a) => a.count), color: '#d97706' }],
                }}
              />
            </section>
            <section className="panel wide">
              <h2>{t('kpi.hot')}</h2>
              {d.hotIssues.categories.length + d.hotIssues.words.length === 0 && (
                <p className="muted">{t('kpi.noHot')}</p>
              )}
              <div className="hot">
                {(['categories', 'words'] as const).map((kind) =>
                  d.hotIssues[kind].length === 0 ? null : (
                    <div key={kind}>
                      <h3>{t(kind === 'categories' ? 'kpi.hotCategories' : 'kpi.hotWords')}</h3>
                      <ol>
                        {d.hotIssues[kind].map((h) => (
                          <li key={h.key}>
                            <Link to={drillHref(h.drill ?? {})}>{(en && h.labelEn) || h.label || h.key}</Link>{' '}
                            <span className="num">
                              {h.lastWeek} → {h.thisWeek}
                            </span>{' '}
                            <span className="muted">{t('kpi.share', { share: pct(h.share) })}</span>
                          </li>
                        ))}
                      </ol>
                    </div>
                  ),
                )}
              </div>
            </section>
          </div>
          <MyReportSchedules timeZone={d.timeZone} />
        </>
      )}
    </div>
  );
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

function duration(ms: number | null, t: (k: string, o?: Record<string, unknown>) => string): string {
  if (ms === null) return '—';
  if (ms < 120_000) return t('kpi.seconds', { n: Math.round(ms / 1000) });
  const minutes = ms / 60_000;
  return minutes < 120
    ? t('kpi.minutes', { n: Math.round(minutes) })
    : t('kpi.hours', { n: (minutes / 60).toFixed(1) });
}

function formatValue(k: KpiTile, t: (k: string, o?: Record<string, unknown>) => string): string {
  if (k.value === null) return t('kpi.noData');
  switch (k.unit) {
    case 'ratio':
      return pct(k.value);
    case 'ms':
      return duration(k.value, t);
    case 'score':
      return k.value.toFixed(2);
    case 'nps':
      return k.value.toFixed(1);
    case 'per_million':
      return k.value.toFixed(2);
  }
}

function formatTarget(k: KpiTile, t: (k: string, o?: Record<string, unknown>) => string): string | null {
  if (!k.target) return null;
  const v =
    k.unit === 'ratio' ? pct(k.target.value) : k.unit === 'ms' ? duration(k.target.value, t) : String(k.target.value);
  return t('kpi.target', { target: `${k.target.direction === 'min' ? '≥' : '≤'} ${v}` });
}

function Tile({ k }: { k: KpiTile }) {
  const { t } = useTranslation();
  const state = k.met === null ? 'nodata' : k.met ? 'met' : 'missed';
  const body = (
    <>
      <span className="name">{t(`kpi.ids.${k.id}`)}</span>
      <strong className="value">{formatValue(k, t)}</strong>
      {k.numerator !== null && k.denominator !== null && k.unit === 'ratio' && (
        <span className="fraction">
          {k.numerator} / {k.denominator}
        </span>
      )}
      <span className="target">
        {formatTarget(k, t)}
        {k.met !== null && <> · {t(k.met ? 'kpi.met' : 'kpi.missed')}</>}
      </span>
    </>
  );
  return k.drill ? (
    <Link to={drillHref(k.drill)} className={`tile ${state}`} data-kpi={k.id} title={t('kpi.drill')}>
      {body}
    </Link>
  ) : (
    <div className={`tile ${state}`} data-kpi={k.id}>
      {body}
    </div>
  );
}

function trendOption(d: Dashboard, t: (k: string) => string): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: [t('kpi.contacts'), t('kpi.resolved'), t('kpi.fcrRate'), t('kpi.timeoutRate')] },
    grid: { left: 50, right: 50, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: d.trend.map((p) => p.bucket) },
    yAxis: [
      { type: 'value', minInterval: 1 },
      { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    ],
    series: [
      { name: t('kpi.contacts'), type: 'bar', data: d.trend.map((p) => p.contacts), color: '#2563eb' },
      { name: t('kpi.resolved'), type: 'bar', data: d.trend.map((p) => p.resolved), color: '#16a34a' },
      {
        name: t('kpi.fcrRate'),
        type: 'line',
        yAxisIndex: 1,
        connectNulls: false,
        data: d.trend.map((p) => (p.fcr === null ? null : +(p.fcr * 100).toFixed(1))),
        color: '#7c3aed',
      },
      {
        name: t('kpi.timeoutRate'),
        type: 'line',
        yAxisIndex: 1,
        data: d.trend.map((p) => (p.timeoutRate === null ? null : +(p.timeoutRate * 100).toFixed(1))),
        color: '#dc2626',
      },
    ],
  };
}

function Breakdown({ d, dim, en, onDrill }: { d: Dashboard; dim: Dim; en: boolean; onDrill: (href: string) => void }) {
  const { t } = useTranslation();
  const rows = d.breakdown[dim];
  const name = (r: (typeof rows)[number]) =>
    r.key === ''
      ? t('kpi.none')
      : dim === 'type'
        ? t(`type.${r.key}`)
        : dim === 'channel'
          ? t(`kpi.channels.${r.key}`)
          : (en && r.labelEn) || r.label || r.key;
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 50, right: 10, top: 10, bottom: 60 },
      xAxis: { type: 'category', data: rows.map(name), axisLabel: { rotate: rows.length > 6 ? 30 : 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', data: rows.map((r) => r.contacts), color: '#2563eb' }],
    }),
    [rows, dim, en],
  );
  if (rows.length === 0) return <p className="muted">{t('kpi.noData')}</p>;
  return (
    <>
      <Chart
        label={t('kpi.breakdown')}
        height={220}
        option={option}
        onPick={(i) => {
          const drill = rows[i]?.drill;
          if (drill) onDrill(drillHref(drill));
        }}
      />
      <table className="kpi-table">
        <thead>
          <tr>
            <th>{t(`kpi.dims.${dim}`)}</th>
            <th>{t('kpi.contacts')}</th>
            <th>{t('kpi.resolved')}</th>
            <th>{t('kpi.fcrRate')}</th>
            <th>{t('kpi.ids.repeat_rate')}</th>
            <th>{t('kpi.timeoutRate')}</th>
            <th>{t('kpi.meanHandling')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <td>{r.drill ? <Link to={drillHref(r.drill)}>{name(r)}</Link> : name(r)}</td>
              <td className="num">{r.contacts}</td>
              <td className="num">{r.resolved}</td>
              <td className="num">{pct(r.fcr)}</td>
              <td className="num">{pct(r.repeatRate)}</td>
              <td className="num">{pct(r.timeoutRate)}</td>
              <td className="num">{duration(r.meanHandlingMs, t)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
