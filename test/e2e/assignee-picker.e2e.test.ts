import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staff } from '../../src/db/schema.js';
import { open, signIn, startDesk, type Desk } from './browser.js';

// A supervisor assigns a ticket from its page. A VIP complaint needs a certified complaint
// specialist (core/routing/assignment.ts): the picker lets them choose only people the server
// takes, and shows the others greyed out with the certification they lack, in either language.

const SHOTS = process.env.GAPS_SHOTS ?? '/work/coord/shots';

describe('the supervisor’s assignee picker on the ticket page', () => {
  let desk: Desk;
  let frontline: string;

  beforeAll(async () => {
    desk = await startDesk();
    frontline = await desk.h.buildTeam({ code: 'frontline', kind: 'frontline', name: '一线客服组' });
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('offers a VIP complaint only to certified people and shows the others disabled with the certification they lack', async () => {
    const { h } = desk;
    const named = async (role: 'agent' | 'supervisor', displayName: string) => {
      const p = await h.buildStaff(role, frontline);
      await h.database.db.update(staff).set({ displayName }).where(eq(staff.id, p.id));
      return p;
    };
    const supervisor = await named('supervisor', '赵主管');
    const plain = await named('agent', '王晓明');
    const specialist = await named('agent', '李静');
    const lead = await h.login(supervisor);
    const certify = await h.request(lead, {
      method: 'PUT',
      url: `/api/v1/agents/${specialist.id}/certifications`,
      payload: { items: [{ code: 'complaint_specialist', expiresAt: null }] },
    });
    expect(certify.statusCode, certify.body).toBe(204);
    const owner = await named('agent', '周一线');
    const customerId = await h.buildCustomer({ name: '钱女士', tier: 'vip' });

    for (const lang of ['zh', 'en'] as const) {
      const ticketId = await h.buildTicket(owner, {
        customerId,
        type: 'complaint',
        subject: lang === 'zh' ? '营业厅服务态度差' : 'Rude staff at the shop',
        description: '营业员态度很差，要求道歉',
      });
      const s = await open(desk, lang, `/tickets/${ticketId}`);
      await signIn(s.page, supervisor.username);
      await s.page.click('[data-action=assign]');
      const form = s.page.locator('form.assign-ticket');
      await form.locator(`[data-assignee="${specialist.id}"]`).waitFor();

      // What the ticket needs, named in the reader's language.
      expect(await form.locator('.needs').textContent()).toContain(
        lang === 'zh' ? '投诉处理专员' : 'Complaint specialist',
      );
      // The certified agent can be chosen; the other is shown, cannot be chosen, and says why.
      expect(await form.locator(`input[value="${specialist.id}"]`).isDisabled()).toBe(false);
      const other = form.locator(`[data-assignee="${plain.id}"]`);
      expect(await other.getAttribute('data-eligible')).toBe('false');
      expect(await other.locator('input').isDisabled()).toBe(true);
      expect(await other.locator('.why').textContent()).toBe(
        lang === 'zh' ? '缺少认证：投诉处理专员' : 'Lacks certification: Complaint specialist',
      );
      // The certified come first.
      const order = await form.locator('[data-assignee]').evaluateAll((els) => els.map((e) => e.dataset.eligible));
      expect(order.indexOf('false')).toBeGreaterThan(order.lastIndexOf('true'));
      await s.page.screenshot({ path: `${SHOTS}/gaps-assignee-picker-${lang}.png`, fullPage: true });

      await form.locator(`input[value="${specialist.id}"]`).check();
      await form.locator('button[type=submit]').click();
      await s.page.waitForSelector('form.assign-ticket', { state: 'detached' });
      expect(await s.page.textContent('.ticket-header .people')).toContain('李静');
      expect(s.errors).toEqual([]);
      await s.context.close();
    }
  }, 180_000);

  it('greys out, in the board’s reassign list, the people a VIP complaint cannot go to, with the certification they lack', async () => {
    const { h } = desk;
    const team = await h.buildTeam({ code: 'board-team', kind: 'frontline', name: '二组' });
    const supervisor = await h.buildStaff('supervisor', team);
    const plain = await h.buildStaff('agent', team);
    const specialist = await h.buildStaff('agent', team);
    const lead = await h.login(supervisor);
    await h.request(lead, {
      method: 'PUT',
      url: `/api/v1/agents/${specialist.id}/certifications`,
      payload: { items: [{ code: 'complaint_specialist', expiresAt: null }] },
    });
    const customerId = await h.buildCustomer({ tier: 'vip' });
    const ticketId = await h.buildTicket(specialist, {
      customerId,
      type: 'complaint',
      subject: '看板改派',
      assignToMe: true,
    });

    for (const lang of ['zh', 'en'] as const) {
      const s = await open(desk, lang, '/board');
      await signIn(s.page, supervisor.username);
      await s.page.click(`.agents button.name[data-id="${specialist.id}"]`);
      const row = s.page.locator(`tr[data-ticket="${ticketId}"]`);
      const blocked = row.locator(`select option[value="${plain.id}"]`);
      await row.locator('select option[data-eligible=false]').first().waitFor({ state: 'attached' });
      expect(await blocked.isDisabled()).toBe(true);
      expect(await blocked.textContent()).toContain(
        lang === 'zh' ? '缺少认证：投诉处理专员' : 'Lacks certification: Complaint specialist',
      );
      expect(await row.locator(`select option[value="${specialist.id}"]`).isDisabled()).toBe(false);
      expect(s.errors).toEqual([]);
      await s.context.close();
    }
  }, 120_000);
});
