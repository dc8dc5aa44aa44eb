import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';

// Chinese first, English as the alternative; the choice is remembered on this browser.

const zh = {
  app: {
    title: 'Loopdesk 客服工作台',
    signOut: '退出',
    language: 'English',
    notForYou: '您的角色不使用此页面。',
  },
  login: { username: '用户名', password: '密码', submit: '登录', busy: '正在登录…' },
  nav: {
    queue: '工单队列',
    new: '新建工单',
    board: '监控看板',
    main: '主导航',
    groups: { work: '业务', quality: '质量与培训', manage: '管理' },
  },
  views: { mine: '我的工单', unassigned: '待分派', due_soon: '即将超时', breached: '已超时', vip: 'VIP', all: '全部' },
  savedViews: {
    title: '我的视图',
    empty: '把常用的筛选保存为视图，下次一点即开',
    add: '保存当前筛选为视图',
    name: '视图名称',
    save: '保存',
    saving: '保存中…',
    cancel: '取消',
    remove: '删除视图「{{name}}」',
  },
  filters: {
    type: '类型',
    grade: '等级',
    status: '状态',
    any: '不限',
    search: '搜索工单号或关键词 ( / )',
    sortDue: '按截止时间排序',
  },
  list: {
    number: '工单号',
    subject: '主题',
    customer: '客户',
    status: '状态',
    priority: '优先级',
    assignee: '处理人',
    due: '时限',
    empty: '这里没有工单。换一个视图或筛选条件。',
    emptyOrCreate: '这里没有工单。换一个视图或筛选条件，或新建一个工单。',
    noNumber: '没有您可查看的工单 {{number}}。',
    more: '加载更多',
    loading: '正在加载…',
    count: '已显示 {{count}} 条',
  },
  type: { inquiry: '咨询', fault: '故障', complaint: '投诉', service_request: '业务办理' },
  status: {
    new: '新建',
    assigned: '已分派',
    in_progress: '处理中',
    pending_customer: '待客户',
    pending_department: '待部门',
    resolved: '已解决',
    closed: '已关闭',
  },
  tier: { vip: 'VIP', gold: '金卡', silver: '银卡', regular: '普通' },
  action: {
    start: '开始处理',
    wait_customer: '等待客户',
    wait_department: '等待部门',
    resume: '继续处理',
    resolve: '解决',
    close: '关闭',
    reopen: '重新打开',
  },
  ticket: {
    owner: '首问负责人',
    assignee: '处理人',
    team: '队列',
    tier1: '一线',
    tier2: '二线',
    repeat: '重复来电',
    customer: '客户信息',
    reveal: '查看完整号码',
    revealReason: '查看原因（将记入个人信息访问日志）',
    history: '历史工单',
    timeline: '处理记录',
    reply: '回复客户',
    note: '内部备注',
    send: '发送',
    sending: '发送中…',
    macro: '快捷回复',
    escalate: '升级至二线',
    escalateNote: '交接说明（必填）',
    deEscalate: '退回一线',
    subtasks: '部门协办',
    blocking: '阻塞',
    none: '无',
    take: '我来处理',
    slaNone: '没有计时中的时限',
    unassigned: '未分派',
    shortcuts: {
      prefix: '快捷键：',
      reply: 'r 回复',
      note: 'n 备注',
      escalate: 'e 升级',
      search: '/ 搜索',
      move: 'j/k 上下',
      open: 'Enter 打开',
      queue: 'g q 队列',
      new: 'g n 新建',
      board: 'g b 看板',
      inbox: 'g i 通知',
      replies: 'Ctrl+K 快捷回复',
      send: 'Ctrl+Enter 发送',
    },
    attachments: '附件',
    idNumber: '证件号',
    address: '地址',
    revealField: '查看内容',
    revealSubmit: '查看',
    phone: '号码',
    cancel: '取消',
    deEscalateNote: '退回说明（必填）',
    routedTitle: '已建单并分派至：{{team}}',
    routedNone: '已建单，暂未进入任何队列',
    escalateTeam: '目标专家组',
    anyExpert: '默认二线队列',
    subtaskNew: '新建协办任务',
    subtaskTeam: '协办部门',
    subtaskTitle: '任务内容',
    subtaskDue: '时限（分钟，可选）',
    subtaskAdd: '派发',
    subtaskDone: '完成',
    subtaskCancel: '撤销',
    subtaskResult: '处理结果（必填）',
    subtaskReason: '撤销原因（必填）',
    subtaskDueAt: '截止',
    upload: '上传附件',
    uploading: '上传中…',
    noAttachments: '暂无附件',
  },
  subtaskStatus: { open: '进行中', done: '已完成', cancelled: '已撤销' },
  routing: {
    matched: '命中规则「{{name}}」：{{effects}}',
    noMatch: '没有命中分派规则，工单留在创建人的队列',
    intake: '没有命中分派规则，进入渠道的受理队列：{{queue}}',
    noChange: '无变化（前面的规则已设置）',
    separator: '，',
    queue: '转入 {{queue}}',
    grade: '等级 {{from}} → {{to}}',
    priority: '优先级 → P{{priority}}',
    tag: '标签 +{{tag}}',
    slaPolicy: '时限策略 → {{policy}}',
  },
  sla: {
    ok: '正常',
    warning: '预警',
    breached: '已超时',
    paused: '暂停',
    met: '已达成',
    left: '剩余 {{time}}',
    over: '超时 {{time}}',
    onHold: '非工作时间',
    onHoldHint: '工作日历未开放，时限暂不计时',
    metric: { first_response: '首次响应', diagnosis: '初步诊断', handling_plan: '处理方案', resolution: '解决' },
  },
  board: {
    title: '监控看板',
    queues: '队列',
    open: '未结',
    oldest: '最久等待',
    agents: '坐席',
    load: '负载',
    presence: '状态',
    reassign: '改派',
    to: '改派给',
    dropHint: '把工单拖到坐席上即可改派',
    atRisk: '预警与超时工单',
    openOf: '{{name}} 的未结工单',
  },
  presence: { online: '在线', away: '离开', offline: '离线' },
  live: { openTicket: '未结工单 {{n}}' },
  apiError: {
    unknown: '出了点问题，请重试',
    network: '无法连接服务器，请检查网络后重试',
    auth_invalid_credentials: '用户名或密码不正确',
    auth_required: '登录已失效，请重新登录',
    auth_forbidden: '没有权限执行此操作',
    auth_csrf_token_invalid: '页面已过期，请刷新后重试',
    auth_rate_limited: '尝试次数过多，请稍后再试',
    request_invalid: '填写的内容有误',
    resource_not_found: '找不到该记录（可能已被删除或无权查看）',
    ticket_invalid_transition: '工单当前状态不允许此操作',
    ticket_reply_required: '需先回复客户才能解决或关闭（闭环）',
    ticket_blocking_subtasks_open: '还有未完成的阻塞协办任务',
    ticket_already_escalated: '工单已在二线',
    ticket_not_escalated: '工单不在二线',
    ticket_version_conflict: '工单已被他人修改，请刷新后重试',
    ticket_assignee_at_capacity: '该坐席已满负荷',
    ticket_assignee_unavailable: '该坐席不在线',
    ticket_assignee_invalid: '不能分派给该人员',
    ticket_category_type_mismatch: '分类与工单类型不符',
    attachment_too_large: '文件太大',
    attachment_type_not_allowed: '不支持这种文件类型',
    message_no_contact: '客户在该渠道没有联系方式',
    pii_reveal_not_allowed: '没有查看完整信息的权限',
    subtask_invalid_state: '协办任务已结束',
    idempotency_key_reused: '请求重复，请刷新后重试',
    saved_view_name_taken: '已有同名视图，请换个名称',
    saved_view_limit_reached: '视图已达上限，请先删除一个',
  },
};

const en: typeof zh = {
  app: {
    title: 'Loopdesk agent desk',
    signOut: 'Sign out',
    language: '中文',
    notForYou: 'This page is not part of your role.',
  },
  login: { username: 'Username', password: 'Password', submit: 'Sign in', busy: 'Signing in…' },
  nav: {
    queue: 'Queues',
    new: 'New ticket',
    board: 'Board',
    main: 'Main navigation',
    groups: { work: 'Work', quality: 'Quality & training', manage: 'Manage' },
  },
  views: { mine: 'Mine', unassigned: 'Unassigned', due_soon: 'Due soon', breached: 'Breached', vip: 'VIP', all: 'All' },
  savedViews: {
    title: 'My views',
    empty: 'Save the filters you use often as a view, to open them in one click',
    add: 'Save these filters as a view',
    name: 'View name',
    save: 'Save',
    saving: 'Saving…',
    cancel: 'Cancel',
    remove: 'Delete the view "{{name}}"',
  },
  filters: {
    type: 'Type',
    grade: 'Grade',
    status: 'Status',
    any: 'Any',
    search: 'Search number or words ( / )',
    sortDue: 'Sort by due time',
  },
  list: {
    number: 'Number',
    subject: 'Subject',
    customer: 'Customer',
    status: 'Status',
    priority: 'Priority',
    assignee: 'Assignee',
    due: 'Due',
    empty: 'No tickets here. Try another view or filter.',
    emptyOrCreate: 'No tickets here. Try another view or filter, or create a ticket.',
    noNumber: 'No ticket {{number}} that you may read.',
    more: 'Load more',
    loading: 'Loading…',
    count: '{{count}} shown',
  },
  type: { inquiry: 'Inquiry', fault: 'Fault', complaint: 'Complaint', service_request: 'Service request' },
  status: {
    new: 'New',
    assigned: 'Assigned',
    in_progress: 'In progress',
    pending_customer: 'Waiting for customer',
    pending_department: 'Waiting for department',
    resolved: 'Resolved',
    closed: 'Closed',
  },
  tier: { vip: 'VIP', gold: 'Gold', silver: 'Silver', regular: 'Regular' },
  action: {
    start: 'Start',
    wait_customer: 'Wait for customer',
    wait_department: 'Wait for department',
    resume: 'Resume',
    resolve: 'Resolve',
    close: 'Close',
    reopen: 'Reopen',
  },
  ticket: {
    owner: 'First-contact owner',
    assignee: 'Assignee',
    team: 'Queue',
    tier1: 'Tier 1',
    tier2: 'Tier 2',
    repeat: 'Repeat contact',
    customer: 'Customer',
    reveal: 'Reveal full number',
    revealReason: 'Reason (kept in the personal-data access log)',
    history: 'Past tickets',
    timeline: 'Timeline',
    reply: 'Reply to customer',
    note: 'Internal note',
    send: 'Send',
    sending: 'Sending…',
    macro: 'Canned reply',
    escalate: 'Escalate to tier 2',
    escalateNote: 'Handoff note (required)',
    deEscalate: 'Back to tier 1',
    subtasks: 'Department tasks',
    blocking: 'blocking',
    none: 'None',
    take: 'Take it',
    slaNone: 'No running time limits',
    unassigned: 'Unassigned',
    shortcuts: {
      prefix: 'Keys: ',
      reply: 'r reply',
      note: 'n note',
      escalate: 'e escalate',
      search: '/ search',
      move: 'j/k move',
      open: 'Enter open',
      queue: 'g q queues',
      new: 'g n new',
      board: 'g b board',
      inbox: 'g i inbox',
      replies: 'Ctrl+K replies',
      send: 'Ctrl+Enter send',
    },
    attachments: 'Attachments',
    idNumber: 'ID number',
    address: 'Address',
    revealField: 'Show',
    revealSubmit: 'Reveal',
    phone: 'Numbers',
    cancel: 'Cancel',
    deEscalateNote: 'Note for tier 1 (required)',
    routedTitle: 'Ticket created and routed to: {{team}}',
    routedNone: 'Ticket created; not on any queue yet',
    escalateTeam: 'Expert team',
    anyExpert: 'Default tier-2 queue',
    subtaskNew: 'New department task',
    subtaskTeam: 'Department',
    subtaskTitle: 'Task',
    subtaskDue: 'Time limit (minutes, optional)',
    subtaskAdd: 'Hand over',
    subtaskDone: 'Done',
    subtaskCancel: 'Cancel task',
    subtaskResult: 'Result (required)',
    subtaskReason: 'Reason (required)',
    subtaskDueAt: 'due',
    upload: 'Upload a file',
    uploading: 'Uploading…',
    noAttachments: 'No files yet',
  },
  subtaskStatus: { open: 'Open', done: 'Done', cancelled: 'Cancelled' },
  routing: {
    matched: "Matched rule '{{name}}': {{effects}}",
    noMatch: 'No routing rule matched; the ticket stays in the creator’s queue',
    intake: 'No routing rule chose a queue; it went to its channel’s intake queue: {{queue}}',
    noChange: 'no change (an earlier rule already set it)',
    separator: ', ',
    queue: 'to {{queue}}',
    grade: 'grade {{from}} → {{to}}',
    priority: 'priority → P{{priority}}',
    tag: 'tag +{{tag}}',
    slaPolicy: 'SLA policy → {{policy}}',
  },
  sla: {
    ok: 'On track',
    warning: 'Warning',
    breached: 'Breached',
    paused: 'Paused',
    met: 'Met',
    left: '{{time}} left',
    over: '{{time}} over',
    onHold: 'outside business hours',
    onHoldHint: 'The business calendar is closed: this limit is not counting now',
    metric: {
      first_response: 'First response',
      diagnosis: 'Diagnosis',
      handling_plan: 'Handling plan',
      resolution: 'Resolution',
    },
  },
  board: {
    title: 'Supervisor board',
    queues: 'Queues',
    open: 'Open',
    oldest: 'Oldest waiting',
    agents: 'Agents',
    load: 'Load',
    presence: 'Presence',
    reassign: 'Reassign',
    to: 'Reassign to',
    dropHint: 'Drag a ticket onto an agent to reassign it',
    atRisk: 'Tickets in warning or breached',
    openOf: 'Open tickets: {{name}}',
  },
  presence: { online: 'Online', away: 'Away', offline: 'Offline' },
  live: { openTicket: 'Open ticket {{n}}' },
  apiError: {
    unknown: 'Something went wrong; please try again',
    network: 'The server cannot be reached; check the connection and try again',
    auth_invalid_credentials: 'Wrong username or password',
    auth_required: 'Your session has ended; sign in again',
    auth_forbidden: 'You may not do this',
    auth_csrf_token_invalid: 'This page is out of date; reload and try again',
    auth_rate_limited: 'Too many attempts; wait a moment',
    request_invalid: 'Some input is not valid',
    resource_not_found: 'Not found (deleted, or not yours to see)',
    ticket_invalid_transition: 'Not allowed in the ticket’s current status',
    ticket_reply_required: 'Reply to the customer before resolving or closing (closed loop)',
    ticket_blocking_subtasks_open: 'Blocking department tasks are still open',
    ticket_already_escalated: 'Already at tier 2',
    ticket_not_escalated: 'Not at tier 2',
    ticket_version_conflict: 'Someone else changed the ticket; reload and try again',
    ticket_assignee_at_capacity: 'That agent is at capacity',
    ticket_assignee_unavailable: 'That agent is not available',
    ticket_assignee_invalid: 'Cannot assign to that person',
    ticket_category_type_mismatch: 'The category does not fit the ticket type',
    attachment_too_large: 'The file is too large',
    attachment_type_not_allowed: 'This file type is not allowed',
    message_no_contact: 'The customer has no contact on that channel',
    pii_reveal_not_allowed: 'You may not reveal this data',
    subtask_invalid_state: 'The task is already finished',
    idempotency_key_reused: 'Duplicate request; reload and try again',
    saved_view_name_taken: 'You already have a view by that name',
    saved_view_limit_reached: 'You have as many views as allowed; delete one first',
  },
};

const LANGUAGE_KEY = 'loopdesk.lang';

export type Texts = { zh: Record<string, unknown>; en: Record<string, unknown> };

function merge(into: Record<string, unknown>, from: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(from)) {
    const existing = into[key];
    into[key] =
      existing && typeof existing === 'object' && value && typeof value === 'object'
        ? merge({ ...(existing as Record<string, unknown>) }, value as Record<string, unknown>)
        : value;
  }
  return into;
}

/**
 * The texts above (shared by the desk and the portal) plus each page's own areas (files under
 * locales/, merged key by key), so a page carries only the texts it shows.
 */
export function initI18n(areas: readonly Texts[] = []) {
  const lng = localStorage.getItem(LANGUAGE_KEY) ?? (navigator.language.startsWith('en') ? 'en' : 'zh');
  const texts = areas.reduce<Texts>((all, area) => ({ zh: merge(all.zh, area.zh), en: merge(all.en, area.en) }), {
    zh: { ...zh },
    en: { ...en },
  });
  void i18next.use(initReactI18next).init({
    resources: { zh: { translation: texts.zh }, en: { translation: texts.en } },
    lng,
    fallbackLng: 'zh',
    interpolation: { escapeValue: false },
  });
  document.documentElement.lang = lng === 'en' ? 'en' : 'zh-CN';
  return i18next;
}

export function toggleLanguage() {
  const next = i18next.language === 'en' ? 'zh' : 'en';
  localStorage.setItem(LANGUAGE_KEY, next);
  document.documentElement.lang = next === 'en' ? 'en' : 'zh-CN';
  void i18next.changeLanguage(next);
}

/** The installation's time zone (from the session); until it is known, the browser's. */
let installationZone: string | undefined;
export const setTimeZone = (zone: string) => {
  installationZone = zone;
};

/** The wall-clock fields of an instant in the installation's zone. */
function wallClock(ms: number): { y: number; mo: number; d: number; h: number; mi: number } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: installationZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(new Date(ms));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { y: n('year'), mo: n('month'), d: n('day'), h: n('hour'), mi: n('minute') };
}

/**
 * An instant as the value of a `datetime-local` (or, with `date`, a `date`) input in the
 * installation's zone, so a time typed on the desk means the same wherever the browser is.
 */
export function toZonedInput(iso: string | null | undefined, kind: 'datetime' | 'date' = 'datetime'): string {
  if (!iso) return '';
  const ms = new Date(iso).getTime();
  if (Number.isNaN(ms)) return '';
  const w = wallClock(ms);
  const pad = (v: number, width = 2) => String(v).padStart(width, '0');
  const day = `${pad(w.y, 4)}-${pad(w.mo)}-${pad(w.d)}`;
  return kind === 'date' ? day : `${day}T${pad(w.h)}:${pad(w.mi)}`;
}

/**
 * A `datetime-local` value (or a `date` value, meaning its first minute, or with `endOfDay` its last
 * second) read as wall-clock time in the installation's zone, as an ISO instant; null when empty or
 * not a time.
 */
export function fromZonedInput(value: string, endOfDay = false): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0'].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const wanted = Date.UTC(y, mo - 1, d, h, mi) + (endOfDay && m[4] === undefined ? 86_399_000 : 0);
  // The zone's offset at the wanted wall time, found from a first guess and checked once more (DST).
  const offsetAt = (ms: number) => {
    const w = wallClock(ms);
    return Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi) - Math.floor(ms / 60_000) * 60_000;
  };
  let instant = wanted - offsetAt(wanted);
  instant = wanted - offsetAt(instant);
  return new Date(instant).toISOString();
}

/**
 * A date and time as the desk writes it, on every screen: in the installation's time zone (the one
 * the API works in, whatever zone the browser is in) and one format per language (zh-CN, en-GB);
 * `short` (true) leaves out the year and seconds (due times), `time` writes the time of day only,
 * `date` the day only.
 */
export function formatDateTime(iso: string, lang: string, style: boolean | 'time' | 'date' = false): string {
  const options: Intl.DateTimeFormatOptions =
    style === 'time'
      ? { hour: '2-digit', minute: '2-digit', second: '2-digit' }
      : style === 'date'
        ? { year: 'numeric', month: 'numeric', day: 'numeric' }
        : style
          ? { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' }
          : {
              year: 'numeric',
              month: 'numeric',
              day: 'numeric',
              hour: '2-digit',
              minute: '2-digit',
              second: '2-digit',
            };
  return new Date(iso).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', { ...options, timeZone: installationZone });
}

/**
 * Milliseconds as "1 h 05 min" / "1小时05分" (with seconds under an hour when asked, for countdowns).
 * Always rounded down, so every countdown of one limit shows the same time however it is written.
 */
export function formatDuration(ms: number, lang: string, seconds = false): string {
  const totalSeconds = Math.floor(Math.abs(ms) / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const d = Math.floor(h / 24);
  if (d >= 2) return lang === 'en' ? `${d} d ${h % 24} h` : `${d}天${h % 24}小时`;
  if (seconds && h === 0) {
    const s = String(totalSeconds % 60).padStart(2, '0');
    return lang === 'en' ? `${m} min ${s} s` : `${m}分${s}秒`;
  }
  if (lang === 'en') return h > 0 ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min`;
  return h > 0 ? `${h}小时${String(m).padStart(2, '0')}分` : `${m}分钟`;
}
