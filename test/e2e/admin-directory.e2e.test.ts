import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { open, signIn, startDesk, type Desk } from './browser.js';

// The admin console's directory sections in headless Chromium against a real server.

describe('the admin console: staff and teams in a browser', () => {
  let desk: Desk;
  let frontline: string;
  let admin: { username: string };

  beforeAll(async () => {
    desk = await startDesk();
    frontline = await desk.h.buildTeam({ code: 'frontline', kind: 'frontline', name: '一线客服组' });
    admin = await desk.h.buildStaff('admin', null);
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('an admin creates a staff member in a team with a skill, and that person signs in', async () => {
    const a = await open(desk, 'en', '/admin/staff');
    await signIn(a.page, admin.username);
    await a.page.goto(`${desk.base}/admin/staff`);
    await a.page.click('[data-action=new-staff]');
    const form = a.page.locator('form.create-staff');
    await form.locator('input[name=username]').fill('li.na');
    await form.locator('input[name=displayName]').fill('李娜');
    await form.locator('input[name=password]').fill('first password 10');
    await form.locator('select[name=role]').selectOption('agent');
    await form.locator('select[name=teamId]').selectOption({ label: '一线客服组' });
    await form.locator('button[type=submit]').click();

    // The new person opens for their agent profile: give them the network-fault skill.
    await a.page.waitForSelector('.staff-detail[data-staff="li.na"] .agent-profile');
    await a.page.check('.agent-profile input[name=skill][value=fault-network]');
    await a.page.fill('.agent-profile input[name=capacity]', '12');
    await a.page.click('[data-action=save-profile]');
    await a.page.waitForSelector('.agent-profile .ok');
    expect(await a.page.textContent('tr[data-username="li.na"]')).toContain('一线客服组');
    expect(a.errors).toEqual([]);

    const agents = await a.page.evaluate(async () => (await fetch('/api/v1/agents')).json());
    const liNa = (
      agents as { items: { displayName: string; teamId: string; skills: { categories: string[] }; capacity: number }[] }
    ).items.find((x) => x.displayName === '李娜');
    expect(liNa).toMatchObject({ teamId: frontline, skills: { categories: ['fault-network'] }, capacity: 12 });

    const b = await open(desk, 'zh', '/');
    await b.page.fill('input[name=username]', 'li.na');
    await b.page.fill('input[name=password]', 'first password 10');
    await b.page.click('button[type=submit]');
    await b.page.waitForSelector('.topbar nav');
    expect(await b.page.textContent('.topbar')).toContain('李娜');
    expect(b.errors).toEqual([]);
  });

  it('an admin closes the VIP queue to supervisors and opens it again; the supervisor’s queue follows', async () => {
    const { h } = desk;
    const vipTeam = await h.buildTeam({ code: 'vip-desk', kind: 'vip', restricted: true, name: 'VIP专席' });
    const vipAgent = await h.buildStaff('agent', vipTeam);
    const customerId = await h.buildCustomer({ name: '赵敏', tier: 'vip' });
    await h.buildTicket(vipAgent, { customerId, type: 'complaint', subject: 'VIP客户投诉网络质量' });
    const supervisor = await h.buildStaff('supervisor', await h.buildTeam({ code: 'duty', kind: 'supervisor' }));

    const s = await open(desk, 'zh', '/?view=vip');
    await signIn(s.page, supervisor.username);
    const row = 'table.tickets tbody tr:has-text("VIP客户投诉网络质量")';
    await s.page.waitForSelector(row);

    const a = await open(desk, 'zh', '/admin/teams');
    await signIn(a.page, admin.username);
    await a.page.goto(`${desk.base}/admin/teams`);
    const toggle = async (on: boolean) => {
      await a.page.click('tr[data-team="vip-desk"] button');
      const box = a.page.locator('.team-detail input[name=supervisorsSeeRestricted]');
      if (on) await box.check();
      else await box.uncheck();
      await a.page.click('[data-action=save-team]');
      await a.page.waitForSelector('.team-detail .ok');
    };

    await toggle(false);
    expect(await a.page.textContent('tr[data-team="vip-desk"]')).toContain('值班长不可见');
    await s.page.reload();
    await s.page.waitForSelector('table.tickets tbody tr, .empty');
    await s.page.waitForTimeout(300);
    expect(await s.page.locator(row).count()).toBe(0);

    await toggle(true);
    await s.page.reload();
    await s.page.waitForSelector(row);
    expect(a.errors).toEqual([]);
    expect(s.errors).toEqual([]);
  });

  it('names the team an environment-set intake queue points at, in both languages', async () => {
    for (const [lang, text] of [
      ['zh', '按环境变量：一线客服组 (frontline)'],
      ['en', 'As the environment says: 一线客服组 (frontline)'],
    ] as const) {
      const a = await open(desk, lang, '/admin/channels');
      await signIn(a.page, admin.username);
      await a.page.goto(`${desk.base}/admin/channels`);
      const sms = a.page.locator('tr[data-channel=sms] select option').first();
      await sms.waitFor({ state: 'attached' });
      expect(await sms.textContent()).toBe(text);
      expect(a.errors).toEqual([]);
      await a.context.close();
    }
  }, 90_000);
});
