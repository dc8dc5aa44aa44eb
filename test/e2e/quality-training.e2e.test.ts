import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiveChannelMessage } from '../../src/usecases/channels/receive-channel-message.js';
import { open, shotIfAsked, signIn, startDesk, type Desk, navTo } from './browser.js';

// A supervisor watches the board while a customer's follow-up SMS threatens to go to 工信部: the
// risk alert shows without a reload. An administrator adds a risk word in the phrase lists. A
// supervisor records an exam score that grants the complaint-specialist certification, which the
// agent sees on their own training record. With SCREENSHOTS_OUT=docs/screenshots it saves each
// screen in both languages.

describe('risk alerts, phrase lists and training records in a browser', () => {
  let desk: Desk;
  let team: string;

  beforeAll(async () => {
    desk = await startDesk();
    team = await desk.h.buildTeam({ code: 'frontline', kind: 'frontline', name: '一线客服组' });
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('shows a follow-up SMS mentioning 工信部 on the supervisor board at once', async () => {
    const { h } = desk;
    const supervisor = await h.buildStaff('supervisor', team);
    const msisdn = '13812345678';
    const first = await receiveChannelMessage(h.deps, 'sms', {
      messageId: 'e2e-risk-1',
      from: { msisdn },
      text: '家里宽带断网两天了',
    });
    const d = await open(desk, 'zh', '/board');
    await signIn(d.page, supervisor.username);
    await d.page.waitForSelector('.risk-alerts');
    expect(await d.page.locator(`.risk-alerts [data-ticket="${first.ticketId}"]`).count()).toBe(0);
    await receiveChannelMessage(h.deps, 'sms', {
      messageId: 'e2e-risk-2',
      from: { msisdn },
      text: '再不修好我就去工信部投诉你们！',
    });
    // Live: the server-sent event of the new timeline entry refreshes the panel.
    await d.page.waitForSelector(`.risk-alerts [data-ticket="${first.ticketId}"]:has-text("工信部")`);
    await d.page.waitForSelector(`.risk-alerts [data-ticket="${first.ticketId}"]:has-text("紧急")`);
    await shotIfAsked(d.page, 'quality-board-zh');
    await d.page.click(`.risk-alerts [data-ticket="${first.ticketId}"] a`);
    await d.page.waitForSelector('text=客户提到风险词：工信部、投诉');
    expect(d.errors).toEqual([]);
    await d.context.close();
    const en = await open(desk, 'en', '/board');
    await signIn(en.page, supervisor.username);
    await en.page.waitForSelector(`.risk-alerts [data-ticket="${first.ticketId}"]`);
    await shotIfAsked(en.page, 'quality-board-en');
    await en.context.close();
  });

  it('lets an administrator add a risk word with synonyms and try a text against the lists', async () => {
    const { h } = desk;
    const admin = await h.buildStaff('admin', null);
    const d = await open(desk, 'zh', '/admin/phrases');
    await signIn(d.page, admin.username);
    await d.page.waitForSelector('tr[data-phrase="工信部"]');
    await d.page.click('button:has-text("添加")');
    await d.page.fill('input[name=phrase]', '黑猫投诉');
    await d.page.fill('input[name=synonyms]', '黑猫、投诉平台');
    await d.page.selectOption('select[name=raiseGrade]', 'major');
    await d.page.click('form.phrase-form button[type=submit]');
    await d.page.waitForSelector('tr[data-phrase="黑猫投诉"]');
    // The same phrase again is refused with a sentence in Chinese.
    await d.page.click('button:has-text("添加")');
    await d.page.fill('input[name=phrase]', '黑猫投诉');
    await d.page.click('form.phrase-form button[type=submit]');
    await d.page.waitForSelector('[data-code="phrase.duplicate"]:has-text("该词已在此列表中")');
    await d.page.click('form.phrase-form button:has-text("取消")');
    await d.page.fill('textarea[name=text]', '我开通了多媒体短信，不处理就去黑猫投诉');
    await d.page.click('button:has-text("检查")');
    await d.page.waitForSelector('.try-result .risk:has-text("黑猫投诉")');
    expect(await d.page.textContent('.try-result .risk')).not.toContain('媒体');
    await shotIfAsked(d.page, 'quality-phrases-zh');
    expect(d.errors).toEqual([]);
    await d.context.close();
    const en = await open(desk, 'en', '/admin/phrases');
    await signIn(en.page, admin.username);
    await en.page.click('button:has-text("Required phrases")');
    await en.page.waitForSelector('tr[data-phrase="您好"]');
    await shotIfAsked(en.page, 'quality-phrases-en');
    await en.context.close();
  });

  it('records an exam score that grants the complaint-specialist certification, shown on the agent’s record', async () => {
    const { h } = desk;
    const supervisor = await h.buildStaff('supervisor', team);
    const agent = await h.buildStaff('agent', team);
    const s = await h.login(supervisor);
    const course = await h.request(s, {
      method: 'POST',
      url: '/api/v1/training/courses',
      payload: { code: 'complaint-cert', title: '投诉处理专员认证', certificationCode: 'complaint_specialist' },
    });
    expect(course.statusCode, course.body).toBe(201);
    await h.request(s, {
      method: 'POST',
      url: '/api/v1/training/sessions',
      payload: {
        courseId: course.json().id,
        startsAt: new Date().toISOString(),
        location: '三楼培训室',
        trainer: '王老师',
      },
    });

    const d = await open(desk, 'zh', '/training');
    await signIn(d.page, supervisor.username);
    await d.page.waitForSelector('.training-session');
    await d.page.selectOption('.training-session select[aria-label="人员"]', agent.id);
    await d.page.fill('.training-session input[aria-label="考试分数"]', '92');
    await d.page.click('.training-session button:has-text("记录")');
    await d.page.waitForSelector('text=已授予认证 投诉处理专员');
    await d.page.waitForSelector(`.training-session tr[data-person="${agent.id}"]:has-text("通过")`);
    await shotIfAsked(d.page, 'training-admin-zh');
    expect(d.errors).toEqual([]);
    await d.context.close();
    const en = await open(desk, 'en', '/training');
    await signIn(en.page, supervisor.username);
    await en.page.waitForSelector(`.training-session tr[data-person="${agent.id}"]`);
    await shotIfAsked(en.page, 'training-admin-en');
    await en.context.close();

    for (const lang of ['zh', 'en'] as const) {
      const a = await open(desk, lang, '/');
      await signIn(a.page, agent.username);
      await navTo(a.page, `a:has-text("${lang === 'zh' ? '我的培训' : 'My training'}")`);
      await a.page.waitForSelector('tr[data-certification="complaint_specialist"][data-state="valid"]');
      await shotIfAsked(a.page, `training-record-${lang}`);
      expect(a.errors).toEqual([]);
      await a.context.close();
    }
  });
});
