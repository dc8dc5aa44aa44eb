import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidents } from '../../src/db/schema.js';
import { activeIncidentsStamp } from '../../src/usecases/incidents/active-incidents.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

// Every new ticket reads the active incidents' stamp to know whether its cached list is current.
// The stamp follows the active incidents only: writes to the years of closed ones neither change it
// (nor are read by it), while anything that changes the active list does.
describe.each(ENGINES)('the active incidents’ stamp on %s', (engine) => {
  let h: Harness;
  const clock = testClock(new Date('2026-11-20T02:00:00Z'));
  let supervisor: Session;

  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    supervisor = await h.signIn('supervisor');
  });
  afterAll(() => h?.close());

  const stamp = async () =>
    (await h.database.db.select({ s: activeIncidentsStamp }).from(sql`(select 1) as one`))[0]!.s;
  const post = (url: string, payload: Record<string, unknown>) =>
    h.request(supervisor, { method: 'POST', url, payload });
  const declare = async (area: string) => {
    const res = await post('/api/v1/incidents', {
      title: '基站故障',
      category: 'network_performance',
      level: 'II',
      areas: [area],
      publicMessage: '基站故障，正在抢修',
      agentScript: '您好，您所在区域基站故障，正在抢修。',
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string }>().id;
  };
  const touch = (id: string) =>
    h.database.db
      .update(incidents)
      .set({ title: sql`${incidents.title} || '（更新）'` })
      .where(eq(incidents.id, id));

  it('changes when an incident is declared, an active one is written or resolved, and not when a closed one is written', async () => {
    const closed = await declare('天河区');
    expect((await post(`/api/v1/incidents/${closed}/status`, { status: 'resolved', note: '已修复' })).statusCode).toBe(
      200,
    );
    const before = await stamp();
    await touch(closed);
    expect(await stamp()).toBe(before);

    const active = await declare('越秀区');
    const declared = await stamp();
    expect(declared).not.toBe(before);
    await touch(active);
    const edited = await stamp();
    expect(edited).not.toBe(declared);
    expect((await post(`/api/v1/incidents/${active}/status`, { status: 'resolved', note: '已修复' })).statusCode).toBe(
      200,
    );
    expect(await stamp()).not.toBe(edited);
  });
});
