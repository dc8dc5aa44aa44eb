import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../src/db/schema.js';
import { diskStorage } from '../../src/storage/attachment-storage.js';
import { buildNextKpiExport } from '../../src/usecases/kpi/exports.js';
import { runScheduledReports } from '../../src/usecases/kpi/report-schedules.js';
import { rollUpFacts } from '../../src/usecases/kpi/roll-up-facts.js';
import { testClock } from '../helpers/harness.js';
import { open, shotIfAsked, signIn, startDesk, type Desk, navTo } from './browser.js';

// A supervisor schedules the dashboard on screen as a report ("Schedule this report"), sees it in
// "My scheduled reports" with its next send, sends it now (one mail per recipient once the export
// is built, the last send shown), and stops it. In both languages; with SCREENSHOTS_OUT=docs/screenshots
// it saves the form and the list.

describe('scheduled reports on the KPI dashboard in a browser', () => {
  let desk: Desk;
  let team: string;
  const clock = testClock(new Date());

  beforeAll(async () => {
    desk = await startDesk({ clock });
    team = await desk.h.buildTeam({ name: '一线客服组' });
    const agent = await desk.h.signIn('agent', team);
    await desk.h.buildTicket(agent.actor, { assignToMe: true, subject: '宽带频繁掉线' });
    while ((await rollUpFacts(desk.h.deps, { batch: 500, settleMs: 0 })).events > 0);
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('schedules the report on screen, lists it with its next send, sends it now and stops it', async () => {
    const { h } = desk;
    for (const lang of ['zh', 'en'] as const) {
      const supervisor = await h.buildStaff('supervisor', team);
      const d = await open(desk, lang, '/');
      await signIn(d.page, supervisor.username);
      await navTo(d.page, `a:has-text("${lang === 'zh' ? '指标看板' : 'KPIs'}")`);
      await d.page.waitForSelector('.tile[data-kpi=fcr]');
      await d.page.waitForSelector(`text=${lang === 'zh' ? '暂无定时报表' : 'No scheduled reports yet'}`);

      await d.page.click('button[data-schedule-open]');
      const name = lang === 'zh' ? '一线客服组周报' : 'Front line weekly';
      await d.page.fill('.schedule-form input[name=name]', name);
      await d.page.selectOption('.schedule-form select[name=frequency]', 'weekly');
      await d.page.fill('.schedule-form input[name=sendTime]', '08:30');
      // A bad address is refused by the server, the form stays open with the error.
      await d.page.fill('.schedule-form textarea[name=recipients]', 'li.lei@example.cn, not-an-address');
      await d.page.click('.schedule-form button[type=submit]');
      await d.page.waitForSelector('.schedule-form .error');
      await d.page.fill('.schedule-form textarea[name=recipients]', 'li.lei@example.cn\nhan.meimei@example.cn');
      await shotIfAsked(d.page, `kpi-schedule-form-${lang}`);
      await d.page.click('.schedule-form button[type=submit]');
      const row = d.page.locator('.report-schedules tr[data-schedule]', { hasText: name });
      await row.waitFor();
      expect(await row.textContent()).toContain('08:30');
      expect(await row.textContent()).toContain(lang === 'zh' ? '2 人' : '2 recipients');
      const id = await row.getAttribute('data-schedule');

      await row.locator('button[data-send-now]').click();
      await d.page.waitForSelector(`.report-schedules [role=status]`);
      await runScheduledReports(h.deps);
      while (await buildNextKpiExport({ ...h.deps, storage: diskStorage(h.config.attachmentDir) }));
      await runScheduledReports(h.deps);
      const mails = (
        await h.database.db
          .select()
          .from(outbox)
          .where(and(eq(outbox.channel, 'email'), isNull(outbox.ticketId)))
      ).filter((m) => m.payload.kind === 'scheduled_report' && m.payload.scheduleId === id);
      expect(mails.map((m) => m.recipient).sort()).toEqual(['han.meimei@example.cn', 'li.lei@example.cn']);

      await d.page.reload();
      const sent = d.page.locator('.report-schedules tr[data-schedule]', { hasText: name });
      await sent.waitFor();
      // The last send is shown (no longer "—").
      expect(await sent.locator('td').nth(4).textContent()).not.toBe('—');
      await shotIfAsked(d.page, `kpi-schedules-${lang}`);

      await sent.locator('button[data-deactivate]').click();
      await d.page.waitForSelector(`.report-schedules tr.inactive >> text=${lang === 'zh' ? '已停用' : 'Stopped'}`);
      // A stopped schedule can be resumed: it is active again with its next send.
      await sent.locator('button[data-reactivate]').click();
      await sent.locator('button[data-deactivate]').waitFor();
      expect(await sent.getAttribute('class')).toBeNull();
      expect(await sent.locator('td').nth(5).textContent()).not.toBe(lang === 'zh' ? '已停用' : 'Stopped');
      expect(await sent.locator('td').nth(3).textContent()).toBe(lang === 'zh' ? '2 人' : '2 recipients');
      expect(d.errors).toEqual([]);
      await d.context.close();
    }
  }, 120_000);

  it('edits a schedule in the form it was made with, and deletes it only once the owner confirms', async () => {
    const { h } = desk;
    for (const lang of ['zh', 'en'] as const) {
      const zh = lang === 'zh';
      const supervisor = await h.buildStaff('supervisor', team);
      const name = zh ? '投诉日报' : 'Complaints daily';
      const made = await h.request(await h.login(supervisor), {
        method: 'POST',
        url: '/api/v1/kpi/report-schedules',
        payload: {
          name,
          what: { kind: 'dashboard', granularity: 'day' },
          format: 'csv',
          lang,
          frequency: 'daily',
          sendTime: '08:00',
          recipients: ['li.lei@example.cn'],
        },
      });
      expect(made.statusCode, made.body).toBe(201);
      const d = await open(desk, lang, '/kpi');
      await signIn(d.page, supervisor.username);
      const row = d.page.locator('.report-schedules tr[data-schedule]', { hasText: name });
      await row.waitFor();

      // Edit: the creating form, filled in with the schedule; saving changes the row in place.
      await row.locator('button[data-edit]').click();
      const form = d.page.locator('.report-schedules .schedule-form');
      await form.waitFor();
      expect(await form.locator('h2').textContent()).toBe(zh ? '修改定时报表' : 'Edit scheduled report');
      expect(await form.locator('input[name=name]').inputValue()).toBe(name);
      expect(await form.locator('select[name=frequency]').inputValue()).toBe('daily');
      expect(await form.locator('input[name=sendTime]').inputValue()).toBe('08:00');
      expect(await form.locator('textarea[name=recipients]').inputValue()).toBe('li.lei@example.cn');
      await form.locator('select[name=frequency]').selectOption('weekly');
      await form.locator('input[name=sendTime]').fill('09:15');
      await form.locator('textarea[name=recipients]').fill('li.lei@example.cn\nhan.meimei@example.cn');
      await shotIfAsked(d.page, `kpi-schedule-edit-${lang}`);
      await form.locator('button[type=submit]').click();
      await form.waitFor({ state: 'detached' });
      // The row shows the saved schedule once the list is read again (after the form has closed).
      await row.locator('td', { hasText: '09:15' }).first().waitFor();
      expect(await row.locator('td').nth(2).textContent()).toContain('09:15');
      expect(await row.locator('td').nth(3).textContent()).toBe(zh ? '2 人' : '2 recipients');

      // Delete asks first; "cancel" keeps the schedule.
      await row.locator('button[data-delete]').click();
      const ask = row.locator('[role=group].confirm');
      expect(await ask.textContent()).toContain(
        zh ? `删除定时报表“${name}”？` : `Delete the scheduled report “${name}”?`,
      );
      await shotIfAsked(d.page, `kpi-schedule-delete-${lang}`);
      await ask.locator('button:not(.primary)').click();
      await row.locator('button[data-delete]').click();
      await row.locator('[role=group].confirm button.primary').click();
      await row.waitFor({ state: 'detached' });
      const left = await h.request(await h.login(supervisor), { method: 'GET', url: '/api/v1/kpi/report-schedules' });
      expect(left.json().items).toEqual([]);
      expect(d.errors).toEqual([]);
      await d.context.close();
    }
  }, 120_000);
});
