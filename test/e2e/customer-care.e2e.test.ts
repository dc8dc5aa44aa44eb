import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { customers, surveys } from '../../src/db/schema.js';
import { sweepSla } from '../../src/usecases/sla/sweep.js';
import { testClock } from '../helpers/harness.js';
import { open, signIn, startDesk, type Desk, screenshotsOut } from './browser.js';

// The customer panel beside a ticket shows the customer's churn risk as a badge with its reasons,
// in the agent's language. Screenshots go to the temporary directory; retake the README's with
// SCREENSHOTS_OUT=docs/screenshots npx vitest run test/e2e/customer-care.e2e.test.ts

const SHOTS = screenshotsOut ?? join(tmpdir(), 'loopdesk-screenshots');

describe('churn risk on the customer panel', () => {
  const clock = testClock();
  let desk: Desk;
  beforeAll(async () => {
    desk = await startDesk({ clock });
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('shows a customer with two repeat complaints and a breached ticket as high risk, with those reasons, in zh and en', async () => {
    const { h } = desk;
    const agent = await h.buildStaff('agent', await h.buildTeam());
    clock.set(new Date('2024-03-01T10:00:00+08:00')); // a customer for years: no "new customer" reason
    const customerId = await h.buildCustomer({ name: '陈晓明', tier: 'gold', plans: ['199元融合套餐'] });
    const manager = await h.buildStaff('agent', await h.buildTeam());
    await h.database.db.update(customers).set({ accountManagerId: manager.id }).where(eq(customers.id, customerId));
    // Times relative to the browser's own clock, so the session cookie is current and the facts stay
    // inside the 90-day window whenever the test runs. The fault was reported 25 hours ago: its
    // 24-hour (7×24) resolution limit is breached.
    const now = Date.now();
    clock.set(new Date(now - 25 * 3_600_000));
    const ticketId = await h.buildTicket(agent, { customerId, type: 'fault', subject: '光猫红灯，无法上网' });
    clock.set(new Date(now));
    while ((await sweepSla(h.deps, 50)).claimed > 0);
    for (const subject of ['宽带频繁断网投诉', '再次投诉宽带断网', '第三次投诉：宽带仍然断网']) {
      await h.buildTicket(agent, { customerId, type: 'complaint', subject, description: '宽带断网，多次报修未解决。' });
    }
    // A survey answered with a 2.
    const surveyed = await h.buildTicket(agent, { customerId, type: 'inquiry', subject: '咨询套餐余量' });
    await h.database.db.insert(surveys).values({
      id: uuidv7(),
      ticketId: surveyed,
      customerId,
      status: 'answered',
      sendAfter: clock.now(),
      answeredAt: clock.now(),
      csat: 2,
      nps: 4,
    });

    const expected = {
      zh: {
        level: '高',
        reasons: [
          '90 天内重复投诉 2 次',
          '90 天内 1 张工单超出时限',
          '3 个投诉尚未解决',
          '1 次满意度低评分',
          '金卡客户，期望更高',
        ],
        satisfaction: '满意度：90 天内评价 1 次，平均 2.0 分最近评分（新→旧）：2',
      },
      en: {
        level: 'high',
        reasons: [
          'Repeat complaints in 90 days: 2',
          'Tickets past their time limit in 90 days: 1',
          'Complaints not yet resolved: 3',
          'Low satisfaction ratings: 1',
          'Gold customer: higher expectations',
        ],
        satisfaction: 'Satisfaction in 90 days: 1 answered, average 2.0Latest ratings (newest first): 2',
      },
    } as const;
    mkdirSync(SHOTS, { recursive: true });
    for (const lang of ['zh', 'en'] as const) {
      const { page, errors, context } = await open(desk, lang, `/tickets/${ticketId}`);
      await signIn(page, agent.username);
      const badge = page.locator('[data-testid=churn-level]');
      await badge.waitFor();
      expect(await badge.textContent()).toBe(expected[lang].level);
      expect(await page.getAttribute('.care', 'data-churn-level')).toBe('high');
      const reasons = await page.$$eval('.churn-reasons li', (lis) => lis.map((li) => li.textContent ?? ''));
      expect(reasons.map((r) => r.replace(/\s*\+\d+$/, ''))).toEqual(expected[lang].reasons);
      expect(await page.getAttribute('.churn-reasons li:first-child', 'data-reason')).toBe('repeat_complaints');
      expect(await page.textContent('.account-manager')).toBe(
        lang === 'zh' ? '客户经理：测试agent' : 'Account manager: 测试agent',
      );
      expect(await page.textContent('.care .satisfaction')).toBe(expected[lang].satisfaction);
      await page.screenshot({ path: `${SHOTS}/customer-care-${lang}.png`, fullPage: true });
      expect(errors).toEqual([]);
      await context.close();
    }
  });
  it('lets a supervisor choose a VIP customer’s account manager on the panel, whom an agent then sees named', async () => {
    const { h } = desk;
    clock.set(new Date());
    const team = await h.buildTeam();
    const agent = await h.buildStaff('agent', team);
    const supervisor = await h.buildStaff('supervisor', team);
    const manager = await h.buildStaff('expert', await h.buildTeam());
    const customerId = await h.buildCustomer({ name: '林可欣', tier: 'vip' });
    const ticketId = await h.buildTicket(agent, { customerId });

    const sup = await open(desk, 'zh', `/tickets/${ticketId}`);
    await signIn(sup.page, supervisor.username);
    const select = sup.page.locator('select[name=accountManager]');
    await select.waitFor({ timeout: 10_000 });
    await sup.page.waitForSelector(`select[name=accountManager] option[value="${manager.id}"]`, { state: 'attached' });
    expect(await select.inputValue()).toBe('');
    await select.selectOption(manager.id);
    await expect
      .poll(async () => ((await select.isEnabled()) ? await select.inputValue() : 'saving'), { timeout: 10_000 })
      .toBe(manager.id);
    await sup.page.locator('.panel.customer').screenshot({ path: `${SHOTS}/customer-account-manager-zh.png` });
    expect(sup.errors).toEqual([]);
    await sup.context.close();

    const a = await open(desk, 'en', `/tickets/${ticketId}`);
    await signIn(a.page, agent.username);
    await a.page.waitForSelector('.account-manager');
    expect(await a.page.textContent('.account-manager')).toBe('Account manager: 测试expert');
    expect(await a.page.locator('select[name=accountManager]').count()).toBe(0);
    expect(a.errors).toEqual([]);
    await a.context.close();
  });
});
