import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tickets } from '../../src/db/schema.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, type Harness, type Session } from '../helpers/harness.js';
import { openStream } from '../helpers/sse.js';

// Whether duty supervisors see a restricted queue (the VIP desk) is a setting per team, on by
// default; the ticket, the list, the queue counts and the board all follow the same rule.

describe.each(ENGINES)('supervisor visibility of restricted queues on %s', (engine) => {
  let h: Harness;
  let baseUrl: string;
  beforeAll(async () => {
    h = await startHarness(engine);
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => h?.close());

  const get = (s: Session, url: string) => h.request(s, { method: 'GET', url });

  async function unassignedVipComplaint() {
    const vipTeam = await h.buildTeam({ kind: 'vip', restricted: true, name: 'VIP专席' });
    const vipAgent = await h.buildStaff('agent', vipTeam);
    const customerId = await h.buildCustomer({ tier: 'vip' });
    const ticketId = await h.buildTicket(vipAgent, { customerId, type: 'complaint', grade: 'major' });
    return { vipTeam, ticketId, customerId };
  }

  async function whatTheSupervisorSees(supervisor: Session, vipTeam: string, ticketId: string, customerId: string) {
    const board = (await get(supervisor, '/api/v1/board')).json<{ teams: { id: string | null; open: number }[] }>();
    const list = (await get(supervisor, `/api/v1/tickets?customerId=${customerId}`)).json<{
      items: { id: string }[];
    }>();
    const queue = (await get(supervisor, `/api/v1/tickets?teamId=${vipTeam}`)).json<{ items: { id: string }[] }>();
    return {
      boardOpen: board.teams.find((t) => t.id === vipTeam)?.open ?? 0,
      listed: list.items.map((t) => t.id).includes(ticketId),
      inQueue: queue.items.length,
      detail: (await get(supervisor, `/api/v1/tickets/${ticketId}`)).statusCode,
    };
  }

  it('shows a duty supervisor the unassigned VIP complaint that the board counts', async () => {
    const { vipTeam, ticketId, customerId } = await unassignedVipComplaint();
    const supervisor = await h.signIn('supervisor');
    expect(await whatTheSupervisorSees(supervisor, vipTeam, ticketId, customerId)).toEqual({
      boardOpen: 1,
      listed: true,
      inQueue: 1,
      detail: 200,
    });
  });

  it('hides the VIP queue from supervisors everywhere, board included, once the team says so', async () => {
    const { vipTeam, ticketId, customerId } = await unassignedVipComplaint();
    const admin = await h.signIn('admin', null);
    const off = await h.request(admin, {
      method: 'PATCH',
      url: `/api/v1/teams/${vipTeam}`,
      payload: { supervisorsSeeRestricted: false },
    });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json()).toMatchObject({ id: vipTeam, restricted: true, supervisorsSeeRestricted: false });
    const supervisor = await h.signIn('supervisor');
    expect(await whatTheSupervisorSees(supervisor, vipTeam, ticketId, customerId)).toEqual({
      boardOpen: 0,
      listed: false,
      inQueue: 0,
      detail: 404,
    });
    // Members of the VIP desk and administrators still see it; agents elsewhere never did.
    expect((await get(await h.signIn('agent', vipTeam), `/api/v1/tickets/${ticketId}`)).statusCode).toBe(200);
    expect((await get(admin, `/api/v1/tickets/${ticketId}`)).statusCode).toBe(200);
    expect((await get(await h.signIn('agent'), `/api/v1/tickets/${ticketId}`)).statusCode).toBe(404);

    await h.request(admin, {
      method: 'PATCH',
      url: `/api/v1/teams/${vipTeam}`,
      payload: { supervisorsSeeRestricted: true },
    });
    expect((await whatTheSupervisorSees(supervisor, vipTeam, ticketId, customerId)).detail).toBe(200);
  });

  it('lists a restricted queue in the sidebar’s queue counts only for those who may open it, not by name to anyone else', async () => {
    const { vipTeam, ticketId } = await unassignedVipComplaint();
    const ownTeam = await h.buildTeam({ name: '一线客服组' });
    const outsider = await h.signIn('agent', ownTeam);
    // Even an agent a VIP ticket is handed to personally sees it under "Mine", not the VIP queue.
    await h.database.db.update(tickets).set({ assigneeId: outsider.actor.id }).where(eq(tickets.id, ticketId));
    const queues = async (s: Session) =>
      (await get(s, '/api/v1/tickets/counts')).json<{
        views: { mine: number };
        teams: { teamId: string; name: string; open: number }[];
      }>();
    const outsiders = await queues(outsider);
    expect(outsiders.views.mine).toBe(1);
    expect(outsiders.teams.map((q) => q.teamId)).not.toContain(vipTeam);
    expect(outsiders.teams).toContainEqual({ teamId: ownTeam, name: '一线客服组', open: 0 });
    expect((await queues(await h.signIn('expert'))).teams.map((q) => q.teamId)).not.toContain(vipTeam);

    expect((await queues(await h.signIn('agent', vipTeam))).teams).toContainEqual({
      teamId: vipTeam,
      name: 'VIP专席',
      open: 1,
    });
    const supervisor = await h.signIn('supervisor');
    expect((await queues(supervisor)).teams).toContainEqual({ teamId: vipTeam, name: 'VIP专席', open: 1 });
    const admin = await h.signIn('admin', null);
    await h.request(admin, {
      method: 'PATCH',
      url: `/api/v1/teams/${vipTeam}`,
      payload: { supervisorsSeeRestricted: false },
    });
    expect((await queues(supervisor)).teams.map((q) => q.teamId)).not.toContain(vipTeam);
    expect((await queues(admin)).teams).toContainEqual({ teamId: vipTeam, name: 'VIP专席', open: 1 });
  });

  it('never lets agents outside a restricted queue see it, whatever the supervisor setting', async () => {
    const { ticketId } = await unassignedVipComplaint();
    expect((await get(await h.signIn('agent'), `/api/v1/tickets/${ticketId}`)).statusCode).toBe(404);
    expect((await get(await h.signIn('expert'), `/api/v1/tickets/${ticketId}`)).statusCode).toBe(404);
  });

  it('announces changes of the VIP queue live to duty supervisors, and stops once the team closes it to them', async () => {
    const { vipTeam, ticketId } = await unassignedVipComplaint();
    const vipAgent = await h.signIn('agent', vipTeam);
    const admin = await h.signIn('admin', null);
    const supervisor = await h.signIn('supervisor');
    const note = (body: string) =>
      h.request(vipAgent, {
        method: 'POST',
        url: `/api/v1/tickets/${ticketId}/messages`,
        payload: { visibility: 'internal', body },
      });
    const stream = await openStream(baseUrl, supervisor);
    try {
      await note('第一次跟进');
      await stream.waitFor((e) => e.ticketId === ticketId);

      await h.request(admin, {
        method: 'PATCH',
        url: `/api/v1/teams/${vipTeam}`,
        payload: { supervisorsSeeRestricted: false },
      });
      const seen = stream.events.filter((e) => e.ticketId === ticketId).length;
      await note('第二次跟进');
      const marker = await h.buildTicket((await h.signIn('agent')).actor);
      await h.request(admin, {
        method: 'POST',
        url: `/api/v1/tickets/${marker}/messages`,
        payload: { visibility: 'internal', body: '可见' },
      });
      await stream.waitFor((e) => e.ticketId === marker);
      expect(stream.events.filter((e) => e.ticketId === ticketId)).toHaveLength(seen);
    } finally {
      stream.close();
    }
  });
});
