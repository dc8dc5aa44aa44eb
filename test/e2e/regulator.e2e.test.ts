import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regulatorEvidencePacks, regulatorReferrals, tickets } from '../../src/db/schema.js';
import { open, screenshotsOut, shotIfAsked, signIn, startDesk, type Desk, navTo } from './browser.js';

// An agent files a regulator referral in the desk and generates its evidence pack. With
// SCREENSHOTS_OUT=docs/screenshots it saves the list, the form and the case in both languages.

describe('regulator referrals in a browser', () => {
  let desk: Desk;
  let team: string;

  beforeAll(async () => {
    desk = await startDesk();
    team = await desk.h.buildTeam({ code: 'frontline', kind: 'frontline', name: '一线客服组' });
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  async function fileReferral(page: Awaited<ReturnType<typeof open>>['page'], number: string, en: boolean) {
    await navTo(page, `a:has-text("${en ? 'Regulator cases' : '监管申诉'}")`);
    await page.click(`a:has-text("${en ? 'File a referral' : '登记转办申诉'}")`);
    await page.waitForSelector('form.referral-form select[name=sourceCode] option', { state: 'attached' });
    await page.selectOption('select[name=sourceCode]', 'ca-12300');
    await page.fill('input[name=referralNumber]', number);
    await page.selectOption('select[name=category]', 'fee_dispute');
    await page.fill('input[name=receivedOn]', '2026-11-20');
    await page.fill('input[name=deadline]', '2026-11-30');
    await page.fill('input[name=matterOn]', '2026-10-05');
    await page.fill('input[name=appellantName]', '周晓明');
    await page.fill('input[name=appellantPhone]', `1355${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`);
    await page.fill('input[name=respondentUnit]', '广州分公司天河营业部');
    await page.fill('textarea[name=claim]', '要求退还十月多扣的流量费 58 元并书面道歉。');
    await page.fill('textarea[name=facts]', '用户称十月账单出现未订购的流量包，营业厅未予处理，遂向通管局申诉。');
  }

  it('lets an agent file a referral and generate its evidence pack', async () => {
    const { h } = desk;
    const agent = await h.buildStaff('agent', team);

    if (screenshotsOut) {
      const en = await open(desk, 'en', '/');
      await signIn(en.page, agent.username);
      await fileReferral(en.page, 'YUE-2026-EN-0001', true);
      await shotIfAsked(en.page, 'regulator-form-en');
      await en.page.click('button:has-text("File and open ticket")');
      await en.page.waitForSelector('text=Eligibility hints');
      await en.page.click('button[name=generatePack]');
      await en.page.waitForSelector('[data-pack]');
      await shotIfAsked(en.page, 'regulator-case-en');
      await navTo(en.page, 'a:has-text("Regulator cases")');
      await en.page.waitForSelector('[data-referral]');
      await shotIfAsked(en.page, 'regulator-list-en');
      await en.context.close();
    }

    const d = await open(desk, 'zh', '/');
    await signIn(d.page, agent.username);
    await fileReferral(d.page, 'YUE-2026-0001', false);
    await shotIfAsked(d.page, 'regulator-form-zh');
    await d.page.click('button:has-text("登记并生成工单")');
    await d.page.waitForSelector('text=受理条件提示');
    // The customer never complained to us first: a hint, not a block.
    await d.page.waitForSelector('text=用户未先向企业投诉');
    await d.page.click('button[name=generatePack]');
    await d.page.waitForSelector('[data-pack]');
    await d.page.waitForSelector('text=已脱敏');
    await shotIfAsked(d.page, 'regulator-case-zh');
    const href = await d.page.getAttribute('[data-pack] a', 'href');
    const zip = await d.page.evaluate(async (url) => {
      const res = await fetch(url!);
      return { status: res.status, type: res.headers.get('content-type'), size: (await res.arrayBuffer()).byteLength };
    }, href);
    expect(zip).toMatchObject({ status: 200, type: 'application/zip' });
    expect(zip.size).toBeGreaterThan(1000);
    await navTo(d.page, 'a:has-text("监管申诉")');
    await d.page.waitForSelector('[data-referral]');
    await shotIfAsked(d.page, 'regulator-list-zh');
    expect(d.errors).toEqual([]);
    await d.context.close();

    const [referral] = await h.database.db
      .select()
      .from(regulatorReferrals)
      .where(eq(regulatorReferrals.referralNumber, 'YUE-2026-0001'));
    expect(referral).toMatchObject({ sourceCode: 'ca-12300', category: 'fee_dispute', deadline: '2026-11-30' });
    const [ticket] = await h.database.db.select().from(tickets).where(eq(tickets.id, referral!.ticketId));
    expect(ticket).toMatchObject({ channel: 'regulator', grade: 'urgent', firstContactOwnerId: agent.id });
    const packs = await h.database.db
      .select()
      .from(regulatorEvidencePacks)
      .where(eq(regulatorEvidencePacks.referralId, referral!.id));
    expect(packs).toHaveLength(1);
    expect(packs[0]).toMatchObject({ masked: true, generatedById: agent.id });
  }, 120_000);
});
