import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slaTargets, ticketMessages } from '../../src/db/schema.js';
import { open, shotIfAsked, signIn, startDesk, type Desk } from './browser.js';

// What a public reply is: the agent picks the kind in the composer (acknowledgement, handling plan,
// answer, other); the sent reply shows it, and only a handling plan meets the handling-plan clock.
// With SCREENSHOTS_OUT=docs/screenshots it saves the composer and the conversation in both languages.

describe('message kinds in the composer', () => {
  let desk: Desk;
  let team: string;

  beforeAll(async () => {
    desk = await startDesk();
    team = await desk.h.buildTeam({ code: 'frontline', kind: 'frontline', name: '一线客服组' });
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('sends an acknowledgement and then a handling plan, each shown with its kind; only the plan meets the plan clock', async () => {
    const { h } = desk;
    const agent = await h.buildStaff('agent', team);
    for (const lang of ['zh', 'en'] as const) {
      const id = await h.buildTicket(agent, { assignToMe: true, type: 'complaint', subject: '宽带频繁掉线' });
      const a = await open(desk, lang, `/tickets/${id}`);
      await signIn(a.page, agent.username);
      const composer = a.page.locator('form.composer');
      await composer.locator('select[name=kind]').waitFor();
      // An internal note has no kind: the selector is only there for a reply.
      await composer.locator('[role=tab]').nth(1).click();
      expect(await composer.locator('select[name=kind]').count()).toBe(0);
      await composer.locator('[role=tab]').nth(0).click();

      await composer.locator('select[name=kind]').selectOption('acknowledgement');
      await composer.locator('textarea[name=body]').fill('您好，已收到您的反馈，我们正在处理。');
      await composer.locator('button[type=submit]').click();
      await a.page.waitForSelector('.timeline [data-message-kind=acknowledgement]');
      // After sending, the next reply is an answer again unless the agent says otherwise.
      expect(await composer.locator('select[name=kind]').inputValue()).toBe('answer');
      const plan = await a.page.evaluate(
        `(() => { const s = document.querySelector('form.composer select[name=kind]'); const o = [...s.options].find((x) => x.value === 'handling_plan'); return o.textContent; })()`,
      );
      expect(plan).toBe(lang === 'zh' ? '处理方案' : 'Handling plan');
      await composer.locator('select[name=kind]').selectOption('handling_plan');
      await composer.locator('textarea[name=body]').fill('处理方案：今天下午 3 点前安排师傅上门更换光猫。');
      await shotIfAsked(a.page, `message-kind-composer-${lang}`);
      await composer.locator('button[type=submit]').click();
      await a.page.waitForSelector('.timeline [data-message-kind=handling_plan]');
      expect(await a.page.textContent('.timeline [data-message-kind=acknowledgement]')).toBe(
        lang === 'zh' ? '受理确认' : 'Acknowledgement',
      );
      await shotIfAsked(a.page, `message-kind-sent-${lang}`);
      expect(a.errors).toEqual([]);
      await a.context.close();

      const kinds = await h.database.db
        .select({ kind: ticketMessages.kind, createdAt: ticketMessages.createdAt })
        .from(ticketMessages)
        .where(eq(ticketMessages.ticketId, id))
        .orderBy(ticketMessages.createdAt);
      expect(kinds.map((k) => k.kind)).toEqual(['acknowledgement', 'handling_plan']);
      const [planClock] = await h.database.db
        .select({ metAt: slaTargets.metAt })
        .from(slaTargets)
        .where(and(eq(slaTargets.ticketId, id), eq(slaTargets.metric, 'handling_plan')));
      expect(planClock!.metAt).toEqual(kinds[1]!.createdAt);
    }
  }, 120_000);
});
