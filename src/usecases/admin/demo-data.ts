import { count, desc, eq, sql } from 'drizzle-orm';
import { v5 as uuidv5 } from 'uuid';
import type { Actor } from '../../core/auth/policy.js';
import type { Role, TicketType } from '../../core/tickets/types.js';
import { hashPassword } from '../auth/passwords.js';
import { createCustomer } from '../customers/customers.js';
import type { Deps } from '../deps.js';
import { replySearchText } from '../desk/replies.js';
import { addMessage } from '../tickets/add-message.js';
import { assignTicket } from '../tickets/assign-ticket.js';
import { createTicket } from '../tickets/create-ticket.js';
import { recordCustomerConfirmation, transitionTicket } from '../tickets/transition-ticket.js';
import { categoryId } from '../../db/reference-data.js';
import {
  agentCertifications,
  agentProfiles,
  customers,
  outbox,
  replies,
  staff,
  teams,
  tickets as ticketsT,
} from '../../db/schema.js';
import type { MacroActions } from '../../core/replies/macro.js';
import { COMPLAINT_SPECIALIST, defaultTier, missingCertifications } from '../../core/routing/assignment.js';
import { createArticle } from '../knowledge/save-article.js';
import { moveArticle } from '../knowledge/review-article.js';

// Demo data for a first look: teams, one account per role, ~50 customers and ~200 tickets in
// mixed states, all in Chinese. Deterministic (seeded random numbers), created through the same
// use cases the API uses so timelines are real.

export const DEMO_PASSWORD = 'loopdesk-demo';
const NS = '5c0a2a8e-2f0e-4a4e-8a1c-7d3b6f1e9a42';
const id = (s: string) => uuidv5(s, NS);

const TEAMS = [
  { code: 'frontline', name: '一线客服组', kind: 'frontline', restricted: false, assignmentStrategy: 'least_loaded' },
  { code: 'expert', name: '二线专家组', kind: 'expert', restricted: false, assignmentStrategy: 'round_robin' },
  { code: 'vip-desk', name: 'VIP专席', kind: 'vip', restricted: true, assignmentStrategy: 'least_loaded' },
  { code: 'supervisors', name: '值班长', kind: 'supervisor', restricted: false },
  { code: 'network-ops', name: '网络运维部', kind: 'department', restricted: false },
  { code: 'billing', name: '计费账务部', kind: 'department', restricted: false },
] as const;

const STAFF: { username: string; name: string; role: Role; team: string | null }[] = [
  { username: 'admin', name: '系统管理员', role: 'admin', team: null },
  { username: 'supervisor', name: '周班长', role: 'supervisor', team: 'supervisors' },
  { username: 'agent', name: '李小梅', role: 'agent', team: 'frontline' },
  { username: 'agent2', name: '王磊', role: 'agent', team: 'frontline' },
  { username: 'agent3', name: '陈静', role: 'agent', team: 'frontline' },
  { username: 'vip-agent', name: '刘芳', role: 'agent', team: 'vip-desk' },
  { username: 'expert', name: '赵工', role: 'expert', team: 'expert' },
  { username: 'qa', name: '孙质检', role: 'qa', team: null },
  { username: 'netops', name: '吴网优', role: 'department', team: 'network-ops' },
  { username: 'billing', name: '郑账务', role: 'department', team: 'billing' },
];

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高'.split('');
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '秀英',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀兰',
  '霞',
];
const CITIES = [
  ['广东省广州市天河区', '广州'],
  ['广东省深圳市南山区', '深圳'],
  ['北京市朝阳区', '北京'],
  ['上海市浦东新区', '上海'],
  ['浙江省杭州市西湖区', '杭州'],
] as const;
const PLANS = ['5G畅享套餐129元', '5G智享套餐199元', '4G畅聊套餐58元', '千兆宽带融合套餐', '家庭亲情副卡', '流量日包'];

const TEMPLATES: { type: TicketType; category: string; subject: string; description: string; grade?: string }[] = [
  {
    type: 'fault',
    category: 'fault-network-no-signal',
    subject: '小区手机无信号',
    description: '客户反映近三天在家中手机无信号，无法接打电话，邻居也有同样问题。',
  },
  {
    type: 'fault',
    category: 'fault-network-slow',
    subject: '5G网速慢',
    description: '晚上八点后5G网速很慢，测速不到2Mbps，看视频一直卡顿。',
  },
  {
    type: 'fault',
    category: 'fault-broadband-down',
    subject: '宽带频繁掉线',
    description: '家里宽带每天掉线十几次，光猫指示灯闪红，重启后仍然掉线。',
  },
  {
    type: 'fault',
    category: 'fault-terminal',
    subject: '光猫故障',
    description: '光猫电源灯不亮，已更换插座仍无法开机，需要上门更换。',
  },
  {
    type: 'complaint',
    category: 'complaint-billing',
    subject: '流量扣费异常',
    description: '本月账单多扣了58元流量费，我开通了流量包，要求退费并解释原因。',
  },
  {
    type: 'complaint',
    category: 'complaint-attitude',
    subject: '营业厅服务态度差',
    description: '在营业厅办理携号转网时工作人员态度恶劣，排队一个小时无人处理。',
  },
  {
    type: 'complaint',
    category: 'complaint-network',
    subject: '信号差多次投诉未解决',
    description: '已经第三次投诉办公室信号差，再不解决就向工信部投诉。',
    grade: 'major',
  },
  {
    type: 'complaint',
    category: 'complaint-billing',
    subject: '未经同意开通增值业务',
    description: '发现被开通了彩铃和视频会员，本人从未订购，要求退费，否则找媒体曝光。',
    grade: 'urgent',
  },
  {
    type: 'complaint',
    category: 'complaint-after-sales',
    subject: '宽带安装师傅迟到',
    description: '预约上午安装宽带，师傅下午四点才到，浪费一天时间。',
  },
  {
    type: 'inquiry',
    category: 'inquiry-tariff',
    subject: '咨询5G套餐资费',
    description: '想了解199元5G套餐包含多少流量和通话分钟数，能否加副卡。',
  },
  {
    type: 'inquiry',
    category: 'inquiry-bill',
    subject: '账单明细查询',
    description: '上个月话费比平时多了30元，想查询账单明细。',
  },
  {
    type: 'inquiry',
    category: 'inquiry-rules',
    subject: '国际漫游怎么开通',
    description: '下周去日本出差，请问国际漫游如何开通，资费多少。',
  },
  {
    type: 'service_request',
    category: 'request-plan-change',
    subject: '变更套餐',
    description: '申请从58元套餐改为129元5G套餐，下月生效。',
  },
  {
    type: 'service_request',
    category: 'request-suspend',
    subject: '申请停机保号',
    description: '出国一年，申请停机保号，保留号码。',
  },
  {
    type: 'service_request',
    category: 'request-install',
    subject: '新装千兆宽带',
    description: '新房入住，申请安装千兆宽带，地址已提供。',
  },
  {
    type: 'service_request',
    category: 'request-disconnect',
    subject: '宽带拆机',
    description: '搬家了，申请原地址宽带拆机并退还光猫押金。',
  },
];

// Each with the greeting and a closing the default phrase lists require, as a trained agent writes.
const REPLIES = [
  '您好，已收到您的反馈，我们正在安排处理，请保持电话畅通。感谢您的耐心。',
  '您好，经核实，问题已处理完毕，如仍有疑问请随时联系我们。祝您生活愉快！',
  '您好，已为您提交网络运维部门排查，预计24小时内给您回复。感谢您的耐心。',
];

/** Published public articles, so the bot, the portal's FAQ and the desk's suggestions have answers. */
const ARTICLES: {
  title: string;
  category: string;
  tags: string[];
  symptom: string;
  cause: string;
  resolution: string;
}[] = [
  {
    title: '宽带断网、频繁掉线怎么办',
    category: '宽带',
    tags: ['宽带', '断网', '掉线', '光猫'],
    symptom: '家里宽带上不了网，或者每天掉线好几次，光猫指示灯闪红或熄灭。',
    cause: '常见原因是光猫或路由器长时间运行过热、光纤接头松动，或所在小区线路正在检修。',
    resolution:
      '请先将光猫和路由器断电 30 秒后重新开机；检查光纤接头是否插紧、LOS 灯是否闪红。仍无法上网请拨打客服热线或在线报修，我们将安排工程师上门检修。',
  },
  {
    title: '如何查询本月话费和账单明细',
    category: '资费账单',
    tags: ['话费', '账单', '扣费', '查询'],
    symptom: '想知道本月已经用了多少话费，或者对某一笔扣费有疑问。',
    cause: '话费按套餐月租、超出套餐的通话和流量、以及订购的增值业务分别计费。',
    resolution:
      '在营业厅 App 的“我的—账单”中可查看本月实时话费和每一笔扣费明细；也可发送短信“CXHF”到客服号码查询。对扣费有异议可直接发起投诉，我们会在 2 个工作日内核查回复。',
  },
  {
    title: '如何查询剩余流量',
    category: '流量',
    tags: ['流量', '剩余', '查询', '套餐'],
    symptom: '担心流量不够用，想查询本月还剩多少流量。',
    cause: '套餐内流量、加油包和定向流量分别计算，查询时会分项显示。',
    resolution:
      '在营业厅 App 首页即可看到剩余通用流量和定向流量；也可发送短信“CXLL”到客服号码查询。流量即将用完时可订购流量加油包，当月有效。',
  },
  {
    title: '手机没有信号或信号差的自查方法',
    category: '网络信号',
    tags: ['信号', '无信号', '手机', '基站'],
    symptom: '手机显示无服务、信号只有一格，电话打不出去或经常断线。',
    cause: '可能是所在位置覆盖较弱（地下室、电梯）、手机设置问题、SIM 卡接触不良，或附近基站正在维护。',
    resolution:
      '请先开关一次飞行模式并重启手机；检查是否误关了移动网络或选错了运营商网络；换个位置再试。若同一地点长期无信号，请报修并告诉我们详细地址，我们会安排网络优化。',
  },
];

/** Managed replies (快捷回复) every desk starts with: global texts in both languages, a team's, and one macro. */
const MANAGED_REPLIES: { name: string; body: string; team?: string; actions?: MacroActions }[] = [
  {
    name: '受理确认',
    body: '{{customer.name}}您好，您反映的问题已登记（工单号 {{ticket.number}}），我们会尽快处理并与您联系，请保持电话畅通。',
  },
  {
    name: '处理完毕',
    body: '{{customer.name}}您好，工单 {{ticket.number}} 已处理完毕。如仍有问题，请直接回复或拨打客服热线，我们将继续为您跟进。',
  },
  {
    name: '网络故障安抚',
    body: '{{customer.name}}您好，您所在区域的网络故障已提交网络运维部门抢修，预计24小时内恢复，恢复后我们会短信通知您。给您带来不便，深表歉意。',
  },
  {
    name: '话费争议核实',
    body: '{{customer.name}}您好，关于您对本月话费的疑问，我们已申请账务部门核查明细，核查结果将在2个工作日内回复您。',
  },
  {
    name: 'Acknowledge',
    body: 'Dear {{customer.name}}, we have registered your request ({{ticket.number}}) and will get back to you shortly.',
  },
  {
    name: 'Resolved',
    body: 'Dear {{customer.name}}, ticket {{ticket.number}} has been handled. If anything is still wrong, just reply to this message.',
  },
  {
    name: '一线首问负责',
    team: 'frontline',
    body: '{{customer.name}}您好，我是客服{{agent.name}}，您的问题由我全程跟进，有进展会第一时间告知您。',
  },
  {
    name: '预约上门检修',
    body: '{{customer.name}}您好，我们已安排装维人员上门检修，稍后会电话与您预约具体时间。客服{{agent.name}}',
    actions: {
      status: 'wait_customer',
      addTags: ['上门检修'],
      note: '已约上门检修，等待客户确认时间（联系号码 {{customer.phone}}）。',
    },
  },
];

function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

export async function hasStaff(deps: Deps): Promise<boolean> {
  const [row] = await deps.db.select({ n: count() }).from(staff);
  return (row?.n ?? 0) > 0;
}

/** Seeds the demo organisation. Call only on an empty database. Returns the sign-in accounts. */
export async function seedDemoData(deps: Deps, opts: { tickets?: number; customers?: number } = {}) {
  const rnd = random(20261122);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const realNow = deps.clock.now();

  await deps.db.insert(teams).values(TEAMS.map((t) => ({ id: id(`team:${t.code}`), ...t, createdAt: realNow })));
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await deps.db.insert(staff).values(
    STAFF.map((s) => ({
      id: id(`staff:${s.username}`),
      username: s.username,
      displayName: s.name,
      passwordHash,
      role: s.role,
      teamId: s.team ? id(`team:${s.team}`) : null,
      createdAt: realNow,
    })),
  );
  const actor = (username: string): Actor => {
    const s = STAFF.find((x) => x.username === username)!;
    return { id: id(`staff:${username}`), role: s.role, teamId: s.team ? id(`team:${s.team}`) : null };
  };

  const customerIds: string[] = [];
  const admin = actor('admin');
  for (let i = 0; i < (opts.customers ?? 50); i++) {
    const [address, region] = pick(CITIES);
    const tier = i < 5 ? 'vip' : i < 12 ? 'gold' : i < 25 ? 'silver' : 'regular';
    // Customers since 1–10 years, a few of them new this quarter (a churn-risk factor).
    const tenureDays = i % 9 === 4 ? 10 + Math.floor(rnd() * 60) : 365 + Math.floor(rnd() * 3285);
    const joined = new Date(realNow.getTime() - tenureDays * 86_400_000);
    customerIds.push(
      await createCustomer({ ...deps, clock: { now: () => joined } }, admin, {
        name: pick(SURNAMES) + pick(GIVEN),
        numbers: [`13${8 - (i % 3)}${String(10_000_000 + i * 7_919).slice(0, 8)}`],
        idNumber: `4401061985${String(1 + (i % 12)).padStart(2, '0')}${String(10 + (i % 18)).padStart(2, '0')}${String(100 + i).slice(-3)}${i % 10}`,
        address: `${address}${pick(['中山路', '人民路', '科技园路', '解放大道'])}${10 + i}号`,
        tier,
        region,
        plans: [pick(PLANS), ...(rnd() < 0.4 ? [pick(PLANS)] : [])],
      }),
    );
  }

  // A working day in progress: the open tickets came in over the last few hours and are being
  // worked (most within their time limits, some near them, a few over); the resolved and closed
  // ones are the month before. Each ticket is created, assigned and worked with a clock the use
  // cases read, in order of creation so numbers follow dates.
  const agents = ['agent', 'agent2', 'agent3', 'vip-agent', 'expert'];
  // Complaint specialists: VIP and urgent complaints go only to them (the assignment rule).
  const certified = ['vip-agent', 'expert'];
  await deps.db
    .insert(agentCertifications)
    .values(certified.map((name) => ({ staffId: id(`staff:${name}`), code: COMPLAINT_SPECIALIST })));
  const total = opts.tickets ?? 200;
  const now = realNow.getTime();
  const plans = Array.from({ length: total }, () => {
    const stage = rnd();
    const open = stage < 0.62;
    // Open: minutes ago, most of them recent (the square bunches them towards now).
    const age = open ? (5 + rnd() ** 1.5 * 235) * 60_000 : (1 + rnd() * 29) * 86_400_000;
    return { stage, createdAt: now - age, template: pick(TEMPLATES) };
  }).sort((a, b) => a.createdAt - b.createdAt);
  let simulated = now;
  const clockDeps: Deps = { ...deps, clock: { now: () => new Date(Math.min(simulated, now)) } };
  let tickets = 0;
  let open = 0;
  /** Open tickets each agent holds so far. */
  const load = new Map<string, number>();
  for (const { stage, createdAt, template } of plans) {
    simulated = createdAt;
    // Work on an open ticket happens between its arrival and now.
    const step = Math.min((now - createdAt) / 4, stage < 0.62 ? 20 * 60_000 : 3_600_000);
    const owner = actor(pick(agents.slice(0, 3)));
    tickets++;
    if (stage < 0.62) open++;
    const { ticketId } = await createTicket(clockDeps, owner, {
      type: template.type,
      categoryId: categoryId(template.category),
      grade: template.grade ?? 'general',
      channel: pick(['hotline', 'hotline', 'app', 'web', 'wechat', 'sms', 'email', 'shop'] as const),
      subject: template.subject,
      description: template.description,
      customerId: pick(customerIds),
      details:
        template.type === 'fault'
          ? { scope: pick(['single_user', 'building', 'area'] as const), location: pick(CITIES)[0] }
          : {},
      tags: [],
      assignToMe: false,
    });
    if (stage < 0.1) continue; // new, unassigned
    simulated += step * rnd();
    // The one with the least open work among those who may take it, as a least-loaded queue would have chosen.
    const [facts] = await deps.db
      .select({ type: ticketsT.type, grade: ticketsT.grade, channel: ticketsT.channel, customerTier: customers.tier })
      .from(ticketsT)
      .innerJoin(customers, eq(customers.id, ticketsT.customerId))
      .where(eq(ticketsT.id, ticketId));
    const may = agents.filter(
      (a) => missingCertifications(facts!, new Set(certified.includes(a) ? [COMPLAINT_SPECIALIST] : [])).length === 0,
    );
    const least = Math.min(...may.map((a) => load.get(a) ?? 0));
    const name = pick(may.filter((a) => (load.get(a) ?? 0) === least));
    if (stage < 0.62) load.set(name, least + 1);
    const assignee = actor(name);
    // As admin: routing may have put the ticket in a restricted queue (VIP desk) that may be closed to supervisors.
    await assignTicket(clockDeps, actor('admin'), ticketId, { assigneeId: assignee.id });
    if (stage < 0.18) continue; // assigned
    simulated += step * rnd();
    await transitionTicket(clockDeps, assignee, ticketId, { action: 'start' });
    if (stage < 0.26) continue; // in progress, no reply yet
    simulated += step * rnd();
    await addMessage(clockDeps, assignee, ticketId, { visibility: 'public', body: pick(REPLIES), format: 'text' });
    if (stage < 0.4) continue; // in progress, answered
    if (stage < 0.52) {
      await transitionTicket(clockDeps, assignee, ticketId, { action: 'wait_customer' });
      continue;
    }
    if (stage < 0.62) {
      await addMessage(clockDeps, assignee, ticketId, {
        visibility: 'internal',
        body: '已转网络运维部排查基站告警。',
        format: 'text',
      });
      await transitionTicket(clockDeps, assignee, ticketId, { action: 'wait_department' });
      continue;
    }
    simulated += step * rnd();
    await transitionTicket(clockDeps, assignee, ticketId, { action: 'resolve' });
    if (stage < 0.8) continue; // resolved, awaiting confirmation
    // The customer confirmed on the phone that it is solved, as the agent recorded.
    await recordCustomerConfirmation(clockDeps, assignee, ticketId, { solved: true });
  }
  // The replies above were "sent" in the simulated past: they stay in the outbox as delivered then,
  // instead of going out (or into the development log) now.
  const held = await deps.db
    .update(outbox)
    .set({ state: 'sent', sentAt: sql`${outbox.createdAt}` })
    .where(eq(outbox.state, 'pending'))
    .returning({ channel: outbox.channel });
  // One SMS reply the gateway refused, so the supervisors' dead-letter list has something to show.
  const [undelivered] = await deps.db
    .select({ id: outbox.id, recipient: outbox.recipient })
    .from(outbox)
    .where(eq(outbox.channel, 'sms'))
    .orderBy(desc(outbox.createdAt))
    .limit(1);
  if (undelivered)
    await deps.db
      .update(outbox)
      .set({
        state: 'dead',
        sentAt: null,
        attempts: 8,
        lastError: `SMS gateway 400: number ${undelivered.recipient} is not in service`,
      })
      .where(eq(outbox.id, undelivered.id));
  // Profiles last (the history above was assigned by hand). Everyone starts offline: going online
  // in the desk is what makes the queues hand out work.
  await deps.db.insert(agentProfiles).values(
    STAFF.filter((s) => s.role === 'agent' || s.role === 'expert').map((s) => ({
      staffId: id(`staff:${s.username}`),
      tier: defaultTier(s.role),
      // Concurrent open tickets (not calls): the demo's day in progress keeps everyone below it.
      capacity: 40,
      presence: 'offline',
      skills: { categories: [], languages: s.username === 'agent3' ? ['zh', 'en'] : ['zh'], regions: [] },
    })),
  );
  await deps.db.insert(replies).values(
    MANAGED_REPLIES.map((r) => ({
      id: id(`reply:${r.name}`),
      scope: r.team ? ('team' as const) : ('global' as const),
      teamId: r.team ? id(`team:${r.team}`) : null,
      name: r.name,
      body: r.body,
      actions: r.actions ?? {},
      searchText: replySearchText(deps.indexText, r.name, r.body, r.actions ?? {}),
      createdById: id('staff:supervisor'),
      createdAt: realNow,
      updatedAt: realNow,
    })),
  );
  // Knowledge: written by the expert, approved and published by the supervisor (the review workflow).
  const [expert, supervisor] = [actor('expert'), actor('supervisor')];
  for (const a of ARTICLES) {
    const articleId = await createArticle(deps, expert, {
      title: a.title,
      body: `<p>${a.resolution}</p>`,
      category: a.category,
      tags: a.tags,
      audience: 'public',
      region: null,
      effectiveFrom: null,
      effectiveUntil: null,
      symptom: a.symptom,
      cause: a.cause,
      resolution: a.resolution,
    });
    await moveArticle(deps, expert, articleId, { action: 'submit', baseVersion: 1 });
    await moveArticle(deps, supervisor, articleId, { action: 'approve', baseVersion: 1 });
    await moveArticle(deps, supervisor, articleId, { action: 'publish', baseVersion: 1 });
  }
  return {
    accounts: STAFF.map((s) => ({ username: s.username, role: s.role, name: s.name })),
    tickets,
    open,
    /** Outbound messages of the demo's history, by channel (kept as delivered, never sent). */
    outbox: Object.entries(
      held.reduce<Record<string, number>>((n, r) => ({ ...n, [r.channel]: (n[r.channel] ?? 0) + 1 }), {}),
    ),
  };
}

/** One line about what was loaded, e.g. "demo: 200 tickets (124 open), 38 sms and 9 email replies kept in the outbox as delivered (nothing sent)". */
export function demoSummary(demo: Awaited<ReturnType<typeof seedDemoData>>): string {
  const held = demo.outbox.map(([channel, n]) => `${n} ${channel}`).join(' and ');
  return `demo: ${demo.tickets} tickets (${demo.open} open)${held ? `, ${held} replies kept in the outbox as delivered (nothing sent)` : ''}`;
}
