import type { KpiResult } from './formulas.js';
import type { KpiId } from './settings.js';

// What an export of a ticket list or of the dashboard's figures holds, column by column, with
// headers in the caller's language. Pure: the use case hands in rows already shaped by the
// presenter for the caller (personal data masked by their role).

export type ExportLang = 'zh' | 'en';
export type Cell = string | number | boolean | null;
export type Table = { name: string; headers: string[]; rows: Cell[][] };

/** A ticket as the list shows it to the caller (masked by the ticket presenter). */
export type TicketListRow = {
  number: string;
  type: string;
  grade: string;
  priority: number;
  status: string;
  channel: string;
  subject: string;
  customer: { name: string; tier: string };
  assignee: { displayName: string } | null;
  isRepeat: boolean;
  slaDueAt: string | null;
  createdAt: string;
};

const TICKET_COLUMNS: { zh: string; en: string; cell: (t: TicketListRow) => Cell }[] = [
  { zh: '工单号', en: 'Number', cell: (t) => t.number },
  { zh: '类型', en: 'Type', cell: (t) => t.type },
  { zh: '等级', en: 'Grade', cell: (t) => t.grade },
  { zh: '优先级', en: 'Priority', cell: (t) => t.priority },
  { zh: '状态', en: 'Status', cell: (t) => t.status },
  { zh: '渠道', en: 'Channel', cell: (t) => t.channel },
  { zh: '主题', en: 'Subject', cell: (t) => t.subject },
  { zh: '客户', en: 'Customer', cell: (t) => t.customer.name },
  { zh: '客户等级', en: 'Tier', cell: (t) => t.customer.tier },
  { zh: '处理人', en: 'Assignee', cell: (t) => t.assignee?.displayName ?? '' },
  { zh: '重复来电', en: 'Repeat', cell: (t) => t.isRepeat },
  { zh: '时限到期', en: 'Due', cell: (t) => t.slaDueAt ?? '' },
  { zh: '创建时间', en: 'Created', cell: (t) => t.createdAt },
];

export const ticketHeaders = (lang: ExportLang): string[] => TICKET_COLUMNS.map((c) => c[lang]);
export const ticketCells = (t: TicketListRow): Cell[] => TICKET_COLUMNS.map((c) => c.cell(t));

const KPI_LABELS: Record<KpiId, { zh: string; en: string }> = {
  fcr: { zh: '首次解决率', en: 'First-contact resolution' },
  repeat_rate: { zh: '重复来电率', en: 'Repeat-contact rate' },
  timeout_rate: { zh: '工单超时率', en: 'Timeout rate' },
  sla_compliance: { zh: '时限达标率', en: 'SLA compliance' },
  handling_time: { zh: '处理时长达标率', en: 'Handled within target' },
  first_response: { zh: '平均首次响应（毫秒）', en: 'Mean first response (ms)' },
  csat_share: { zh: '满意率（4–5 分）', en: 'CSAT (4–5)' },
  csat_mean: { zh: '满意度均分', en: 'CSAT mean' },
  nps: { zh: '净推荐值 NPS', en: 'NPS' },
  survey_response_rate: { zh: '调查回复率', en: 'Survey response rate' },
  callbacks_24h: { zh: '24 小时内回访率', en: 'Callbacks within 24 h' },
  complaint_rate: { zh: '投诉率', en: 'Complaint rate' },
  appeals_per_million: { zh: '百万用户申诉率', en: 'Appeals per million' },
  qa_score: { zh: '质检得分', en: 'QA score' },
  script_compliance: { zh: '话术合规率', en: 'Script compliance' },
  process_compliance: { zh: '流程合规率', en: 'Process compliance' },
  dispute_rate: { zh: '质检申诉率', en: 'QA dispute rate' },
  answer_rate_peak: { zh: '高峰时段接通率', en: 'Peak-hour answer rate' },
  asa: { zh: '平均应答速度（毫秒）', en: 'Average speed of answer (ms)' },
  chat_first_response: { zh: '在线人工平均首次响应（毫秒）', en: 'Chat first human response (ms)' },
  bot_containment: { zh: '机器人自助解决率', en: 'Bot containment' },
};

/** The dashboard's KPIs as a table: value, numerator, denominator, target and whether it is met. */
export function kpiTable(kpis: readonly KpiResult[], lang: ExportLang, period: { from: string; to: string }): Table {
  const zh = lang === 'zh';
  return {
    name: zh ? '指标' : 'KPIs',
    headers: zh
      ? ['指标', '代码', '期间', '数值', '分子', '分母', '目标', '方向', '是否达标']
      : ['KPI', 'Id', 'Period', 'Value', 'Numerator', 'Denominator', 'Target', 'Direction', 'Met'],
    rows: kpis.map((k) => [
      KPI_LABELS[k.id][lang],
      k.id,
      `${period.from}…${period.to}`,
      k.value,
      k.numerator,
      k.denominator,
      k.target?.value ?? null,
      k.target ? (k.target.direction === 'min' ? '≥' : '≤') : null,
      k.met,
    ]),
  };
}

/** Trend buckets as a table. */
export function trendTable(
  trend: readonly {
    bucket: string;
    contacts: number;
    resolved: number;
    fcr: number | null;
    timeoutRate: number | null;
  }[],
  lang: ExportLang,
): Table {
  return {
    name: lang === 'zh' ? '趋势' : 'Trend',
    headers:
      lang === 'zh'
        ? ['时段', '来件量', '解决量', '首次解决率', '超时率']
        : ['Period', 'Contacts', 'Resolved', 'FCR', 'Timeout rate'],
    rows: trend.map((t) => [t.bucket, t.contacts, t.resolved, t.fcr, t.timeoutRate]),
  };
}
