import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { notifyStaff, type StaffNotification } from '../../src/usecases/tickets/notify.js';
import { startHarness, type Harness } from '../helpers/harness.js';

describe('notifications for staff', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('pglite');
  });
  afterAll(() => h?.close());

  const count = async (recipientId: string) =>
    (
      await queryRows<{ n: number }>(
        h.database.db,
        sql`SELECT count(*)::int AS n FROM notifications WHERE recipient_id = ${recipientId}`,
      )
    )[0]!.n;

  it('writes a notification that fits its kind once, however often the same message is asked for', async () => {
    const agent = await h.buildStaff('agent', await h.buildTeam());
    const ticketId = await h.buildTicket(agent);
    const note: StaffNotification = {
      kind: 'subtask.assigned',
      recipientId: agent.id,
      ticketId,
      payload: { subtaskId: ticketId, title: '上门检修', number: 'T1' },
    };
    await h.database.db.transaction((tx) => notifyStaff(tx, [note, note], new Date()));
    expect(await count(agent.id)).toBe(1);
  });

  it('refuses a payload its kind does not describe and writes nothing of the batch', async () => {
    const agent = await h.buildStaff('agent', await h.buildTeam());
    const ticketId = await h.buildTicket(agent);
    const good: StaffNotification = {
      kind: 'subtask.assigned',
      recipientId: agent.id,
      ticketId,
      payload: { subtaskId: ticketId, title: '上门检修', number: 'T1' },
    };
    const bad = { ...good, kind: 'sla.warning' } as unknown as StaffNotification;
    await expect(h.database.db.transaction((tx) => notifyStaff(tx, [good, bad], new Date()))).rejects.toThrow();
    expect(await count(agent.id)).toBe(0);
  });
});
