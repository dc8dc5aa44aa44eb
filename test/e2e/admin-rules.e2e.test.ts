import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClock } from '../helpers/harness.js';
import { open, signIn, startDesk, type Desk } from './browser.js';

// The admin console's rules in headless Chromium: routing rules with their dry run, and business
// calendars whose holidays and make-up working days move the due times of open tickets.

describe('the admin console’s rules in a browser', () => {
  let desk: Desk;
  // The server's clock: today (the browser keeps session cookies by it), set back while a ticket is made.
  const clock = testClock(new Date());
  const team: Record<string, string> = {};

  beforeAll(async () => {
    desk = await startDesk({ clock });
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
    // The SLA policy the ticket would get, though no rule names one.
    expect(await a.page.textContent('.dry-run-result .sla')).toBe('咨询 2小时办结');
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

    // A new rule, made in the editor, is evaluated last and shows in the dry run.
    await a.page.click('button.new-rule');
    await a.page.fill('form.rule-editor input[name=id]', 'number-porting');
    await a.page.fill('form.rule-editor input[name=name]', '携号转网 Number porting');
    await a.page.check('form.rule-editor input[name=types][value=complaint]');
    await a.page.fill('form.rule-editor input[name=keywords]', '携号转网, 转网');
    await a.page.fill('form.rule-editor input[name=thenTags]', 'porting');
    await a.page.click('form.rule-editor button[type=submit]');
    await a.page.waitForSelector('table.rules tbody tr:last-child[data-rule=number-porting]');
    expect(await a.page.textContent('tr[data-rule=number-porting] .when')).toBe(
      'type: Complaint; keywords: 携号转网, 转网',
    );
    await a.page.selectOption('select[name=dryType]', 'complaint');
    await a.page.selectOption('select[name=dryCategory]', '');
    await a.page.fill('textarea[name=dryText]', '我要携号转网，为什么不让转');
    await a.page.click('.dry-run button[type=submit]');
    await a.page.waitForSelector('.dry-run-result li[data-rule=number-porting]');
    expect(await a.page.textContent('.dry-run-result .tags')).toContain('porting');

    expect(a.errors).toEqual([]);
    await a.context.close();
  }, 90_000);

  it('an admin adds a holiday and a make-up working day and an open ticket’s due time moves accordingly', async () => {
    const { h } = desk;
    const agent = await h.buildStaff('agent');
    const admin = await h.buildStaff('admin');
    const session = await h.login(admin);
    // An inquiry at 17:30 on Friday 27 November 2026 (Shanghai): its 1-hour handling plan has 30
    // minutes on Friday and 30 on Monday.
    const today = clock.now();
    clock.set(new Date('2026-11-27T09:30:00Z'));
    const ticketId = await h.buildTicket(agent, { type: 'inquiry', subject: '套餐资费咨询' });
    clock.set(today);
    const handlingPlanDue = async () => {
      const res = await h.request(session, { method: 'GET', url: `/api/v1/tickets/${ticketId}/sla` });
      return (res.json().items as { metric: string; dueAt: string }[]).find((i) => i.metric === 'handling_plan')!.dueAt;
    };
    expect(await handlingPlanDue()).toBe('2026-11-30T01:30:00.000Z'); // Monday 09:30

    const a = await open(desk, 'zh', '/admin/calendars');
    await signIn(a.page, admin.username);
    // The shipped calendar holds 2025 and 2026: the console says the weeks into 2027 are not covered.
    const warning = await a.page.waitForSelector('.coverage-warning[data-calendar=cn-business]');
    expect(await warning.textContent()).toContain('中国大陆工作日');
    // The month view opens on this month; go to November 2026.
    for (let i = 0; i < 120 && (await a.page.textContent('.month-title')) !== '2026 年 11 月'; i++) {
      const [year, month] = ((await a.page.textContent('.month-title')) ?? '').match(/\d+/g)!.map(Number);
      await a.page.click(year! * 12 + month! > 2026 * 12 + 11 ? '.prev-month' : '.next-month');
    }
    expect(await a.page.textContent('.month-title')).toBe('2026 年 11 月');

    // Monday 30 November becomes a public holiday: the plan is due on Tuesday at 09:30.
    await a.page.click('button.day[data-date="2026-11-30"]');
    await a.page.click('.day-panel .make-holiday');
    await a.page.waitForSelector('button.day[data-date="2026-11-30"][data-kind=holiday]');
    expect(await a.page.textContent('.recomputed')).toContain('已重算 1 个未结工单的截止时间');
    expect(await handlingPlanDue()).toBe('2026-12-01T01:30:00.000Z');

    // Saturday 28 November becomes a make-up working day (调休上班): due on Saturday at 09:30.
    await a.page.click('button.day[data-date="2026-11-28"]');
    expect(await a.page.getAttribute('button.day[data-date="2026-11-28"]', 'data-kind')).toBe('off');
    await a.page.click('.day-panel .make-workday');
    await a.page.waitForSelector('button.day[data-date="2026-11-28"][data-kind=workday]');
    expect(await handlingPlanDue()).toBe('2026-11-28T01:30:00.000Z');
    // The queue sorts by the ticket's earliest due time, which follows too.
    const ticket = (await h.request(session, { method: 'GET', url: `/api/v1/tickets/${ticketId}` })).json();
    expect(ticket.slaDueAt).toBe('2026-11-28T01:30:00.000Z');

    expect(a.errors).toEqual([]);
    await a.context.close();
  }, 90_000);

  it('an admin changes an SLA policy’s time limit and warnings, and an impossible warning is refused in place', async () => {
    const admin = await desk.h.buildStaff('admin');
    const a = await open(desk, 'en', '/admin/sla');
    await signIn(a.page, admin.username);
    await a.page.click('tr[data-policy=inquiry] button.edit');
    await a.page.waitForSelector('form.policy-editor');
    await a.page.fill('form.policy-editor input[name=warnAt]', '75, 150');
    await a.page.click('form.policy-editor button[type=submit]');
    await a.page.waitForSelector('form.policy-editor .error:has-text("between 1 and 99")');
    await a.page.fill('form.policy-editor input[name=warnAt]', '50, 80');
    await a.page.fill('form.policy-editor tr[data-target=handling_plan] input[type=number]', '90');
    await a.page.click('form.policy-editor button[type=submit]');
    await a.page.waitForSelector('form.policy-editor', { state: 'detached' });
    expect(await a.page.textContent('tr[data-policy=inquiry] [data-metric=handling_plan]')).toContain('1 h 30 min');
    expect(await a.page.textContent('tr[data-policy=inquiry]')).toContain('50%, 80%');
    expect(a.errors).toEqual([]);
    await a.context.close();
  }, 60_000);
});
