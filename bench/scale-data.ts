// The scale suite's data: a realistic operator's two years of tickets, generated in Node and
// streamed into PostgreSQL with COPY FROM STDIN (through psql, the only COPY client installed).
import { spawn } from 'node:child_process';
import type pg from 'pg';

const DAY = 86_400_000;
const HISTORY_DAYS = 730;

/** Telecom words the subjects, descriptions and messages are made of, common ones first. */
export const WORDS = [
  '宽带',
  '掉线',
  '套餐',
  '话费',
  '信号',
  '流量',
  '扣费',
  '网速',
  '光猫',
  '办理',
  '投诉',
  '退费',
  '账单',
  '上门',
  '维修',
  '路由器',
  '停机',
  '资费',
  '升级',
  '合约',
  '实名',
  '补卡',
  '营业厅',
  '漫游',
  '机顶盒',
  '发票',
  '积分',
  '彩铃',
  '退订',
  '态度',
  '预约',
  '安装',
  '拆机',
  '销户',
  '密码',
  '副卡',
  '千兆',
  '提速',
  '卡顿',
  '地下室',
  '覆盖',
  '补偿',
  '减免',
  '专线',
  '物联网',
  '携号转网',
  '违约金',
  '国际',
  '基站',
  '电梯',
];
export const REGIONS = ['广州', '深圳', '佛山', '东莞', '珠海', '中山', '惠州', '江门', '汕头', '湛江'];
const TYPES = [
  ['inquiry', 0.4],
  ['fault', 0.3],
  ['complaint', 0.15],
  ['service_request', 0.15],
] as const;
const CHANNELS = [
  ['hotline', 0.45],
  ['app', 0.15],
  ['wechat', 0.15],
  ['web', 0.08],
  ['shop', 0.06],
  ['sms', 0.05],
  ['email', 0.045],
  ['enterprise', 0.015],
  ['regulator', 0.005],
] as const;
const OPEN_MIX = ['new', 'assigned', 'in_progress', 'in_progress', 'pending_customer', 'pending_department'] as const;

/** Deterministic, fast pseudo-random numbers (mulberry32): the same data for the same size. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function weighted<T>(table: readonly (readonly [T, number])[], r: number): T {
  for (const [v, w] of table) {
    if (r < w) return v;
    r -= w;
  }
  return table[table.length - 1]![0];
}

let uuidCounter = 0;
/** Time-ordered ids like the app's uuidv7, unique by a counter instead of random bits. */
function uuid7(ms: number): string {
  const t = Math.floor(ms).toString(16).padStart(12, '0');
  const c = (uuidCounter++).toString(16).padStart(15, '0');
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${c.slice(0, 3)}-8${c.slice(3, 6)}-${c.slice(6)}000`;
}

/** One COPY FROM STDIN per table through psql, with back-pressure. Rows are text-format lines. */
export class CopyWriter {
  private buf: string[] = [];
  private size = 0;
  rows = 0;
  private readonly child;
  private readonly done: Promise<void>;
  constructor(url: string, table: string, columns: string[]) {
    this.child = spawn(
      'psql',
      [url, '-q', '-v', 'ON_ERROR_STOP=1', '-c', `COPY ${table} (${columns.join(', ')}) FROM STDIN`],
      {
        // Triggers off for the load (the append-only guards and the live NOTIFY per timeline row).
        env: { ...process.env, PGOPTIONS: '-c session_replication_role=replica' },
        stdio: ['pipe', 'inherit', 'inherit'],
      },
    );
    this.done = new Promise((resolve, reject) =>
      this.child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`COPY ${table} failed (${code})`)))),
    );
  }
  row(line: string): Promise<void> | undefined {
    this.buf.push(line);
    this.size += line.length;
    this.rows++;
    if (this.size < 256 * 1024) return undefined;
    return this.flush();
  }
  private flush(): Promise<void> | undefined {
    const ok = this.child.stdin.write(this.buf.join('\n') + '\n');
    this.buf = [];
    this.size = 0;
    return ok ? undefined : new Promise((r) => this.child.stdin.once('drain', () => r()));
  }
  async end() {
    if (this.buf.length) await this.flush();
    this.child.stdin.end();
    await this.done;
  }
}

export type Directory = {
  teams: { id: string; region: string | null; kind: 'frontline' | 'vip' | 'complaints' | 'network' }[];
  staffByTeam: Map<string, string[]>;
  categoriesByType: Map<string, string[]>;
};

const iso = (ms: number) => new Date(ms).toISOString();
const NULL = '\\N';

function words(rand: () => number, n: number): string[] {
  const out: string[] = [];
  // Skewed towards the front of the list (power law), as real texts are.
  for (let i = 0; i < n; i++) out.push(WORDS[Math.floor(rand() ** 2 * WORDS.length)]!);
  return out;
}

/**
 * Streams `total` tickets over the last two years, in arrival order, with their customers
 * (total / 5, of which 1,000 business accounts hold a tenth of all tickets), one SLA target each
 * (two while open), timeline events (created; resolved and closed; one per message) and, for 20 %,
 * two to four messages. Returns row counts per table.
 */
export async function generate(url: string, total: number, dir: Directory, now: number) {
  const rand = prng(20261128);
  const customerCount = Math.max(1_000, Math.floor(total / 5));
  const customerWriter = new CopyWriter(url, 'customers', ['id', 'name', 'tier', 'region', 'created_at', 'updated_at']);
  const numberWriter = new CopyWriter(url, 'customer_numbers', ['msisdn', 'customer_id', 'position']);
  const start = now - HISTORY_DAYS * DAY;
  const customerIds: string[] = new Array(customerCount);
  const customerRegion: string[] = new Array(customerCount);
  const customerTier: string[] = new Array(customerCount);
  for (let i = 0; i < customerCount; i++) {
    const created = start - rand() * 5 * 365 * DAY;
    const id = uuid7(created);
    const r = rand();
    const tier = r < 0.03 ? 'vip' : r < 0.13 ? 'gold' : r < 0.33 ? 'silver' : 'regular';
    const region = REGIONS[Math.floor(rand() * REGIONS.length)]!;
    customerIds[i] = id;
    customerRegion[i] = region;
    customerTier[i] = tier;
    const p1 = customerWriter.row(`${id}\t客户${i}\t${tier}\t${region}\t${iso(created)}\t${iso(created)}`);
    const p2 = numberWriter.row(`${13_800_000_000 + i}\t${id}\t0`);
    if (p1) await p1;
    if (p2) await p2;
  }
  await Promise.all([customerWriter.end(), numberWriter.end()]);

  const ticketWriter = new CopyWriter(url, 'tickets', [
    'id',
    'number',
    'type',
    'category_id',
    'grade',
    'priority',
    'status',
    'channel',
    'subject',
    'description',
    'customer_id',
    'customer_tier',
    'team_id',
    'assignee_id',
    'first_contact_owner_id',
    'created_by_id',
    'search_text',
    'has_public_reply',
    'created_at',
    'updated_at',
    'resolved_at',
    'closed_at',
    'sla_due_at',
  ]);
  const slaWriter = new CopyWriter(url, 'sla_targets', [
    'id',
    'ticket_id',
    'metric',
    'policy_id',
    'calendar_id',
    'limit_ms',
    'consumed_ms',
    'running_since',
    'warn_at',
    'escalation',
    'due_at',
    'next_fire_at',
    'met_at',
    'created_at',
    'updated_at',
  ]);
  const messageWriter = new CopyWriter(url, 'ticket_messages', [
    'id',
    'ticket_id',
    'author_staff_id',
    'from_customer',
    'visibility',
    'channel',
    'body',
    'created_at',
  ]);
  const eventWriter = new CopyWriter(url, 'ticket_events', ['ticket_id', 'actor_id', 'kind', 'data', 'created_at']);
  const teamsBy = (kind: Directory['teams'][number]['kind']) => dir.teams.filter((t) => t.kind === kind);
  const frontline = new Map(teamsBy('frontline').map((t) => [t.region!, t.id]));
  const [vip] = teamsBy('vip');
  const [complaints] = teamsBy('complaints');
  const [network] = teamsBy('network');
  const fmtDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' });
  let lastDay = -1;
  let dayStr = '';
  const pending: Promise<void>[] = [];
  const push = (p: Promise<void> | undefined) => {
    if (p) pending.push(p);
  };

  for (let i = 0; i < total; i++) {
    const created = start + ((i + rand()) * HISTORY_DAYS * DAY) / total;
    const id = uuid7(created);
    const type = weighted(TYPES, rand());
    const cats = dir.categoriesByType.get(type)!;
    const category = cats[Math.floor(rand() * cats.length)]!;
    const channel = weighted(CHANNELS, rand());
    const c = rand() < 0.1 ? Math.floor(rand() * 1_000) : Math.floor(rand() * customerCount);
    const customerId = customerIds[c]!;
    const tier = customerTier[c]!;
    const team =
      tier === 'vip'
        ? vip!.id
        : type === 'complaint' && rand() < 0.5
          ? complaints!.id
          : type === 'fault' && rand() < 0.3
            ? network!.id
            : frontline.get(customerRegion[c]!)!;
    const members = dir.staffByTeam.get(team)!;
    const owner = members[Math.floor(rand() * members.length)]!;
    const r = rand();
    const recent = created > now - 2 * DAY;
    const status = recent
      ? r < 0.85
        ? OPEN_MIX[Math.floor(rand() * OPEN_MIX.length)]!
        : 'resolved'
      : r < 0.01
        ? 'pending_department'
        : r < 0.02
          ? 'pending_customer'
          : r < 0.03
            ? 'resolved'
            : 'closed';
    const open = status !== 'resolved' && status !== 'closed';
    const gradeR = rand();
    const grade = gradeR < 0.85 ? 'general' : gradeR < 0.97 ? 'major' : 'urgent';
    const priority = 1 + Math.floor(rand() * 4);
    const w = words(rand, 6 + Math.floor(rand() * 5));
    const subject = w.slice(0, 3).join('');
    const description = `${w.join('，')}。`;
    const limit = (type === 'complaint' ? 48 : type === 'fault' ? 24 : 72) * 3_600_000;
    const due = created + limit;
    const resolvedAt = open ? null : Math.min(created + rand() * limit * 1.3, now - 60_000);
    const closedAt = status === 'closed' ? resolvedAt! + rand() * 3 * DAY : null;
    const updated = closedAt ?? resolvedAt ?? created;
    const withMessages = rand() < 0.2;
    const day = Math.floor((created + 8 * 3_600_000) / DAY);
    if (day !== lastDay) {
      lastDay = day;
      dayStr = fmtDate.format(created).replaceAll('-', '');
    }
    const number = `TS${dayStr}${String(i + 1).padStart(6, '0')}`;
    const assignee = status === 'new' ? NULL : owner;
    push(
      ticketWriter.row(
        [
          id,
          number,
          type,
          category,
          grade,
          priority,
          status,
          channel,
          subject,
          description,
          customerId,
          tier,
          team,
          assignee,
          owner,
          owner,
          w.join(' '),
          withMessages ? 't' : 'f',
          iso(created),
          iso(updated),
          resolvedAt === null ? NULL : iso(resolvedAt),
          closedAt === null ? NULL : iso(closedAt),
          open ? iso(due) : NULL,
        ].join('\t'),
      ),
    );
    const sla = (metric: string, lim: number, met: number | null) =>
      push(
        slaWriter.row(
          [
            uuid7(created),
            id,
            metric,
            'standard',
            'always',
            lim,
            met === null ? 0 : Math.floor(met - created),
            met === null ? iso(created) : NULL,
            '[]',
            '[]',
            iso(created + lim),
            met === null ? iso(created + lim) : NULL,
            met === null ? NULL : iso(met),
            iso(created),
            iso(met ?? created),
          ].join('\t'),
        ),
      );
    sla('resolution', limit, resolvedAt);
    if (open) sla('first_response', 2 * 3_600_000, null);
    const event = (kind: string, data: object, at: number, actor: string | null) =>
      push(eventWriter.row(`${id}\t${actor ?? NULL}\t${kind}\t${JSON.stringify(data)}\t${iso(at)}`));
    event(
      'created',
      { number, type, grade, priority, channel, status: 'new', firstContactOwnerId: owner },
      created,
      owner,
    );
    if (withMessages) {
      const n = 2 + Math.floor(rand() * 3);
      const until = resolvedAt ?? now;
      for (let m = 0; m < n; m++) {
        const at = created + ((m + 1) * (until - created)) / (n + 1);
        const fromCustomer = m % 2 === 0;
        const visibility = !fromCustomer && m === 3 ? 'internal' : 'public';
        const messageId = uuid7(at);
        const body = `${words(rand, 12).join('')}，${fromCustomer ? '请尽快处理' : '我们已为您登记处理'}。`;
        push(
          messageWriter.row(
            `${messageId}\t${id}\t${fromCustomer ? NULL : owner}\t${fromCustomer ? 't' : 'f'}\t${visibility}\t${channel}\t${body}\t${iso(at)}`,
          ),
        );
        event(
          'message_added',
          fromCustomer ? { messageId, visibility, fromCustomer: true, channel } : { messageId, visibility },
          at,
          fromCustomer ? null : owner,
        );
      }
    }
    if (resolvedAt !== null)
      event('status_changed', { action: 'resolve', from: 'in_progress', to: 'resolved' }, resolvedAt, owner);
    if (closedAt !== null)
      event(
        'status_changed',
        { action: 'close', from: 'resolved', to: 'closed', reason: 'customer_confirmed' },
        closedAt,
        null,
      );
    if (pending.length) {
      await Promise.all(pending);
      pending.length = 0;
    }
  }
  await Promise.all([ticketWriter.end(), slaWriter.end(), messageWriter.end(), eventWriter.end()]);
  return {
    customers: customerCount,
    tickets: total,
    sla_targets: slaWriter.rows,
    ticket_messages: messageWriter.rows,
    ticket_events: eventWriter.rows,
  };
}

/** The tables the load fills. Their keys, indexes and foreign keys are built after the rows are in. */
export const LOADED_TABLES = [
  'customers',
  'customer_numbers',
  'tickets',
  'sla_targets',
  'ticket_messages',
  'ticket_events',
];

type Ddl = { drop: string[]; create: string[][] };

/**
 * The keys, indexes and foreign keys of (and into) the loaded tables, to drop before COPY and build
 * after it: one sorted build is far cheaper than ten million index insertions. Foreign keys come
 * back NOT VALID (the generator writes consistent rows; validating would only re-read them).
 */
export async function deferredDdl(raw: pg.Client): Promise<Ddl> {
  const tables = LOADED_TABLES.map((t) => `'${t}'`).join(',');
  const fks = (
    await raw.query<{ tbl: string; name: string; def: string }>(
      `SELECT conrelid::regclass::text AS tbl, conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
       WHERE contype = 'f' AND (conrelid::regclass::text IN (${tables}) OR confrelid::regclass::text IN (${tables}))`,
    )
  ).rows;
  const keys = (
    await raw.query<{ tbl: string; name: string; def: string }>(
      `SELECT conrelid::regclass::text AS tbl, conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
       WHERE contype IN ('p', 'u') AND conrelid::regclass::text IN (${tables})`,
    )
  ).rows;
  const indexes = (
    await raw.query<{ name: string; def: string }>(
      `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = 'public' AND tablename IN (${tables})
       AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))`,
    )
  ).rows;
  return {
    drop: [
      ...fks.map((f) => `ALTER TABLE ${f.tbl} DROP CONSTRAINT ${f.name}`),
      ...keys.map((k) => `ALTER TABLE ${k.tbl} DROP CONSTRAINT ${k.name}`),
      ...indexes.map((i) => `DROP INDEX ${i.name}`),
    ],
    create: [
      [...keys.map((k) => `ALTER TABLE ${k.tbl} ADD CONSTRAINT ${k.name} ${k.def}`), ...indexes.map((i) => i.def)],
      fks.map((f) => `ALTER TABLE ${f.tbl} ADD CONSTRAINT ${f.name} ${f.def} NOT VALID`),
    ],
  };
}
