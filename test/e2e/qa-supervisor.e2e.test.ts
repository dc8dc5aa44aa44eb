import { eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/auth/policy.js';
import { itemsOf } from '../../src/core/quality/scorecard.js';
import { qaCoaching, qaReviews, qaSamples, tickets } from '../../src/db/schema.js';
import { disputeReview } from '../../src/usecases/quality/respond-to-review.js';
import { scorecardInUse } from '../../src/usecases/quality/scorecards.js';
import { submitReview } from '../../src/usecases/quality/submit-review.js';
import { open, shotIfAsked, signIn, startDesk, type Desk } from './browser.js';

// The supervisor's quality overview: a disputed review decided from the screen, and coaching with
// its 24-hour clock — one overdue and flagged, one recorded from the screen. With
// SCREENSHOTS_OUT=docs/screenshots it saves the overview in zh and en.

describe('the supervisor decides QA disputes and records coaching in a browser', () => {
  let desk: Desk;

  beforeAll(async () => {
    desk = await startDesk();
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('decides a dispute partly, flags overdue coaching and records coaching within the clock', async () => {
    const { h } = desk;
    const team = await h.buildTeam();
    const supervisor = await h.buildStaff('supervisor', team);
    const inspector = await h.buildStaff('qa', await h.buildTeam());
    const card = await scorecardInUse(h.database.db);
    // (100·10 + 100·10 + 20·20 + 30·25 + 100·20 + 100·15) / 100 = 66.5: failed, coaching opens.
    const failing = itemsOf(card.definition).map((i) => ({
      itemId: i.id,
      points: i.id === 'attitude' ? 2 : i.id === 'logic' ? 3 : i.kind === 'bonus' ? 0 : i.maxPoints,
      ...(i.id === 'attitude' ? { comment: '语气生硬，打断客户' } : {}),
    }));
    const reviewOf = async (agent: Actor) => {
      const ticketId = await h.buildTicket(agent, { assignToMe: true });
      await h.database.db
        .update(tickets)
        .set({ status: 'closed', closedAt: new Date() })
        .where(eq(tickets.id, ticketId));
      const sampleId = uuidv7();
      await h.database.db.insert(qaSamples).values({
        id: sampleId,
        ticketId,
        runDay: '2026-11-27',
        agentId: agent.id,
        teamId: team,
        channel: 'hotline',
        stratum: 'rate',
        inspectorId: inspector.id,
      });
      return submitReview(h.deps, inspector, sampleId, { items: failing, comment: '态度与排查均需改进' });
    };
    const disputing = await h.buildStaff('agent', team);
    const late = await h.buildStaff('agent', team);
    const disputed = await reviewOf(disputing);
    await disputeReview(h.deps, disputing, disputed, '客户情绪激动，我已按流程安抚，排查步骤也完整');
    const lateReview = await reviewOf(late);
    // The late agent's coaching was due yesterday: overdue.
    await h.database.db
      .update(qaCoaching)
      .set({ dueAt: new Date(Date.now() - 26 * 3_600_000) })
      .where(eq(qaCoaching.reviewId, lateReview));
    const [lateCoaching] = await h.database.db.select().from(qaCoaching).where(eq(qaCoaching.reviewId, lateReview));
    const [onTime] = await h.database.db.select().from(qaCoaching).where(eq(qaCoaching.reviewId, disputed));

    for (const lang of ['en', 'zh'] as const) {
      const d = await open(desk, lang, '/');
      await signIn(d.page, supervisor.username);
      await d.page.goto(`${desk.base}/qa/overview`);
      await d.page.waitForSelector(`tr[data-dispute="${disputed}"]`);
      // The overdue coaching is flagged and counted; the other shows the time left.
      await d.page.waitForSelector(`tr[data-coaching="${lateCoaching!.id}"].overdue .qa-clock.overdue`);
      expect(await d.page.textContent(`tr[data-coaching="${lateCoaching!.id}"] .qa-flag`)).toBe(
        lang === 'en' ? 'Overdue' : '已超时',
      );
      expect(await d.page.textContent(`tr[data-coaching="${onTime!.id}"] .qa-clock`)).toMatch(
        lang === 'en' ? /left$/ : /剩余/,
      );
      expect(await d.page.textContent('[data-tile="coaching-overdue"] strong')).toBe('1');
      await d.page.click(`tr[data-dispute="${disputed}"] [data-action=open-decision]`);
      await d.page.waitForSelector('form.qa-decision >> text=客户情绪激动');
      await shotIfAsked(d.page, `qa-overview-${lang}`);
      expect(d.errors).toEqual([]);
      if (lang === 'en') {
        await d.context.close();
        continue;
      }

      // Partly upheld with an adjusted score at or below the original is refused, then accepted above it.
      await d.page.check('form.qa-decision input[value=partly]');
      await d.page.fill('form.qa-decision input[name=adjustedScore]', '60');
      await d.page.fill('form.qa-decision textarea[name=decisionComment]', '安抚到位，排查仍不完整');
      await d.page.click('form.qa-decision button[type=submit]');
      await d.page.waitForSelector('form.qa-decision p.error[data-code="qa.adjusted_score_invalid"]');
      await d.page.fill('form.qa-decision input[name=adjustedScore]', '75');
      await d.page.click('form.qa-decision button[type=submit]');
      await d.page.waitForSelector(`tr[data-dispute="${disputed}"]`, { state: 'detached' });

      await d.page.click(`tr[data-coaching="${onTime!.id}"] [data-action=open-coaching]`);
      await d.page.fill('form.qa-coaching-form textarea[name=coachingNote]', '复盘录音，练习先致歉再排查的话术');
      await d.page.click('form.qa-coaching-form button[type=submit]');
      await d.page.waitForSelector(`tr[data-coaching="${onTime!.id}"] >> text=已辅导，待坐席确认`);
      expect(d.errors).toEqual([]);
      await d.context.close();
    }

    const [decided] = await h.database.db.select().from(qaReviews).where(eq(qaReviews.id, disputed));
    expect(decided).toMatchObject({ status: 'decided', decision: 'partly', score: 66.5, finalScore: 75 });
    const [coached] = await h.database.db.select().from(qaCoaching).where(eq(qaCoaching.id, onTime!.id));
    expect(coached).toMatchObject({ status: 'coached', note: '复盘录音，练习先致歉再排查的话术' });
  }, 90_000);
});
