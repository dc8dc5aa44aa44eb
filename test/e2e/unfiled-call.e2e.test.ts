import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../src/core/channels/webhook-signature.js';
import { remindUnfiledCalls } from '../../src/usecases/channels/unfiled-calls.js';
import { testClock, TEST_WEBHOOK_SECRETS } from '../helpers/harness.js';
import { open, signIn, startDesk, type Desk } from './browser.js';

// An answered call that became no ticket: the agent finds a reminder in the inbox that opens the
// new-ticket form for that caller.

describe('a reminder of an unfiled call', () => {
  let desk: Desk;
  const clock = testClock(new Date());
  beforeAll(async () => {
    desk = await startDesk({ clock });
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('lists the call in the inbox, masked, with a link that opens a new ticket for the caller', async () => {
    const { h } = desk;
    const team = await h.buildTeam({ code: 'frontline', kind: 'frontline', name: '一线客服组' });
    const agent = await h.buildStaff('agent', team);
    await h.buildCustomer({ name: '吴十', numbers: ['13812349999'] });
    for (const event of ['answered', 'ended']) {
      const payload = JSON.stringify({
        callId: 'e2e-unfiled',
        event,
        at: clock.now().toISOString(),
        caller: '13812349999',
        agent: agent.username,
      });
      const res = await h.request(null, {
        method: 'POST',
        url: '/api/v1/channels/hotline/calls',
        payload,
        headers: {
          'content-type': 'application/json',
          'x-loopdesk-signature': sign(TEST_WEBHOOK_SECRETS.hotline, Math.floor(clock.now().getTime() / 1000), payload),
        },
      });
      expect(res.statusCode).toBe(200);
    }
    clock.advance(11 * 60_000);
    expect((await remindUnfiledCalls(h.deps, { afterMinutes: 10, batch: 10 })).reminded).toBe(1);

    for (const lang of ['zh', 'en'] as const) {
      const a = await open(desk, lang, '/inbox');
      await signIn(a.page, agent.username);
      const row = a.page.locator('tr', { hasText: '138****9999' });
      await row.waitFor();
      expect(await row.textContent()).toContain(lang === 'zh' ? '尚未建单' : 'no ticket created');
      await a.page.screenshot({ path: `/tmp/unfiled-${lang}.png` });
      await row.locator('a').click();
      await a.page.waitForURL(/\/new\?customer=/);
      expect(a.errors).toEqual([]);
      await a.context.close();
    }
  }, 120_000);
});
