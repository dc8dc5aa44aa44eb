import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatDuration } from '../../i18n';
import { useSlaClocks, type SlaClock } from './useSlaClocks';

/** A clock's name: the ticket's own metrics, a callback's, or a survey problem's two clocks. */
const metricLabel = (metric: string, t: TFunction): string => {
  if (metric.startsWith('callback:')) return t('callbacks.title');
  if (metric.startsWith('survey_problem:'))
    return `${t('surveyProblems.title')} · ${t(metric.endsWith(':response') ? 'surveyProblems.respondBy' : 'surveyProblems.resolveBy')}`;
  return t(`sla.metric.${metric}`, { defaultValue: metric });
};

/** The ticket's time limits, each with a live countdown of remaining business time. */
export function SlaPanel({ ticketId }: { ticketId: string }) {
  const { t, i18n } = useTranslation();
  const { clocks, isPending } = useSlaClocks(ticketId);
  return (
    <section className="panel" aria-labelledby="sla-title">
      <h2 id="sla-title">SLA</h2>
      {isPending && <p className="loading">{t('list.loading')}</p>}
      {clocks?.length === 0 && <p className="muted">{t('ticket.slaNone')}</p>}
      <ul className="sla">
        {clocks?.map((s) => (
          <li key={s.metric} className={`sla-row ${s.state}`} data-metric={s.metric} data-state={s.state}>
            <span>{metricLabel(s.metric, t)}</span>
            <span className={`badge sla-${s.state}`}>{t(`sla.${s.state}`)}</span>
            <span className="countdown">{s.running ? <Countdown clock={s} seconds /> : ''}</span>
            {s.running && s.dueAt && (
              <time className="due muted" dateTime={s.dueAt}>
                {formatDateTime(s.dueAt, i18n.language, true)}
              </time>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The running limit with the least business time left, as a badge for the ticket header. */
export function SlaHeaderBadge({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const { clocks } = useSlaClocks(ticketId);
  const next = clocks?.filter((c) => c.running).sort((a, b) => a.remaining - b.remaining)[0];
  if (!next) return null;
  return (
    <span className={`badge sla-${next.state}`} data-testid="sla-header" title={metricLabel(next.metric, t)}>
      {metricLabel(next.metric, t)} · <Countdown clock={next} />
    </span>
  );
}

function Countdown({ clock, seconds = false }: { clock: SlaClock; seconds?: boolean }) {
  const { t, i18n } = useTranslation();
  const time = formatDuration(clock.remaining, i18n.language, seconds);
  const text = clock.remaining < 0 ? t('sla.over', { time }) : t('sla.left', { time });
  return clock.onHold ? (
    <span className="on-hold" title={t('sla.onHoldHint')}>
      {text} · {t('sla.onHold')}
    </span>
  ) : (
    <>{text}</>
  );
}
