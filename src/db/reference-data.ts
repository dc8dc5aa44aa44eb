import { readFileSync } from 'node:fs';
import { and, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import { v5 as uuidv5 } from 'uuid';
import type { Db } from './client.js';
import { ALWAYS_OPEN, type BusinessCalendar } from '../core/sla/business-calendar.js';
import { BusinessCalendarSchema } from '../contracts/sla.js';
import { defaultSlaPolicies } from '../core/sla/sla-policy.js';
import { DEFAULT_INCIDENT_LEVELS } from '../core/incidents/incidents.js';
import {
  businessCalendars,
  categories,
  grades,
  qaScorecards,
  phraseEntries,
  incidentLevels,
  routingRules,
  rowsFromRules,
  slaPolicies,
  teams,
} from './schema.js';
import { DEFAULT_SCORECARD } from '../core/quality/scorecard.js';
import { DEFAULT_PHRASES } from '../core/quality/phrases.js';
import { DEFAULT_ROUTING_RULES } from '../core/routing/rules.js';
import type { TicketType } from '../core/tickets/types.js';
import { REGULATOR_TEAM_CODE } from '../core/regulator/referrals.js';

// Defaults every installation starts with; admins change them afterwards through the API.
// Ids are derived from the codes so every node and every run agrees on them.

const NAMESPACE = 'b3f1c1de-6a57-4c1e-9a53-1f0c3a6e5d10';
export const categoryId = (code: string): string => uuidv5(`category:${code}`, NAMESPACE);
/** Version 1 of the QA scorecard, seeded on first start (issue 14). */
export const defaultScorecardId = uuidv5('qa-scorecard:1', NAMESPACE);
/** The callback queue (issue 13): low survey ratings open callback tasks here. */
export const callbackTeamId = uuidv5('team:callback', NAMESPACE);
/** The regulator queue (issue 18): every referral case goes here, owned by supervisors (申诉处理组). */
export const regulatorTeamId = uuidv5('team:regulator-desk', NAMESPACE);

export const DEFAULT_GRADES = [
  { code: 'general', nameZh: '一般', nameEn: 'General', rank: 10 },
  { code: 'major', nameZh: '重大', nameEn: 'Major', rank: 20 },
  { code: 'urgent', nameZh: '紧急', nameEn: 'Urgent', rank: 30 },
];

type CategorySeed = {
  code: string;
  zh: string;
  en: string;
  type: TicketType;
  /** Words that suggest the category (classification suggestions); admins keep them in the console. */
  keywords: string[];
  children?: CategorySeed[];
};

export const DEFAULT_CATEGORIES: CategorySeed[] = [
  {
    code: 'inquiry-tariff',
    zh: '资费咨询',
    en: 'Tariff inquiry',
    type: 'inquiry',
    keywords: ['资费', '套餐', '月租', '价格', '多少钱', '优惠', '流量包', '收费标准', '怎么收费', '漫游'],
  },
  {
    code: 'inquiry-bill',
    zh: '账单查询',
    en: 'Bill inquiry',
    type: 'inquiry',
    keywords: ['账单', '余额', '话费', '详单', '发票', '缴费记录', '充值', '扣费明细', '已用', '剩余'],
  },
  {
    code: 'inquiry-rules',
    zh: '业务规则',
    en: 'Business rules',
    type: 'inquiry',
    keywords: ['规定', '流程', '条件', '手续', '证件', '实名', '过户', '补卡', '营业时间', '需要什么'],
  },
  {
    code: 'fault-network',
    zh: '网络故障',
    en: 'Network fault',
    type: 'fault',
    keywords: ['网络故障'],
    children: [
      {
        code: 'fault-network-no-signal',
        zh: '无信号',
        en: 'No signal',
        type: 'fault',
        keywords: ['没有信号', '无信号', '无服务', '信号', '搜不到', '打不出', '基站', '紧急呼叫'],
      },
      {
        code: 'fault-network-slow',
        zh: '网速慢',
        en: 'Slow data',
        type: 'fault',
        keywords: ['网速', '很慢', '卡顿', '缓冲', '加载', '延迟', '测速', '限速'],
      },
      {
        code: 'fault-broadband-down',
        zh: '宽带断网',
        en: 'Broadband down',
        type: 'fault',
        keywords: ['宽带', '断网', '光猫', '掉线', '上不了网', '光纤', '红灯', '拨号'],
      },
    ],
  },
  {
    code: 'fault-terminal',
    zh: '终端故障',
    en: 'Device fault',
    type: 'fault',
    keywords: ['路由器', '机顶盒', '终端', '手机坏', '黑屏', '开不了机', 'sim卡', '遥控器', '设备', '充不进电'],
  },
  {
    code: 'complaint-attitude',
    zh: '服务态度',
    en: 'Service attitude',
    type: 'complaint',
    keywords: ['态度', '服务态度', '不耐烦', '辱骂', '骂人', '营业员', '工作人员', '客服', '敷衍', '道歉'],
  },
  {
    code: 'complaint-billing',
    zh: '计费争议',
    en: 'Billing dispute',
    type: 'complaint',
    keywords: ['乱扣费', '多扣', '扣费', '退费', '退款', '收费', '扣钱', '计费', '多收', '减免'],
  },
  {
    code: 'complaint-network',
    zh: '网络质量',
    en: 'Network quality',
    type: 'complaint',
    keywords: ['信号差', '网络质量', '网络太差', '覆盖', '速率', '掉线', '网速慢', '没信号'],
  },
  {
    code: 'complaint-after-sales',
    zh: '售后服务',
    en: 'After-sales',
    type: 'complaint',
    keywords: ['售后', '维修', '上门', '装机', '保修', '退货', '换机', '拖着', '没人来', '回访'],
  },
  {
    code: 'request-install',
    zh: '新装',
    en: 'New installation',
    type: 'service_request',
    keywords: ['新装', '安装', '开通', '新办', '加装', '预约', '办一张', '申请开通', '专线', '新号码'],
  },
  {
    code: 'request-disconnect',
    zh: '拆机',
    en: 'Disconnection',
    type: 'service_request',
    keywords: ['拆机', '销户', '注销', '销号', '拆掉', '不用了', '撤掉', '拆除', '退掉', '取消宽带'],
  },
  {
    code: 'request-plan-change',
    zh: '套餐变更',
    en: 'Plan change',
    type: 'service_request',
    keywords: ['变更', '换成', '升级', '降档', '提速', '退订', '改成', '换套餐', '续约', '取消'],
  },
  {
    code: 'request-suspend',
    zh: '停机保号',
    en: 'Number suspension',
    type: 'service_request',
    keywords: ['停机', '停机保号', '保号', '复机', '挂失', '报停', '暂停', '恢复', '解挂', '开机'],
  },
];

export async function ensureReferenceData(db: Db): Promise<void> {
  await ensureSlaDefaults(db);
  await ensureRoutingDefaults(db);
  await ensurePhraseDefaults(db);
  await db.insert(grades).values(DEFAULT_GRADES).onConflictDoNothing();
  // The handbooks' QA scorecard as published version 1 (issue 14); a later version replaces it in use.
  await db
    .insert(qaScorecards)
    .values({
      id: defaultScorecardId,
      version: 1,
      name: '通用服务质检评分表',
      status: 'published',
      definition: DEFAULT_SCORECARD,
      publishedAt: sql`now()`,
    })
    .onConflictDoNothing();
  await db
    .insert(incidentLevels)
    .values([...DEFAULT_INCIDENT_LEVELS])
    .onConflictDoNothing();
  await db
    .insert(teams)
    .values({ id: callbackTeamId, code: 'callback', name: '回访组', kind: 'frontline' })
    .onConflictDoNothing();
  // Supervisors assign referral cases by hand, to certified complaint specialists only.
  await db
    .insert(teams)
    .values({ id: regulatorTeamId, code: REGULATOR_TEAM_CODE, name: '申诉处理组', kind: 'supervisor' })
    .onConflictDoNothing();
  const rows: (typeof categories.$inferInsert & { keywords: string[] })[] = [];
  const walk = (list: CategorySeed[], parentId: string | null) =>
    list.forEach((c, sort) => {
      rows.push({
        id: categoryId(c.code),
        parentId,
        code: c.code,
        nameZh: c.zh,
        nameEn: c.en,
        ticketType: c.type,
        keywords: c.keywords,
        sort,
      });
      walk(c.children ?? [], categoryId(c.code));
    });
  walk(DEFAULT_CATEGORIES, null);
  const existing = await db.select({ id: categories.id }).from(categories).where(eq(categories.code, 'inquiry-tariff'));
  if (existing.length === 0) {
    await db.insert(categories).values(rows).onConflictDoNothing();
    return;
  }
  // A database from before keywords (0039): the shipped categories get the shipped keywords once;
  // an empty list an administrator saved stays empty.
  const unset = await db
    .select({ id: categories.id })
    .from(categories)
    .where(
      and(
        isNull(categories.keywords),
        inArray(
          categories.id,
          rows.map((r) => r.id),
        ),
      ),
    );
  for (const { id } of unset)
    await db
      .update(categories)
      .set({ keywords: rows.find((r) => r.id === id)!.keywords })
      .where(and(eq(categories.id, id), isNull(categories.keywords)));
}

/** The State Council's schedules shipped with the app, one file a year (calendars/cn-YYYY.json). */
const SHIPPED_CHINA_YEARS = ['2025', '2026'] as const;

/**
 * The shipped China business calendar: the shipped years' holidays and make-up working days in one
 * calendar. It is data: admins import each new year's schedule in the console (the .ics beside it).
 */
export function shippedChinaCalendar(): BusinessCalendar {
  const years = SHIPPED_CHINA_YEARS.map((year) =>
    BusinessCalendarSchema.parse(
      JSON.parse(readFileSync(new URL(`../../calendars/cn-${year}.json`, import.meta.url), 'utf8')),
    ),
  );
  const [first] = years;
  return BusinessCalendarSchema.parse({
    ...first!,
    id: 'cn-business',
    name: `中国大陆工作日（国务院办公厅节假日安排 ${SHIPPED_CHINA_YEARS.join('–')}）`,
    holidays: years.flatMap((y) => y.holidays),
    workdays: years.flatMap((y) => y.workdays),
  });
}

/** First start: the 24×7 and China business calendars and the handbook's default policies. */
export async function ensureSlaDefaults(db: Db): Promise<void> {
  const china = shippedChinaCalendar();
  await db
    .insert(businessCalendars)
    .values([
      { id: ALWAYS_OPEN.id, name: ALWAYS_OPEN.name, definition: ALWAYS_OPEN },
      { id: china.id, name: china.name, definition: china },
    ])
    .onConflictDoNothing();
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(slaPolicies);
  if (n === 0) {
    await db
      .insert(slaPolicies)
      .values(
        defaultSlaPolicies().map((p) => ({
          id: p.id,
          name: p.name,
          position: p.position,
          active: p.active,
          definition: p,
        })),
      )
      .onConflictDoNothing();
  }
}

/** First start: the handbook's routing rules. An admin who wants none disables them (an empty set is re-seeded). */
async function ensureRoutingDefaults(db: Db): Promise<void> {
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(routingRules);
  if (n > 0) return;
  await db.insert(routingRules).values(rowsFromRules(DEFAULT_ROUTING_RULES)).onConflictDoNothing();
}

/**
 * First start: the handbook's risk words, script phrases and forbidden phrases. An admin who wants
 * none disables them (an empty table is seeded again). Grades are seeded first (a risk word names one).
 */
async function ensurePhraseDefaults(db: Db): Promise<void> {
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(phraseEntries);
  if (n > 0) return;
  await db.insert(grades).values(DEFAULT_GRADES).onConflictDoNothing();
  await db
    .insert(phraseEntries)
    .values(DEFAULT_PHRASES.map((p) => ({ ...p, id: uuidv5(`phrase:${p.list}:${p.phrase}`, NAMESPACE) })))
    .onConflictDoNothing();
}
