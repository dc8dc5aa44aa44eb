import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { open, shotIfAsked, signIn, startDesk, type Desk } from './browser.js';

// The queue sidebar lists the teams' queues a person may open: a restricted queue (the VIP desk)
// shows to its members and duty supervisors, not by name to agents elsewhere. In both languages;
// with SCREENSHOTS_OUT=docs/screenshots it saves the sidebar of an agent outside the VIP desk.

describe('restricted queues in the queue sidebar', () => {
  let desk: Desk;
  let vipTeam: string;
  let frontline: string;

  beforeAll(async () => {
    desk = await startDesk();
    vipTeam = await desk.h.buildTeam({ kind: 'vip', restricted: true, name: 'VIP专席' });
    frontline = await desk.h.buildTeam({ name: '一线客服组' });
    await desk.h.buildTicket(await desk.h.buildStaff('agent', vipTeam), { subject: '金卡客户投诉扣费' });
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  const sidebarQueues = async (lang: 'zh' | 'en', username: string) => {
    const d = await open(desk, lang, '/');
    await signIn(d.page, username);
    await d.page
      .locator('.queue .views button', { hasText: /客服组|专席/ })
      .first()
      .waitFor();
    const names = await d.page.locator('.queue .views button').allTextContents();
    return { d, names };
  };

  it('shows an agent outside the VIP desk their own queue but not the VIP desk’s, in both languages', async () => {
    for (const lang of ['zh', 'en'] as const) {
      const agent = await desk.h.buildStaff('agent', frontline);
      const { d, names } = await sidebarQueues(lang, agent.username);
      expect(names.some((n) => n.includes('一线客服组'))).toBe(true);
      expect(names.some((n) => n.includes('VIP专席'))).toBe(false);
      await shotIfAsked(d.page, `queue-sidebar-outsider-${lang}`);
      expect(d.errors).toEqual([]);
      await d.context.close();
    }
  }, 120_000);

  it('shows the VIP desk’s queue, with its open ticket, to its members and to duty supervisors', async () => {
    for (const username of [
      (await desk.h.buildStaff('agent', vipTeam)).username,
      (await desk.h.buildStaff('supervisor')).username,
    ]) {
      const { d } = await sidebarQueues('zh', username);
      const vip = d.page.locator('.queue .views button', { hasText: 'VIP专席' });
      await vip.waitFor();
      expect(await vip.locator('.count').textContent()).toBe('1');
      await d.context.close();
    }
  }, 120_000);
});
