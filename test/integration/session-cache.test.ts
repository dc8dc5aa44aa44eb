import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { diskStorage } from '../../src/storage/attachment-storage.js';
import { tokenizeForSearch } from '../../src/text/segmenter.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

// Each node keeps the sessions it has read in memory; what ends a session or changes its person on
// any node must reach every other node's memory before its next request is answered.

describe.each(ENGINES)('sessions held in a node’s memory on %s', (engine) => {
  const clock = testClock(new Date());
  let h: Harness;
  let other: FastifyInstance;
  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    // A second node on the same database.
    other = await buildApp({
      database: h.database,
      config: h.config,
      clock,
      storage: diskStorage(h.config.attachmentDir),
      indexText: tokenizeForSearch,
      log: false,
    });
  });
  afterAll(async () => {
    await other?.close();
    await h?.close();
  });

  const onOther = (s: Session, url: string) =>
    other.inject({ method: 'GET', url, headers: { cookie: s.cookie } }).then((r) => r.statusCode);

  it('refuses a session on every node once it signs out on one', async () => {
    const agent = await h.signIn('agent');
    expect(await onOther(agent, '/api/v1/auth/session')).toBe(200);
    expect(await onOther(agent, '/api/v1/auth/session')).toBe(200);
    const out = await h.request(agent, { method: 'POST', url: '/api/v1/auth/logout' });
    expect(out.statusCode, out.body).toBeLessThan(300);
    await expect.poll(() => onOther(agent, '/api/v1/auth/session'), { timeout: 10_000 }).toBe(401);
  });

  it('refuses a session on the very next request to the node it signed out on', async () => {
    for (let i = 0; i < 10; i++) {
      const agent = await h.signIn('agent');
      const own = () => h.request(agent, { method: 'GET', url: '/api/v1/auth/session' }).then((r) => r.statusCode);
      expect(await own()).toBe(200);
      expect((await h.request(agent, { method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(204);
      expect(await own()).toBe(401);
    }
  });

  it('gives a demoted or deactivated person’s next request to the same node their new standing', async () => {
    const admin = await h.signIn('admin', null);
    for (let i = 0; i < 5; i++) {
      const supervisor = await h.signIn('supervisor');
      const board = () => h.request(supervisor, { method: 'GET', url: '/api/v1/board' }).then((r) => r.statusCode);
      expect(await board()).toBe(200);
      const patch = (payload: object) =>
        h.request(admin, { method: 'PATCH', url: `/api/v1/staff/${supervisor.actor.id}`, payload });
      expect((await patch({ role: 'agent' })).statusCode).toBe(200);
      expect(await board()).toBe(403);
      expect((await patch({ active: false })).statusCode).toBe(200);
      expect(await board()).toBe(401);
    }
  });

  it('ends a deactivated person’s sessions on every node, and a role change reaches the next request', async () => {
    const admin = await h.signIn('admin', null);
    const supervisor = await h.signIn('supervisor');
    // Only supervisors and admins read the board of every queue.
    expect(await onOther(supervisor, '/api/v1/board')).toBe(200);
    const demote = await h.request(admin, {
      method: 'PATCH',
      url: `/api/v1/staff/${supervisor.actor.id}`,
      payload: { role: 'agent' },
    });
    expect(demote.statusCode, demote.body).toBe(200);
    await expect.poll(() => onOther(supervisor, '/api/v1/board'), { timeout: 10_000 }).toBe(403);

    expect(await onOther(supervisor, '/api/v1/auth/session')).toBe(200);
    const off = await h.request(admin, {
      method: 'PATCH',
      url: `/api/v1/staff/${supervisor.actor.id}`,
      payload: { active: false },
    });
    expect(off.statusCode, off.body).toBe(200);
    await expect.poll(() => onOther(supervisor, '/api/v1/auth/session'), { timeout: 10_000 }).toBe(401);
  });

  it('refuses a session held in memory once it has expired', async () => {
    const agent = await h.signIn('agent');
    expect(await onOther(agent, '/api/v1/auth/session')).toBe(200);
    clock.advance((h.config.sessionHours + 1) * 3_600_000);
    expect(await onOther(agent, '/api/v1/auth/session')).toBe(401);
  });
});
