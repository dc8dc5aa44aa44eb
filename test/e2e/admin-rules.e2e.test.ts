import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { open, signIn, startDesk, type Desk } from './browser.js';

// The admin console's rules in headless Chromium: routing rules with their dry run, and business
// calendars whose holidays and make-up working days move the due times of open tickets.

describe('the admin console’s rules in a browser', () => {
  let desk: Desk;
  const team: Record<string, string> = {};

  beforeAll(async () => {
    desk = await startDesk();
    team.vip = await desk.h.buildTeam({ code: 'vip-desk', kind: 'vip', name: 'VIP 专席' });
    team.supervisors = await desk.h.buildTeam({ code: 'supervisors', kind: 'supervisor', name: '值班长组' });
    team.netops = await desk.h.buildTeam({ code: 'network-ops', kind: 'department', name: '网络运维部' });
    team.billing = await desk.h.buildTeam({ code: 'billing', kind: 'department', name: '计费部' });
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('an admin edits a routing rule and the dry run shows the new outcome', async () => {
    const admin = await desk.h.buildStaff('admin');
    const a = await open(desk, 'en', '/admin/routing');
    await signIn(a.page, admin.username);
    await a.page.waitForSelector('tr[data-rule=vip-customers]');

    // A VIP customer asks about a bill: the VIP rule sends it to the VIP desk.
    const dryRun = async () => {
      await a.page.selectOption('select[name=dryType]', 'inquiry');
      await a.page.selectOption('select[name=dryTier]', 'vip');
      await a.page.fill('textarea[name=dryText]', '我想查一下上个月的账单');
      await a.page.click('.dry-run button[type=submit]');
      await a.page.waitForSelector('.dry-run-result');
    };
    await dryRun();
    expect(await a.page.textContent('.dry-run-result .queue')).toBe('VIP 专席');
    expect(await a.page.textContent('.dry-run-result .priority')).not.toBe('P1');
    expect(await a.page.textContent('.dry-run-result li[data-rule=vip-customers]')).toContain('to VIP 专席');

    // The admin changes the VIP rule: to the duty supervisors, at priority P1 at least.
    await a.page.click('tr[data-rule=vip-customers] button.edit');
    await a.page.waitForSelector('form.rule-editor');
    // Only the queues that exist are offered.
    const queues = await a.page.$$eval('form.rule-editor select[name=queue] option', (os) =>
      os.map((o) => o.getAttribute('value')),
    );
    expect(queues).toEqual(expect.arrayContaining(['vip-desk', 'supervisors', 'network-ops', 'billing']));
    await a.page.selectOption('form.rule-editor select[name=queue]', 'supervisors');
    await a.page.selectOption('form.rule-editor select[name=priority]', '1');
    await a.page.click('form.rule-editor button[type=submit]');
    await a.page.waitForSelector('form.rule-editor', { state: 'detached' });
    expect(await a.page.textContent('tr[data-rule=vip-customers] .then')).toContain('to 值班长组');

    await a.page.click('.dry-run button[type=submit]');
    await a.page.waitForSelector('.dry-run-result .queue:text-is("值班长组")');
    expect(await a.page.textContent('.dry-run-result .priority')).toBe('P1');

    // Moving the billing rule above the VIP rule: both match, the first one's queue wins.
    const order = () => a.page.$$eval('table.rules tbody tr', (rows) => rows.map((r) => r.getAttribute('data-rule')));
    const before = await order();
    await a.page.click('tr[data-rule=billing] button.move-up');
    await a.page.click('tr[data-rule=billing] button.move-up');
    await a.page.click('tr[data-rule=billing] button.move-up');
    await a.page.waitForSelector('table.rules tbody tr:nth-child(2)[data-rule=billing]');
    expect((await order()).filter((id) => id !== 'billing')).toEqual(before.filter((id) => id !== 'billing'));
    await a.page.selectOption('select[name=dryCategory]', 'inquiry-bill');
    await a.page.click('.dry-run button[type=submit]');
    await a.page.waitForSelector('.dry-run-result .queue:text-is("计费部")');
    expect(await a.page.textContent('.dry-run-result .priority')).toBe('P1');

    expect(a.errors).toEqual([]);
    await a.context.close();
  }, 90_000);
});
