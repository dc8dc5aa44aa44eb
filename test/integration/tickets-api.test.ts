import { readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { categoryId } from '../../src/db/reference-data.js';
import { ENGINES, TEST_SERVER_URL } from '../helpers/engines.js';
import { startHarness, type Harness, type Session } from '../helpers/harness.js';

describe.each(ENGINES)('tickets API on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine);
  });
  afterAll(() => h?.close());

  const createBody = (customerId: string, extra: Record<string, unknown> = {}) => ({
    type: 'complaint',
    channel: 'hotline',
    subject: '流量扣费异常',
    description: '本月账单多扣了58元流量费，请核实。',
    customerId,
    ...extra,
  });

  async function newTicket(agent: Session, extra: Record<string, unknown> = {}) {
    const customerId = await h.buildCustomer();
    const res = await h.request(agent, {
      method: 'POST',
      url: '/api/v1/tickets',
      payload: createBody(customerId, extra),
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  }

  const act = (s: Session, id: string, action: string) =>
    h.request(s, { method: 'POST', url: `/api/v1/tickets/${id}/transitions`, payload: { action } });

  it('creates a ticket with a readable number, owned by the agent who took the contact', async () => {
    const agent = await h.signIn('agent');
    const ticket = await newTicket(agent);
    expect(ticket.number).toMatch(/^TS\d{8}\d{6,}$/);
    expect(ticket.status).toBe('new');
    expect(ticket.firstContactOwner.id).toBe(agent.actor.id);
    expect(ticket.priority).toBe(3); // general complaint, regular customer
    expect(ticket.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/); // UUIDv7, not sequential
    const timeline = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${ticket.id}/timeline` })).json();
    expect(timeline.items.map((e: { kind: string }) => e.kind)).toEqual(['created', 'routed', 'sla_started']);
  });

  it('answers a new ticket with the page a GET of it shows: plain, taken by its creator, a repeat contact, with a risk word', async () => {
    const agent = await h.signIn('agent');
    const customerId = await h.buildCustomer();
    const fault = { type: 'fault', categoryId: categoryId('fault-terminal') };
    const cases = [
      createBody(customerId),
      createBody(customerId, { assignToMe: true }),
      createBody(customerId, fault),
      createBody(customerId, fault), // the same category again: a repeat contact, flagged after the insert
      createBody(customerId, { description: '再不处理我就去工信部投诉你们！' }), // a risk word raises its grade after the insert
    ];
    const created = [];
    for (const payload of cases) {
      const res = await h.request(agent, { method: 'POST', url: '/api/v1/tickets', payload });
      expect(res.statusCode, res.body).toBe(201);
      const page = await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${res.json().id}` });
      expect(res.json()).toEqual(page.json());
      created.push(res.json());
    }
    expect(created.map((t) => [t.status, t.assignee?.id ?? null, t.isRepeat, t.grade])).toEqual([
      ['new', null, false, 'general'],
      ['assigned', agent.actor.id, false, 'general'],
      ['new', null, false, 'general'],
      ['new', null, true, 'general'],
      ['new', null, false, 'urgent'],
    ]);
  });

  it.skipIf(engine !== 'postgres')(
    'sends a new ticket, plain or with a category, to PostgreSQL in two writes: BEGIN with the facts, the insert with its COMMIT',
    async () => {
      const agent = await h.signIn('agent');
      const create = (customerId: string, extra: Record<string, unknown> = {}) =>
        h.request(agent, { method: 'POST', url: '/api/v1/tickets', payload: createBody(customerId, extra) });
      expect((await create(await h.buildCustomer())).statusCode).toBe(201); // caches warm, statements prepared
      const port = Number(new URL(TEST_SERVER_URL).port || 5432);
      const socket = Socket.prototype as unknown as Record<'_write' | '_writev', (...args: unknown[]) => unknown>;
      const [write, writev] = [socket._write, socket._writev];
      const writesOf = async (extra?: Record<string, unknown>) => {
        const customerId = await h.buildCustomer();
        let writes = 0;
        const counting = (original: (...args: unknown[]) => unknown) =>
          function (this: Socket, ...args: unknown[]) {
            if (this.remotePort === port) writes++;
            return original.apply(this, args);
          };
        Object.assign(socket, { _write: counting(write), _writev: counting(writev) });
        let res;
        try {
          res = await create(customerId, extra);
        } finally {
          Object.assign(socket, { _write: write, _writev: writev });
        }
        expect(res.statusCode, res.body).toBe(201);
        const page = await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${res.json().id}` });
        expect(page.json()).toEqual(res.json());
        return writes;
      };
      expect(await writesOf()).toBe(2);
      expect(await writesOf({ type: 'fault', categoryId: categoryId('fault-terminal') })).toBe(2);
    },
  );

  it('returns the same ticket for a retried request with the same Idempotency-Key', async () => {
    const agent = await h.signIn('agent');
    const customerId = await h.buildCustomer();
    const send = () =>
      h.request(agent, {
        method: 'POST',
        url: '/api/v1/tickets',
        payload: createBody(customerId),
        headers: { 'idempotency-key': 'retry-key-0001' },
      });
    const first = await send();
    const second = await send();
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(200);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json().id).toBe(first.json().id);
  });

  it('creates exactly one ticket when the same key arrives ten times at once', async () => {
    const agent = await h.signIn('agent');
    const customerId = await h.buildCustomer();
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        h.request(agent, {
          method: 'POST',
          url: '/api/v1/tickets',
          payload: createBody(customerId),
          headers: { 'idempotency-key': 'race-key-0001' },
        }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.json().id)).size).toBe(1);
    const rows = await queryRows<{ n: number }>(
      h.database.db,
      sql`SELECT count(*)::int AS n FROM tickets WHERE customer_id = ${customerId}`,
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('refuses to reuse an Idempotency-Key for a different request', async () => {
    const agent = await h.signIn('agent');
    const customerId = await h.buildCustomer();
    const headers = { 'idempotency-key': 'reused-key-0001' };
    await h.request(agent, { method: 'POST', url: '/api/v1/tickets', payload: createBody(customerId), headers });
    const res = await h.request(agent, {
      method: 'POST',
      url: '/api/v1/tickets',
      payload: createBody(customerId, { subject: '另一件事' }),
      headers,
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('idempotency.key_reused');
  });

  // The key is claimed in the statement that reads the customer and the grade: these check that the
  // claim's outcome decides before a missing customer or grade is reported, and that a failed
  // creation rolls its claim back.
  it('refuses a reused Idempotency-Key as reused even when the different request names an unknown customer', async () => {
    const agent = await h.signIn('agent');
    const headers = { 'idempotency-key': 'reused-key-0002' };
    const first = await h.request(agent, {
      method: 'POST',
      url: '/api/v1/tickets',
      payload: createBody(await h.buildCustomer()),
      headers,
    });
    expect(first.statusCode).toBe(201);
    const res = await h.request(agent, {
      method: 'POST',
      url: '/api/v1/tickets',
      payload: createBody(uuidv7()),
      headers,
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('idempotency.key_reused');
  });

  it('answers a retry with the first ticket even when the customer it names has since become unknown', async () => {
    const agent = await h.signIn('agent');
    const customerId = await h.buildCustomer();
    const send = () =>
      h.request(agent, {
        method: 'POST',
        url: '/api/v1/tickets',
        payload: createBody(customerId),
        headers: { 'idempotency-key': 'gone-key-0001' },
      });
    const first = await send();
    expect(first.statusCode).toBe(201);
    // A customer with tickets cannot be deleted: move the ticket to another one first.
    await h.database.db.execute(
      sql`UPDATE tickets SET customer_id = ${await h.buildCustomer()} WHERE id = ${first.json().id}`,
    );
    await h.database.db.execute(sql`DELETE FROM customers WHERE id = ${customerId}`);
    const retry = await send();
    expect(retry.statusCode, retry.body).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json().id).toBe(first.json().id);
  });

  it('leaves the Idempotency-Key unused when the creation fails (unknown customer, unknown grade): the same key then creates the ticket', async () => {
    const agent = await h.signIn('agent');
    const customerId = await h.buildCustomer();
    const post = (payload: Record<string, unknown>) =>
      h.request(agent, {
        method: 'POST',
        url: '/api/v1/tickets',
        payload,
        headers: { 'idempotency-key': 'failed-key-0001' },
      });
    const noCustomer = await post(createBody(uuidv7()));
    expect(noCustomer.statusCode).toBe(422);
    expect(noCustomer.json().error).toMatchObject({
      code: 'ticket.unknown_reference',
      details: { field: 'customerId' },
    });
    const noGrade = await post(createBody(customerId, { grade: 'no-such-grade' }));
    expect(noGrade.statusCode).toBe(422);
    expect(noGrade.json().error).toMatchObject({ code: 'ticket.unknown_reference', details: { field: 'grade' } });
    const created = await post(createBody(customerId));
    expect(created.statusCode, created.body).toBe(201);
    const keys = await queryRows<{ resource_id: string }>(
      h.database.db,
      sql`SELECT resource_id FROM idempotency_keys WHERE scope = ${`ticket.create:${agent.actor.id}`}`,
    );
    expect(keys).toEqual([{ resource_id: created.json().id }]);
  });

  it('uses up no ticket number for a replayed or refused request', async () => {
    const agent = await h.signIn('agent');
    const customerId = await h.buildCustomer();
    const headers = { 'idempotency-key': 'number-key-0001' };
    const post = (payload: Record<string, unknown>) =>
      h.request(agent, { method: 'POST', url: '/api/v1/tickets', payload, headers });
    const first = await post(createBody(customerId));
    expect(first.statusCode).toBe(201);
    expect((await post(createBody(customerId))).statusCode).toBe(200);
    expect((await post(createBody(customerId, { subject: '另一件事' }))).json().error.code).toBe(
      'idempotency.key_reused',
    );
    const next = await newTicket(agent);
    const sequence = (n: string) => Number(n.slice(10)); // TS, the date, then the sequence
    expect(sequence(next.number)).toBe(sequence(first.json().number) + 1);
  });

  it('drives a ticket around the loop, refusing to resolve it before the customer got a reply or to close it before the customer answered', async () => {
    const agent = await h.signIn('agent');
    const ticket = await newTicket(agent, { assignToMe: true });
    expect(ticket.status).toBe('assigned');
    expect(ticket.availableActions).toEqual(['start']);

    expect((await act(agent, ticket.id, 'start')).json().status).toBe('in_progress');
    const early = await act(agent, ticket.id, 'resolve');
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('ticket.reply_required');

    const reply = await h.request(agent, {
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/messages`,
      payload: { visibility: 'public', body: '您好，已为您退费58元，感谢您的来电。' },
    });
    expect(reply.statusCode).toBe(201);
    const resolved = (await act(agent, ticket.id, 'resolve')).json();
    expect(resolved.status).toBe('resolved');
    expect(resolved.resolvedAt).not.toBeNull();
    // The agent cannot close it on their own say-so: the customer's answer closes it.
    expect((await act(agent, ticket.id, 'close')).json().error.code).toBe('ticket.confirmation_required');
    const confirmed = await h.request(agent, {
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/confirmation`,
      payload: { solved: true, note: '客户电话确认退费已到账' },
    });
    expect(confirmed.json().status).toBe('closed');
    const reopened = (await act(agent, ticket.id, 'reopen')).json();
    expect(reopened.status).toBe('assigned');
    expect(reopened.reopenCount).toBe(1);

    const kinds = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${ticket.id}/timeline` }))
      .json()
      .items.filter((e: { kind: string }) => !e.kind.startsWith('sla_'))
      .map((e: { kind: string; data: { action?: string } }) => e.data.action ?? e.kind);
    expect(kinds).toEqual(['created', 'routed', 'start', 'message_added', 'resolve', 'close', 'reopen']);
  });

  it('answers an illegal move with ticket.invalid_transition and the states it is allowed from', async () => {
    const agent = await h.signIn('agent');
    const ticket = await newTicket(agent);
    const res = await act(agent, ticket.id, 'close');
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({
      code: 'ticket.invalid_transition',
      details: { allowedFrom: ['resolved'] },
    });
  });

  it('keeps the first-contact owner when the ticket moves to another department and assignee', async () => {
    const agent = await h.signIn('agent');
    const supervisor = await h.signIn('supervisor');
    const netopsTeam = await h.buildTeam({ kind: 'department', name: '网络运维部' });
    const engineer = await h.buildStaff('department', netopsTeam);
    const ticket = await newTicket(agent);
    const res = await h.request(supervisor, {
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/assignment`,
      payload: { assigneeId: engineer.id },
    });
    expect(res.statusCode, res.body).toBe(200);
    const moved = res.json();
    expect(moved.assignee.id).toBe(engineer.id);
    expect(moved.team.id).toBe(netopsTeam);
    expect(moved.firstContactOwner.id).toBe(agent.actor.id);
    // The owner still sees it, although it now belongs to another team.
    expect((await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${ticket.id}` })).statusCode).toBe(200);
  });

  it('refuses a stale version so two agents cannot overwrite each other', async () => {
    const agent = await h.signIn('agent');
    const ticket = await newTicket(agent);
    const patch = (payload: object) =>
      h.request(agent, { method: 'PATCH', url: `/api/v1/tickets/${ticket.id}`, payload });
    const ok = await patch({ grade: 'urgent', version: ticket.version });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().priority).toBe(1);
    const stale = await patch({ subject: '改标题', version: ticket.version });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('ticket.version_conflict');
    const timeline = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${ticket.id}/timeline` })).json()
      .items;
    expect(timeline.at(-1).data).toEqual({
      changed: ['grade', 'priority'],
      before: { grade: 'general', priority: 3 },
      after: { grade: 'urgent', priority: 1 },
    });
  });

  it('pages through tickets with a cursor without repeats or gaps', async () => {
    const agent = await h.signIn('agent');
    const customerId = await h.buildCustomer();
    for (let i = 0; i < 7; i++) await h.buildTicket(agent.actor, { customerId });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/v1/tickets?customerId=${customerId}&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await h.request(agent, { method: 'GET', url })).json();
      seen.push(...page.items.map((t: { id: string }) => t.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(7);
  });

  it.each(['created_asc', 'priority', 'due'])('pages in %s order exactly as one long page lists them', async (sort) => {
    const agent = await h.signIn('agent');
    const customerId = await h.buildCustomer();
    for (const grade of ['general', 'urgent', 'general', 'major', 'urgent', 'general', 'major']) {
      await h.buildTicket(agent.actor, { customerId, grade, type: grade === 'urgent' ? 'complaint' : 'fault' });
    }
    const list = async (query: string) =>
      (
        await h.request(agent, { method: 'GET', url: `/api/v1/tickets?customerId=${customerId}&sort=${sort}&${query}` })
      ).json();
    const whole = (await list('limit=200')).items.map((t: { id: string }) => t.id);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(`limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      paged.push(...page.items.map((t: { id: string }) => t.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(whole).toHaveLength(7);
    expect(paged).toEqual(whole);
  });

  it('filters by status and type and finds tickets by Chinese words and by number', async () => {
    const agent = await h.signIn('agent');
    const customerId = await h.buildCustomer();
    const broadband = await h.buildTicket(agent.actor, {
      customerId,
      subject: '宽带频繁掉线',
      description: '光猫指示灯闪红',
    });
    await h.buildTicket(agent.actor, {
      customerId,
      type: 'inquiry',
      subject: '咨询国际漫游资费',
      description: '去日本出差',
    });
    const list = async (query: string) =>
      (await h.request(agent, { method: 'GET', url: `/api/v1/tickets?customerId=${customerId}&${query}` }))
        .json()
        .items.map((t: { id: string }) => t.id);
    expect(await list('type=fault')).toEqual([broadband]);
    expect(await list('status=new,assigned')).toHaveLength(2);
    expect(await list(`q=${encodeURIComponent('掉线')}`)).toEqual([broadband]);
    expect(await list(`q=${encodeURIComponent('宽带 光猫')}`)).toEqual([broadband]);
    expect(await list(`q=${encodeURIComponent('营业厅')}`)).toEqual([]);
    const number = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${broadband}` })).json().number;
    expect(await list(`q=${number}`)).toEqual([broadband]);
  });

  it('shows message bodies only through the allow-list sanitiser', async () => {
    const agent = await h.signIn('agent');
    const ticket = await newTicket(agent);
    const post = (body: string, format: string) =>
      h.request(agent, {
        method: 'POST',
        url: `/api/v1/tickets/${ticket.id}/messages`,
        payload: { visibility: 'internal', body, format },
      });
    await post('<img src=x onerror=alert(1)>你好<script>alert(2)</script>', 'text');
    await post(
      '<p onclick="steal()">已处理<script>alert(3)</script><a href="javascript:alert(4)">链接</a></p>',
      'html',
    );
    const items = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${ticket.id}/messages` })).json()
      .items;
    expect(items[0].bodyHtml).toBe('&lt;img src=x onerror=alert(1)&gt;你好&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(items[1].bodyHtml).not.toMatch(/script|onclick|javascript/);
    expect(items[1].bodyHtml).toContain('已处理');
  });

  it('stores the timeline and the PII access log append-only', async () => {
    const agent = await h.signIn('agent');
    const ticket = await newTicket(agent);
    await h.request(agent, {
      method: 'POST',
      url: `/api/v1/customers/${ticket.customer.id}/reveal`,
      payload: { field: 'phone', reason: '回访客户' },
    });
    await expect(
      h.database.db.execute(sql`UPDATE ticket_events SET kind = 'x' WHERE ticket_id = ${ticket.id}`),
    ).rejects.toThrow();
    await expect(
      h.database.db.execute(sql`DELETE FROM ticket_events WHERE ticket_id = ${ticket.id}`),
    ).rejects.toThrow();
    await expect(
      h.database.db.execute(sql`DELETE FROM pii_access_log WHERE customer_id = ${ticket.customer.id}`),
    ).rejects.toThrow();
    await expect(
      h.database.db.execute(sql`UPDATE pii_access_log SET reason = 'x' WHERE customer_id = ${ticket.customer.id}`),
    ).rejects.toThrow();
  });

  it('keeps ticket messages append-only: what was written cannot be changed or removed in the database', async () => {
    const agent = await h.signIn('agent');
    const ticket = await newTicket(agent);
    const posted = await h.request(agent, {
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/messages`,
      payload: { visibility: 'internal', body: '已电话联系客户' },
    });
    expect(posted.statusCode, posted.body).toBe(201);
    const id = posted.json().id;
    for (const change of [
      sql`UPDATE ticket_messages SET body = '改过的内容' WHERE id = ${id}`,
      sql`UPDATE ticket_messages SET visibility = 'public' WHERE id = ${id}`,
      sql`UPDATE ticket_messages SET author_staff_id = NULL WHERE id = ${id}`,
      sql`DELETE FROM ticket_messages WHERE id = ${id}`,
    ]) {
      await expect(h.database.db.execute(change)).rejects.toThrow();
    }
    const [row] = await queryRows<{ body: string; visibility: string }>(
      h.database.db,
      sql`SELECT body, visibility FROM ticket_messages WHERE id = ${id}`,
    );
    expect(row).toEqual({ body: '已电话联系客户', visibility: 'internal' });
  });

  it('counts open tickets per saved view and queue, and filters the VIP view by customer tier', async () => {
    const teamId = await h.buildTeam();
    const agent = await h.signIn('agent', teamId);
    const vip = await h.buildCustomer({ tier: 'vip' });
    await newTicket(agent, { assignToMe: true });
    const vipTicket = (
      await h.request(agent, { method: 'POST', url: '/api/v1/tickets', payload: createBody(vip) })
    ).json();
    const counts = (await h.request(agent, { method: 'GET', url: '/api/v1/tickets/counts' })).json();
    expect(counts.views).toMatchObject({ mine: 1, vip: 1 });
    expect(counts.views.unassigned).toBeGreaterThanOrEqual(1);
    expect(counts.teams).toContainEqual(expect.objectContaining({ teamId, open: 2 }));
    const vipList = (
      await h.request(agent, { method: 'GET', url: `/api/v1/tickets?customerTier=vip&teamId=${teamId}` })
    ).json();
    expect(vipList.items.map((t: { id: string }) => t.id)).toEqual([vipTicket.id]);
  });

  it('shows a customer’s tickets in the VIP view from the moment the customer becomes VIP, and no longer once they stop being one', async () => {
    const teamId = await h.buildTeam();
    const agent = await h.signIn('agent', teamId);
    const admin = await h.signIn('admin');
    const customerId = await h.buildCustomer({ tier: 'gold' });
    const ticket = (
      await h.request(agent, { method: 'POST', url: '/api/v1/tickets', payload: createBody(customerId) })
    ).json();
    const vipView = async () =>
      (await h.request(agent, { method: 'GET', url: `/api/v1/tickets?customerTier=vip&teamId=${teamId}` }))
        .json()
        .items.map((t: { id: string }) => t.id);
    const setTier = async (tier: string) =>
      expect(
        (await h.request(admin, { method: 'PATCH', url: `/api/v1/customers/${customerId}`, payload: { tier } }))
          .statusCode,
      ).toBe(200);
    expect(await vipView()).toEqual([]);
    await setTier('vip');
    expect(await vipView()).toEqual([ticket.id]);
    expect(
      (await h.request(agent, { method: 'GET', url: '/api/v1/tickets/counts' })).json().views.vip,
    ).toBeGreaterThanOrEqual(1);
    await setTier('regular');
    expect(await vipView()).toEqual([]);

    // Migration 0052 sets the tier of the tickets already there from their customers'.
    await setTier('vip');
    await queryRows(h.database.db, sql`UPDATE tickets SET customer_tier = 'regular' WHERE customer_id = ${customerId}`);
    expect(await vipView()).toEqual([]);
    const migration = readFileSync(
      fileURLToPath(new URL('../../src/db/migrations/0052_ticket_customer_tier.sql', import.meta.url)),
      'utf8',
    );
    for (const statement of migration.split('--> statement-breakpoint'))
      await queryRows(h.database.db, sql.raw(statement));
    expect(await vipView()).toEqual([ticket.id]);
  });
});
