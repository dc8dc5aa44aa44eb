import { eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SCORECARD, itemsOf } from '../../src/core/quality/scorecard.js';
import { qaSamples, staff, tickets } from '../../src/db/schema.js';
import { rollUpFacts } from '../../src/usecases/kpi/roll-up-facts.js';
import { rollUpQuality } from '../../src/usecases/kpi/roll-up-quality.js';
import { testClock, type Session } from '../helpers/harness.js';
import { open, screenshotsOut, shotIfAsked, signIn, startDesk, type Desk, navTo } from './browser.js';

// A supervisor opens the appraisal of the month: the team's agents ranked by their weighted score,
// and one agent's sheet showing how the score was made (QA 30 %). The agent opens their own
// appraisal. With SCREENSHOTS_OUT=docs/screenshots it saves both screens in both languages.

describe('agent appraisal in a browser', () => {
  let desk: Desk;
  let team: string;
  const clock = testClock(new Date());

  beforeAll(async () => {
    desk = await startDesk({ clock });
    team = await desk.h.buildTeam({ name: '一线客服组' });
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('ranks the team by weighted score, shows how a score was made, and shows an agent their own', async () => {
    const { h } = desk;
    const inspector = await h.signIn('qa');
    const named = async (name: string): Promise<Session> => {
      const s = await h.signIn('agent', team);
      await h.database.db.update(staff).set({ displayName: name }).where(eq(staff.id, s.actor.id));
      return s;
    };
    const wang = await named('王芳');
    const li = await named('李强');
    await named('赵敏');
    async function resolvedAndReviewed(agent: Session, process: number) {
      const post = (url: string, payload: Record<string, unknown>) =>
        h.request(agent, { method: 'POST', url, payload });
      const id = await h.buildTicket(agent.actor, { assignToMe: true, subject: '宽带频繁掉线' });
      await post(`/api/v1/tickets/${id}/transitions`, { action: 'start' });
      await post(`/api/v1/tickets/${id}/messages`, {
        visibility: 'public',
        body: '您好，已为您处理完毕，感谢您的来电。',
      });
      clock.advance(60_000);
      await post(`/api/v1/tickets/${id}/transitions`, { action: 'resolve' });
      await h.database.db.update(tickets).set({ status: 'closed', closedAt: clock.now() }).where(eq(tickets.id, id));
      const sampleId = uuidv7();
      await h.database.db.insert(qaSamples).values({
        id: sampleId,
        ticketId: id,
        runDay: '2026-11-28',
        agentId: agent.actor.id,
        teamId: team,
        channel: 'hotline',
        stratum: 'rate',
        inspectorId: inspector.actor.id,
      });
      const items = itemsOf(DEFAULT_SCORECARD).map((i) => ({
        itemId: i.id,
        points: i.id === 'beyond' ? 0 : i.id === 'process' ? process : i.maxPoints,
      }));
      const res = await h.request(inspector, {
        method: 'POST',
        url: `/api/v1/qa/samples/${sampleId}/review`,
        payload: { items },
      });
      expect(res.statusCode).toBe(200);
    }
    await resolvedAndReviewed(wang, 10);
    await resolvedAndReviewed(li, 4);
    while ((await rollUpFacts(h.deps, { batch: 500, settleMs: 0 })).events > 0);
    await rollUpQuality(h.deps, { marginMs: 0 });

    const supervisor = await h.buildStaff('supervisor', team);
    for (const lang of screenshotsOut ? (['en', 'zh'] as const) : (['zh'] as const)) {
      const d = await open(desk, lang, '/');
      await signIn(d.page, supervisor.username);
      await navTo(d.page, `a:has-text("${lang === 'zh' ? '绩效考核' : 'Appraisal'}")`);
      await d.page.waitForSelector('.appraisal-table tbody tr');
      const rows = await d.page.locator('.appraisal-table tbody tr').allTextContents();
      expect(rows[0]).toContain('王芳');
      expect(rows[1]).toContain('李强');
      expect(rows[2]).toContain('赵敏');
      expect(rows[2]).toContain(lang === 'zh' ? '暂无数据' : 'No data');
      await d.page.click('.appraisal-table tbody tr:nth-child(2) button.link');
      await d.page.waitForSelector('.appraisal-sheet');
      expect(await d.page.textContent('.appraisal-sheet')).toContain(lang === 'zh' ? '质检得分' : 'QA score');
      await shotIfAsked(d.page, `appraisal-team-${lang}`);
      expect(d.errors).toEqual([]);
      await d.context.close();

      const a = await open(desk, lang, '/');
      await signIn(a.page, li.username);
      await navTo(a.page, `a:has-text("${lang === 'zh' ? '我的考核' : 'My appraisal'}")`);
      await a.page.waitForSelector('.appraisal-sheet');
      expect(await a.page.textContent('.appraisal-sheet')).toContain('李强');
      expect(await a.page.locator('.appraisal-table').count()).toBe(0);
      await shotIfAsked(a.page, `appraisal-mine-${lang}`);
      expect(a.errors).toEqual([]);
      await a.context.close();
    }
  }, 120_000);

  it('lets an administrator change KPI targets and appraisal weights in the console, refusing weights that do not add up', async () => {
    const { h } = desk;
    const admin = await h.buildStaff('admin');
    for (const lang of screenshotsOut ? (['en', 'zh'] as const) : (['zh'] as const)) {
      const d = await open(desk, lang, '/admin/kpi');
      await signIn(d.page, admin.username);
      await d.page.waitForSelector('input[name=weight-qa_score]');
      // The console's chunks and the settings have all arrived (a late one would remount the form).
      await d.page.waitForLoadState('networkidle');
      await d.page.fill('input[name=weight-qa_score]', '50');
      await d.page.waitForSelector('.kpi-settings [role=status].error');
      expect(await d.page.textContent('.kpi-settings [role=status].error')).toMatch(/1(20|05)%/);
      expect(await d.page.isDisabled('.kpi-settings button[type=submit].primary')).toBe(true);
      await d.page.fill('input[name=weight-qa_score]', '45');
      await d.page.fill('input[name=weight-satisfaction]', '6');
      await d.page.fill('[data-target=script_compliance] input', '99');
      await d.page.click('.kpi-settings button[type=submit].primary');
      await d.page.waitForSelector(`text=${lang === 'zh' ? '已保存' : 'Saved'}`);
      await shotIfAsked(d.page, `admin-kpi-settings-${lang}`);
      expect(d.errors).toEqual([]);
      await d.context.close();
    }
    const res = await h.request(await h.login(admin), { method: 'GET', url: '/api/v1/kpi/settings' });
    expect(res.json().settings).toMatchObject({
      weights: { qa_score: 45, satisfaction: 6 },
      targets: { script_compliance: { value: 0.99, direction: 'min' } },
    });
  }, 120_000);
});
