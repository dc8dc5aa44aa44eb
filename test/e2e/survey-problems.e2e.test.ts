import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callbackTeamId } from '../../src/db/reference-data.js';
import { surveyProblems } from '../../src/db/schema.js';
import { testClock } from '../helpers/harness.js';
import { open, resolvedWithSurveyLink, shotIfAsked, signIn, startDesk, type Desk } from './browser.js';

// A customer rates the attitude 1 with a comment; an agent of the callback team finds the problem
// in the survey-problems list, records its handling and closes it with what was done. With
// SCREENSHOTS_OUT=docs/screenshots it saves the list in both languages.

describe('survey problems in a browser', () => {
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

  it('lets a callback-team agent handle a problem raised in a survey and close it', async () => {
    const { h } = desk;
    const agent = await h.buildStaff('agent', team);
    const { ticketId, token } = await resolvedWithSurveyLink(desk, clock, agent);
    const answered = await h.request(null, {
      method: 'POST',
      url: `/api/portal/v1/surveys/${token}`,
      payload: { csat: 2, attitude: 1, comment: '客服态度冷淡，问了三次才回答' },
    });
    expect(answered.statusCode, answered.body).toBe(204);
    const [problem] = await h.database.db.select().from(surveyProblems).where(eq(surveyProblems.ticketId, ticketId));
    const caller = await h.buildStaff('agent', callbackTeamId);

    const en = await open(desk, 'en', '/survey-problems');
    await signIn(en.page, caller.username);
    await en.page.waitForSelector(`[data-problem="${problem!.id}"]`);
    expect(await en.page.textContent(`[data-problem="${problem!.id}"]`)).toContain('Attitude');
    await shotIfAsked(en.page, 'survey-problems-en');
    await en.context.close();

    const zh = await open(desk, 'zh', '/callbacks');
    await signIn(zh.page, caller.username);
    await zh.page.click('.callback-tabs a[href="/survey-problems"]');
    const item = zh.page.locator(`[data-problem="${problem!.id}"]`);
    await item.waitFor();
    expect(await item.textContent()).toContain('服务态度、客户留言');
    await item.locator('input[name=text]').fill('已约谈当班坐席，复盘服务用语');
    await item.locator('button[type=submit]').click();
    await zh.page.waitForSelector(`[data-problem="${problem!.id}"][data-status=handling]`);
    expect(await item.locator('select[name=action]').inputValue()).toBe('close');
    await shotIfAsked(zh.page, 'survey-problems-zh');
    await item.locator('input[name=text]').fill('已向客户致歉，坐席完成服务规范培训');
    await item.locator('button[type=submit]').click();
    await zh.page.waitForSelector(`[data-problem="${problem!.id}"]`, { state: 'detached' });
    await zh.page.click('[data-filter=closed]');
    await zh.page.waitForSelector(`[data-problem="${problem!.id}"][data-status=closed]`);
    expect(zh.errors).toEqual([]);
    await zh.context.close();

    const [done] = await h.database.db.select().from(surveyProblems).where(eq(surveyProblems.id, problem!.id));
    expect(done).toMatchObject({
      status: 'closed',
      handlerId: caller.id,
      resolution: '已向客户致歉，坐席完成服务规范培训',
    });
  }, 90_000);
});
