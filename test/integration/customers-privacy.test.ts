import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, type Harness } from '../helpers/harness.js';

describe.each(ENGINES)('customers and personal data on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine);
  });
  afterAll(() => h?.close());

  it('masks numbers, ID number and address in every customer response', async () => {
    const agent = await h.signIn('agent');
    const res = await h.request(agent, {
      method: 'POST',
      url: '/api/v1/customers',
      payload: {
        name: '王芳',
        numbers: ['13812345678'],
        idNumber: '110101199003071234',
        address: '广东省广州市天河区中山大道100号',
        tier: 'vip',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect(c.numbers).toEqual(['138****5678']);
    expect(c.idNumber).toBe('1101**********1234');
    expect(c.address).not.toContain('中山大道');
    expect(res.body).not.toContain('13812345678');
    expect(res.body).not.toContain('110101199003071234');
  });

  it('finds a customer by full number, +86 form, last four digits and name', async () => {
    const agent = await h.signIn('agent');
    const id = await h.buildCustomer({ name: '欧阳娜娜', numbers: ['13787654321'] });
    const find = async (q: string) =>
      (await h.request(agent, { method: 'GET', url: `/api/v1/customers?q=${encodeURIComponent(q)}` }))
        .json()
        .items.map((c: { id: string }) => c.id);
    expect(await find('13787654321')).toEqual([id]);
    expect(await find('+8613787654321')).toEqual([id]);
    expect(await find('4321')).toContain(id);
    expect(await find('欧阳')).toEqual([id]);
  });

  it('keeps the tier and plans when a correction changes only the name', async () => {
    const agent = await h.signIn('agent');
    const id = await h.buildCustomer({ tier: 'vip', plans: ['5G畅享套餐'] });
    const res = await h.request(agent, {
      method: 'PATCH',
      url: `/api/v1/customers/${id}`,
      payload: { name: '王小芳' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ name: '王小芳', tier: 'vip', plans: ['5G畅享套餐'] });
  });

  it('refuses a number that already belongs to another customer', async () => {
    const agent = await h.signIn('agent');
    await h.buildCustomer({ numbers: ['13600001111'] });
    const res = await h.request(agent, {
      method: 'POST',
      url: '/api/v1/customers',
      payload: { name: '李四', numbers: ['13600001111'] },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('customer.number_taken');
  });

  it('reveals a number only through the audited action, and logs who, what and why', async () => {
    const agent = await h.signIn('agent');
    const supervisor = await h.signIn('supervisor');
    const customerId = await h.buildCustomer({ numbers: ['13911112222'] });
    const res = await h.request(agent, {
      method: 'POST',
      url: `/api/v1/customers/${customerId}/reveal`,
      payload: { field: 'phone', reason: '回访确认故障恢复' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().values).toEqual(['13911112222']);
    const log = (
      await h.request(supervisor, { method: 'GET', url: `/api/v1/pii-access-log?customerId=${customerId}` })
    ).json();
    expect(log.items).toHaveLength(1);
    expect(log.items[0]).toMatchObject({ field: 'phone', reason: '回访确认故障恢复', staff: { id: agent.actor.id } });
  });

  it('writes a reveal made for a ticket onto the ticket timeline too', async () => {
    const agent = await h.signIn('agent');
    const customerId = await h.buildCustomer();
    const ticketId = await h.buildTicket(agent.actor, { customerId, contactNumber: '13522223333' });
    const res = await h.request(agent, {
      method: 'POST',
      url: `/api/v1/customers/${customerId}/reveal`,
      payload: { field: 'phone', reason: '回电', ticketId },
    });
    expect(res.json().values[0]).toBe('13522223333');
    const kinds = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${ticketId}/timeline` }))
      .json()
      .items.map((e: { kind: string }) => e.kind);
    expect(kinds).toContain('pii_revealed');
  });

  it('does not let QA or department staff reveal personal data', async () => {
    const customerId = await h.buildCustomer();
    for (const role of ['qa', 'department'] as const) {
      const s = await h.signIn(role);
      const res = await h.request(s, {
        method: 'POST',
        url: `/api/v1/customers/${customerId}/reveal`,
        payload: { field: 'id_number', reason: '好奇' },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('pii.reveal_not_allowed');
    }
  });

  it('requires a reason to reveal', async () => {
    const agent = await h.signIn('agent');
    const customerId = await h.buildCustomer();
    const res = await h.request(agent, {
      method: 'POST',
      url: `/api/v1/customers/${customerId}/reveal`,
      payload: { field: 'phone' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.issues[0].path).toEqual(['reason']);
  });
});
