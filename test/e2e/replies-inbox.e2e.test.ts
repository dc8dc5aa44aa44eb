import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../src/db/schema.js';
import { sweepSla } from '../../src/usecases/sla/sweep.js';
import { testClock } from '../helpers/harness.js';
import { open, signIn, startDesk, type Desk } from './browser.js';

// Managed replies and macros, the notifications inbox and the deliveries screen in headless Chromium.

describe('replies, macros, notifications and deliveries in a browser', () => {
  let desk: Desk;
  let frontline: string;
  // Real time: the browser keeps the session cookie only until its expiry, which follows this clock.
  const clock = testClock(new Date());

  beforeAll(async () => {
    desk = await startDesk({ clock });
    frontline = await desk.h.buildTeam({ code: 'frontline', kind: 'frontline', name: '一线客服组' });
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('an agent saves a macro on the replies screen, then runs it from the composer: status and tags change, with the reply', async () => {
    const { h } = desk;
    const agent = await h.buildStaff('agent', frontline);
    const customerId = await h.buildCustomer({ name: '赵敏' });
    const ticketId = await h.buildTicket(agent, { customerId, assignToMe: true, subject: '光猫红灯，无法上网' });
    await h.request(await h.login(agent), {
      method: 'POST',
      url: `/api/v1/tickets/${ticketId}/transitions`,
      payload: { action: 'start' },
    });

    const { page, errors } = await open(desk, 'zh', '/replies');
    await signIn(page, agent.username);
    await page.click('button:has-text("新建")');
    await page.fill('.reply-form label:has-text("名称") input', '预约上门');
    await page.fill(
      '.reply-form label:has-text("回复内容") textarea',
      '{{customer.name}}您好，我们已安排师傅上门检修。',
    );
    await page.selectOption('.reply-form label:has-text("改变状态") select', 'wait_customer');
    await page.fill('.reply-form label:has-text("加标签") input', '上门检修, 光猫');
    await page.click('.reply-form button[type=submit]');
    await page.waitForSelector('tr[data-reply="预约上门"] .badge.macro');

    await page.goto(`${desk.base}/tickets/${ticketId}`);
    await page.waitForSelector('.composer');
    await page.click('.composer textarea');
    await page.keyboard.press('Control+k');
    await page.keyboard.type('上门');
    await page.waitForSelector('.reply-results [role=option]:has-text("预约上门")');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.macro-chip:has-text("预约上门")');
    expect(await page.inputValue('textarea[name=body]')).toBe('赵敏您好，我们已安排师傅上门检修。');
    await page.click('.composer button[type=submit]:has-text("发送并执行宏")');

    await page.waitForSelector('.facts .status-pending_customer', { timeout: 10_000 });
    await page.waitForSelector('text=#上门检修');
    await page.waitForSelector('text=#光猫');
    await page.waitForSelector('.timeline .message.public >> text=师傅上门检修');
    expect(await page.$('.macro-chip')).toBeNull();
    expect(errors).toEqual([]);
  });

  it('an SLA warning appears live: the unread count goes up and the inbox lists it, without a reload', async () => {
    const { h } = desk;
    const agent = await h.buildStaff('agent', frontline);
    const ticketId = await h.buildTicket(agent, { type: 'complaint', grade: 'urgent', assignToMe: true });

    const { page, errors } = await open(desk, 'en', '/');
    await signIn(page, agent.username);
    await page.waitForSelector('.topbar .inbox-link');
    expect(await page.$('[data-testid=unread-count]')).toBeNull();
    // Marks the page: a reload would lose it.
    await page.evaluate(() => ((globalThis as unknown as { stayed: boolean }).stayed = true));

    clock.advance(12 * 60_000); // past 75 % of the 15-minute first-response limit
    while ((await sweepSla(h.deps, 50)).claimed > 0);

    await page.waitForSelector('[data-testid=unread-count]:has-text("1")', { timeout: 10_000 });
    await page.click('.topbar .inbox-link');
    const row = await page.waitForSelector('.inbox tr.unread[data-kind="sla.warning"]');
    expect(await row.textContent()).toContain('Time limit warning: First response 75% used');
    expect(await page.evaluate(() => (globalThis as unknown as { stayed?: boolean }).stayed)).toBe(true);

    // Opening the ticket from the inbox marks it read; the count goes away.
    await page.click(`.inbox tr[data-kind="sla.warning"] a[href="/tickets/${ticketId}"]`);
    await page.waitForSelector('.ticket-header');
    await page.waitForSelector('[data-testid=unread-count]', { state: 'detached', timeout: 10_000 });
    expect(errors).toEqual([]);
  });

  it('a supervisor retries a dead letter after confirming, and it leaves the dead-letter list', async () => {
    const { h } = desk;
    const supervisor = await h.buildStaff('supervisor', frontline);
    const id = uuidv7();
    await h.database.db.insert(outbox).values({
      id,
      channel: 'sms',
      recipient: '13812345678',
      payload: { kind: 'portal_code', text: '验证码 123456' },
      attempts: 8,
      state: 'dead',
      lastError: 'gateway 550: invalid recipient 13812345678',
      createdAt: clock.now(),
    });

    const { page, errors } = await open(desk, 'zh', '/deliveries');
    await signIn(page, supervisor.username);
    const row = await page.waitForSelector(`tr[data-outbox="${id}"]`);
    const text = await row.textContent();
    expect(text).toContain('138****5678');
    expect(text).not.toContain('13812345678');
    expect(text).toContain('网关拒收');
    await page.click(`tr[data-outbox="${id}"] button:has-text("重新投递")`);
    await page.click(`tr[data-outbox="${id}"] button:has-text("确认")`);
    await page.waitForSelector('p.ok:has-text("已重新排队 1 条")');
    await page.waitForSelector(`tr[data-outbox="${id}"]`, { state: 'detached' });
    await page.selectOption('.filters select', 'pending');
    await page.waitForSelector(`tr[data-outbox="${id}"]`);
    expect(errors).toEqual([]);
  });
});
