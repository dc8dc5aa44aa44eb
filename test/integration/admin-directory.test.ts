import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../src/core/channels/webhook-signature.js';
import { DEFAULT_PRIORITY_WEIGHTS } from '../../src/core/tickets/priority.js';
import { categoryId } from '../../src/db/reference-data.js';
import { outbox } from '../../src/db/schema.js';
import { logSender } from '../../src/channels/outbound/senders.js';
import { deliverOutbox } from '../../src/usecases/channels/outbound.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, TEST_WEBHOOK_SECRETS, type Harness, type Session } from '../helpers/harness.js';

// The admin console's directory: teams, staff, categories, priority weights and channel settings.
// Every write is for administrators only (403 otherwise) and bad input is a 400/422 with a code.

describe.each(ENGINES)('admin directory on %s', (engine) => {
  let h: Harness;
  let admin: Session;
  let supervisor: Session;
  let agent: Session;
  beforeAll(async () => {
    h = await startHarness(engine, {
      env: {
        LOOPDESK_SMTP_RELAY_URL: 'smtps://mailer:relay-password-123@relay.example.cn:465',
        LOOPDESK_IMAP_URL: 'imaps://kf:imap-password-456@imap.example.cn/INBOX',
      },
    });
    admin = await h.signIn('admin', null);
    supervisor = await h.signIn('supervisor');
    agent = await h.signIn('agent');
  });
  afterAll(() => h?.close());

  const call = (
    s: Session | null,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
  ) => h.request(s, { method, url, ...(payload ? { payload } : {}) });

  describe('teams', () => {
    it('lets an administrator rename a team, restrict it, close it to supervisors and pick its strategy', async () => {
      const team = await h.buildTeam({ name: '旧名' });
      const res = await call(admin, 'PATCH', `/api/v1/teams/${team}`, {
        name: '政企专席',
        kind: 'vip',
        restricted: true,
        supervisorsSeeRestricted: false,
        assignmentStrategy: 'round_robin',
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        id: team,
        name: '政企专席',
        kind: 'vip',
        restricted: true,
        supervisorsSeeRestricted: false,
        assignmentStrategy: 'round_robin',
      });
      const listed = (await call(agent, 'GET', '/api/v1/teams'))
        .json()
        .items.find((t: { id: string }) => t.id === team);
      expect(listed).toMatchObject({ name: '政企专席', supervisorsSeeRestricted: false });
    });

    it('refuses team changes by supervisors and agents, unknown fields and unknown teams', async () => {
      const team = await h.buildTeam();
      for (const who of [supervisor, agent]) {
        const res = await call(who, 'PATCH', `/api/v1/teams/${team}`, { restricted: true });
        expect(res.statusCode).toBe(403);
        expect(res.json().error.code).toBe('auth.forbidden');
      }
      const bad = await call(admin, 'PATCH', `/api/v1/teams/${team}`, { code: 'renamed', kind: 'castle' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('request.invalid');
      const missing = await call(admin, 'PATCH', '/api/v1/teams/0190b7a6-0000-7000-8000-000000000000', { name: 'x' });
      expect(missing.statusCode).toBe(404);
    });
  });

  describe('staff', () => {
    it('creates a person who signs in, moves them to another team and role, and deactivation ends their sessions', async () => {
      const team = await h.buildTeam();
      const created = await call(admin, 'POST', '/api/v1/staff', {
        username: 'wang.fang',
        displayName: '王芳',
        password: 'first password 1',
        role: 'agent',
        teamId: team,
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id as string;
      const login = (password: string) =>
        h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'wang.fang', password } });
      const first = await login('first password 1');
      expect(first.statusCode).toBe(200);
      const cookie = `loopdesk_session=${first.cookies.find((c) => c.name === 'loopdesk_session')!.value}`;
      const me = () => h.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie } });
      expect((await me()).statusCode).toBe(200);

      const other = await h.buildTeam();
      const moved = await call(admin, 'PATCH', `/api/v1/staff/${id}`, { role: 'expert', teamId: other });
      expect(moved.statusCode, moved.body).toBe(200);
      expect(moved.json()).toMatchObject({ id, role: 'expert', teamId: other, active: true });
      expect((await me()).json().staff).toMatchObject({ role: 'expert', teamId: other });

      const off = await call(admin, 'PATCH', `/api/v1/staff/${id}`, { active: false });
      expect(off.json()).toMatchObject({ active: false });
      expect((await me()).statusCode).toBe(401);
      expect((await login('first password 1')).statusCode).toBe(401);

      await call(admin, 'PATCH', `/api/v1/staff/${id}`, { active: true });
      expect((await login('first password 1')).statusCode).toBe(200);
    });

    it('resets a password to a temporary one shown once, or to one the administrator sets; old sessions end', async () => {
      const person = await h.signIn('agent');
      const reset = await call(admin, 'POST', `/api/v1/staff/${person.actor.id}/password`, {});
      expect(reset.statusCode, reset.body).toBe(200);
      expect(reset.headers['cache-control']).toBe('no-store');
      const temporary = reset.json().temporaryPassword as string;
      expect(temporary).toMatch(/^[\w-]{16}$/);
      expect((await call(person, 'GET', '/api/v1/auth/session')).statusCode).toBe(401);
      const signIn = (password: string) =>
        h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: person.username, password } });
      expect((await signIn(temporary)).statusCode).toBe(200);

      const chosen = await call(admin, 'POST', `/api/v1/staff/${person.actor.id}/password`, {
        password: 'chosen by the admin',
      });
      expect(chosen.json()).toEqual({ temporaryPassword: null });
      expect((await signIn(temporary)).statusCode).toBe(401);
      expect((await signIn('chosen by the admin')).statusCode).toBe(200);
    });

    it('refuses staff changes by non-admins, short passwords, unknown teams and locking oneself out', async () => {
      const person = await h.buildStaff('agent');
      expect((await call(supervisor, 'PATCH', `/api/v1/staff/${person.id}`, { active: false })).statusCode).toBe(403);
      expect((await call(agent, 'POST', `/api/v1/staff/${person.id}/password`, {})).statusCode).toBe(403);
      const short = await call(admin, 'POST', `/api/v1/staff/${person.id}/password`, { password: 'short' });
      expect(short.statusCode).toBe(400);
      expect(short.json().error.code).toBe('request.invalid');
      const badRole = await call(admin, 'PATCH', `/api/v1/staff/${person.id}`, { role: 'king' });
      expect(badRole.statusCode).toBe(400);
      const noTeam = await call(admin, 'PATCH', `/api/v1/staff/${person.id}`, {
        teamId: '0190b7a6-0000-7000-8000-000000000000',
      });
      expect(noTeam.statusCode).toBe(422);
      expect(noTeam.json().error.code).toBe('directory.unknown_reference');
      const self = await call(admin, 'PATCH', `/api/v1/staff/${admin.actor.id}`, { active: false });
      expect(self.statusCode).toBe(422);
      expect(self.json().error.code).toBe('staff.self_lockout');
      const demote = await call(admin, 'PATCH', `/api/v1/staff/${admin.actor.id}`, { role: 'agent' });
      expect(demote.json().error.code).toBe('staff.self_lockout');
    });
  });

  describe('categories', () => {
    it('renames a category in both languages, moves it, and deactivates it so that it is no longer offered', async () => {
      const parent = await call(admin, 'POST', '/api/v1/categories', {
        code: 'admin-test-parent',
        nameZh: '测试父类',
        nameEn: 'Test parent',
      });
      const child = await call(admin, 'POST', '/api/v1/categories', {
        code: 'admin-test-child',
        nameZh: '测试子类',
        nameEn: 'Test child',
        parentId: parent.json().id,
      });
      const childId = child.json().id as string;
      const renamed = await call(admin, 'PATCH', `/api/v1/categories/${childId}`, {
        nameZh: '套餐变更',
        nameEn: 'Plan change',
        parentId: null,
        sort: 5,
      });
      expect(renamed.statusCode, renamed.body).toBe(200);
      expect(renamed.json()).toMatchObject({ nameZh: '套餐变更', nameEn: 'Plan change', parentId: null, sort: 5 });

      await call(admin, 'PATCH', `/api/v1/categories/${childId}`, { active: false });
      const offered = (await call(agent, 'GET', '/api/v1/categories')).json().items.map((c: { id: string }) => c.id);
      expect(offered).not.toContain(childId);
      const all = (await call(admin, 'GET', '/api/v1/categories?includeInactive=true')).json().items;
      expect(all.find((c: { id: string }) => c.id === childId)).toMatchObject({ active: false });
    });

    it('refuses to move a category under its own subcategory, and refuses non-admins', async () => {
      const network = categoryId('fault-network');
      const below = categoryId('fault-network-slow');
      const loop = await call(admin, 'PATCH', `/api/v1/categories/${network}`, { parentId: below });
      expect(loop.statusCode).toBe(422);
      expect(loop.json().error).toMatchObject({ code: 'category.cycle', details: { field: 'parentId' } });
      const self = await call(admin, 'PATCH', `/api/v1/categories/${network}`, { parentId: network });
      expect(self.json().error.code).toBe('category.cycle');
      const nowhere = await call(admin, 'PATCH', `/api/v1/categories/${network}`, {
        parentId: '0190b7a6-0000-7000-8000-000000000000',
      });
      expect(nowhere.json().error.code).toBe('directory.unknown_reference');
      expect((await call(supervisor, 'PATCH', `/api/v1/categories/${network}`, { nameZh: 'x' })).statusCode).toBe(403);
      const empty = await call(admin, 'PATCH', `/api/v1/categories/${network}`, { nameZh: '' });
      expect(empty.statusCode).toBe(400);
    });
  });

  describe('priority weights', () => {
    it('starts from the environment’s weights, and weights set in the console decide new tickets’ priority', async () => {
      const initial = await call(admin, 'GET', '/api/v1/settings/priority-weights');
      expect(initial.json()).toEqual({ weights: DEFAULT_PRIORITY_WEIGHTS, source: 'environment' });

      const inquiry = async () => {
        const customerId = await h.buildCustomer();
        const res = await call(agent, 'POST', '/api/v1/tickets', {
          type: 'inquiry',
          channel: 'hotline',
          subject: '咨询营业时间',
          description: '营业厅几点开门',
          customerId,
        });
        expect(res.statusCode, res.body).toBe(201);
        return res.json().priority as number;
      };
      expect(await inquiry()).toBe(4);

      const weights = { ...DEFAULT_PRIORITY_WEIGHTS, type: { ...DEFAULT_PRIORITY_WEIGHTS.type, inquiry: 7 } };
      const set = await call(admin, 'PUT', '/api/v1/settings/priority-weights', weights);
      expect(set.statusCode, set.body).toBe(200);
      expect(set.json()).toEqual({ weights, source: 'database' });
      expect(await inquiry()).toBe(1);

      const reset = await call(admin, 'DELETE', '/api/v1/settings/priority-weights');
      expect(reset.json().source).toBe('environment');
      expect(await inquiry()).toBe(4);
    });

    it('refuses thresholds out of order, unknown grades and non-admins', async () => {
      const disordered = await call(admin, 'PUT', '/api/v1/settings/priority-weights', {
        ...DEFAULT_PRIORITY_WEIGHTS,
        thresholds: [2, 5, 7],
      });
      expect(disordered.statusCode).toBe(400);
      expect(disordered.json().error.code).toBe('request.invalid');
      const unknown = await call(admin, 'PUT', '/api/v1/settings/priority-weights', {
        ...DEFAULT_PRIORITY_WEIGHTS,
        grade: { ...DEFAULT_PRIORITY_WEIGHTS.grade, catastrophic: 9 },
      });
      expect(unknown.statusCode).toBe(422);
      expect(unknown.json().error).toMatchObject({ code: 'directory.unknown_reference', details: { field: 'grade' } });
      expect((await call(supervisor, 'GET', '/api/v1/settings/priority-weights')).statusCode).toBe(403);
      expect((await call(agent, 'PUT', '/api/v1/settings/priority-weights', DEFAULT_PRIORITY_WEIGHTS)).statusCode).toBe(
        403,
      );
    });
  });

  describe('channels', () => {
    let counter = 0;
    function deliverWechat(openId: string, text: string) {
      const payload = JSON.stringify({ messageId: `admin-dir-${Date.now()}-${counter++}`, from: { openId }, text });
      const t = Math.floor(Date.now() / 1000);
      return h.request(null, {
        method: 'POST',
        url: '/api/v1/channels/wechat/messages',
        payload,
        headers: {
          'content-type': 'application/json',
          'x-loopdesk-signature': sign(TEST_WEBHOOK_SECRETS.wechat, t, payload),
        },
      });
    }

    it('shows what the environment configures as yes/no and host names, never a secret', async () => {
      const res = await call(admin, 'GET', '/api/v1/settings/channels');
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body.environment).toMatchObject({
        webhookSecrets: { sms: true, wechat: true, hotline: true, app: false },
        smtpRelay: 'relay.example.cn',
        imap: 'imap.example.cn',
        outboundSecretSet: false,
      });
      for (const secret of [
        ...Object.values(TEST_WEBHOOK_SECRETS),
        'relay-password-123',
        'imap-password-456',
        'mailer',
      ])
        expect(res.body).not.toContain(secret);
      expect(body.channels.find((c: { channel: string }) => c.channel === 'wechat')).toMatchObject({
        source: 'environment',
        environmentCode: 'frontline',
      });
      expect((await call(supervisor, 'GET', '/api/v1/settings/channels')).statusCode).toBe(403);
    });

    it('puts a channel’s unplaced tickets on the intake queue chosen in the console, until it is reset', async () => {
      const wechatDesk = await h.buildTeam({ name: '微信客服组' });
      const set = await call(admin, 'PUT', '/api/v1/settings/channels/wechat/intake-queue', { teamId: wechatDesk });
      expect(set.statusCode, set.body).toBe(200);
      expect(set.json().channels.find((c: { channel: string }) => c.channel === 'wechat')).toMatchObject({
        source: 'database',
        intakeQueue: { teamId: wechatDesk, name: '微信客服组' },
      });
      const first = await deliverWechat('o-admin-dir-1', '你好，请问积分怎么兑换');
      expect(first.statusCode, first.body).toBe(201);
      const ticket = (await call(admin, 'GET', `/api/v1/tickets/${first.json().ticketId}`)).json();
      expect(ticket.team?.id).toBe(wechatDesk);

      const reset = await call(admin, 'DELETE', '/api/v1/settings/channels/wechat/intake-queue');
      expect(reset.json().channels.find((c: { channel: string }) => c.channel === 'wechat').source).toBe('environment');
      const second = await deliverWechat('o-admin-dir-2', '你好，请问积分怎么兑换');
      const again = (await call(admin, 'GET', `/api/v1/tickets/${second.json().ticketId}`)).json();
      expect(again.team?.id ?? null).not.toBe(wechatDesk);
    });

    it('refuses an unknown channel, an unknown team and non-admins', async () => {
      const channel = await call(admin, 'PUT', '/api/v1/settings/channels/fax/intake-queue', { teamId: null });
      expect(channel.statusCode).toBe(400);
      const team = await call(admin, 'PUT', '/api/v1/settings/channels/sms/intake-queue', {
        teamId: '0190b7a6-0000-7000-8000-000000000000',
      });
      expect(team.statusCode).toBe(422);
      expect(team.json().error.code).toBe('directory.unknown_reference');
      expect((await call(agent, 'DELETE', '/api/v1/settings/channels/sms/intake-queue')).statusCode).toBe(403);
    });

    it('marks a reply that was only written to the log as "logged", not sent, in the outbox and on the ticket', async () => {
      const customerId = await h.buildCustomer();
      const created = await call(agent, 'POST', '/api/v1/tickets', {
        type: 'inquiry',
        channel: 'hotline',
        subject: '流量查询',
        description: '本月流量还剩多少',
        customerId,
      });
      const ticketId = created.json().id as string;
      const reply = await call(agent, 'POST', `/api/v1/tickets/${ticketId}/messages`, {
        visibility: 'public',
        body: '您好，本月剩余流量 3GB。',
      });
      expect(reply.statusCode, reply.body).toBe(201);
      const lines: unknown[] = [];
      const log = { info: (obj: unknown) => lines.push(obj) };
      const sender = logSender(log, { revealSecrets: false });
      await deliverOutbox(h.deps, { sms: sender, email: sender });
      const rows = await h.database.db.select().from(outbox).where(eq(outbox.ticketId, ticketId));
      expect(rows.map((r) => r.state)).toEqual(['logged']);
      expect(lines).toHaveLength(1);
      const listed = (await call(admin, 'GET', '/api/v1/outbox?state=logged')).json().items;
      expect(listed.map((o: { ticketId: string }) => o.ticketId)).toContain(ticketId);
      // The ticket says so next to the reply.
      const messages = (await call(agent, 'GET', `/api/v1/tickets/${ticketId}/messages`)).json().items;
      expect(messages.map((m: { delivery: unknown }) => m.delivery)).toEqual([{ channel: 'sms', state: 'logged' }]);
    });
  });
});
