import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import type { Message, TimelineEvent } from '../../api/types';
import { formatDateTime } from '../../i18n';
import { useRoutingText } from './useRoutingText';

type TimelineItem = { at: string; key: string; message?: Message; event?: TimelineEvent };

/** Messages and events of a ticket in one list, oldest first (both are immutable records). */
export function useTimeline(ticketId: string) {
  return useQuery({
    queryKey: ['ticket', ticketId, 'timeline'],
    queryFn: async (): Promise<TimelineItem[]> => {
      const [messages, events] = await Promise.all([
        get<{ items: Message[] }>(`/api/v1/tickets/${ticketId}/messages`),
        get<{ items: TimelineEvent[] }>(`/api/v1/tickets/${ticketId}/timeline`),
      ]);
      return [
        ...messages.items.map((m) => ({ at: m.createdAt, key: `m${m.id}`, message: m })),
        ...events.items
          .filter((e) => e.kind !== 'message_added')
          .map((e) => ({ at: e.createdAt, key: `e${e.id}`, event: e })),
      ].sort((a, b) => a.at.localeCompare(b.at));
    },
  });
}

export function Timeline({ ticketId, customerName }: { ticketId: string; customerName: string }) {
  const { t, i18n } = useTranslation();
  const timeline = useTimeline(ticketId);
  const routingText = useRoutingText();
  const en = i18n.language === 'en';
  const when = (at: string) => formatDateTime(at, i18n.language);
  if (timeline.isPending) return <p className="loading">{t('list.loading')}</p>;
  return (
    <ol className="timeline">
      {timeline.data?.map((item) =>
        item.message ? (
          <li
            key={item.key}
            className={`message ${item.message.visibility} ${item.message.fromCustomer ? 'customer' : ''}`}
          >
            <div className="meta">
              {item.message.fromCustomer
                ? customerName
                : (item.message.author?.displayName ?? (en ? 'System' : '系统'))}{' '}
              · {item.message.visibility === 'internal' ? t('ticket.note') : t('ticket.reply')} ({item.message.channel})
              · {when(item.at)}
            </div>
            {/* bodyHtml is sanitised on the server with an allow-list */}
            <div className="body" dangerouslySetInnerHTML={{ __html: item.message.bodyHtml }} />
          </li>
        ) : item.event ? (
          <li key={item.key} className={`event event-${item.event.kind}`}>
            <span className="meta">{when(item.at)}</span>{' '}
            {describeEvent(
              item.event,
              en,
              (m) => t(`sla.metric.${m}`, { defaultValue: m }),
              (s) => t(`status.${s}`, { defaultValue: s }),
              routingText,
            )}
          </li>
        ) : null,
      )}
    </ol>
  );
}

/** A short line for a timeline event. */
function describeEvent(
  e: TimelineEvent,
  en: boolean,
  metricName: (m: string) => string,
  statusName: (s: string) => string,
  routingText: (data: Record<string, unknown>) => string[],
): string {
  const d = e.data;
  const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  const metrics = (Array.isArray(d.metrics) ? d.metrics.map(text) : [text(d.metric)])
    .filter(Boolean)
    .map(metricName)
    .join(', ');
  const who = e.actor?.displayName ?? (en ? 'System' : '系统');
  switch (e.kind) {
    case 'created':
      return `${who} ${en ? 'created the ticket' : '创建了工单'} ${text(d.number)}`;
    case 'routed':
      return routingText(d).join('; ');
    case 'status_changed':
      return `${who}: ${statusName(text(d.from))} → ${statusName(text(d.to))}${d.byCustomer ? (en ? ' (customer)' : '（客户）') : ''}`;
    case 'assigned':
      return `${who} ${en ? 'assigned' : '分派'}${d.by === 'auto' ? (en ? ' (automatic)' : '（自动）') : ''}`;
    case 'escalated':
      return `${who} ${en ? 'escalated to tier 2' : '升级至二线'}: ${text(d.note)}`;
    case 'de_escalated':
      return `${who} ${en ? 'handed back to tier 1' : '退回一线'}: ${text(d.note)}`;
    case 'sla_started':
      return en ? 'Time limits started' : '时限开始计时';
    case 'sla_met':
      return `${en ? 'Time limit met' : '时限已达成'}: ${metrics}`;
    case 'sla_warning':
      return `${en ? 'Time limit warning' : '时限预警'}: ${metrics}`;
    case 'sla_breached':
      return `${en ? 'Time limit breached' : '时限已超时'}: ${metrics}`;
    default: {
      const label = (en ? OTHER_EN : OTHER_ZH)[e.kind];
      // Another ticket this reader may not read: that there is one, nothing that identifies it.
      if (d.hiddenTicket === true)
        return `${who}: ${label ?? e.kind.replace(/_/g, ' ')} · ${en ? 'a ticket you cannot see' : '一张您无权查看的工单'}`;
      return `${who}: ${label ?? e.kind.replace(/_/g, ' ')}${typeof d.title === 'string' ? ` · ${d.title}` : ''}${typeof d.fileName === 'string' ? ` · ${d.fileName}` : ''}`;
    }
  }
}

const OTHER_ZH: Record<string, string> = {
  updated: '修改了工单',
  attachment_added: '上传了附件',
  pii_revealed: '查看了客户完整信息（已记录）',
  sla_escalated: '超时升级',
  call_linked: '关联了来电',
  subtask_created: '派发协办任务',
  subtask_completed: '协办任务完成',
  subtask_cancelled: '撤销协办任务',
  merged: '合并工单',
  linked: '关联工单',
  repeat_detected: '识别为重复来电',
};
const OTHER_EN: Record<string, string> = {
  updated: 'edited the ticket',
  attachment_added: 'added a file',
  pii_revealed: 'revealed customer data (logged)',
  sla_escalated: 'escalated on time limit',
  call_linked: 'linked a call',
  subtask_created: 'handed a task to a department',
  subtask_completed: 'department task done',
  subtask_cancelled: 'cancelled a department task',
  merged: 'merged tickets',
  linked: 'linked tickets',
  repeat_detected: 'repeat contact detected',
};
