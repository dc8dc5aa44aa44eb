import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { diskStorage } from '../../src/storage/attachment-storage.js';
import { buildNextPrivacyExport } from '../../src/usecases/privacy/build-privacy-export.js';
import { readZip } from '../helpers/zip.js';
import { open, PHONE, shotIfAsked, signIn, startDesk, type Desk, navTo } from './browser.js';

// Personal-data rights in headless Chromium: a customer asks for a copy of their data in the
// portal and downloads it; the privacy desk sees the request in its queue.

describe('personal-data requests in a browser', () => {
  let desk: Desk;

  beforeAll(async () => {
    desk = await startDesk();
    await desk.h.buildTeam({ code: 'frontline', kind: 'frontline', name: '一线客服组' });
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  const buildExports = async () => {
    const deps = { ...desk.h.deps, storage: diskStorage(desk.h.config.attachmentDir) };
    while (await buildNextPrivacyExport(deps));
  };

  for (const [lang, phone] of [
    ['zh', '13766661111'],
    ['en', '13766662222'],
  ] as const) {
    it(`lets a customer ask for a copy of their data in the portal and download it (${lang})`, async () => {
      const { h } = desk;
      const zh = lang === 'zh';
      const c = await open(desk, lang, '/portal/', { viewport: PHONE });
      await c.page.fill('input[name=phone]', phone);
      await c.page.click(`button:has-text("${zh ? '获取验证码' : 'Send code'}")`);
      await c.page.waitForSelector(zh ? 'text=验证码已发送' : 'text=Code sent');
      const [sms] = await queryRows<{ text: string }>(
        h.database.db,
        sql`SELECT payload->>'text' AS text FROM outbox WHERE recipient = ${phone} ORDER BY created_at DESC LIMIT 1`,
      );
      await c.page.fill('input[name=code]', /(\d{6})/.exec(sms!.text)![1]!);
      await c.page.click('button[type=submit]');
      await c.page.fill('textarea[name=description]', zh ? '家里宽带晚上经常断线。' : 'Broadband drops every evening.');
      await c.page.click(`button:has-text("${zh ? '提交' : 'Submit'}")`);
      await c.page.waitForSelector('p.ok[role=status]');

      await c.page.click(`button:has-text("${zh ? '我的个人信息' : 'My personal data'}")`);
      await c.page.click(`button:has-text("${zh ? '申请个人信息副本' : 'Request a copy of my data'}")`);
      await c.page.waitForSelector('li[data-status=open] progress');
      await shotIfAsked(c.page, `privacy-portal-queued-${lang}`);

      await buildExports();
      const link = await c.page.waitForSelector(`a:has-text("${zh ? '下载副本' : 'Download copy'}")`, {
        timeout: 10_000,
      });
      await shotIfAsked(c.page, `privacy-portal-ready-${lang}`);
      const [download] = await Promise.all([c.page.waitForEvent('download'), link.click()]);
      const zip = readZip(readFileSync(await download.path()));
      const data = JSON.parse(zip.get('customer-data.json')!.toString('utf8'));
      expect(data.numbers[0].msisdn).toBe(phone);
      expect(data.tickets[0].description).toContain(zh ? '宽带晚上经常断线' : 'Broadband drops every evening');
      const [logged] = await queryRows<{ n: number }>(
        h.database.db,
        sql`SELECT count(*)::int AS n FROM pii_access_log l JOIN customer_numbers n ON n.customer_id = l.customer_id
            WHERE n.msisdn = ${phone} AND l.field = 'export' AND l.by_customer`,
      );
      expect(logged!.n).toBe(1);
      expect(c.errors).toEqual([]);
      await c.context.close();

      // The privacy desk's queue and the request (a deletion asked for by the same customer).
      const customer = await queryRows<{ customer_id: string }>(
        h.database.db,
        sql`SELECT customer_id FROM customer_numbers WHERE msisdn = ${phone}`,
      );
      const agent = await h.login(await h.buildStaff('agent'));
      const recorded = await h.request(agent, {
        method: 'POST',
        url: '/api/v1/privacy/requests',
        payload: {
          customerId: customer[0]!.customer_id,
          kind: 'correction',
          identityCheck: 'id_document',
          details: zh ? '地址应为 广州市天河区体育西路1号' : 'My address is 1 Tiyu West Road, Tianhe',
        },
      });
      expect(recorded.statusCode, recorded.body).toBe(201);
      const officer = await h.buildStaff('supervisor');
      const d = await open(desk, lang, '/privacy');
      await signIn(d.page, officer.username);
      await navTo(d.page, `a[href="/privacy"]`);
      await d.page.waitForSelector(`tr[data-request="${recorded.json().id}"]`);
      await shotIfAsked(d.page, `privacy-desk-queue-${lang}`);
      await d.page.click(`tr[data-request="${recorded.json().id}"] a`);
      await d.page.fill('textarea[name=answer]', zh ? '已更正地址' : 'Address corrected');
      await shotIfAsked(d.page, `privacy-desk-request-${lang}`);
      await d.page.click(`button:has-text("${zh ? '办结' : 'Complete'}")`);
      await d.page.waitForSelector('dd[data-status=completed]');
      expect(d.errors).toEqual([]);
      await d.context.close();
    }, 90_000);
  }
});
