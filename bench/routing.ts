import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Actor } from '../src/core/auth/policy.js';
import { chooseAgent, type AgentState } from '../src/core/routing/assignment.js';
import type { RoutingRule } from '../src/core/routing/rules.js';
import { CHANNELS, CUSTOMER_TIERS, type TicketType } from '../src/core/tickets/types.js';
import { openPostgres } from '../src/db/client.js';
import { ensureReferenceData } from '../src/db/reference-data.js';
import { agentProfiles, customers, routingRules, staff, teams } from '../src/db/schema.js';
import { tokenizeForSearch } from '../src/text/segmenter.js';
import type { Deps } from '../src/usecases/deps.js';
import { autoAssign } from '../src/usecases/routing/auto-assign.js';
import { applyRules, currentRuleSet, type TicketDraft } from '../src/usecases/routing/route-ticket.js';
import { createTicket } from '../src/usecases/tickets/create-ticket.js';
import { createScratchDatabase } from '../test/helpers/engines.js';
import { loopRate, printTable, SECONDS } from './harness.js';

const CITIES = [
  '北京',
  '上海',
  '广州',
  '深圳',
  '杭州',
  '南京',
  '成都',
  '武汉',
  '西安',
  '重庆',
  '天津',
  '苏州',
  '长沙',
  '郑州',
  '青岛',
  '沈阳',
  '大连',
  '厦门',
  '福州',
  '昆明',
];
const KEYWORDS = [
  '工信部',
  '媒体',
  '曝光',
  '律师',
  '起诉',
  '12300',
  '退费',
  '消协',
  '投诉',
  '赔偿',
  '携号转网',
  '光猫',
  '宽带',
  '断网',
  '掉线',
  '信号',
  '基站',
  '套餐',
  '资费',
  '账单',
  '话费',
  '流量',
  '扣费',
  '停机',
  '复机',
  '销户',
  '实名制',
  '补卡',
  '营业厅',
  '骚扰电话',
];
const TEXTS = [
  ['宽带频繁掉线', '家里宽带每天掉线十几次，光猫指示灯闪红，重启后仍然掉线，要求尽快上门维修。'],
  ['话费异常', '本月账单多扣了58元流量费，套餐里明明有流量，请核实。'],
  ['服务态度差', '营业厅工作人员态度恶劣，办理补卡等了两个小时。'],
  ['信号差', '小区里手机信号很差，经常打不通电话，附近是不是基站坏了。'],
  ['想换套餐', '现在的套餐资费太贵了，想换一个便宜点的。'],
];

/** A realistic rule set of 100: regional queues, categories, keywords, tiers and channels. */
function hundredRules(): RoutingRule[] {
  const rules: RoutingRule[] = [
    {
      id: 'high-risk',
      name: '高风险',
      enabled: true,
      when: { keywords: KEYWORDS.slice(0, 8) },
      then: { grade: 'urgent', queue: 'q-supervisors', tags: ['high-risk'] },
    },
  ];
  for (const [i, tier] of CUSTOMER_TIERS.entries())
    rules.push({
      id: `tier-${i}`,
      name: `tier ${tier}`,
      enabled: true,
      when: { customerTiers: [tier], types: ['complaint'] },
      then: { tags: [`tier-${tier}`] },
    });
  for (const [i, kw] of KEYWORDS.entries())
    rules.push({
      id: `kw-${i}`,
      name: `关键词 ${kw}`,
      enabled: true,
      when: { keywords: [kw], channels: [CHANNELS[i % CHANNELS.length]!, 'hotline'] },
      then: { tags: [`kw-${i}`] },
    });
  for (const [i, city] of CITIES.entries()) {
    rules.push({
      id: `fault-${i}`,
      name: `${city}故障`,
      enabled: true,
      when: { types: ['fault'], regions: [city], categories: ['fault-network'] },
      then: { queue: `q-net-${i % 5}` },
    });
    rules.push({
      id: `complaint-${i}`,
      name: `${city}投诉`,
      enabled: true,
      when: { types: ['complaint'], regions: [city] },
      then: { queue: `q-cmp-${i % 5}`, priority: 2 },
    });
  }
  while (rules.length < 100) {
    const i = rules.length;
    rules.push({
      id: `misc-${i}`,
      name: `其他 ${i}`,
      enabled: true,
      when: { tags: [`campaign-${i}`], grades: ['major'] },
      then: { tags: ['campaign'] },
    });
  }
  return rules;
}

/**
 * Routing and assignment decisions per second with 100 rules, beside ticket creation without
 * routing (an empty rule set) in the same run: the pure decisions (rules + strategy choice), then
 * creation with the rules, then auto-assignment from four nodes, all as ratios to that baseline.
 */
export async function routing() {
  const scratch = await createScratchDatabase();
  const nodes = await Promise.all([1, 2, 3, 4].map(() => openPostgres(scratch.url, 8)));
  const depsOf = (i: number): Deps => ({
    db: nodes[i]!.db,
    clock: { now: () => new Date() },
    indexText: tokenizeForSearch,
    timeZone: 'Asia/Shanghai',
  });
  const deps = depsOf(0);
  const { db } = deps;
  try {
    await ensureReferenceData(db);
    const queueCodes = ['q-supervisors', ...[0, 1, 2, 3, 4].flatMap((i) => [`q-net-${i}`, `q-cmp-${i}`])];
    await db.insert(teams).values(
      queueCodes.map((code) => ({
        id: uuidv7(),
        code,
        name: code,
        kind: 'frontline',
        assignmentStrategy: 'least_loaded',
      })),
    );
    const creatorTeam = uuidv7();
    await db.insert(teams).values({ id: creatorTeam, code: 'bench-reception', name: '受理', kind: 'frontline' });
    const creator: Actor = { id: uuidv7(), role: 'agent', teamId: creatorTeam };
    await db.insert(staff).values({
      id: creator.id,
      username: 'bench',
      displayName: '压测',
      role: 'agent',
      teamId: creatorTeam,
      passwordHash: 'x',
    });
    const customerIds = CITIES.map(() => uuidv7());
    await db
      .insert(customers)
      .values(customerIds.map((id, i) => ({ id, name: `客户${i}`, region: CITIES[i], tier: CUSTOMER_TIERS[i % 4] })));

    const drafts: TicketDraft[] = CITIES.flatMap((region, i) =>
      TEXTS.map(([subject, description], j) => ({
        type: (['fault', 'complaint', 'inquiry', 'complaint', 'service_request'] as TicketType[])[j]!,
        categoryPath: j === 0 ? ['fault-network-slow', 'fault-network'] : [],
        grade: 'general',
        channel: CHANNELS[(i + j) % CHANNELS.length]!,
        customerTier: CUSTOMER_TIERS[i % 4]!,
        region,
        tags: [],
        subject: subject!,
        description: description!,
      })),
    );
    const ticketInputs = drafts.map((d, k) => ({
      type: d.type,
      grade: 'general',
      channel: d.channel,
      subject: d.subject,
      description: d.description,
      details: {},
      tags: [],
      customerId: customerIds[k % customerIds.length]!,
      assignToMe: false,
    }));
    const create = (_: number, i: number) => createTicket(deps, creator, ticketInputs[i % ticketInputs.length]!);

    // Baseline: creation with no routing rules at all (after a warm-up, so neither side pays for JIT).
    await db.delete(routingRules);
    for (let i = 0; i < 200; i++) await create(0, i);
    const baseline = await loopRate(1, create);

    const rules = hundredRules();
    await db
      .insert(routingRules)
      .values(rules.map(({ id, enabled, ...definition }, i) => ({ id, enabled, position: i, definition })));
    const ruleSet = await currentRuleSet(db);
    const agents: AgentState[] = Array.from({ length: 30 }, (_, i) => ({
      id: `agent-${i}`,
      presence: i % 5 === 0 ? 'away' : 'online',
      capacity: 20,
      openCount: i % 20,
      skills: {
        categories: i % 3 === 0 ? ['fault-network'] : [],
        languages: ['zh'],
        regions: i % 4 === 0 ? [CITIES[i % CITIES.length]!] : [],
      },
      certifications: new Set(i % 2 === 0 ? ['complaint_specialist'] : []),
      lastAssignedAt: new Date(Date.now() - i * 60_000),
    }));
    const decide = (_: number, i: number) => {
      const draft = drafts[i % drafts.length]!;
      const routed = applyRules(ruleSet, draft);
      chooseAgent('least_loaded', agents, { ...draft, grade: routed.grade, language: 'zh' });
      return Promise.resolve();
    };
    const decisions = await loopRate(1, decide);
    const routedCreation = await loopRate(1, create);

    // Waiting tickets for the assigners: agents on every queue, enough capacity for all of them.
    await db.execute(
      sql`UPDATE tickets SET team_id = (SELECT id FROM teams WHERE code = 'q-net-0') WHERE team_id = ${creatorTeam}`,
    );
    const teamRows = await db.select({ id: teams.id }).from(teams);
    const people = teamRows.flatMap((t) =>
      Array.from({ length: 5 }, () => ({
        id: uuidv7(),
        username: uuidv7(),
        displayName: '坐席',
        role: 'agent' as const,
        teamId: t.id,
        passwordHash: 'x',
      })),
    );
    await db.insert(staff).values(people);
    await db
      .insert(agentProfiles)
      .values(people.map((p) => ({ staffId: p.id, capacity: 100_000, presence: 'online' })));
    const started = Date.now();
    const assigned = (await Promise.all(nodes.map((_, i) => autoAssign(depsOf(i), { batch: 100_000 })))).reduce(
      (s, r) => s + r.assigned,
      0,
    );
    const assignRate = assigned / ((Date.now() - started) / 1000);

    console.log(
      `PostgreSQL at ${new URL(scratch.url).host}, ${SECONDS} s per measurement, 100 rules, 30 candidate agents per decision`,
    );
    printTable([
      { measurement: 'ticket creation, no routing rules (baseline)', 'per second': baseline, 'ratio to baseline': 1 },
      {
        measurement: 'routing + assignment decisions (pure core)',
        'per second': decisions,
        'ratio to baseline': decisions / baseline,
      },
      {
        measurement: 'ticket creation with 100 routing rules',
        'per second': routedCreation,
        'ratio to baseline': routedCreation / baseline,
      },
      {
        measurement: `auto-assignment, 4 nodes (${assigned} tickets)`,
        'per second': assignRate,
        'ratio to baseline': assignRate / baseline,
      },
    ]);
  } finally {
    for (const n of nodes) await n.close();
    await scratch.drop();
  }
}
