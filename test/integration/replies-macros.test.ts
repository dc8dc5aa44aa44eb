import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, type Harness, type Session } from '../helpers/harness.js';

// Managed replies and macros: who sees and manages which, search by segmented words, and macros
// applied in one step through the ticket's own rules — all of it or nothing.

describe.each(ENGINES)('replies and macros on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine);
  });
  afterAll(() => h?.close());

  const create = (s: Session, payload: object) => h.request(s, { method: 'POST', url: '/api/v1/replies', payload });
  const list = async (s: Session, query = '') => {
    const res = await h.request(s, { method: 'GET', url: `/api/v1/replies${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{
      items: { id: string; name: string; scope: string; abilities: string[]; isMacro: boolean }[];
      nextCursor: string | null;
      creatableScopes: string[];
    }>();
  };
  const ticketOf = async (s: Session, id: string) =>
    (await h.request(s, { method: 'GET', url: `/api/v1/tickets/${id}` })).json<{
      status: string;
      tags: string[];
      grade: string;
      version: number;
    }>();
  const timelineKinds = async (s: Session, id: string) =>
    (await h.request(s, { method: 'GET', url: `/api/v1/tickets/${id}/timeline` }))
      .json<{ items: { kind: string }[] }>()
      .items.map((e) => e.kind);
  const apply = (s: Session, ticketId: string, payload: object) =>
    h.request(s, { method: 'POST', url: `/api/v1/tickets/${ticketId}/macros`, payload });
  const start = (s: Session, id: string) =>
    h.request(s, { method: 'POST', url: `/api/v1/tickets/${id}/transitions`, payload: { action: 'start' } });

  it('keeps personal replies to their owner, team replies to the team, and global ones for everyone', async () => {
    const team = await h.buildTeam();
    const otherTeam = await h.buildTeam();
    const agent = await h.signIn('agent', team);
    const colleague = await h.signIn('agent', team);
    const outsider = await h.signIn('agent', otherTeam);
    const supervisor = await h.signIn('supervisor', team);

    expect(
      (await create(agent, { scope: 'personal', name: '我的问候', body: '您好 {{customer.name}}' })).statusCode,
    ).toBe(201);
    const teamReply = await create(supervisor, {
      scope: 'team',
      name: '组内话术',
      body: '本组已受理 {{ticket.number}}',
    });
    expect(teamReply.statusCode, teamReply.body).toBe(201);
    const globalName = `全局问候 ${Date.now()}`;
    expect((await create(supervisor, { scope: 'global', name: globalName, body: '感谢您的耐心等待' })).statusCode).toBe(
      201,
    );

    const names = async (s: Session) => (await list(s)).items.map((r) => r.name);
    expect(await names(agent)).toEqual(expect.arrayContaining(['我的问候', '组内话术', globalName]));
    expect(await names(colleague)).not.toContain('我的问候');
    expect(await names(colleague)).toContain('组内话术');
    expect(await names(outsider)).not.toContain('组内话术');
    expect(await names(outsider)).toContain(globalName);
    // The agent may use the team reply but not change it; to someone outside the team it looks missing.
    const id = teamReply.json<{ id: string }>().id;
    const mine = (await list(agent)).items.find((r) => r.id === id)!;
    expect(mine.abilities).toEqual([]);
    const edit = await h.request(agent, { method: 'PATCH', url: `/api/v1/replies/${id}`, payload: { name: 'x' } });
    expect(edit.statusCode).toBe(403);
    expect(edit.json().error.code).toBe('auth.forbidden');
    expect((await h.request(outsider, { method: 'DELETE', url: `/api/v1/replies/${id}` })).statusCode).toBe(404);
    expect((await list(agent)).creatableScopes).toEqual(['personal']);
  });

  it('refuses team and global replies from agents, unknown placeholders and duplicate names, with codes', async () => {
    const agent = await h.signIn('agent');
    const supervisor = await h.signIn('supervisor');
    const qa = await h.signIn('qa');
    const global = await create(agent, { scope: 'global', name: 'g', body: 'x' });
    expect(global.statusCode).toBe(403);
    expect(global.json().error.code).toBe('auth.forbidden');
    expect((await create(agent, { scope: 'team', name: 't', body: 'x' })).statusCode).toBe(403);
    expect((await create(qa, { scope: 'personal', name: 'q', body: 'x' })).statusCode).toBe(403);

    const unknown = await create(agent, {
      scope: 'personal',
      name: 'u',
      body: '{{customer.name}} {{order.id}}',
      actions: { note: '{{customer.idcard}}' },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toMatchObject({
      code: 'reply.unknown_placeholder',
      details: { placeholders: ['order.id', 'customer.idcard'] },
    });
    const badGrade = await create(supervisor, {
      scope: 'global',
      name: `bad ${Date.now()}`,
      actions: { grade: 'nope' },
    });
    expect(badGrade.statusCode).toBe(422);
    const badStatus = await create(agent, { scope: 'personal', name: 's', actions: { status: 'fly' } });
    expect(badStatus.statusCode).toBe(400);
    expect(badStatus.json().error.code).toBe('request.invalid');
    const empty = await create(agent, { scope: 'personal', name: 'e', body: '  ' });
    expect(empty.statusCode).toBe(400);

    expect((await create(agent, { scope: 'personal', name: '同名', body: 'a' })).statusCode).toBe(201);
    const again = await create(agent, { scope: 'personal', name: '同名', body: 'b' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('reply.name_taken');
  });

  it('finds replies by segmented words, prefixes included, not by raw substrings, page by page', async () => {
    const agent = await h.signIn('agent');
    for (const [name, body] of [
      ['上门预约', '我们已安排装维人员上门检修'],
      ['受理确认', '您的问题已登记'],
      ['Visit booked', 'An engineer will visit'],
      ['话费说明', '本月话费包含套餐外流量费'],
    ])
      expect((await create(agent, { scope: 'personal', name, body })).statusCode).toBe(201);
    const names = async (q: string) =>
      (await list(agent, `?scope=personal&q=${encodeURIComponent(q)}`)).items.map((r) => r.name);
    expect(await names('上门')).toEqual(['上门预约']);
    expect(await names('检修')).toEqual(['上门预约']);
    expect(await names('visi')).toEqual(['Visit booked']);
    expect(await names('流量')).toEqual(['话费说明']);
    // "费包" is a substring of 话费包含 but not a word of it.
    expect(await names('费包')).toEqual([]);

    const first = await list(agent, '?scope=personal&limit=3');
    expect(first.items).toHaveLength(3);
    const second = await list(agent, `?scope=personal&limit=3&cursor=${first.nextCursor}`);
    expect([...first.items, ...second.items].map((r) => r.name)).toEqual([
      'Visit booked',
      '上门预约',
      '受理确认',
      '话费说明',
    ]);
    expect(second.nextCursor).toBeNull();
  });

  it('applies a macro in one step: tags, grade, note with placeholders, and a status move on the timeline', async () => {
    const agent = await h.signIn('agent');
    const macro = await create(agent, {
      scope: 'personal',
      name: '等待客户回复',
      body: '{{customer.name}}您好，请您方便时回复。',
      actions: { status: 'wait_customer', addTags: ['待回访'], grade: 'major', note: '已联系 {{customer.phone}}' },
    });
    expect(macro.statusCode, macro.body).toBe(201);
    const ticketId = await h.buildTicket(agent.actor, { assignToMe: true, contactNumber: '13812345678' });
    expect((await start(agent, ticketId)).statusCode).toBe(200);

    const res = await apply(agent, ticketId, {
      macroId: macro.json().id,
      message: { visibility: 'public', body: '张三您好，请您方便时回复。' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ applied: { edit: true, message: true, note: true, status: 'wait_customer' } });
    const ticket = await ticketOf(agent, ticketId);
    expect(ticket).toMatchObject({ status: 'pending_customer', tags: ['待回访'], grade: 'major' });
    const kinds = await timelineKinds(agent, ticketId);
    expect(kinds).toEqual(expect.arrayContaining(['updated', 'message_added', 'status_changed']));
    const messages = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${ticketId}/messages` })).json<{
      items: { visibility: string; bodyHtml: string }[];
    }>().items;
    // The note's phone placeholder is filled masked, as the agent sees the number.
    expect(messages.find((m) => m.visibility === 'internal')!.bodyHtml).toContain('138****5678');
    expect(messages.find((m) => m.visibility === 'internal')!.bodyHtml).not.toContain('13812345678');
  });

  it('refuses a macro whose status move is illegal here, and applies nothing of it', async () => {
    const agent = await h.signIn('agent');
    const macro = (
      await create(agent, {
        scope: 'personal',
        name: '直接结案',
        actions: { status: 'close', addTags: ['已结案'], note: '结案' },
      })
    ).json<{ id: string }>().id;
    const resolveMacro = (
      await create(agent, { scope: 'personal', name: '解决', actions: { status: 'resolve', addTags: ['已解决'] } })
    ).json<{ id: string }>().id;
    const ticketId = await h.buildTicket(agent.actor, { assignToMe: true });
    expect((await start(agent, ticketId)).statusCode).toBe(200);
    const before = await ticketOf(agent, ticketId);
    const kindsBefore = await timelineKinds(agent, ticketId);

    const refused = await apply(agent, ticketId, { macroId: macro });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({
      code: 'macro.not_applicable',
      details: { reason: 'invalid_transition', action: 'close', status: 'in_progress' },
    });
    // Resolving needs a public reply (closed loop): refused without one …
    const noReply = await apply(agent, ticketId, { macroId: resolveMacro });
    expect(noReply.json().error).toMatchObject({ code: 'macro.not_applicable', details: { reason: 'reply_required' } });
    expect(await ticketOf(agent, ticketId)).toEqual(before);
    expect(await timelineKinds(agent, ticketId)).toEqual(kindsBefore);
    // … and applied with the reply going out in the same step.
    const withReply = await apply(agent, ticketId, {
      macroId: resolveMacro,
      message: { visibility: 'public', body: '问题已处理完毕。' },
    });
    expect(withReply.statusCode, withReply.body).toBe(200);
    expect(await ticketOf(agent, ticketId)).toMatchObject({ status: 'resolved', tags: ['已解决'] });
  });

  it('lets only those who may work the ticket apply a macro; a reply without actions is not a macro', async () => {
    const team = await h.buildTeam();
    const agent = await h.signIn('agent', team);
    const qa = await h.signIn('qa', team);
    const supervisor = await h.signIn('supervisor', team);
    const globalMacro = await create(supervisor, {
      scope: 'global',
      name: `加急 ${Date.now()}`,
      actions: { grade: 'urgent' },
    });
    const plain = (await create(agent, { scope: 'personal', name: '纯文本', body: '您好' })).json<{ id: string }>().id;
    const ticketId = await h.buildTicket(agent.actor, { assignToMe: true });
    // QA may not use replies at all: the macro looks missing to them.
    expect((await apply(qa, ticketId, { macroId: globalMacro.json().id })).statusCode).toBe(404);
    const notMacro = await apply(agent, ticketId, { macroId: plain });
    expect(notMacro.statusCode).toBe(400);
    expect((await apply(agent, ticketId, { macroId: globalMacro.json().id })).statusCode).toBe(200);
    expect((await ticketOf(agent, ticketId)).grade).toBe('urgent');
  });
});
