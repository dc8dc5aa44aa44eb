import { useTranslation } from 'react-i18next';
import type { TicketStatus, TicketSummary } from '../api/types';
import { formatDuration } from '../i18n';

export function StatusBadge({ status }: { status: TicketStatus }) {
  const { t } = useTranslation();
  return <span className={`badge status-${status}`}>{t(`status.${status}`)}</span>;
}

export function TierBadge({ tier }: { tier: TicketSummary['customer']['tier'] }) {
  const { t } = useTranslation();
  return <span className={`badge tier-${tier}`}>{t(`tier.${tier}`)}</span>;
}

export function PriorityBadge({ priority }: { priority: number }) {
  return <span className={`badge priority-${priority}`}>P{priority}</span>;
}

/** Time left to a due time: green, amber within the last hour, red once past. */
export function DueBadge({ dueAt, now }: { dueAt: string | null; now: number }) {
  const { t, i18n } = useTranslation();
  if (!dueAt) return <span className="muted">—</span>;
  const ms = new Date(dueAt).getTime() - now;
  const state = ms < 0 ? 'breached' : ms < 3_600_000 ? 'warning' : 'ok';
  const time = formatDuration(ms, i18n.language);
  return <span className={`badge sla-${state}`}>{ms < 0 ? t('sla.over', { time }) : t('sla.left', { time })}</span>;
}
