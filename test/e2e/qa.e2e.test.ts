import { eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qaReviews, qaSamples, tickets } from '../../src/db/schema.js';
import { open, shotIfAsked, signIn, startDesk, type Desk, navTo } from './browser.js';

// An inspector scores a sampled ticket in the desk; the agent disputes the review from "my QA".
// With SCREENSHOTS_OUT=docs/screenshots it saves both screens in both languages.

describe('QA reviews in a browser', () => {
  let desk: Desk;

  beforeAll(async () => {
    desk = await startDesk();
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('lets an inspector score a sample and the agent dispute the review', async () => {
    const { h } = desk;
    const team = await h.buildTeam();
    const agent = await h.buildStaff('agent', team);
    const inspector = await h.buildStaff('qa', await h.buildTeam());
    const ticketId = await h.buildTicket(agent, { assignToMe: true });
    await h.database.db.update(tickets).set({ status: 'closed', closedAt: new Date() }).where(eq(tickets.id, ticketId));
    const sampleId = uuidv7();
    await h.database.db.insert(qaSamples).values({
      id: sampleId,
      ticketId,
      runDay: '2026-11-20',
      agentId: agent.id,
      teamId: team,
      channel: 'hotline',
      stratum: 'rate',
      inspectorId: inspector.id,
    });

    for (const lang of ['en', 'zh'] as const) {
      const d = await open(desk, lang, '/');
      await signIn(d.page, inspector.username);
      await navTo(d.page, `a:has-text("${lang === 'en' ? 'QA' : '质检'}")`);
      await d.page.waitForSelector(`[data-sample="${sampleId}"]`);
      await shotIfAsked(d.page, `qa-samples-${lang}`);
      await d.page.click(`[data-sample="${sampleId}"] a`);
      await d.page.waitForSelector('form.qa-form');
      await shotIfAsked(d.page, `qa-scoring-${lang}`);
      if (lang === 'zh') {
        await d.page.fill('[data-item="logic"] input[type=number]', '5');
        await d.page.fill('[data-item="logic"] input[type=text]', '未先排查光猫');
        await d.page.click('button:has-text("提交质检")');
        // (100·10 + 100·10 + 100·20 + 50·25 + 100·20 + 100·15) / 100 = 87.5
        await d.page.waitForSelector('[data-score="87.5"]');
      }
      expect(d.errors).toEqual([]);
      await d.context.close();
    }

    const [review] = await h.database.db.select().from(qaReviews).where(eq(qaReviews.sampleId, sampleId));
    const a = await open(desk, 'zh', '/');
    await signIn(a.page, agent.username);
    await navTo(a.page, 'a:has-text("我的质检")');
    await a.page.waitForSelector(`[data-review="${review!.id}"]`);
    await a.page.click(`[data-review="${review!.id}"] button:has-text("申诉")`);
    await a.page.fill(`[data-review="${review!.id}"] textarea`, '已按流程排查，客户拒绝配合');
    await shotIfAsked(a.page, 'qa-my-reviews-zh');
    await a.page.click(`[data-review="${review!.id}"] button:has-text("提交申诉")`);
    await a.page.waitForSelector(`[data-review="${review!.id}"] >> text=申诉中`);
    expect(a.errors).toEqual([]);
    await a.context.close();

    const [after] = await h.database.db.select().from(qaReviews).where(eq(qaReviews.id, review!.id));
    expect(after).toMatchObject({ status: 'disputed', disputeComment: '已按流程排查，客户拒绝配合', score: 87.5 });
  });
});
