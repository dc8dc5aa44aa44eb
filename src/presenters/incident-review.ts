import { DateTime } from 'luxon';
import type { IncidentDetail } from '../contracts/incidents.js';

// The post-incident review (复盘) as a Markdown report: readable as it is, pasted into a wiki or a
// mail, or printed. Built from the incident as its viewer sees it; headings in Chinese and English.

const EVENT_NAMES: Record<string, string> = {
  opened: '创建故障 opened',
  edited: '修改 edited',
  status_changed: '状态变更 status changed',
  update_posted: '发布进展 update posted',
  ticket_linked: '关联工单 ticket linked',
  ticket_unlinked: '取消关联 ticket unlinked',
  tickets_linked: '批量关联 tickets linked',
  remedy_granted: '发放补偿 remedy granted',
  remedy_decided: '审批补偿 remedy decided',
  reviewed: '完成复盘 reviewed',
};

/** A table cell: one line, no column breaks. */
const cell = (s: string | number | null | undefined) =>
  String(s ?? '—')
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ');

export function presentReviewMarkdown(i: IncidentDetail, timeZone: string): string {
  const at = (iso: string | null) =>
    iso ? DateTime.fromISO(iso, { zone: timeZone }).toFormat('yyyy-MM-dd HH:mm') : '—';
  const remedies = (status: 'approved' | 'pending_approval' | 'rejected') =>
    (['data_pack', 'fee_waiver'] as const)
      .map((kind) => {
        const rows = i.remedies.filter((r) => r.kind === kind && r.status === status);
        if (rows.length === 0) return null;
        const total = rows.reduce((s, r) => s + r.amount, 0);
        return kind === 'data_pack'
          ? `流量包 data packs: ${rows.length} × · ${total} MB`
          : `费用减免 fee waivers: ${rows.length} × · ${(total / 100).toFixed(2)} CNY`;
      })
      .filter(Boolean)
      .join('; ') || '—';
  const lines = [
    `# 故障复盘 Post-incident review — ${i.number} ${i.title}`,
    '',
    `- 类别 Category: ${i.category} · 级别 Level: ${i.level}`,
    `- 影响区域 Areas: ${i.areas.join('、')}${i.locations.length ? ` (${i.locations.join('、')})` : ''}`,
    ...(i.services.length ? [`- 影响业务 Services: ${i.services.join('、')}`] : []),
    `- 责任团队 Team: ${i.team?.name ?? '—'}`,
    `- 开始 Started: ${at(i.startedAt)} · 创建 Opened: ${at(i.createdAt)} · 恢复 Restored: ${at(i.restoredAt)} · 复盘 Reviewed: ${at(i.reviewedAt)}`,
    '',
    '## 指标 Figures',
    '',
    '| 指标 Figure | 数值 Value |',
    '| --- | --- |',
    `| 发现用时 Time to detect | ${cell(i.review.timeToDetectMinutes)} min |`,
    `| 恢复用时 Time to restore | ${cell(i.review.timeToRestoreHours)} h (时限 limit ${i.repair.limitHours} h${
      i.repair.overLimit ? ', 超时 over the limit: monthly fee waiver proposed' : ''
    }) |`,
    `| 关联工单 Tickets linked | ${i.linkedTickets} (未结 open: ${i.openTickets}) |`,
    `| 主动通知 Customers notified | ${i.notices.notified} (送达 delivered: ${i.notices.delivered}; 通知后仍来电 contacted us afterwards: ${i.notices.contactedAfter}) |`,
    `| 进展通知 Updates sent | ${i.updates.length} (${i.updates.reduce((s, u) => s + u.recipients, 0)} messages) |`,
    `| 已批准补偿 Remedies approved | ${cell(remedies('approved'))} |`,
    `| 待审批 / 驳回 Pending / rejected | ${cell(remedies('pending_approval'))} / ${cell(remedies('rejected'))} |`,
    '',
    '## 时间线 Timeline',
    '',
    ...i.timeline.map(
      (e) =>
        `- ${at(e.createdAt)} · ${e.by?.displayName ?? '—'} · ${EVENT_NAMES[e.kind] ?? e.kind}${
          typeof e.data.to === 'string' ? ` → ${e.data.to}` : ''
        }`,
    ),
    '',
    '## 恢复说明 Resolution',
    '',
    i.resolutionNote ?? '—',
    '',
    '## 经验教训 Lessons learnt',
    '',
    i.lessons ?? '—',
    '',
  ];
  return lines.join('\n');
}
