import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callbackTeamId } from '../../src/db/reference-data.js';
import { callbacks, staff, tickets } from '../../src/db/schema.js';
import { testClock } from '../helpers/harness.js';
import {
  open,
  resolvedWithSurveyLink,
  screenshotsOut,
  shotIfAsked,
  signIn,
  startDesk,
  type Desk,
  navTo,
} from './browser.js';

// A customer rates a ticket 1 from the survey link; an agent of the callback team (回访组) works the
// callback in the desk: records an attempt that reached the customer, then the root cause, remedy and
// outcome. With SCREENSHOTS_OUT=docs/screenshots it saves the callback task in both languages.

describe('callbacks in a browser', () => {
  let desk: Desk;
  let team: string;
  const clock = testClock(new Date());

  beforeAll(async () => {
    desk = await startDesk({ clock });
    team = await desk.h.buildTeam({ code: 'frontline', kind: 'frontline', name: '一线客服组' });
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('lets a callback-team agent work a callback from the queue to its outcome', async () => {
    const { h } = desk;
    const agent = await h.buildStaff('agent', team);
    const { ticketId, token } = await resolvedWithSurveyLink(desk, clock, agent);
    const answered = await h.request(null, {
      method: 'POST',
      url: `/api/portal/v1/surveys/${token}`,
      payload: { csat: 1, nps: 2, attitude: 1, comment: '等了三天才有人上门' },
    });
    expect(answered.statusCode, answered.body).toBe(204);
    const [cb] = await h.database.db.select().from(callbacks).where(eq(callbacks.ticketId, ticketId));

    const caller = await h.buildStaff('agent', callbackTeamId);
    if (screenshotsOut) {
      const en = await open(desk, 'en', '/');
      await signIn(en.page, caller.username);
      await navTo(en.page, 'a:has-text("Callbacks")');
      await en.page.waitForSelector(`[data-callback="${cb!.id}"]`);
      await shotIfAsked(en.page, 'callbacks-list-en');
      await en.page.click(`[data-callback="${cb!.id}"] a`);
      await en.page.waitForSelector('form.outcome-form');
      await shotIfAsked(en.page, 'callbacks-en');
      await en.context.close();
    }

    const d = await open(desk, 'zh', '/');
    await signIn(d.page, caller.username);
    await navTo(d.page, 'a:has-text("回访")');
    await d.page.waitForSelector(`[data-callback="${cb!.id}"]`);
    await d.page.click(`[data-callback="${cb!.id}"] a`);
    await d.page.waitForSelector('text=等了三天才有人上门');
    // Finishing before reaching the customer is refused with a readable sentence.
    await d.page.selectOption('select[name=rootCause]', 'process');
    await d.page.fill('textarea[name=remedy]', '致歉并赠送 20 元话费');
    await d.page.click('button:has-text("完成回访")');
    await d.page.waitForSelector('text=请先记录一次联系上客户的回访');
    // An attempt that reached the customer, then the outcome: a complaint linked to the ticket.
    await d.page.fill('input[name=note]', '客户接听，表示上门太慢');
    await d.page.click('form.attempt-form button[type=submit]');
    await d.page.waitForSelector('ol.attempts li[data-reached=true]');
    await d.page.selectOption('select[name=outcome]', 'complaint_opened');
    await d.page.fill('textarea[name=notes]', '客户要求就上门延误正式投诉');
    await shotIfAsked(d.page, 'callbacks-zh');
    await d.page.click('button:has-text("完成回访并建立投诉")');
    await d.page.waitForSelector('text=回访已完成：建立关联投诉');
    await d.page.click('.callback-complaint a');
    await d.page.waitForSelector('text=客户要求就上门延误正式投诉');
    expect(d.errors).toEqual([]);
    await d.context.close();

    const [done] = await h.database.db.select().from(callbacks).where(eq(callbacks.id, cb!.id));
    expect(done).toMatchObject({ status: 'done', outcome: 'complaint_opened', rootCause: 'process' });
    const [ticket] = await h.database.db.select().from(tickets).where(eq(tickets.id, ticketId));
    expect(ticket!.status).toBe('resolved');
    const [complaint] = await h.database.db.select().from(tickets).where(eq(tickets.id, done!.complaintTicketId!));
    expect(complaint).toMatchObject({ type: 'complaint', customerId: ticket!.customerId });
  }, 90_000);

  it('lets a supervisor give a callback to a named agent, who finds it under “mine”', async () => {
    const { h } = desk;
    const agent = await h.buildStaff('agent', team);
    const { ticketId, token } = await resolvedWithSurveyLink(desk, clock, agent);
    await h.request(null, { method: 'POST', url: `/api/portal/v1/surveys/${token}`, payload: { csat: 2 } });
    const [cb] = await h.database.db.select().from(callbacks).where(eq(callbacks.ticketId, ticketId));
    const caller = await h.buildStaff('agent', callbackTeamId);
    const supervisor = await h.buildStaff('supervisor', team);
    const names = await h.database.db.select({ name: staff.displayName }).from(staff).where(eq(staff.id, caller.id));

    for (const lang of ['zh', 'en'] as const) {
      const s = await open(desk, lang, `/callbacks/${cb!.id}`);
      await signIn(s.page, supervisor.username);
      const form = s.page.locator('form.assign-callback');
      await form.locator(`select[name=assignee] option[value="${caller.id}"]`).waitFor({ state: 'attached' });
      await form.locator('select[name=assignee]').selectOption(lang === 'zh' ? caller.id : '');
      if (lang === 'zh') {
        await form.locator('button[type=submit]').click();
        await s.page.waitForSelector('form.assign-callback button[type=submit]:disabled');
      }
      await shotIfAsked(s.page, `callbacks-assign-${lang}`);
      expect(s.errors).toEqual([]);
      await s.context.close();
    }

    const a = await open(desk, 'zh', '/callbacks?assignee=me');
    await signIn(a.page, caller.username);
    await a.page.waitForSelector(`[data-callback="${cb!.id}"]`);
    expect(await a.page.textContent(`[data-callback="${cb!.id}"]`)).toContain(names[0]!.name);
    expect(await a.page.getAttribute('[data-holder=me]', 'aria-selected')).toBe('true');
    await a.page.click('[data-holder=unassigned]');
    await a.page.waitForURL(/assignee=unassigned/);
    await a.page.waitForSelector(`[data-callback="${cb!.id}"]`, { state: 'detached' });
    await a.page.goto(`${desk.base}/tickets/${ticketId}`);
    await a.page.locator('.timeline', { hasText: `将回访任务分派给 ${names[0]!.name}` }).waitFor();
    expect(a.errors).toEqual([]);
    await a.context.close();
  }, 90_000);

  it('lets an administrator add and deactivate a root cause in the console', async () => {
    const { h } = desk;
    const admin = await h.buildStaff('admin', team);
    for (const lang of ['zh', 'en'] as const) {
      const tab = await open(desk, lang, '/');
      await signIn(tab.page, admin.username);
      await tab.page.goto(`${desk.base}/admin/root-causes`);
      await tab.page.waitForSelector('form.root-cause[data-code=network]');
      if (lang === 'zh') {
        const form = tab.page.locator('form.root-cause:not([data-code])');
        await form.locator('input[name=code]').fill('terminal');
        await form.locator('input[name=nameZh]').fill('终端问题');
        await form.locator('input[name=nameEn]').fill('Device');
        await form.locator('button[type=submit]').click();
        await tab.page.waitForSelector('form.root-cause[data-code=terminal]');
        await tab.page.click('form.root-cause[data-code=misunderstanding] button:has-text("停用")');
        await tab.page.waitForSelector('form.root-cause.inactive[data-code=misunderstanding]');
      }
      await shotIfAsked(tab.page, `admin-root-causes-${lang}`);
      expect(tab.errors).toEqual([]);
      await tab.context.close();
    }
    const list = (await h.request(await h.signIn('admin', team), { method: 'GET', url: '/api/v1/root-causes' })).json();
    const codes = list.items.map((c: { code: string }) => c.code);
    expect(codes).toContain('terminal');
    expect(codes).not.toContain('misunderstanding');
  }, 90_000);
});
