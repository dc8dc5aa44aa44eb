import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

// The admin console edits routing rules one at a time: create or change one rule, delete one,
// reorder the set atomically; the dry run shows the new outcome at once.

describe.each(ENGINES)('editing routing rules one at a time on %s', (engine) => {
  let h: Harness;
  let admin: Session;
  let agent: Session;
  const clock = testClock(new Date('2026-11-20T02:00:00Z'));

  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    for (const [code, kind] of [
      ['vip-desk', 'vip'],
      ['supervisors', 'supervisor'],
      ['network-ops', 'department'],
      ['billing', 'department'],
    ] as const) {
      await h.buildTeam({ code, kind, name: code });
    }
    admin = await h.signIn('admin', null);
    agent = await h.signIn('agent');
  });
  afterAll(() => h?.close());

  const call = (s: Session, method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
    h.request(s, { method, url, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  const ids = async () =>
    ((await call(admin, 'GET', '/api/v1/routing/rules')).json().rules as { id: string }[]).map((r) => r.id);
  const dryRun = async (description: string) => {
    const res = await call(admin, 'POST', '/api/v1/routing/dry-run', { type: 'complaint', description });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('names in the dry run the SLA policy the ticket would get, matched or named by a rule', async () => {
    expect((await dryRun('营业员态度很差')).slaPolicy).toEqual({ id: 'complaint', name: '投诉 24小时响应 48小时办结' });
    const urgent = await call(admin, 'POST', '/api/v1/routing/dry-run', {
      type: 'complaint',
      grade: 'urgent',
      description: '营业员态度很差',
    });
    expect(urgent.json().slaPolicy).toEqual({ id: 'urgent', name: '紧急/高风险 15分钟响应' });
  });

  it('adds a new rule at the end, changes it in place, and the dry run follows each change', async () => {
    const before = await ids();
    const porting = { name: '携号转网', when: { keywords: ['携号转网'] }, then: { queue: 'billing', priority: 2 } };
    const created = await call(admin, 'PUT', '/api/v1/routing/rules/number-porting', porting);
    expect(created.statusCode, created.body).toBe(200);
    expect(created.json().rules.map((r: { id: string }) => r.id)).toEqual([...before, 'number-porting']);
    expect(await dryRun('我要办理携号转网')).toMatchObject({ queue: { code: 'billing' }, priority: 2 });

    const changed = await call(admin, 'PUT', '/api/v1/routing/rules/number-porting', {
      ...porting,
      then: { queue: 'vip-desk', grade: 'major' },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(await ids()).toEqual([...before, 'number-porting']);
    const outcome = await dryRun('我要办理携号转网');
    expect(outcome).toMatchObject({ queue: { code: 'vip-desk' }, grade: 'major' });
    expect(outcome.matched).toContainEqual({
      ruleId: 'number-porting',
      name: '携号转网',
      effects: [
        { kind: 'queue', queue: 'vip-desk' },
        { kind: 'grade', from: 'general', to: 'major' },
      ],
    });

    // Disabled, it no longer matches; deleted, it is gone.
    await call(admin, 'PUT', '/api/v1/routing/rules/number-porting', { ...porting, enabled: false });
    expect((await dryRun('我要办理携号转网')).matched).toEqual([]);
    expect((await call(admin, 'DELETE', '/api/v1/routing/rules/number-porting')).statusCode).toBe(204);
    expect(await ids()).toEqual(before);
    const again = await call(admin, 'DELETE', '/api/v1/routing/rules/number-porting');
    expect(again.statusCode).toBe(404);
    expect(again.json().error.code).toBe('resource.not_found');
  });

  it('refuses a rule that names an unknown queue or grade, and refuses agents', async () => {
    const bad = await call(admin, 'PUT', '/api/v1/routing/rules/typo', {
      name: 'typo',
      when: { grades: ['huge'] },
      then: { queue: 'no-such-queue' },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error).toMatchObject({
      code: 'routing.unknown_reference',
      details: { queues: ['no-such-queue'], grades: ['huge'] },
    });
    const invalidId = await call(admin, 'PUT', '/api/v1/routing/rules/Not%20An%20Id', {
      name: 'x',
      when: {},
      then: {},
    });
    expect(invalidId.statusCode).toBe(400);
    const forbidden = await call(agent, 'PUT', '/api/v1/routing/rules/mine', { name: 'x', when: {}, then: {} });
    expect(forbidden.statusCode).toBe(403);
    expect((await call(agent, 'DELETE', '/api/v1/routing/rules/billing')).statusCode).toBe(403);
    expect((await call(agent, 'PUT', '/api/v1/routing/rule-order', { ids: await ids() })).statusCode).toBe(403);
    expect(await ids()).not.toContain('typo');
  });

  it('reorders the set atomically, so the first matching queue changes, and refuses a stale order', async () => {
    const before = await ids();
    // A VIP customer's network-quality complaint: the VIP rule comes first, so the VIP desk takes it.
    const vipComplaint = {
      type: 'complaint',
      customerTier: 'vip',
      description: '信号差',
    };
    const outcome = async () => (await call(admin, 'POST', '/api/v1/routing/dry-run', vipComplaint)).json();
    expect((await outcome()).queue.code).toBe('vip-desk');

    const moved = ['network-quality-complaints', ...before.filter((id) => id !== 'network-quality-complaints')];
    const netRule = await call(admin, 'PUT', '/api/v1/routing/rules/network-quality-complaints', {
      name: '网络质量投诉 Network quality complaints',
      when: { types: ['complaint'] },
      then: { queue: 'network-ops' },
    });
    expect(netRule.statusCode, netRule.body).toBe(200);
    const res = await call(admin, 'PUT', '/api/v1/routing/rule-order', { ids: moved });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().rules.map((r: { id: string }) => r.id)).toEqual(moved);
    expect((await outcome()).queue.code).toBe('network-ops');

    const stale = await call(admin, 'PUT', '/api/v1/routing/rule-order', { ids: [...before.slice(1), 'ghost'] });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({
      code: 'routing.order_stale',
      details: { missing: [before[0]], unknown: ['ghost'], duplicates: [] },
    });
    expect(await ids()).toEqual(moved);

    // Put everything back for the other tests.
    await call(admin, 'PUT', '/api/v1/routing/rules/network-quality-complaints', {
      name: '网络质量投诉 Network quality complaints',
      when: { types: ['complaint'], categories: ['complaint-network'] },
      then: { queue: 'network-ops' },
    });
    expect((await call(admin, 'PUT', '/api/v1/routing/rule-order', { ids: before })).statusCode).toBe(200);
  });
});
