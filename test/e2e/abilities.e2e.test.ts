import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { open, signIn, startDesk, type Desk } from './browser.js';

// The desk offers only what the server grants the person signed in: no button that answers 403.

describe('the desk offers only what the person may do', () => {
  let desk: Desk;
  let frontline: string;

  beforeAll(async () => {
    desk = await startDesk();
    frontline = await desk.h.buildTeam({ code: 'frontline', kind: 'frontline', name: '一线客服组' });
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('shows a QA inspector a ticket without lifecycle, take, reply, escalate or upload controls, and no "new ticket"', async () => {
    const { h } = desk;
    const agent = await h.buildStaff('agent', frontline);
    const qa = await h.buildStaff('qa', frontline);
    const customerId = await h.buildCustomer({ name: '赵六' });
    const held = await h.buildTicket(agent, {
      customerId,
      assignToMe: true,
      description: '请回电 138-1000-0000，身份证110101199003071234',
    });
    const waiting = await h.buildTicket(agent, { customerId });

    for (const lang of ['zh', 'en'] as const) {
      const a = await open(desk, lang, `/tickets/${held}`);
      await signIn(a.page, qa.username);
      await a.page.waitForSelector('.ticket-header');
      await a.page.waitForSelector('.timeline');
      expect(await a.page.locator('.actions button').count()).toBe(0);
      expect(
        await a.page.locator('form.composer, .upload, [data-action=add-subtask], [data-action=reveal]').count(),
      ).toBe(0);
      expect(await a.page.locator('.topbar nav a[href="/new"], .topbar nav a[href="/board"]').count()).toBe(0);
      // Numbers the customer typed are masked for this role.
      expect(await a.page.textContent('.description')).toBe('请回电 138-****-0000，身份证1101**********1234');
      await a.page.screenshot({ path: `/tmp/viewer-qa-ticket-${lang}.png` });

      // Nobody holds this one, but QA does not take work.
      await a.page.goto(`${desk.base}/tickets/${waiting}`);
      await a.page.waitForSelector('.ticket-header');
      expect(await a.page.locator('[data-action=take]').count()).toBe(0);
      // The new-ticket page by its address says it is not for this role, with no form.
      await a.page.goto(`${desk.base}/new`);
      await a.page.waitForSelector('.not-for-you');
      expect(await a.page.locator('form').count()).toBe(0);
      // The queue's key hint offers only keys that do something for this role.
      await a.page.goto(`${desk.base}/`);
      const hint = (await a.page.textContent('.queue .hint'))!;
      expect(hint).toContain(lang === 'zh' ? '/ 搜索' : '/ search');
      for (const key of ['r 回复', 'r reply', 'e 升级', 'e escalate', 'g n', 'g b', 'Ctrl+Enter'])
        expect(hint).not.toContain(key);
      expect(await a.page.textContent('.queue')).not.toMatch(/新建一个工单|create a ticket/);
      expect(a.errors).toEqual([]);
      await a.context.close();
    }
  }, 120_000);

  it('shows an agent who opens the supervisor board by its address no reassignment controls', async () => {
    const { h } = desk;
    const agent = await h.buildStaff('agent', frontline);
    await h.buildTicket(agent, { assignToMe: true });
    const a = await open(desk, 'en', '/board');
    await signIn(a.page, agent.username);
    await a.page.waitForSelector('.not-for-you');
    expect(await a.page.locator('.board select, button:has-text("Reassign"), [draggable=true]').count()).toBe(0);
    expect(await a.page.locator('.topbar nav a[href="/board"]').count()).toBe(0);
    // The agent's own ticket still offers the agent's work.
    await a.page.goto(`${desk.base}/`);
    await a.page.click('table.tickets tbody tr a');
    await a.page.waitForSelector('[data-action=start]');
    expect(await a.page.locator('[data-action=escalate]').count()).toBe(1);
    expect(a.errors).toEqual([]);
    await a.context.close();
  }, 120_000);
});
