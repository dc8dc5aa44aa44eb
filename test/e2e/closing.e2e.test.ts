import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/auth/policy.js';
import { addMessage } from '../../src/usecases/tickets/add-message.js';
import { transitionTicket } from '../../src/usecases/tickets/transition-ticket.js';
import { open, signIn, startDesk, type Desk } from './browser.js';

// Closing the loop on the ticket page: the agent records what the customer said on the phone; only
// a supervisor closes a resolved ticket before the customer answered, and only with a reason.

describe('closing a resolved ticket', () => {
  let desk: Desk;
  let team: string;

  beforeAll(async () => {
    desk = await startDesk();
    team = await desk.h.buildTeam({ code: 'frontline', kind: 'frontline', name: '一线客服组' });
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  async function resolved(agent: Actor): Promise<string> {
    const { h } = desk;
    const id = await h.buildTicket(agent, { assignToMe: true, subject: '宽带频繁掉线' });
    await transitionTicket(h.deps, agent, id, { action: 'start' });
    await addMessage(h.deps, agent, id, { visibility: 'public', body: '已为您重置端口。', format: 'text' });
    await transitionTicket(h.deps, agent, id, { action: 'resolve' });
    return id;
  }

  it('lets the agent record the customer’s “solved” from the phone, which closes the ticket', async () => {
    const agent = await desk.h.buildStaff('agent', team);
    for (const lang of ['zh', 'en'] as const) {
      const id = await resolved(agent);
      const a = await open(desk, lang, `/tickets/${id}`);
      await signIn(a.page, agent.username);
      await a.page.waitForSelector('.waiting-confirmation');
      expect(await a.page.locator('[data-action=close]').count()).toBe(0);
      await a.page.click('[data-action=confirmation]');
      await a.page.fill('form.confirmation textarea', '客户说网速已恢复');
      await a.page.screenshot({ path: `/tmp/closing-confirm-${lang}.png`, fullPage: true });
      await a.page.click('form.confirmation button[type=submit]');
      await a.page
        .locator('.timeline', {
          hasText: lang === 'zh' ? '记录客户电话确认已解决' : "recorded the customer's confirmation on the phone",
        })
        .waitFor();
      expect(a.errors).toEqual([]);
      await a.context.close();
    }
  }, 120_000);

  it('lets a supervisor close before the customer answered only with a reason', async () => {
    const agent = await desk.h.buildStaff('agent', team);
    const supervisor = await desk.h.buildStaff('supervisor', team);
    const id = await resolved(agent);
    const a = await open(desk, 'zh', `/tickets/${id}`);
    await signIn(a.page, supervisor.username);
    await a.page.click('[data-action=close]');
    await a.page.click('form.override-close button[type=submit]');
    await a.page.waitForSelector('form.override-close .error');
    expect(await a.page.textContent('form.override-close .error')).toContain('请填写未经客户确认结单的原因');
    await a.page.fill('form.override-close textarea', '客户在营业厅当面确认');
    await a.page.click('form.override-close button[type=submit]');
    await a.page.locator('.timeline', { hasText: '未经客户确认结单' }).waitFor();
    expect(await a.page.textContent('.timeline')).toContain('客户在营业厅当面确认');
    await a.page.screenshot({ path: '/tmp/closing-override-zh.png', fullPage: true });
    expect(a.errors).toEqual([]);
    await a.context.close();
  }, 120_000);
});
