import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, type Harness } from '../helpers/harness.js';

describe.each(ENGINES)('saved queue views on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine);
  });
  afterAll(() => h?.close());

  type Session = Parameters<Harness['request']>[0];
  const list = async (s: Session) =>
    (await h.request(s, { method: 'GET', url: '/api/v1/saved-views' })).json().items as {
      id: string;
      name: string;
      filters: object;
    }[];
  const save = (s: Session, payload: object) => h.request(s, { method: 'POST', url: '/api/v1/saved-views', payload });

  it('keeps an agent’s views in the order saved, with their filters, for that agent only', async () => {
    const team = await h.buildTeam();
    const agent = await h.signIn('agent', team);
    const colleague = await h.signIn('agent', team);

    const first = await save(agent, {
      name: '我的投诉 · 待处理',
      filters: { view: 'mine', type: 'complaint', status: 'in_progress' },
    });
    expect(first.statusCode, first.body).toBe(201);
    expect(
      (await save(agent, { name: 'Team faults by due time', filters: { team, type: 'fault', sort: 'due', q: '掉线' } }))
        .statusCode,
    ).toBe(201);

    expect(await list(agent)).toEqual([
      expect.objectContaining({
        id: first.json().id,
        name: '我的投诉 · 待处理',
        filters: { view: 'mine', type: 'complaint', status: 'in_progress' },
      }),
      expect.objectContaining({
        name: 'Team faults by due time',
        filters: { team, type: 'fault', sort: 'due', q: '掉线' },
      }),
    ]);
    expect(await list(colleague)).toEqual([]);
    // A colleague cannot delete it: it looks missing to them.
    expect(
      (await h.request(colleague, { method: 'DELETE', url: `/api/v1/saved-views/${first.json().id}` })).statusCode,
    ).toBe(404);

    expect(
      (await h.request(agent, { method: 'DELETE', url: `/api/v1/saved-views/${first.json().id}` })).statusCode,
    ).toBe(204);
    expect((await list(agent)).map((v) => v.name)).toEqual(['Team faults by due time']);
  });

  it('refuses a second view of the same name, unknown filters, and more than 20 views, with codes', async () => {
    const agent = await h.signIn('agent');
    expect((await save(agent, { name: 'VIP', filters: { view: 'vip' } })).statusCode).toBe(201);

    const again = await save(agent, { name: ' VIP ', filters: { view: 'vip' } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({
      code: 'saved_view.name_taken',
      message: 'You already have a view named "VIP"',
    });

    const unknown = await save(agent, { name: 'bad', filters: { view: 'mine', assigneeId: 'someone-else' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('request.invalid');
    expect((await save(agent, { name: '', filters: {} })).statusCode).toBe(400);
    expect((await save(agent, { name: 'bad status', filters: { status: 'lost' } })).statusCode).toBe(400);

    for (let i = 2; i <= 20; i++)
      expect((await save(agent, { name: `view ${i}`, filters: { view: 'all' } })).statusCode).toBe(201);
    const tooMany = await save(agent, { name: 'view 21', filters: { view: 'all' } });
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.json().error.code).toBe('saved_view.limit_reached');
    expect(await list(agent)).toHaveLength(20);
  });

  it('needs a signed-in staff member', async () => {
    expect((await h.request(null, { method: 'GET', url: '/api/v1/saved-views' })).statusCode).toBe(401);
  });
});
