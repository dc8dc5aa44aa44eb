import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TicketChange } from '../../src/contracts/events.js';
import { TICKET_CHANGES_CHANNEL } from '../../src/http/live.js';
import { openCustomerTicket } from '../../src/usecases/channels/open-customer-ticket.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';
import { openStream } from '../helpers/sse.js';

// The live-update path end to end: the trigger's NOTIFY payload, its schema in src/contracts,
// who hears of a change, and how long a stream lives.

describe.each(ENGINES)('live ticket events on %s', (engine) => {
  let h: Harness;
  let baseUrl: string;
  const clock = testClock();
  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => h?.close());

  const openCustomerContact = async (channel: 'sms' | 'wechat' | 'app' | 'email' | 'web') => {
    const customerId = await h.buildCustomer();
    const ticket = await h.database.db.transaction((tx) =>
      openCustomerTicket(tx, h.deps, { channel, customerId, description: `客户经${channel}反映网络很慢` }, clock.now()),
    );
    return ticket.id;
  };

  const handToDepartment = (agent: Session, ticketId: string, teamId: string) =>
    h.request(agent, {
      method: 'POST',
      url: `/api/v1/tickets/${ticketId}/subtasks`,
      payload: { teamId, title: '请核查机房设备' },
    });

  it('sends the trigger’s real payload in the shape of the shared TicketChange schema', async () => {
    const payloads: unknown[] = [];
    const unlisten = await h.database.listen(TICKET_CHANGES_CHANNEL, (p) => payloads.push(JSON.parse(p)));
    try {
      const team = await h.buildTeam();
      const department = await h.buildTeam({ kind: 'department' });
      const agent = await h.signIn('agent', team);
      const staffTicket = await h.buildTicket(agent.actor);
      const channelTicket = await openCustomerContact('sms');
      expect((await handToDepartment(agent, staffTicket, department)).statusCode).toBe(201);
      const until = Date.now() + 5000;
      const of = (ticketId: string, kind: string) =>
        payloads.map((p) => TicketChange.parse(p)).find((c) => c.ticketId === ticketId && c.kind === kind);
      while (!of(staffTicket, 'subtask_created') || !of(channelTicket, 'created')) {
        if (Date.now() > until) throw new Error(`missing notifications: ${JSON.stringify(payloads)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      for (const p of payloads) expect(TicketChange.safeParse(p).success, JSON.stringify(p)).toBe(true);
      expect(of(staffTicket, 'created')).toMatchObject({
        teamId: team,
        teamRestricted: false,
        assigneeId: null,
        firstContactOwnerId: agent.actor.id,
        subtaskTeamIds: [],
      });
      expect(of(channelTicket, 'created')).toMatchObject({ firstContactOwnerId: null, assigneeId: null });
      expect(of(staffTicket, 'subtask_created')!.subtaskTeamIds).toEqual([department]);
    } finally {
      await unlisten();
    }
  });

  it('announces tickets customers open by SMS, WeChat, app, email or the portal, before anyone owns them', async () => {
    const supervisor = await h.signIn('supervisor');
    const stream = await openStream(baseUrl, supervisor);
    try {
      for (const channel of ['sms', 'wechat', 'app', 'email', 'web'] as const) {
        const ticketId = await openCustomerContact(channel);
        await stream.waitFor((e) => e.ticketId === ticketId && e.kind === 'created');
      }
    } finally {
      stream.close();
    }
  });

  it('tells department staff of a ticket handed to them as a sub-task, and nothing of it before', async () => {
    const team = await h.buildTeam();
    const department = await h.buildTeam({ kind: 'department' });
    const agent = await h.signIn('agent', team);
    const clerk = await h.signIn('department', department);
    const ticketId = await h.buildTicket(agent.actor);
    const stream = await openStream(baseUrl, clerk);
    try {
      await h.request(agent, {
        method: 'POST',
        url: `/api/v1/tickets/${ticketId}/messages`,
        payload: { visibility: 'internal', body: '交给网络部之前' },
      });
      expect((await handToDepartment(agent, ticketId, department)).statusCode).toBe(201);
      await stream.waitFor((e) => e.ticketId === ticketId && e.kind === 'subtask_created');
      await h.request(agent, {
        method: 'POST',
        url: `/api/v1/tickets/${ticketId}/messages`,
        payload: { visibility: 'internal', body: '交给网络部之后' },
      });
      await stream.waitFor((e) => e.ticketId === ticketId && e.kind === 'message_added');
      // Notifications arrive in commit order: the message before the hand-over was never sent.
      expect(stream.events.filter((e) => e.ticketId === ticketId).map((e) => e.kind)).toEqual([
        'subtask_created',
        'message_added',
      ]);
    } finally {
      stream.close();
    }
  });

  it('ends the event stream when its session signs out, and only that session’s stream', async () => {
    const team = await h.buildTeam();
    const user = await h.buildStaff('agent', team);
    const leaving = await h.login(user);
    const staying = await h.login(user);
    const gone = await openStream(baseUrl, leaving);
    const open = await openStream(baseUrl, staying);
    try {
      const out = await h.request(leaving, { method: 'POST', url: '/api/v1/auth/logout' });
      expect(out.statusCode).toBe(204);
      await gone.waitForEnd();
      const ticketId = await h.buildTicket(user);
      await open.waitFor((e) => e.ticketId === ticketId);
      expect(open.ended).toBe(false);
      expect(gone.events.some((e) => e.ticketId === ticketId)).toBe(false);
    } finally {
      gone.close();
      open.close();
    }
  });

  it('ends the event stream once its session has expired instead of sending more', async () => {
    const team = await h.buildTeam();
    const watcher = await h.signIn('agent', team);
    const colleague = await h.buildStaff('agent', team);
    const stream = await openStream(baseUrl, watcher);
    try {
      const before = await h.buildTicket(colleague);
      await stream.waitFor((e) => e.ticketId === before);
      clock.advance(h.config.sessionHours * 3_600_000 + 1000);
      const after = await h.buildTicket(colleague);
      await stream.waitForEnd();
      expect(stream.events.some((e) => e.ticketId === after)).toBe(false);
    } finally {
      stream.close();
    }
  });
});
