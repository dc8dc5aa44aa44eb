import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { surveys } from '../../src/db/schema.js';
import { testClock } from '../helpers/harness.js';
import {
  open,
  PHONE,
  resolvedWithSurveyLink,
  screenshotsOut,
  shotIfAsked,
  signIn,
  startDesk,
  type Desk,
} from './browser.js';

// The satisfaction survey a customer answers from the link in a message, on a phone, against a real
// server (embedded PostgreSQL, web/dist); then the agent sees the scores on the ticket's timeline.
// With SCREENSHOTS_OUT=docs/screenshots it also saves the survey screens in both languages.

describe('satisfaction surveys in a browser', () => {
  let desk: Desk;
  let team: string;
  // The server's clock: today (the browser keeps session cookies by it), moved past the survey delay.
  const clock = testClock(new Date());

  beforeAll(async () => {
    desk = await startDesk({ clock });
    team = await desk.h.buildTeam({ code: 'frontline', kind: 'frontline', name: '一线客服组' });
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('lets a customer answer the survey from the link on a phone, once, and shows the scores to the agent', async () => {
    const { h } = desk;
    const agent = await h.buildStaff('agent', team);
    const { ticketId, token } = await resolvedWithSurveyLink(desk, clock, agent);

    // Looking does not use the link up (the English page first, for its screenshot).
    const look = await open(desk, 'en', `/portal/?survey=${token}`, { viewport: PHONE });
    await look.page.waitForSelector('[data-survey-state=open]');
    await look.page.click('[data-question=csat] button:has-text("5")');
    await shotIfAsked(look.page, 'survey-en');
    await look.context.close();

    const c = await open(desk, 'zh', `/portal/?survey=${token}`, { viewport: PHONE });
    await c.page.waitForSelector('[data-survey-state=open]');
    // Submitting without the overall rating asks for it.
    await c.page.click('button:has-text("提交评价")');
    await c.page.waitForSelector('text=请先选择总体满意度');
    await c.page.click('[data-question=csat] button:has-text("4")');
    await c.page.click('[data-question=nps] button:has-text("9")');
    await c.page.click('[data-question=speed] button:has-text("5")');
    await c.page.click('[data-question=quality] button:has-text("4")');
    await c.page.click('[data-question=attitude] button:has-text("5")');
    await c.page.click('[data-question=convenience] button:has-text("2")');
    await c.page.fill('textarea[name=comment]', '上门师傅很准时');
    // Nothing wider than the phone: no sideways scrolling.
    expect(
      await c.page.evaluate(
        () =>
          (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement
            .scrollWidth,
      ),
    ).toBeLessThanOrEqual(PHONE.width);
    await shotIfAsked(c.page, 'survey-zh');
    await c.page.click('button:has-text("提交评价")');
    await c.page.waitForSelector('text=感谢您的评价！');
    await shotIfAsked(c.page, 'survey-thanks-zh');

    const [row] = await h.database.db.select().from(surveys).where(eq(surveys.ticketId, ticketId));
    expect(row).toMatchObject({ status: 'answered', csat: 4, nps: 9, convenience: 2, comment: '上门师傅很准时' });

    // The link again: a clear page, in English too.
    const again = await open(desk, 'en', `/portal/?survey=${token}`, { viewport: PHONE });
    await again.page.waitForSelector('text=This survey was already answered');
    await shotIfAsked(again.page, 'survey-used-en');
    expect([...c.errors, ...again.errors]).toEqual([]);
    await c.context.close();
    await again.context.close();

    // The agent sees the scores (not the comment) on the timeline.
    const d = await open(desk, 'zh', '/');
    await signIn(d.page, agent.username);
    await d.page.goto(`${desk.base}/tickets/${ticketId}`);
    await d.page.waitForSelector('.survey-panel[data-survey-status=answered]');
    const entry = await d.page.waitForSelector('.event-survey_answered');
    await entry.scrollIntoViewIfNeeded();
    await shotIfAsked(d.page, 'survey-timeline-zh');
    const text = (await entry.textContent()) ?? '';
    expect(text).toContain('满意度 4/5');
    expect(text).toContain('推荐意愿 9/10');
    expect(text).not.toContain('上门师傅很准时');
    expect(d.errors).toEqual([]);
    await d.context.close();
    if (screenshotsOut) {
      const en = await open(desk, 'en', '/');
      await signIn(en.page, agent.username);
      await en.page.goto(`${desk.base}/tickets/${ticketId}`);
      await en.page.waitForSelector('.survey-panel[data-survey-status=answered]');
      await en.page.waitForSelector('.event-survey_answered');
      await shotIfAsked(en.page, 'survey-timeline-en');
      await en.context.close();
    }
  }, 90_000);

  it('lets an administrator edit a survey text with a live preview and switch on the NPS question by SMS', async () => {
    const { h } = desk;
    const admin = await h.buildStaff('admin', team);
    const zh = await open(desk, 'zh', '/');
    await signIn(zh.page, admin.username);
    await zh.page.goto(`${desk.base}/admin/survey-templates`);
    const form = zh.page.locator('form.survey-template[data-kind=sms_rating]');
    await form.locator('textarea[name=zh]').fill('【某某电信】工单 {ticketNumber} 已办结，请回复 1–5 打分。');
    await form.locator('output', { hasText: '【某某电信】工单 TS20261128000123 已办结' }).waitFor();
    await form.locator('button[type=submit]').click();
    await form.locator('.ok').waitFor();
    // A link text without {link} is refused with a readable sentence.
    const email = zh.page.locator('form.survey-template[data-kind=email_link]');
    await email.locator('textarea[name=zh]').fill('请评价我们的服务');
    await email.locator('button[type=submit]').click();
    await email.locator('[data-code="survey_template.invalid"]').waitFor();
    // Controlled by the server's answer: checked once the setting is stored.
    await zh.page.click('input[name=smsNps]');
    await zh.page.locator('input[name=smsNps]:checked').waitFor();
    await shotIfAsked(zh.page, 'admin-survey-templates-zh');
    expect(zh.errors).toEqual([]);
    await zh.context.close();

    const texts = (
      await h.request(await h.signIn('admin', team), { method: 'GET', url: '/api/v1/survey-templates' })
    ).json();
    expect(texts.smsNps).toBe(true);
    expect(texts.items.find((i: { kind: string }) => i.kind === 'sms_rating').zh).toBe(
      '【某某电信】工单 {ticketNumber} 已办结，请回复 1–5 打分。',
    );
    expect(texts.items.find((i: { kind: string }) => i.kind === 'email_link').zh).toContain('{link}');

    if (screenshotsOut) {
      const en = await open(desk, 'en', '/');
      await signIn(en.page, admin.username);
      await en.page.goto(`${desk.base}/admin/survey-templates`);
      await en.page.waitForSelector('form.survey-template[data-kind=app_link]');
      await shotIfAsked(en.page, 'admin-survey-templates-en');
      await en.context.close();
    }
  }, 90_000);
});
