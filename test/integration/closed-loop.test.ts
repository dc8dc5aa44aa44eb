import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { closeUnanswered } from '../../src/usecases/tickets/auto-close.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

const DAY = 86_400_000;

describe.each(ENGINES)('closing the loop with the customer on %s', (engine) => {
  let h: Harness;
  const clock = testClock(new Date('2026-11-20T02:00:00Z'));
  let team: string;
  let agent: Session;
  let supervisor: Session;

  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    team = await h.buildTeam();
    agent = await h.signIn('agent', team);
    supervisor = await h.signIn('supervisor', team);
  });
  afterAll(() => h?.close());

  const post = (s: Session, url: string, payload: Record<string, unknown>) =>
    h.request(s, { method: 'POST', url, payload });

  /** A ticket the agent answered publicly and resolved. */
  async function resolvedTicket(): Promise<string> {
    const id = await h.buildTicket(agent.actor, { assignToMe: true });
    expect((await post(agent, `/api/v1/tickets/${id}/transitions`, { action: 'start' })).statusCode).toBe(200);
    await post(agent, `/api/v1/tickets/${id}/messages`, { visibility: 'public', body: '已为您重置端口，请重启光猫。' });
    const res = await post(agent, `/api/v1/tickets/${id}/transitions`, { action: 'resolve' });
    expect(res.json().status).toBe('resolved');
    return id;
  }
  const closing = async (id: string, reader = agent) =>
    (await h.request(reader, { method: 'GET', url: `/api/v1/tickets/${id}/timeline` }))
      .json()
      .items.filter((e: { kind: string; data: { to?: string } }) => e.kind === 'status_changed' && e.data.to)
      .at(-1).data;

  it('refuses an agent’s close of a resolved ticket and does not offer it', async () => {
    const id = await resolvedTicket();
    const res = await post(agent, `/api/v1/tickets/${id}/transitions`, { action: 'close' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('ticket.confirmation_required');
    const ticket = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${id}` })).json();
    expect(ticket.status).toBe('resolved');
    expect(ticket.abilities).not.toContain('close');
    expect(ticket.abilities).toContain('record_confirmation');
  });

  it('lets a supervisor close early only with a reason, and says it was an override', async () => {
    const id = await resolvedTicket();
    const bare = await post(supervisor, `/api/v1/tickets/${id}/transitions`, { action: 'close' });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().error.code).toBe('ticket.close_reason_required');
    const res = await post(supervisor, `/api/v1/tickets/${id}/transitions`, {
      action: 'close',
      note: '客户已在营业厅当面确认',
    });
    expect(res.json().status).toBe('closed');
    expect(await closing(id)).toMatchObject({ to: 'closed', reason: 'supervisor_override' });
  });

  it('closes on the customer’s “solved” and reopens on “not solved” as the agent records them from the phone', async () => {
    const solved = await resolvedTicket();
    const a = await post(agent, `/api/v1/tickets/${solved}/confirmation`, { solved: true });
    expect(a.json().status).toBe('closed');
    expect(await closing(solved)).toMatchObject({ reason: 'customer_confirmed', via: 'phone', byCustomer: true });

    const unsolved = await resolvedTicket();
    const b = await post(agent, `/api/v1/tickets/${unsolved}/confirmation`, { solved: false, note: '还是断网' });
    expect(b.json()).toMatchObject({ status: 'assigned', reopenCount: 1 });
    // The customer's words are an internal note (erasable), not part of the append-only timeline.
    expect(await closing(unsolved)).toEqual({
      action: 'reopen',
      from: 'resolved',
      to: 'assigned',
      byCustomer: true,
      via: 'phone',
    });
    const notes = (await h.request(agent, { method: 'GET', url: `/api/v1/tickets/${unsolved}/messages` })).json().items;
    expect(
      notes.some(
        (m: { visibility: string; bodyHtml: string }) => m.visibility === 'internal' && m.bodyHtml.includes('还是断网'),
      ),
    ).toBe(true);
    // Only a resolved ticket waits for an answer.
    const again = await post(agent, `/api/v1/tickets/${unsolved}/confirmation`, { solved: true });
    expect(again.statusCode).toBe(409);
  });

  it('closes an unanswered resolution by itself after the wait, once, even with two nodes at it', async () => {
    const id = await resolvedTicket();
    expect((await closeUnanswered(h.deps, { waitDays: 7, batch: 50 })).closed).toBe(0);
    clock.advance(7 * DAY + 60_000);
    const runs = await Promise.all([
      closeUnanswered(h.deps, { waitDays: 7, batch: 50 }),
      closeUnanswered(h.deps, { waitDays: 7, batch: 50 }),
    ]);
    expect(runs.reduce((n, r) => n + r.closed, 0)).toBeGreaterThanOrEqual(1);
    // A week later the agent's session has long expired: a colleague of the same team looks.
    const colleague = await h.signIn('agent', team);
    const ticket = (await h.request(colleague, { method: 'GET', url: `/api/v1/tickets/${id}` })).json();
    expect(ticket.status).toBe('closed');
    expect(await closing(id, colleague)).toEqual({
      action: 'close',
      from: 'resolved',
      to: 'closed',
      reason: 'no_answer',
      waitDays: 7,
    });
    const [row] = await queryRows<{ n: number }>(
      h.database.db,
      sql`SELECT count(*)::int AS n FROM ticket_events WHERE ticket_id = ${id} AND kind = 'status_changed' AND data->>'to' = 'closed'`,
    );
    expect(row!.n).toBe(1);
  });
});
