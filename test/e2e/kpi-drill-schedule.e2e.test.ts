import { and, eq, isNull } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../src/db/schema.js';
import { diskStorage } from '../../src/storage/attachment-storage.js';
import { buildNextKpiExport } from '../../src/usecases/kpi/exports.js';
import { runScheduledReports } from '../../src/usecases/kpi/report-schedules.js';
import { rollUpFacts } from '../../src/usecases/kpi/roll-up-facts.js';
import { testClock, type Session } from '../helpers/harness.js';
import { open, shotIfAsked, signIn, startDesk, type Desk } from './browser.js';

// A supervisor drills from the red first-contact resolution tile of one team into the tickets
// behind it and schedules that list ("Schedule this list"): the schedule is named after the list,
// shows in "My scheduled reports" on the dashboard, and "send now" mails yesterday's list — the
// drilled tickets only, not the other team's — to each recipient. In both languages; with
// SCREENSHOTS_OUT=docs/screenshots it saves the form on the queue screen.

describe('scheduling the ticket list behind a KPI in a browser', () => {
  let desk: Desk;
  let team: string;
  const clock = testClock(new Date());
  const zone = 'Asia/Shanghai';

  beforeAll(async () => {
    desk = await startDesk({ clock });
    const { h } = desk;
    team = await h.buildTeam({ name: '一线客服组' });
    const other = await h.buildTeam({ name: '二线支撑组' });
    // Yesterday at noon in the installation's zone: the day "send now" of a daily schedule reports.
    clock.set(DateTime.now().setZone(zone).minus({ days: 1 }).set({ hour: 12, minute: 0 }).toJSDate());
    async function resolved(agent: Session, subject: string, reopen: boolean) {
      const post = (url: string, payload: Record<string, unknown>) =>
        h.request(agent, { method: 'POST', url, payload });
      const id = await h.buildTicket(agent.actor, { assignToMe: true, subject });
      await post(`/api/v1/tickets/${id}/transitions`, { action: 'start' });
      await post(`/api/v1/tickets/${id}/messages`, { visibility: 'public', body: '已为您处理完毕。' });
      clock.advance(60_000);
      await post(`/api/v1/tickets/${id}/transitions`, { action: 'resolve' });
      if (!reopen) return;
      await post(`/api/v1/tickets/${id}/confirmation`, { solved: false, note: '还是多扣了费用' });
      await post(`/api/v1/tickets/${id}/transitions`, { action: 'start' });
      await post(`/api/v1/tickets/${id}/transitions`, { action: 'resolve' });
    }
    const agent = await h.signIn('agent', team);
    await resolved(agent, '宽带频繁掉线', false);
    await resolved(agent, '套餐资费扣费异常', true);
    await resolved(await h.signIn('agent', other), '国际漫游无法使用', true);
    while ((await rollUpFacts(h.deps, { batch: 500, settleMs: 0 })).events > 0);
    clock.set(new Date());
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  /** The rows (ticket subjects) of the file a scheduled mail carries. */
  async function attachedSubjects(storageKey: string, format: 'csv' | 'xlsx'): Promise<string[]> {
    const bytes = await buffer(diskStorage(desk.h.config.attachmentDir).get(storageKey));
    const subjects = ['宽带频繁掉线', '套餐资费扣费异常', '国际漫游无法使用'];
    if (format === 'csv') {
      const text = bytes.toString('utf8');
      expect(text.trim().split('\n')).toHaveLength(2); // the header and one ticket
      return subjects.filter((s) => text.includes(s));
    }
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.rowCount).toBe(2);
    const cells = sheet.getSheetValues().flat().map(String);
    return subjects.filter((s) => cells.includes(s));
  }

  it('drills into a team’s tile, schedules the list, finds it in “My scheduled reports”, sends it now: the drilled tickets to each recipient', async () => {
    const { h } = desk;
    for (const lang of ['zh', 'en'] as const) {
      const zh = lang === 'zh';
      const supervisor = await h.buildStaff('supervisor', team);
      const d = await open(desk, lang, '/');
      await signIn(d.page, supervisor.username);
      await d.page.goto(`${desk.base}/kpi?team=${team}`);
      await d.page.click('a.tile[data-kpi=fcr]');
      await d.page.waitForSelector('.drill-banner');
      await d.page.waitForSelector('text=套餐资费扣费异常');
      expect(await d.page.locator('text=宽带频繁掉线').count()).toBe(0);
      expect(await d.page.locator('text=国际漫游无法使用').count()).toBe(0);

      await d.page.click(`.drill-banner button:has-text("${zh ? '定时发送此列表' : 'Schedule this list'}")`);
      const form = d.page.locator('.drill-banner .schedule-form');
      await form.waitFor();
      // The name it gets unless one is typed says which list it is, in the reader's language.
      const name = zh ? '首次解决率未达标工单 · 一线客服组' : 'Tickets behind first-contact resolution · 一线客服组';
      expect(await form.locator('input[name=name]').getAttribute('placeholder')).toBe(name);
      // The send time is a local time of the installation's zone, which the form names.
      await form.locator(`text=${zh ? `发送时间（${zone}）` : `Send at (${zone})`}`).waitFor();
      await form.locator('select[name=frequency]').selectOption('daily');
      const format = zh ? 'csv' : 'xlsx';
      await form.locator('select[name=format]').selectOption(format);
      // A bad address is refused by the server, in the reader's language, naming the field and
      // which address in words (not the API's field path, body/recipients/1).
      await form.locator('textarea[name=recipients]').fill('li.lei@example.cn, not-an-address');
      await form.locator('button[type=submit]').click();
      const error = form.locator('.error');
      await error.waitFor();
      expect(await error.textContent()).toBe(
        zh
          ? '填写的内容有误：收件人第 2 项格式不正确'
          : 'Some input is not valid: recipients (no. 2) is not in the right format',
      );
      expect(await error.getAttribute('data-code')).toBe('request.invalid');
      await shotIfAsked(d.page, `kpi-drill-schedule-refused-${lang}`);
      await form.locator('textarea[name=recipients]').fill('li.lei@example.cn\nhan.meimei@example.cn');
      await shotIfAsked(d.page, `kpi-drill-schedule-form-${lang}`);
      await form.locator('button[type=submit]').click();
      await d.page.waitForSelector(`.drill-banner [role=status] >> text=${name}`);

      // "My scheduled reports" on the dashboard: the list's name, what it sends, when.
      await d.page.click(`.drill-banner a:has-text("${zh ? '我的定时报表' : 'My scheduled reports'}")`);
      const row = d.page.locator('.report-schedules tr[data-schedule]', { hasText: name });
      await row.waitFor();
      // The link lands on the list, far down the dashboard, not at the top of the page.
      await expect
        .poll(async () => {
          // Relative to the viewport: the section's top is on screen.
          const box = await d.page.locator('.report-schedules').boundingBox();
          return box !== null && box.y >= 0 && box.y < d.page.viewportSize()!.height;
        })
        .toBe(true);
      const cells = await row.locator('td').allTextContents();
      expect(cells[0]).toBe(name);
      expect(cells[1]).toBe(`${name} · ${format.toUpperCase()}`);
      expect(cells[2]).toBe(`${zh ? '每天（发送前一天）' : 'Daily (the day before)'} 08:00`);
      const id = await row.getAttribute('data-schedule');

      await row.locator('button[data-send-now]').click();
      await d.page.waitForSelector('.report-schedules [role=status]');
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
      for (const mail of mails) {
        if (mail.payload.kind !== 'scheduled_report') continue;
        expect(mail.payload.subject).toContain(name);
        expect(mail.payload.attachment.fileName.endsWith(`.${format}`)).toBe(true);
        expect(await attachedSubjects(mail.payload.attachment.storageKey, format)).toEqual(['套餐资费扣费异常']);
      }
      // A drill-down by words (a hot issue) cannot be scheduled: the schedule would mail other tickets.
      await d.page.goto(`${desk.base}/?drill=1&kpi=contacts&q=${encodeURIComponent('扣费')}&teamId=${team}`);
      const unavailable = d.page.locator('.drill-banner button[data-schedule-open]');
      expect(await unavailable.isDisabled()).toBe(true);
      expect(await unavailable.getAttribute('title')).toContain(zh ? '搜索词' : 'words');

      await d.page.goto(`${desk.base}/kpi`);
      const sent = d.page.locator('.report-schedules tr[data-schedule]', { hasText: name });
      await sent.waitFor();
      // The last send is shown (no longer "—").
      expect(await sent.locator('td').nth(4).textContent()).not.toBe('—');
      await shotIfAsked(d.page, `kpi-drill-schedules-${lang}`);
      expect(d.errors).toEqual([]);
      await d.context.close();
    }
  }, 180_000);
});
