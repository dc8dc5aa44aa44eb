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

/** A short line for a timeline event: every kind the server writes (src/contracts/events.ts). */
function describeEvent(
  e: TimelineEvent,
  en: boolean,
  metricName: (m: string) => string,
  statusName: (s: string) => string,
  routingText: (data: RoutedData) => string[],
): string {
  const who = e.actor?.displayName ?? (en ? 'System' : '系统');
  const said = (zh: string, english: string, detail?: string | null) =>
    `${who}: ${en ? english : zh}${detail ? ` · ${detail}` : ''}`;
  // Another ticket this reader may not read: that there is one, nothing that identifies it.
  const hidden = en ? 'a ticket you cannot see' : '一张您无权查看的工单';
  switch (e.kind) {
    case 'created':
      return `${who} ${en ? 'created the ticket' : '创建了工单'} ${e.data.number}`;
    case 'routed':
      return routingText(e.data).join('; ');
    case 'updated':
      return `${who}: ${e.data.changed.map((f) => (en ? FIELD_CHANGED_EN : FIELD_CHANGED_ZH)[f]).join(en ? ', ' : '，')}`;
    case 'status_changed':
      return `${who}: ${statusName(e.data.from)} → ${statusName(e.data.to)}${e.data.byCustomer ? (en ? ' (customer)' : '（客户）') : ''}`;
    case 'assigned':
      return `${who} ${en ? 'assigned' : '分派'}${e.data.by === 'auto' ? (en ? ' (automatic)' : '（自动）') : ''}`;
    case 'escalated':
      return `${who} ${en ? 'escalated to tier 2' : '升级至二线'}: ${e.data.note}`;
    case 'de_escalated':
      return `${who} ${en ? 'handed back to tier 1' : '退回一线'}: ${e.data.note}`;
    case 'sla_started':
      return en ? 'Time limits started' : '时限开始计时';
    case 'sla_met':
      return `${en ? 'Time limit met' : '时限已达成'}: ${e.data.metrics.map(metricName).join(', ')}`;
    case 'sla_warning':
      return `${en ? 'Time limit warning' : '时限预警'}: ${metricName(e.data.metric)}`;
    case 'sla_breached':
      return `${en ? 'Time limit breached' : '时限已超时'}: ${metricName(e.data.metric)}`;
    case 'sla_escalated':
      return `${en ? 'Escalated on time limit' : '超时升级'}: ${metricName(e.data.metric)}`;
    case 'message_added':
      return said('添加了消息', 'added a message');
    case 'attachment_added':
      return said('上传了附件', 'added a file', e.data.fileName);
    case 'pii_revealed':
      return said('查看了客户完整信息（已记录）', 'revealed customer data (logged)');
    case 'call_linked':
      return said('关联了来电', 'linked a call');
    case 'subtask_created':
      return said('派发协办任务', 'handed a task to a department', e.data.title);
    case 'subtask_completed':
      return said('协办任务完成', 'department task done', e.data.title);
    case 'subtask_cancelled':
      return said('撤销协办任务', 'cancelled a department task', e.data.title);
    case 'merged':
      return said(
        '合并工单',
        'merged tickets',
        'hiddenTicket' in e.data ? hidden : 'intoNumber' in e.data ? e.data.intoNumber : e.data.fromNumber,
      );
    case 'linked':
      return said('关联工单', 'linked tickets', 'hiddenTicket' in e.data ? hidden : e.data.otherNumber);
    case 'repeat_detected':
      return said(
        '识别为重复来电',
        'repeat contact detected',
        'hiddenTicket' in e.data ? hidden : e.data.earlierNumber,
      );
    default:
      return e satisfies never;
  }
}

type RoutedData = Extract<TimelineEvent, { kind: 'routed' }>['data'];
type TicketField = Extract<TimelineEvent, { kind: 'updated' }>['data']['changed'][number];

// An edit says which fields changed, not their old or new text (the timeline keeps no personal data).
const FIELD_CHANGED_ZH: Record<TicketField, string> = {
  type: '类型已修改',
  categoryId: '分类已修改',
  grade: '等级已修改',
  subject: '主题已修改',
  description: '描述已修改',
  details: '故障信息已修改',
  tags: '标签已修改',
  priority: '优先级已修改',
};
const FIELD_CHANGED_EN: Record<TicketField, string> = {
  type: 'type changed',
  categoryId: 'category changed',
  grade: 'grade changed',
  subject: 'subject changed',
  description: 'description changed',
  details: 'fault details changed',
  tags: 'tags changed',
  priority: 'priority changed',
};
