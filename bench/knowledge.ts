import pg from 'pg';
import { KnowledgeSearchQuery } from '../src/contracts/knowledge.js';
import type { Actor } from '../src/core/auth/policy.js';
import { openPostgres } from '../src/db/client.js';
import { ensureReferenceData } from '../src/db/reference-data.js';
import { systemClock } from '../src/system-clock.js';
import { tokenizeForSearch } from '../src/text/segmenter.js';
import { searchKnowledge } from '../src/usecases/knowledge/search.js';
import { suggestForTicket } from '../src/usecases/knowledge/suggest.js';
import { suggestFromText } from '../src/usecases/tickets/classify.js';
import { createScratchDatabase } from '../test/helpers/engines.js';
import { printTable } from './harness.js';

const ARTICLES = Number(process.env.BENCH_KB_ARTICLES ?? 100_000);
const RESOLVED = Number(process.env.BENCH_KB_TICKETS ?? 100_000);
const RUNS = 40;

// Words the generated articles, cases and resolved tickets are made of: telecom terms, so that
// common ones (宽带, 套餐) match a large share of the rows and rare ones a few.
const VOCABULARY = [
  '宽带',
  '断网',
  '光猫',
  '红灯',
  '掉线',
  '网速',
  '慢',
  '信号',
  '无服务',
  '基站',
  '套餐',
  '资费',
  '流量',
  '流量包',
  '不够用',
  '话费',
  '扣费',
  '退费',
  '账单',
  '余额',
  '携号转网',
  '条件',
  '办理',
  '营业厅',
  '实名',
  '补卡',
  '停机',
  '复机',
  '保号',
  '漫游',
  '国际',
  '5g',
  '升级',
  '降档',
  '合约',
  '违约金',
  '路由器',
  '机顶盒',
  'iptv',
  '发票',
  '积分',
  '兑换',
  '彩铃',
  '增值',
  '业务',
  '退订',
  '投诉',
  '态度',
  '维修',
  '上门',
  '预约',
  '安装',
  '新装',
  '拆机',
  '销户',
  '密码',
  '重置',
  '副卡',
  '家庭',
  '共享',
  '融合',
  '千兆',
  '提速',
  '测速',
  '延迟',
  '游戏',
  '视频',
  '卡顿',
  '地铁',
  '电梯',
  '地下室',
  '覆盖',
  '补偿',
  '赔偿',
  '减免',
  '优惠',
  '活动',
  '学生',
  '老人',
  '企业',
  '专线',
  '物联网',
  '手表',
];

/**
 * Knowledge search and suggestions at operator scale: ARTICLES published articles and cases (a
 * third cases) and RESOLVED resolved tickets, each of 8 words from the vocabulary above. Timed:
 * search for five queries (p50, p95), the ticket page's knowledge suggestions, the classification
 * suggestion for a new text, each beside a plain indexed lookup by primary key in the same run.
 */
export async function knowledge() {
  const db = await seededDatabase();
  try {
    const deps = db.deps;
    const plain = await timings(() =>
      db.raw.query('SELECT id, title FROM kb_articles WHERE id = $1', [db.someArticleId]),
    );
    const rows: Record<string, string | number>[] = [
      { operation: 'plain lookup by id (baseline)', 'p50 ms': plain.p50, 'p95 ms': plain.p95, 'p95 ÷ baseline': 1 },
    ];
    const add = (operation: string, t: { p50: number; p95: number }) =>
      rows.push({ operation, 'p50 ms': t.p50, 'p95 ms': t.p95, 'p95 ÷ baseline': t.p95 / plain.p95 });
    for (const q of ['宽带 断网', '流量不够用', '携号转网的条件', '话费扣费异常要求退费', '5G套餐资费']) {
      add(`search "${q}"`, await timings(() => searchKnowledge(deps, db.agent, KnowledgeSearchQuery.parse({ q }))));
    }
    add('ticket page: knowledge suggestions', await timings(() => suggestForTicket(deps, db.agent, db.ticketId)));
    add(
      'new ticket: classification suggestion',
      await timings(() => suggestFromText(deps.db, deps, '家里宽带断网了，光猫红灯一直闪，投诉三次没人上门维修')),
    );
    console.log(
      `${ARTICLES.toLocaleString()} published articles and cases, ${RESOLVED.toLocaleString()} resolved tickets; ${RUNS} runs each`,
    );
    printTable(rows);
  } finally {
    await db.close();
  }
}

async function timings(op: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await op(); // warm caches and plans
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await op();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(RUNS / 2)]!, p95: times[Math.ceil(RUNS * 0.95) - 1]! };
}

async function seededDatabase() {
  const scratch = await createScratchDatabase();
  const database = await openPostgres(scratch.url, 4);
  const raw = new pg.Client({ connectionString: scratch.url });
  await raw.connect();
  await ensureReferenceData(database.db);
  const words = `(ARRAY[${VOCABULARY.map((w) => `'${w}'`).join(',')}])`;
  // n words a row, skewed towards the front of the vocabulary (power law), as real texts are;
  // "WHERE g > 0" ties the subquery to the row, so each row draws its own.
  const randomWords = (n: number) =>
    `LATERAL (SELECT string_agg(${words}[1 + floor(power(random(), 2) * ${VOCABULARY.length})::int], ' ') AS text
              FROM generate_series(1, ${n}) WHERE g > 0)`;
  await raw.query(`
    INSERT INTO teams (id, code, name, kind) VALUES (gen_random_uuid(), 'bench', '一线', 'frontline');
    INSERT INTO staff (id, username, display_name, role, team_id, password_hash)
    SELECT gen_random_uuid(), 'bench_agent', '坐席', 'agent', id, 'x' FROM teams WHERE code = 'bench';
    INSERT INTO customers (id, name, tier) VALUES (gen_random_uuid(), '客户', 'regular');`);
  await raw.query(
    `INSERT INTO kb_articles (id, kind, status, published_version_id, owner_id, title, body, audience, title_search, search_text)
     SELECT gen_random_uuid(), CASE WHEN g % 3 = 0 THEN 'case' ELSE 'article' END, 'published', gen_random_uuid(),
            (SELECT id FROM staff WHERE username = 'bench_agent'), t.text, '<p>' || b.text || '</p>',
            CASE WHEN g % 2 = 0 THEN 'public' ELSE 'internal' END, t.text, b.text
     FROM generate_series(1, $1::int) g,
          ${randomWords(3)} t, ${randomWords(8)} b`,
    [ARTICLES],
  );
  await raw.query(
    `INSERT INTO tickets (id, number, type, category_id, grade, priority, status, channel, subject, description, customer_id,
                          team_id, search_text, created_at, updated_at)
     SELECT gen_random_uuid(), 'K' || g, c.ticket_type, c.id, 'general', 3, 'closed', 'hotline', '历史工单', '历史工单',
            (SELECT id FROM customers LIMIT 1), (SELECT id FROM teams WHERE code = 'bench'), b.text,
            now() - random() * interval '365 days', now()
     FROM generate_series(1, $1::int) g,
          LATERAL (SELECT id, ticket_type FROM categories WHERE ticket_type IS NOT NULL ORDER BY random() + g * 0 LIMIT 1) c,
          ${randomWords(8)} b`,
    [RESOLVED],
  );
  const agentRow = (
    await raw.query<{ id: string; team_id: string }>(`SELECT id, team_id FROM staff WHERE username = 'bench_agent'`)
  ).rows[0]!;
  const ticketId = (
    await raw.query<{ id: string }>(
      `INSERT INTO tickets (id, number, type, grade, priority, status, channel, subject, description, customer_id, team_id,
                            assignee_id, first_contact_owner_id, search_text)
       VALUES (gen_random_uuid(), 'KNEW', 'fault', 'general', 3, 'in_progress', 'hotline', '流量不够用', '每个月流量不够用，想换个套餐',
               (SELECT id FROM customers LIMIT 1), $1, $2, $2, '流量 不够 用 套餐') RETURNING id`,
      [agentRow.team_id, agentRow.id],
    )
  ).rows[0]!.id;
  const someArticleId = (
    await raw.query<{ id: string }>('SELECT id FROM kb_articles ORDER BY id LIMIT 1 OFFSET $1', [
      Math.floor(ARTICLES / 2),
    ])
  ).rows[0]!.id;
  await raw.query('VACUUM ANALYZE');
  const agent: Actor = { id: agentRow.id, role: 'agent', teamId: agentRow.team_id };
  return {
    raw,
    agent,
    ticketId,
    someArticleId,
    deps: { db: database.db, clock: systemClock, indexText: tokenizeForSearch, timeZone: 'Asia/Shanghai' },
    async close() {
      await raw.end();
      await database.close();
      await scratch.drop();
    },
  };
}
