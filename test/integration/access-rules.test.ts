import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, type Harness } from '../helpers/harness.js';

describe.each(ENGINES)('access rules per role on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine);
  });
  afterAll(() => h?.close());

  const get = (s: Parameters<Harness['request']>[0], url: string) => h.request(s, { method: 'GET', url });

  async function restrictedTicket() {
    const vipTeam = await h.buildTeam({ kind: 'vip', restricted: true, name: 'VIP专席' });
    const vipAgent = await h.buildStaff('agent', vipTeam);
    const customerId = await h.buildCustomer();
    const ticketId = await h.buildTicket(vipAgent, { customerId });
    return { vipTeam, vipAgent, ticketId, customerId };
  }

  it('agent: reads other teams’ open tickets, but a restricted team’s ticket looks exactly like a missing one', async () => {
    const agent = await h.signIn('agent');
    const other = await h.buildStaff('agent', await h.buildTeam());
    expect((await get(agent, `/api/v1/tickets/${await h.buildTicket(other)}`)).statusCode).toBe(200);
    const { ticketId } = await restrictedTicket();
    const hidden = await get(agent, `/api/v1/tickets/${ticketId}`);
    const missing = await get(agent, '/api/v1/tickets/0190b7a6-0000-7000-8000-000000000000');
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json()).toEqual(missing.json());
    expect((await get(agent, `/api/v1/tickets/${ticketId}/timeline`)).statusCode).toBe(404);
  });

  it('agent: cannot assign a ticket to someone else, but can take one', async () => {
    const team = await h.buildTeam();
    const agent = await h.signIn('agent', team);
    const colleague = await h.buildStaff('agent', team);
    const ticketId = await h.buildTicket(colleague);
    const other = await h.request(agent, {
      method: 'POST',
      url: `/api/v1/tickets/${ticketId}/assignment`,
      payload: { assigneeId: colleague.id },
    });
    expect(other.statusCode).toBe(403);
    const take = await h.request(agent, {
      method: 'POST',
      url: `/api/v1/tickets/${ticketId}/assignment`,
      payload: { assigneeId: agent.actor.id },
    });
    expect(take.statusCode, take.body).toBe(200);
  });

  it('agent: cannot change a ticket of another team', async () => {
    const agent = await h.signIn('agent');
    const other = await h.buildStaff('agent', await h.buildTeam());
    const ticketId = await h.buildTicket(other);
    const res = await h.request(agent, {
      method: 'POST',
      url: `/api/v1/tickets/${ticketId}/messages`,
      payload: { visibility: 'public', body: '你好' },
    });
    expect(res.statusCode).toBe(403);
  });

  it('expert: works tickets assigned to them across teams', async () => {
    const supervisor = await h.signIn('supervisor');
    const expert = await h.signIn('expert');
    const agent = await h.buildStaff('agent', await h.buildTeam());
    const ticketId = await h.buildTicket(agent);
    await h.request(supervisor, {
      method: 'POST',
      url: `/api/v1/tickets/${ticketId}/assignment`,
      payload: { assigneeId: expert.actor.id },
    });
    const start = await h.request(expert, {
      method: 'POST',
      url: `/api/v1/tickets/${ticketId}/transitions`,
      payload: { action: 'start' },
    });
    expect(start.statusCode, start.body).toBe(200);
  });

  it('supervisor: sees a restricted team’s tickets unless the team closes its queue to supervisors', async () => {
    const supervisor = await h.signIn('supervisor');
    const { ticketId } = await restrictedTicket();
    expect((await get(supervisor, `/api/v1/tickets/${ticketId}`)).statusCode).toBe(200);
    const closed = await h.buildTeam({ kind: 'vip', restricted: true, supervisorsSeeRestricted: false });
    const hidden = await h.buildTicket(await h.buildStaff('agent', closed));
    expect((await get(supervisor, `/api/v1/tickets/${hidden}`)).statusCode).toBe(404);
  });

  it('QA: reads tickets but cannot create, reply or change them', async () => {
    const qa = await h.signIn('qa');
    const agent = await h.buildStaff('agent', await h.buildTeam());
    const ticketId = await h.buildTicket(agent);
    expect((await get(qa, `/api/v1/tickets/${ticketId}`)).statusCode).toBe(200);
    const reply = await h.request(qa, {
      method: 'POST',
      url: `/api/v1/tickets/${ticketId}/messages`,
      payload: { visibility: 'public', body: '你好' },
    });
    expect(reply.statusCode).toBe(403);
    const create = await h.request(qa, {
      method: 'POST',
      url: '/api/v1/tickets',
      payload: { type: 'inquiry', channel: 'web', subject: 'x', description: 'y', customerId: await h.buildCustomer() },
    });
    expect(create.statusCode).toBe(403);
  });

  it('department: sees only work transferred to their department, and may add internal notes only', async () => {
    const dept = await h.buildTeam({ kind: 'department', name: '计费账务部' });
    const billing = await h.signIn('department', dept);
    const supervisor = await h.signIn('supervisor');
    const agent = await h.buildStaff('agent', await h.buildTeam());
    const customerId = await h.buildCustomer();
    const transferred = await h.buildTicket(agent, { customerId });
    const notTransferred = await h.buildTicket(agent, { customerId });
    await h.request(supervisor, {
      method: 'POST',
      url: `/api/v1/tickets/${transferred}/assignment`,
      payload: { assigneeId: null, teamId: dept },
    });

    const list = (await get(billing, `/api/v1/tickets?customerId=${customerId}`)).json();
    expect(list.items.map((t: { id: string }) => t.id)).toEqual([transferred]);
    expect((await get(billing, `/api/v1/tickets/${notTransferred}`)).statusCode).toBe(404);
    const note = await h.request(billing, {
      method: 'POST',
      url: `/api/v1/tickets/${transferred}/messages`,
      payload: { visibility: 'internal', body: '已核实计费记录' },
    });
    expect(note.statusCode).toBe(201);
    const reply = await h.request(billing, {
      method: 'POST',
      url: `/api/v1/tickets/${transferred}/messages`,
      payload: { visibility: 'public', body: '你好' },
    });
    expect(reply.statusCode).toBe(403);
    expect((await get(billing, `/api/v1/customers/${customerId}`)).statusCode).toBe(403);
  });

  it('admin: sees restricted tickets and manages staff; nobody else can create accounts', async () => {
    const admin = await h.signIn('admin', null);
    const { ticketId } = await restrictedTicket();
    expect((await get(admin, `/api/v1/tickets/${ticketId}`)).statusCode).toBe(200);
    const body = { username: 'new.agent', displayName: '新同事', password: 'long enough password', role: 'agent' };
    expect((await h.request(admin, { method: 'POST', url: '/api/v1/staff', payload: body })).statusCode).toBe(201);
    const supervisor = await h.signIn('supervisor');
    expect(
      (await h.request(supervisor, { method: 'POST', url: '/api/v1/staff', payload: { ...body, username: 'x.agent' } }))
        .statusCode,
    ).toBe(403);
    const dup = await h.request(admin, { method: 'POST', url: '/api/v1/staff', payload: body });
    expect(dup.json().error.code).toBe('staff.username_taken');
  });

  it('the list endpoint applies the same visibility as the detail endpoint', async () => {
    const agent = await h.signIn('agent');
    const { vipTeam, customerId } = await restrictedTicket();
    expect((await get(agent, `/api/v1/tickets?customerId=${customerId}`)).json().items).toEqual([]);
    const member = await h.signIn('agent', vipTeam);
    expect((await get(member, `/api/v1/tickets?customerId=${customerId}`)).json().items).toHaveLength(1);
  });

  it('anonymous callers get 401, and writes without the CSRF token get 403', async () => {
    expect((await h.request(null, { method: 'GET', url: '/api/v1/tickets' })).statusCode).toBe(401);
    const agent = await h.signIn('agent');
    const res = await h.request(agent, {
      method: 'POST',
      url: '/api/v1/customers',
      payload: { name: '张三', numbers: ['13700001234'] },
      headers: { 'x-csrf-token': 'forged' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('auth.csrf_token_invalid');
  });

  it('locks sign-in for a username after five wrong passwords', async () => {
    const user = await h.buildStaff('agent', null);
    const attempt = (password: string) =>
      h.request(null, { method: 'POST', url: '/api/v1/auth/login', payload: { username: user.username, password } });
    for (let i = 0; i < 5; i++) expect((await attempt('wrong password')).statusCode).toBe(401);
    const locked = await attempt('correct horse battery');
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('auth.rate_limited');
  });

  it('sets the session cookie httpOnly and SameSite, and signs out', async () => {
    const user = await h.buildStaff('agent', null);
    const res = await h.request(null, {
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: user.username, password: 'correct horse battery' },
    });
    const cookie = res.cookies.find((c) => c.name === 'loopdesk_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    const session = {
      cookie: `loopdesk_session=${cookie.value}`,
      csrf: res.json().csrfToken,
      actor: user,
      username: user.username,
    };
    expect((await h.request(session, { method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(204);
    expect((await h.request(session, { method: 'GET', url: '/api/v1/auth/session' })).statusCode).toBe(401);
  });
});
