import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { DEFAULT_RETENTION_SETTINGS } from '../../src/core/privacy/retention.js';
import { diskStorage } from '../../src/storage/attachment-storage.js';
import { applyRetention } from '../../src/usecases/privacy/apply-retention.js';
import { remindEndedHolds } from '../../src/usecases/privacy/remind-ended-holds.js';
import { open, PHONE, shotIfAsked, signIn, startDesk, type Desk, navTo } from './browser.js';

// Erasure and consent in headless Chromium: one supervisor previews a deletion on the privacy
// desk, a second approves it and the customer's data is erased; the desk shows the last retention
// run; a customer switches off surveys in the portal.

describe('erasure and consent in a browser', () => {
  let desk: Desk;

  beforeAll(async () => {
    desk = await startDesk();
    await desk.h.buildTeam({ code: 'frontline', kind: 'frontline', name: '一线客服组' });
    const deps = { ...desk.h.deps, storage: diskStorage(desk.h.config.attachmentDir) };
    while ((await applyRetention(deps, DEFAULT_RETENTION_SETTINGS)).busy);
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  for (const lang of ['zh', 'en'] as const) {
    it(`erases a customer's data after a preview and a second person's approval (${lang})`, async () => {
      const { h } = desk;
      const zh = lang === 'zh';
      const agent = await h.login(await h.buildStaff('agent'));
      const customerId = await h.buildCustomer({ name: zh ? '删除测试' : 'Erase Test' });
      const ticketId = await h.buildTicket(agent.actor, { customerId, description: '住址 幸福路1号 宽带断线' });
      const filed = await h.request(agent, {
        method: 'POST',
        url: '/api/v1/privacy/requests',
        payload: { customerId, kind: 'deletion', identityCheck: 'id_document' },
      });
      expect(filed.statusCode, filed.body).toBe(201);
      const id = filed.json().id as string;

      const first = await open(desk, lang, '/privacy');
      await signIn(first.page, (await h.buildStaff('supervisor')).username);
      await navTo(first.page, `a[href="/privacy"]`);
      await first.page.waitForSelector('.retention-runs li[data-run]');
      await shotIfAsked(first.page, `privacy-desk-retention-${lang}`);
      await first.page.click(`tr[data-request="${id}"] a`);
      await first.page.click(`button:has-text("${zh ? '预览删除范围' : 'Preview the deletion'}")`);
      await first.page.waitForSelector('table.preview tr[data-table=tickets]');
      await first.page.waitForSelector('dd[data-status=awaiting_approval]');
      // The one who previewed is not offered the approval.
      expect(
        await first.page.locator(`button:has-text("${zh ? '复核批准并删除' : 'Approve and erase'}")`).count(),
      ).toBe(0);
      await shotIfAsked(first.page, `privacy-desk-deletion-preview-${lang}`);
      expect(first.errors).toEqual([]);
      await first.context.close();

      const second = await open(desk, lang, `/privacy/${id}`);
      await signIn(second.page, (await h.buildStaff('supervisor')).username);
      await second.page.goto(`${desk.base}/privacy/${id}`);
      second.page.once('dialog', (d) => void d.accept());
      await second.page.click(`button:has-text("${zh ? '复核批准并删除' : 'Approve and erase'}")`);
      await second.page.waitForSelector('dd[data-status=completed]');
      await shotIfAsked(second.page, `privacy-desk-deletion-done-${lang}`);
      expect(second.errors).toEqual([]);
      await second.context.close();
      const [t] = await queryRows<{ description: string }>(
        h.database.db,
        sql`SELECT description FROM tickets WHERE id = ${ticketId}`,
      );
      expect(t!.description).toBe('[erased]');
    }, 90_000);
  }

  for (const lang of ['zh', 'en'] as const) {
    it(`brings a held deletion back to the supervisor who previewed it when its hold ends (${lang})`, async () => {
      const { h } = desk;
      const agent = await h.login(await h.buildStaff('agent'));
      const [previewer, approver] = [await h.buildStaff('supervisor'), await h.buildStaff('supervisor')];
      const customerId = await h.buildCustomer({ name: lang === 'zh' ? '暂缓测试' : 'Hold Test' });
      const [billing] = await queryRows<{ id: string }>(
        h.database.db,
        sql`SELECT id FROM categories WHERE code = 'complaint-billing'`,
      );
      await h.buildTicket(agent.actor, { customerId, type: 'complaint', categoryId: billing!.id, subject: '话费多扣' });
      const filed = await h.request(agent, {
        method: 'POST',
        url: '/api/v1/privacy/requests',
        payload: { customerId, kind: 'deletion', identityCheck: 'id_document' },
      });
      const id = filed.json().id as string;
      await h.request(await h.login(previewer), { method: 'POST', url: `/api/v1/privacy/requests/${id}/preview` });
      const approved = await h.request(await h.login(approver), {
        method: 'POST',
        url: `/api/v1/privacy/requests/${id}/approve`,
      });
      expect(approved.json()).toMatchObject({ status: 'on_hold' });
      // The dispute's hold ran out a minute ago; the job tells the two who handled it.
      await h.database.db.execute(
        sql`UPDATE privacy_requests SET hold_until = now() - interval '1 minute' WHERE id = ${id}`,
      );
      expect((await remindEndedHolds(h.deps)).reminded).toBe(1);

      const c = await open(desk, lang, '/inbox');
      await signIn(c.page, previewer.username);
      await c.page.click('a.inbox-link');
      const row = c.page.locator('tr[data-kind="privacy.hold_ended"]');
      await row.waitFor();
      expect(await row.textContent()).toContain(lang === 'zh' ? '计费争议处理中' : 'Billing dispute under review');
      await shotIfAsked(c.page, `privacy-hold-ended-inbox-${lang}`);
      await row.locator('a').click();
      await c.page.waitForURL(`**/privacy/${id}`);
      await c.page.waitForSelector('dd[data-status=on_hold]');
      await c.page.waitForSelector(`button:has-text("${lang === 'zh' ? '预览删除范围' : 'Preview the deletion'}")`);
      expect(c.errors).toEqual([]);
      await c.context.close();
    }, 90_000);
  }

  it('lets a signed-in customer switch off surveys in the portal', async () => {
    const { h } = desk;
    const phone = '13766663333';
    const customerId = await h.buildCustomer({ numbers: [phone] });
    const c = await open(desk, 'zh', '/portal/', { viewport: PHONE });
    await c.page.fill('input[name=phone]', phone);
    await c.page.click('button:has-text("获取验证码")');
    await c.page.waitForSelector('text=验证码已发送');
    const [sms] = await queryRows<{ text: string }>(
      h.database.db,
      sql`SELECT payload->>'text' AS text FROM outbox WHERE recipient = ${phone} ORDER BY created_at DESC LIMIT 1`,
    );
    await c.page.fill('input[name=code]', /(\d{6})/.exec(sms!.text)![1]!);
    await c.page.click('button[type=submit]');
    await c.page.click('button:has-text("我的个人信息")');
    const surveys = c.page.locator('input[name=consent-surveys]');
    await surveys.waitFor();
    expect(await surveys.isChecked()).toBe(true);
    await surveys.uncheck();
    await c.page.waitForSelector('input[name=consent-surveys]:not(:checked):not(:disabled)');
    await shotIfAsked(c.page, 'privacy-portal-consents-zh');
    const [latest] = await queryRows<{ granted: boolean; channel: string }>(
      h.database.db,
      sql`SELECT granted, channel FROM consents WHERE customer_id = ${customerId} ORDER BY created_at DESC LIMIT 1`,
    );
    expect(latest).toEqual({ granted: false, channel: 'portal' });
    expect(c.errors).toEqual([]);
    await c.context.close();
  }, 90_000);
});
