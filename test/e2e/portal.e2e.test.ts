import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { open, startDesk, type Desk } from './browser.js';

// The customer portal in headless Chromium against a real server (embedded PostgreSQL, web/dist).

describe('the customer portal in a browser', () => {
  let desk: Desk;
  let frontline: string;

  beforeAll(async () => {
    desk = await startDesk();
    frontline = await desk.h.buildTeam({ code: 'frontline', kind: 'frontline', name: '一线客服组' });
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('lets a customer submit a complaint in the portal and follow it to resolution', async () => {
    const { h } = desk;
    const agent = await h.buildStaff('agent', frontline);
    const phone = '13655558888';
    const c = await open(desk, 'zh', '/portal/');
    await c.page.fill('input[name=phone]', phone);
    await c.page.click('button:has-text("获取验证码")');
    await c.page.waitForSelector('text=验证码已发送');
    const [sms] = await queryRows<{ text: string }>(
      h.database.db,
      sql`SELECT payload->>'text' AS text FROM outbox WHERE recipient = ${phone} ORDER BY created_at DESC LIMIT 1`,
    );
    await c.page.fill('input[name=code]', /(\d{6})/.exec(sms!.text)![1]!);
    await c.page.click('button[type=submit]');

    await c.page.selectOption('select[name=type]', 'complaint');
    await c.page.fill('textarea[name=description]', '手机每月被扣10元增值业务费，我从未订购过。');
    await c.page.click('button:has-text("提交")');
    const status = await c.page.waitForSelector('p.ok[role=status]');
    const number = /TS\d+/.exec((await status.textContent()) ?? '')![0];

    // The service centre handles it.
    const [row] = await queryRows<{ id: string }>(h.database.db, sql`SELECT id FROM tickets WHERE number = ${number}`);
    const session = await h.login({ ...agent });
    for (const step of [
      { url: `/api/v1/tickets/${row!.id}/assignment`, payload: { assigneeId: agent.id } },
      { url: `/api/v1/tickets/${row!.id}/messages`, payload: { visibility: 'public', body: '已为您退订并退还费用。' } },
      { url: `/api/v1/tickets/${row!.id}/transitions`, payload: { action: 'resolve' } },
    ]) {
      const res = await h.request(session, { method: 'POST', ...step });
      expect(res.statusCode, res.body).toBeLessThan(300);
    }

    await c.page.reload();
    await c.page.click(`button:has-text("${number}")`);
    await c.page.waitForSelector('text=已为您退订并退还费用。');
    await c.page.click('button:has-text("已解决，确认")');
    await c.page.waitForSelector('h1 .status-closed');
    expect(c.errors).toEqual([]);
    await c.context.close();
  }, 60_000);
});
