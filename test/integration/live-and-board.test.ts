import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { openStream } from '../helpers/sse.js';

describe.each(ENGINES)('live updates and the supervisor board on %s', (engine) => {
  let h: Harness;
  let baseUrl: string;
  beforeAll(async () => {
    h = await startHarness(engine);
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => h?.close());

  it('pushes a change made by one agent to another agent’s open page', async () => {
    const team = await h.buildTeam();
    const watcher = await h.signIn('agent', team);
    const colleague = await h.signIn('agent', team);
    const ticketId = await h.buildTicket(colleague.actor);
    const stream = await openStream(baseUrl, watcher);
    try {
      await h.request(colleague, {
        method: 'POST',
        url: `/api/v1/tickets/${ticketId}/messages`,
        payload: { visibility: 'internal', body: '已联系客户' },
      });
      await stream.waitFor((e) => e.ticketId === ticketId && e.kind === 'message_added');
    } finally {
      stream.close();
    }
  });

  it.runIf(engine === 'postgres')(
    'survives the database dropping its LISTEN connection: open pages are told to reload, then changes flow again',
    async () => {
      const team = await h.buildTeam();
      const watcher = await h.signIn('agent', team);
      const colleague = await h.signIn('agent', team);
      const ticketId = await h.buildTicket(colleague.actor);
      const changes = await openStream(baseUrl, watcher);
      const resyncs = await openStream(baseUrl, watcher, 'resync');
      try {
        const listening = await queryRows<{ query: string }>(
          h.database.db,
          sql`SELECT query FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'`,
        );
        // One connection for every channel the node listens on (PostgreSQL wakes each listening
        // connection at every notifying commit, whatever its channels).
        expect(listening).toHaveLength(1);
        const [killed] = await queryRows<{ n: number }>(
          h.database.db,
          sql`SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'`,
        );
        expect(killed!.n).toBe(listening.length);
        await resyncs.waitFor(() => true, 10_000);
        await h.request(colleague, {
          method: 'POST',
          url: `/api/v1/tickets/${ticketId}/messages`,
          payload: { visibility: 'internal', body: '重连后' },
        });
        await changes.waitFor((e) => e.ticketId === ticketId && e.kind === 'message_added');
      } finally {
        changes.close();
        resyncs.close();
      }
    },
  );

  it('never announces a restricted team’s ticket to someone who may not read it', async () => {
    const outsider = await h.signIn('agent');
    const vipTeam = await h.buildTeam({ restricted: true });
    const vipAgent = await h.signIn('agent', vipTeam);
    const secret = await h.buildTicket(vipAgent.actor);
    const visible = await h.buildTicket((await h.signIn('agent')).actor);
    const stream = await openStream(baseUrl, outsider);
    try {
      await h.request(vipAgent, {
        method: 'POST',
        url: `/api/v1/tickets/${secret}/messages`,
        payload: { visibility: 'internal', body: '内部' },
      });
      const admin = await h.signIn('admin', null);
      await h.request(admin, {
        method: 'POST',
        url: `/api/v1/tickets/${visible}/messages`,
        payload: { visibility: 'internal', body: '可见' },
      });
      await stream.waitFor((e) => e.ticketId === visible);
      expect(stream.events.some((e) => e.ticketId === secret)).toBe(false);
    } finally {
      stream.close();
    }
  });

  it('shows supervisors open work per team and status, and each person’s load', async () => {
    const team = await h.buildTeam({ name: '看板测试组' });
    const agent = await h.signIn('agent', team);
    await h.buildTicket(agent.actor);
    await h.buildTicket(agent.actor, { assignToMe: true });
    const supervisor = await h.signIn('supervisor');
    const res = await h.request(supervisor, { method: 'GET', url: '/api/v1/board' });
    expect(res.statusCode, res.body).toBe(200);
    const board = res.json();
    const row = board.teams.find((t: { id: string }) => t.id === team);
    expect(row).toMatchObject({ name: '看板测试组', open: 2, counts: { new: 1, assigned: 1 } });
    expect(board.agents.find((a: { id: string }) => a.id === agent.actor.id).openCount).toBe(1);
    expect((await h.request(agent, { method: 'GET', url: '/api/v1/board' })).statusCode).toBe(403);
  });
});
