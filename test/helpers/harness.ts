import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { loadConfig } from '../../src/config.js';
import type { Actor } from '../../src/core/auth/policy.js';
import type { Clock } from '../../src/core/clock.js';
import type { Role } from '../../src/core/tickets/types.js';
import type { Database } from '../../src/db/client.js';
import { ensureReferenceData } from '../../src/db/reference-data.js';
import { staff, teams } from '../../src/db/schema.js';
import { buildApp } from '../../src/http/app.js';
import { diskStorage } from '../../src/storage/attachment-storage.js';
import { hashPassword } from '../../src/usecases/auth/passwords.js';
import { createCustomer } from '../../src/usecases/customers/customers.js';
import type { Deps } from '../../src/usecases/deps.js';
import { createTicket } from '../../src/usecases/tickets/create-ticket.js';
import { tokenizeForSearch } from '../../src/text/segmenter.js';
import { openTestDatabase } from './engines.js';

export const TEST_PASSWORD = 'correct horse battery';
export const TEST_WEBHOOK_SECRETS = {
  sms: 'test-sms-secret-0001',
  wechat: 'test-wechat-secret-01',
  hotline: 'test-hotline-secret-1',
} as const;
let passwordHash: Promise<string> | undefined;

/** A clock tests can move. */
export function testClock(
  start = new Date('2026-11-20T02:00:00Z'),
): Clock & { advance(ms: number): void; set(d: Date): void } {
  let now = start.getTime();
  return { now: () => new Date(now), advance: (ms) => (now += ms), set: (d) => (now = d.getTime()) };
}

export type Session = { cookie: string; csrf: string; actor: Actor; username: string };

export type Harness = Awaited<ReturnType<typeof startHarness>>;

/** One app + database per test file; every test builds its own team, staff and customers. */
export async function startHarness(
  engine: 'pglite' | 'postgres',
  opts: { clock?: Clock; attachmentMaxBytes?: number; env?: Record<string, string> } = {},
) {
  const database: Database = await openTestDatabase(engine);
  await ensureReferenceData(database.db);
  const clock = opts.clock ?? { now: () => new Date() };
  const config = {
    ...loadConfig({
      LOOPDESK_DATA_DIR: join(tmpdir(), `loopdesk-test-${uuidv7()}`),
      LOG_LEVEL: 'silent',
      LOOPDESK_WEBHOOK_SECRETS: Object.entries(TEST_WEBHOOK_SECRETS)
        .map(([c, s]) => `${c}=${s}`)
        .join(','),
      ...opts.env,
    }),
    ...(opts.attachmentMaxBytes ? { attachmentMaxBytes: opts.attachmentMaxBytes } : {}),
  };
  const app: FastifyInstance = await buildApp({
    database,
    config,
    clock,
    storage: diskStorage(config.attachmentDir),
    indexText: tokenizeForSearch,
    log: false,
  });
  const deps: Deps = {
    db: database.db,
    clock,
    indexText: tokenizeForSearch,
    timeZone: config.timeZone,
    priorityWeights: config.priorityWeights,
    intakeQueues: config.intakeQueues,
  };
  let counter = 0;
  const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;

  async function buildTeam(fields: Partial<typeof teams.$inferInsert> = {}) {
    const id = uuidv7();
    await database.db.insert(teams).values({ id, code: unique('team-'), name: '测试组', kind: 'frontline', ...fields });
    return id;
  }

  async function buildStaff(role: Role, teamId: string | null = null): Promise<Actor & { username: string }> {
    const id = uuidv7();
    const username = unique(`${role}-`);
    passwordHash ??= hashPassword(TEST_PASSWORD);
    await database.db
      .insert(staff)
      .values({ id, username, displayName: `测试${role}`, passwordHash: await passwordHash, role, teamId });
    return { id, role, teamId, username };
  }

  async function login(user: { username: string; id: string; role: Role; teamId: string | null }): Promise<Session> {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: user.username, password: TEST_PASSWORD },
    });
    if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
    const cookie = res.cookies.find((c) => c.name === 'loopdesk_session')!;
    return {
      cookie: `loopdesk_session=${cookie.value}`,
      csrf: res.json().csrfToken,
      actor: user,
      username: user.username,
    };
  }

  /** Signs in a fresh staff member of the role (in a fresh team unless one is given). */
  async function signIn(role: Role, teamId?: string | null): Promise<Session> {
    const team = teamId === undefined ? await buildTeam() : teamId;
    return login(await buildStaff(role, team));
  }

  function request(session: Session | null, opts: InjectOptions): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...(opts.headers as Record<string, string>) };
    if (session) {
      headers.cookie = session.cookie;
      headers['x-csrf-token'] ??= session.csrf;
    }
    return app.inject({ ...opts, headers });
  }

  let phone = 13_900_000_000 + Math.floor(Math.random() * 90_000_000);
  async function buildCustomer(fields: Partial<Parameters<typeof createCustomer>[2]> = {}) {
    const admin: Actor = { id: uuidv7(), role: 'admin', teamId: null };
    return createCustomer(deps, admin, {
      name: '张三',
      numbers: [String(phone++)],
      idNumber: '110101199003071234',
      address: '广东省广州市天河区中山大道100号',
      tier: 'regular',
      plans: [],
      ...fields,
    });
  }

  async function buildTicket(
    owner: Actor,
    fields: Partial<Parameters<typeof createTicket>[2]> & { customerId?: string } = {},
  ) {
    const customerId = fields.customerId ?? (await buildCustomer());
    const { ticketId } = await createTicket(deps, owner, {
      type: 'fault',
      grade: 'general',
      channel: 'hotline',
      subject: '宽带频繁掉线',
      description: '家里宽带每天掉线，光猫指示灯闪红。',
      details: {},
      tags: [],
      assignToMe: false,
      ...fields,
      customerId,
    });
    return ticketId;
  }

  return {
    app,
    database,
    deps,
    config,
    buildTeam,
    buildStaff,
    buildCustomer,
    buildTicket,
    login,
    signIn,
    request,
    async close() {
      await app.close();
      await database.close();
      rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}
