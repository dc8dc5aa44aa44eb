import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryId } from '../../src/db/reference-data.js';
import { customerNumbers, incidentRemedies } from '../../src/db/schema.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

// Remedies for a network incident: granted per customer or to every linked customer, recorded on
// the ticket, held above the approval limit for a second supervisor, exported for billing.

describe.each(ENGINES)('incident remedies on %s', (engine) => {
  let h: Harness;
  const clock = testClock(new Date('2026-11-20T02:00:00Z'));
  let supervisor: Session;
  let secondSupervisor: Session;
  let netops: Session;
  let agent: Session;
  let regionNo = 0;
  const region = () => `补偿区${engine}${regionNo++}`;

  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    supervisor = await h.signIn('supervisor');
    secondSupervisor = await h.signIn('supervisor');
    netops = await h.signIn(
      'department',
      await h.buildTeam({ code: 'network-ops', name: '网络运维部', kind: 'department' }),
    );
    agent = await h.signIn('agent', await h.buildTeam());
  });
  afterAll(() => h?.close());

  const post = (s: Session, url: string, payload: Record<string, unknown>) =>
    h.request(s, { method: 'POST', url, payload });
  const get = (s: Session, url: string) => h.request(s, { method: 'GET', url });

  /** An incident with `n` linked tickets from `n` customers. */
  async function incidentWithCallers(n: number) {
    const area = region();
    const res = await post(supervisor, '/api/v1/incidents', {
      title: '光缆中断',
      category: 'network_performance',
      level: 'III',
      areas: [area],
    });
    expect(res.statusCode, res.body).toBe(201);
    const incident = res.json<{ id: string; number: string }>();
    const callers: { customerId: string; ticketId: string }[] = [];
    for (let i = 0; i < n; i++) {
      const customerId = await h.buildCustomer({ region: area, name: `客户${i}` });
      const ticketId = await h.buildTicket(agent.actor, { categoryId: categoryId('fault-network'), customerId });
      callers.push({ customerId, ticketId });
    }
    return { incident, callers };
  }

  it('grants a data pack within the limit at once to one customer, and records it on the ticket', async () => {
    const { incident, callers } = await incidentWithCallers(2);
    const res = await post(agent, `/api/v1/incidents/${incident.id}/remedies`, {
      kind: 'data_pack',
      amount: 1024,
      note: '故障补偿',
      customerId: callers[0]!.customerId,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ granted: 1, pendingApproval: 0 });
    const listed = (await get(agent, `/api/v1/incidents/${incident.id}/remedies`)).json();
    expect(listed).toEqual([
      expect.objectContaining({
        customerId: callers[0]!.customerId,
        ticketId: callers[0]!.ticketId,
        kind: 'data_pack',
        amount: 1024,
        unit: 'MB',
        status: 'approved',
        canDecide: false,
      }),
    ]);
    const timeline = (await get(agent, `/api/v1/tickets/${callers[0]!.ticketId}/timeline`)).json();
    expect(JSON.stringify(timeline)).toContain('remedy_granted');
  });

  it('grants to every customer with a linked ticket in one request, one remedy each', async () => {
    const { incident, callers } = await incidentWithCallers(3);
    const res = await post(netops, `/api/v1/incidents/${incident.id}/remedies`, { kind: 'data_pack', amount: 2048 });
    expect(res.json()).toEqual({ granted: 3, pendingApproval: 0 });
    const rows = await h.database.db
      .select()
      .from(incidentRemedies)
      .where(eq(incidentRemedies.incidentId, incident.id));
    expect(rows.map((r) => r.customerId).sort()).toEqual(callers.map((c) => c.customerId).sort());
    const empty = await post(supervisor, '/api/v1/incidents', {
      title: '空',
      category: 'service',
      level: 'IV',
      areas: [region()],
    });
    const none = await post(netops, `/api/v1/incidents/${empty.json().id}/remedies`, { kind: 'data_pack', amount: 1 });
    expect(none.json().error.code).toBe('incident.no_customers');
  });

  it('holds a remedy above the limit until a supervisor other than the grantor approves it', async () => {
    const { incident, callers } = await incidentWithCallers(1);
    const res = await post(supervisor, `/api/v1/incidents/${incident.id}/remedies`, {
      kind: 'fee_waiver',
      amount: 5001, // 50.01 CNY: above the 50 CNY limit
      customerId: callers[0]!.customerId,
    });
    expect(res.json()).toEqual({ granted: 1, pendingApproval: 1 });
    const [remedy] = (await get(supervisor, `/api/v1/incidents/${incident.id}/remedies`)).json();
    expect(remedy).toMatchObject({ status: 'pending_approval', canDecide: false });
    const url = `/api/v1/incidents/${incident.id}/remedies/${remedy.id}/decision`;

    const own = await post(supervisor, url, { approve: true });
    expect(own.statusCode).toBe(403);
    expect(own.json().error.code).toBe('remedy.four_eyes');
    expect((await post(agent, url, { approve: true })).statusCode).toBe(403);
    const [seen] = (await get(secondSupervisor, `/api/v1/incidents/${incident.id}/remedies`)).json();
    expect(seen.canDecide).toBe(true);
    expect((await post(secondSupervisor, url, { approve: true })).statusCode).toBe(204);
    const again = await post(secondSupervisor, url, { approve: false });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('remedy.not_pending');
    const [after] = (await get(agent, `/api/v1/incidents/${incident.id}/remedies`)).json();
    expect(after).toMatchObject({ status: 'approved', decidedBy: { id: secondSupervisor.actor.id } });
  });

  it('decides a bulk grant above the limit in one request, all or none', async () => {
    const { incident } = await incidentWithCallers(3);
    const granted = await post(supervisor, `/api/v1/incidents/${incident.id}/remedies`, {
      kind: 'data_pack',
      amount: 20_480,
    });
    expect(granted.json()).toEqual({ granted: 3, pendingApproval: 3 });
    const ids = (await get(supervisor, `/api/v1/incidents/${incident.id}/remedies`))
      .json()
      .map((r: { id: string }) => r.id);
    const url = `/api/v1/incidents/${incident.id}/remedies/decision`;
    const own = await post(supervisor, url, { remedyIds: ids, approve: true });
    expect(own.json().error.code).toBe('remedy.four_eyes');
    const res = await post(secondSupervisor, url, { remedyIds: ids, approve: true });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ decided: 3 });
    const after = (await get(agent, `/api/v1/incidents/${incident.id}/remedies`)).json();
    expect(after.map((r: { status: string }) => r.status)).toEqual(['approved', 'approved', 'approved']);
    // Deciding them again refuses the whole request.
    expect((await post(secondSupervisor, url, { remedyIds: ids, approve: false })).json().error.code).toBe(
      'remedy.not_pending',
    );
  });

  it("lists a customer's remedies on the customer (kind, amount, status, incident number) for staff who read customers", async () => {
    const { incident, callers } = await incidentWithCallers(2);
    const [mine, other] = callers;
    await post(agent, `/api/v1/incidents/${incident.id}/remedies`, {
      kind: 'data_pack',
      amount: 1024,
      customerId: mine!.customerId,
    });
    await post(agent, `/api/v1/incidents/${incident.id}/remedies`, {
      kind: 'fee_waiver',
      amount: 999_999,
      customerId: mine!.customerId,
    });
    const res = await get(agent, `/api/v1/customers/${mine!.customerId}/remedies`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual([
      expect.objectContaining({
        kind: 'fee_waiver',
        amount: 999_999,
        unit: 'fen',
        status: 'pending_approval',
        incident: { id: incident.id, number: incident.number },
        ticketId: mine!.ticketId,
      }),
      expect.objectContaining({ kind: 'data_pack', amount: 1024, unit: 'MB', status: 'approved' }),
    ]);
    expect((await get(agent, `/api/v1/customers/${other!.customerId}/remedies`)).json()).toEqual([]);
    // Like the customer's other facts: not for department staff (network operations see them on the incident).
    expect((await get(netops, `/api/v1/customers/${mine!.customerId}/remedies`)).statusCode).toBe(403);
  });

  it('exports only the approved remedies as CSV for billing, with the number to credit', async () => {
    const { incident, callers } = await incidentWithCallers(2);
    await post(agent, `/api/v1/incidents/${incident.id}/remedies`, {
      kind: 'data_pack',
      amount: 500,
      customerId: callers[0]!.customerId,
    });
    await post(agent, `/api/v1/incidents/${incident.id}/remedies`, {
      kind: 'data_pack',
      amount: 20_480, // above the limit: waits, not exported
      customerId: callers[1]!.customerId,
    });
    expect((await get(agent, `/api/v1/incidents/${incident.id}/remedies.csv`)).statusCode).toBe(403);
    const res = await get(netops, `/api/v1/incidents/${incident.id}/remedies.csv`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain(`remedies-${incident.number}.csv`);
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toBe(
      'incident,customer_id,customer_name,msisdn,ticket,kind,amount,unit,note,granted_by,approved_by,granted_at,approved_at',
    );
    expect(lines).toHaveLength(2);
    const [number] = await h.database.db
      .select()
      .from(customerNumbers)
      .where(eq(customerNumbers.customerId, callers[0]!.customerId));
    expect(lines[1]).toContain(`${incident.number},${callers[0]!.customerId},客户0,${number!.msisdn},`);
    expect(lines[1]).toContain(',data_pack,500,MB,');
  });
});
