import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import type { SlaTarget } from '../../api/types';
import { formatDuration } from '../../i18n';
import { useNow } from './useNow';

/**
 * The ticket's time limits with live countdowns. Running limits count down from their due time on
 * this clock; the state colour follows the server and turns red here as soon as the due time passes.
 */
export function SlaPanel({ ticketId }: { ticketId: string }) {
  const { t, i18n } = useTranslation();
  const now = useNow(1_000);
  const sla = useQuery({ queryKey: ['ticket', ticketId, 'sla'], queryFn: () => get<{ items: SlaTarget[] }>(`/api/v1/tickets/${ticketId}/sla`), refetchInterval: 60_000 });
  return (
    <section className="panel" aria-labelledby="sla-title">
      <h2 id="sla-title">SLA</h2>
      {sla.isPending && <p className="loading">{t('list.loading')}</p>}
      {sla.data?.items.length === 0 && <p className="muted">{t('ticket.slaNone')}</p>}
      <ul className="sla">
        {sla.data?.items.map((s) => {
          const running = s.state !== 'met' && s.state !== 'paused';
          const remaining = running && s.dueAt ? new Date(s.dueAt).getTime() - now : s.remainingMs;
          // The server decides warning; the due time passing while the page is open turns it red here.
          const state = running && remaining < 0 ? 'breached' : s.state;
          const time = formatDuration(remaining, i18n.language, true);
          return (
            <li key={s.metric} className={`sla-row ${state}`} data-metric={s.metric} data-state={state}>
              <span>{t(`sla.metric.${s.metric}`, { defaultValue: s.metric })}</span>
              <span className={`badge sla-${state}`}>{t(`sla.${state}`)}</span>
              <span className="countdown">{running ? (remaining < 0 ? t('sla.over', { time }) : t('sla.left', { time })) : ''}</span>
              {running && s.dueAt && (
                <time className="due muted" dateTime={s.dueAt}>
                  {new Date(s.dueAt).toLocaleString(i18n.language === 'en' ? 'en-GB' : 'zh-CN', { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' })}
                </time>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
