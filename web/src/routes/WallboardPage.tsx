import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../i18n';
import { Link } from 'react-router';
import { contactCentreApi, type Wallboard } from '../api/contact-centre';
import { ErrorText } from '../components/ErrorText';
import { Chart, type ChartOption } from '../features/kpi/Chart';
import '../features/kpi/kpi.css';
import './wallboard.css';

/**
 * The supervisors' live wallboard: today's calls and chats per 15 minutes, the answer rate at peak
 * hours against its target, ASA, what waits now, chats with a person and bot containment.
 *
 * Refreshed by a short poll (every 5 s) rather than the desk's live stream: the figures change
 * with every call event, and announcing each one on the stream would wake every agent's desk for
 * the sake of the few supervisors looking at the wallboard; the poll reads about a hundred roll-up
 * rows and two counts, and a missed beat is healed by the next one.
 */
export const WALLBOARD_REFRESH_MS = 5000;

type T = (k: string, o?: Record<string, unknown>) => string;
type Target = { value: number; direction: 'min' | 'max' } | null;

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const secs = (ms: number | null, t: T) => (ms === null ? '—' : t('wallboard.seconds', { n: Math.round(ms / 1000) }));
const metOf = (v: number | null, target: Target) =>
  v === null || !target ? null : target.direction === 'min' ? v >= target.value : v <= target.value;

function Figure({
  id,
  name,
  value,
  detail,
  target,
  met,
}: {
  id: string;
  name: string;
  value: string;
  detail?: string | undefined;
  target?: string | null | undefined;
  met?: boolean | null | undefined;
}) {
  const { t } = useTranslation();
  const state = met === undefined || met === null ? 'plain' : met ? 'met' : 'missed';
  return (
    <div className={`tile ${state}`} data-figure={id}>
      <span className="name">{name}</span>
      <strong className="value">{value}</strong>
      {detail && <span className="fraction">{detail}</span>}
      {target && (
        <span className="target">
          {target}
          {met !== undefined && met !== null && <> · {t(met ? 'kpi.met' : 'kpi.missed')}</>}
        </span>
      )}
    </div>
  );
}

function targetText(target: Target, shown: (v: number) => string, t: T): string | null {
  if (!target) return null;
  return t('kpi.target', { target: `${target.direction === 'min' ? '≥' : '≤'} ${shown(target.value)}` });
}

function callsOption(w: Wallboard, t: T): ChartOption {
  // Peak-hour intervals in full colour, the others paler.
  const bar = (pick: (i: Wallboard['intervals'][number]) => number) =>
    w.intervals.map((i) => ({ value: pick(i), itemStyle: { opacity: i.peak ? 1 : 0.45 } }));
  const target = w.voice.peak.target;
  return {
    tooltip: { trigger: 'axis' },
    legend: {
      top: 0,
      data: [t('wallboard.offered'), t('wallboard.answered'), t('wallboard.abandoned'), t('wallboard.answerRate')],
    },
    grid: { left: 44, right: 50, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: w.intervals.map((i) => i.label), axisLabel: { interval: 7 } },
    yAxis: [
      { type: 'value', minInterval: 1 },
      { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    ],
    series: [
      { name: t('wallboard.offered'), type: 'bar', data: bar((i) => i.voice.offered), color: '#2563eb' },
      { name: t('wallboard.answered'), type: 'bar', data: bar((i) => i.voice.answered), color: '#16a34a' },
      { name: t('wallboard.abandoned'), type: 'bar', data: bar((i) => i.voice.abandoned), color: '#dc2626' },
      {
        name: t('wallboard.answerRate'),
        type: 'line',
        yAxisIndex: 1,
        connectNulls: false,
        symbolSize: 4,
        data: w.intervals.map((i) => (i.voice.answerRate === null ? null : +(i.voice.answerRate * 100).toFixed(1))),
        color: '#7c3aed',
      },
      ...(target
        ? [
            {
              name: t('wallboard.targetLine'),
              type: 'line',
              yAxisIndex: 1,
              symbol: 'none',
              lineStyle: { type: 'dashed', width: 1 },
              data: w.intervals.map(() => target.value * 100),
              color: '#9ca3af',
            },
          ]
        : []),
    ],
  };
}

function chatsOption(w: Wallboard, t: T): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: [t('wallboard.chatOffered'), t('wallboard.chatAnswered'), t('wallboard.chatAbandoned')] },
    grid: { left: 44, right: 20, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: w.intervals.map((i) => i.label), axisLabel: { interval: 7 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: t('wallboard.chatOffered'), type: 'bar', data: w.intervals.map((i) => i.chat.offered), color: '#0891b2' },
      {
        name: t('wallboard.chatAnswered'),
        type: 'bar',
        data: w.intervals.map((i) => i.chat.answered),
        color: '#16a34a',
      },
      {
        name: t('wallboard.chatAbandoned'),
        type: 'bar',
        data: w.intervals.map((i) => i.chat.abandoned),
        color: '#dc2626',
      },
    ],
  };
}

export default function WallboardPage() {
  const { t, i18n } = useTranslation();
  const [queue, setQueue] = useState('');
  const board = useQuery({
    queryKey: ['wallboard', queue],
    queryFn: () => contactCentreApi.wallboard(queue ? { queue } : {}),
    refetchInterval: WALLBOARD_REFRESH_MS,
    refetchIntervalInBackground: true,
  });
  const w = board.data;
  const calls = useMemo(() => (w ? callsOption(w, t) : null), [w, t]);
  const chats = useMemo(() => (w ? chatsOption(w, t) : null), [w, t]);
  const peakHours = w?.settings.peakHours.map((r) => `${r.from}–${r.to}`).join(', ');

  return (
    <div className="kpi-dashboard wallboard">
      <header className="kpi-head">
        <h1>{t('wallboard.title')}</h1>
        {w && (
          <span className="muted as-of">
            {t('wallboard.asOf', {
              day: w.day,
              time: formatDateTime(w.asOf, i18n.language, 'time'),
            })}
          </span>
        )}
        <form className="filters" onSubmit={(e) => e.preventDefault()}>
          <label>
            {t('wallboard.queue')}{' '}
            <input
              value={queue}
              placeholder={t('wallboard.allQueues')}
              onChange={(e) => setQueue(e.target.value.trim())}
              size={14}
            />
          </label>
        </form>
        <Link to="/board">← {t('nav.board')}</Link>
      </header>
      <ErrorText error={board.error} />
      {w && (
        <>
          <h2 className="wallboard-section">{t('wallboard.calls')}</h2>
          <div className="tiles">
            <Figure
              id="peak-answer-rate"
              name={t('wallboard.peakAnswerRate', { hours: peakHours })}
              value={pct(w.voice.peak.answerRate)}
              detail={t('wallboard.ofOffered', { n: w.voice.peak.answered, d: w.voice.peak.offered })}
              target={targetText(w.voice.peak.target, (v) => pct(v), t)}
              met={w.voice.peak.met}
            />
            <Figure
              id="answer-rate"
              name={t('wallboard.answerRateDay')}
              value={pct(w.voice.answerRate)}
              detail={t('wallboard.shortAbandons', { n: w.voice.shortAbandoned, s: w.settings.shortAbandonSeconds })}
            />
            <Figure
              id="service-level"
              name={t('wallboard.serviceLevel', { s: w.settings.serviceLevelSeconds })}
              value={pct(w.voice.serviceLevel)}
            />
            <Figure
              id="asa"
              name={t('wallboard.asa')}
              value={secs(w.voice.asaMs, t)}
              target={targetText(w.voice.asaTarget, (v) => secs(v, t), t)}
              met={metOf(w.voice.asaMs, w.voice.asaTarget)}
            />
            <Figure
              id="calls"
              name={t('wallboard.callsToday')}
              value={`${w.voice.offered} / ${w.voice.answered} / ${w.voice.abandoned}`}
              detail={t('wallboard.callsLegend')}
            />
            <Figure
              id="waiting-calls"
              name={t('wallboard.waitingCalls')}
              value={String(w.voice.waiting)}
              detail={
                w.voice.longestWaitMs === null
                  ? undefined
                  : t('wallboard.longest', { wait: secs(w.voice.longestWaitMs, t) })
              }
            />
          </div>
          <section className="panel wide">
            <h2>{t('wallboard.callsPerInterval')}</h2>
            <p className="muted">{t('wallboard.peakNote')}</p>
            {calls && <Chart option={calls} label={t('wallboard.callsPerInterval')} height={280} />}
          </section>
          <h2 className="wallboard-section">{t('wallboard.chats')}</h2>
          <div className="tiles">
            <Figure id="waiting-chats" name={t('wallboard.waitingChats')} value={String(w.chat.waiting)} />
            <Figure id="concurrent-chats" name={t('wallboard.concurrentChats')} value={String(w.chat.concurrent)} />
            <Figure
              id="containment"
              name={t('wallboard.containment')}
              value={pct(w.chat.containment)}
              detail={t('wallboard.ofEnded', { n: w.chat.contained, d: w.chat.ended })}
              target={targetText(w.chat.containmentTarget, (v) => pct(v), t)}
              met={metOf(w.chat.containment, w.chat.containmentTarget)}
            />
            <Figure
              id="chat-first-response"
              name={t('wallboard.firstResponse')}
              value={secs(w.chat.firstResponseMs, t)}
              detail={
                w.chat.firstResponseInTarget === null
                  ? undefined
                  : t('wallboard.withinTarget', {
                      share: pct(w.chat.firstResponseInTarget),
                      s: w.settings.chatFirstResponseSeconds,
                    })
              }
              target={targetText(w.chat.firstResponseTarget, (v) => secs(v, t), t)}
              met={metOf(w.chat.firstResponseMs, w.chat.firstResponseTarget)}
            />
            <Figure
              id="chats"
              name={t('wallboard.chatsToday')}
              value={`${w.chat.conversations} / ${w.chat.offered} / ${w.chat.answered}`}
              detail={t('wallboard.chatsLegend')}
            />
          </div>
          <section className="panel wide">
            <h2>{t('wallboard.chatsPerInterval')}</h2>
            {chats && <Chart option={chats} label={t('wallboard.chatsPerInterval')} height={200} />}
          </section>
        </>
      )}
    </div>
  );
}
