import { eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemsOf, type ScorecardDefinition } from '../../src/core/quality/scorecard.js';
import { qaScorecards, tickets, trainingCourses } from '../../src/db/schema.js';
import { scoreCalibration } from '../../src/usecases/quality/calibration.js';
import { open, shotIfAsked, signIn, startDesk, type Desk } from './browser.js';

// The admin console's QA sections: an administrator publishes the next scorecard version from a
// draft (the published one stays as it was), and runs a calibration session whose spread per item
// marks where two inspectors disagree. SCREENSHOTS_OUT=docs/screenshots saves both in zh and en.

const allFull = (def: ScorecardDefinition, overrides: Record<string, number> = {}) =>
  itemsOf(def).map((i) => ({ itemId: i.id, points: overrides[i.id] ?? (i.kind === 'bonus' ? 0 : i.maxPoints) }));

describe('QA scorecards and calibration in the admin console', () => {
  let desk: Desk;

  beforeAll(async () => {
    desk = await startDesk();
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('publishes a draft as the next version and leaves the published one unchanged', async () => {
    const { h } = desk;
    const admin = await h.buildStaff('admin', null);
    const [v1] = await h.database.db.select().from(qaScorecards).where(eq(qaScorecards.version, 1));

    for (const lang of ['en', 'zh'] as const) {
      const d = await open(desk, lang, '/');
      await signIn(d.page, admin.username);
      await d.page.goto(`${desk.base}/admin/scorecards`);
      await d.page.waitForSelector('tr[data-version="1"]');
      await d.page.waitForSelector('.scorecard-items tr[data-item="identity_check"]');
      await shotIfAsked(d.page, `admin-scorecards-${lang}`);
      expect(d.errors).toEqual([]);
      await d.context.close();
    }

    const a = await open(desk, 'zh', '/');
    await signIn(a.page, admin.username);
    await a.page.goto(`${desk.base}/admin/scorecards`);
    await a.page.click('[data-action=new-draft]');
    await a.page.waitForSelector('form.scorecard-editor');
    const logic = a.page.locator('[data-item-row="logic"]');
    await logic.locator('input[name=item-weight]').fill('35');
    // A critical item without a threshold cannot be published: the editor says so and holds the button.
    const tariff = a.page.locator('[data-item-row="tariff_statement"]');
    await tariff.locator('input[name=item-threshold]').fill('');
    await a.page.waitForSelector('.sc-problems >> text=tariff_statement');
    expect(await a.page.isDisabled('[data-action=publish]')).toBe(true);
    await tariff.locator('input[name=item-threshold]').fill('100');
    await a.page.click('.sc-section[data-section="handling"] [data-action=add-item]');
    const added = a.page.locator('.sc-section[data-section="handling"] .sc-item').last();
    await added.locator('input[name=item-id]').fill('empathy');
    await added.locator('input[name=item-zh]').fill('共情表达');
    await added.locator('input[name=item-en]').fill('Empathy');
    await added.locator('select[name=item-kind]').selectOption('bonus');
    await added.locator('input[name=item-bonus]').fill('3');
    await shotIfAsked(a.page, 'admin-scorecard-draft-zh');
    await a.page.click('[data-action=publish]');
    await a.page.waitForSelector('tr[data-version="2"] >> text=使用中');
    expect(a.errors).toEqual([]);
    await a.context.close();

    const rows = await h.database.db.select().from(qaScorecards).orderBy(qaScorecards.version);
    expect(rows.map((r) => [r.version, r.status])).toEqual([
      [1, 'published'],
      [2, 'published'],
    ]);
    expect(rows[0]!.definition).toEqual(v1!.definition);
    const v2 = itemsOf(rows[1]!.definition);
    expect(v2.find((i) => i.id === 'logic')?.weight).toBe(35);
    expect(v2.find((i) => i.id === 'empathy')).toMatchObject({ kind: 'bonus', bonusPoints: 3 });
  }, 90_000);

  it('sets which course repeated failed reviews assign, and how many within how many days', async () => {
    const { h } = desk;
    const admin = await h.buildStaff('admin', null);
    const a = await open(desk, 'en', '/');
    await signIn(a.page, admin.username);
    await h.database.db
      .insert(trainingCourses)
      .values({ id: uuidv7(), code: 'service-refresher', title: '服务规范复训' });
    await a.page.goto(`${desk.base}/admin/scorecards`);
    const form = a.page.locator('form.remedial-form');
    await form.locator('select[name=courseCode] option[value="service-refresher"]').waitFor({ state: 'attached' });
    await form.locator('input[name=failures]').fill('3');
    await form.locator('input[name=windowDays]').fill('45');
    await form.locator('select[name=courseCode]').selectOption('service-refresher');
    await form.locator('[data-action=save-remedial]').click();
    await form.locator('.ok').waitFor();
    const saved = await a.page.evaluate(async () => (await fetch('/api/v1/qa/settings/remedial-training')).json());
    expect(saved).toEqual({ failures: 3, windowDays: 45, courseCode: 'service-refresher' });
    expect(a.errors).toEqual([]);
    await a.context.close();
  });

  it('shows two inspectors’ calibration scores with the spread per item and marks the wide one', async () => {
    const { h } = desk;
    const admin = await h.buildStaff('admin', null);
    const team = await h.buildTeam();
    const agent = await h.buildStaff('agent', team);
    const first = await h.buildStaff('qa', await h.buildTeam());
    const second = await h.buildStaff('qa', await h.buildTeam());
    const ticketId = await h.buildTicket(agent, { assignToMe: true });
    const [{ number } = { number: '' }] = await h.database.db
      .select({ number: tickets.number })
      .from(tickets)
      .where(eq(tickets.id, ticketId));
    const a = await open(desk, 'zh', '/');
    await signIn(a.page, admin.username);
    await a.page.goto(`${desk.base}/admin/calibrations`);
    await a.page.fill('form.new-calibration input[name=ticketNumber]', number);
    await a.page.fill('form.new-calibration input[name=title]', '11月第4周校准');
    await a.page.click('form.new-calibration button[type=submit]');
    await a.page.waitForSelector('tr[data-calibration="11月第4周校准"]');
    await a.page.waitForSelector('.calibration >> text=还没有质检员评分');

    const session = (await a.page.evaluate(async () => (await fetch('/api/v1/qa/calibrations')).json())) as {
      items: { id: string; title: string; scorecard: { definition: ScorecardDefinition } }[];
    };
    const s = session.items.find((x) => x.title === '11月第4周校准')!;
    const def = s.scorecard.definition;
    await scoreCalibration(h.deps, first, s.id, { items: allFull(def, { attitude: 9, logic: 8 }), comment: '' });
    await scoreCalibration(h.deps, second, s.id, { items: allFull(def, { attitude: 6, logic: 8 }), comment: '' });
    await a.context.close();

    for (const lang of ['en', 'zh'] as const) {
      const d = await open(desk, lang, '/');
      await signIn(d.page, admin.username);
      await d.page.goto(`${desk.base}/admin/calibrations`);
      await d.page.click('tr[data-calibration="11月第4周校准"] button');
      await d.page.waitForSelector('table.spread tr[data-spread="attitude"]');
      // attitude: 90 and 60 → range 30, a disagreement; logic: 80 and 80 → range 0.
      expect(await d.page.textContent('tr[data-spread="attitude"] td.range')).toBe('30');
      expect(await d.page.getAttribute('tr[data-spread="attitude"]', 'class')).toBe('wide');
      expect(await d.page.textContent('tr[data-spread="logic"] td.range')).toBe('0');
      expect(await d.page.getAttribute('tr[data-spread="logic"]', 'class')).toBeNull();
      await shotIfAsked(d.page, `admin-calibration-${lang}`);
      expect(d.errors).toEqual([]);
      await d.context.close();
    }

    // A third inspector calibrates from the inspector workspace: blind until they have scored.
    const third = await h.buildStaff('qa', await h.buildTeam());
    const q = await open(desk, 'zh', '/');
    await signIn(q.page, third.username);
    await q.page.goto(`${desk.base}/qa/samples`);
    await q.page.click('[data-view=calibration]');
    await q.page.click('tr[data-calibration="11月第4周校准"] button');
    await q.page.waitForSelector('.calibration >> text=还没有质检员评分');
    await q.page.fill('.calibration [data-item="attitude"] input[type=number]', '7');
    await q.page.click('.calibration button:has-text("提交校准评分")');
    await q.page.waitForSelector('table.spread tr[data-spread="attitude"]');
    // attitude: 90, 60 and 70 → range 30, mean 73.3.
    expect(await q.page.textContent('tr[data-spread="attitude"] td.range')).toBe('30');
    expect(await q.page.locator('table.spread thead th').count()).toBe(1 + 3 + 4);
    await shotIfAsked(q.page, 'qa-calibration-inspector-zh');
    expect(q.errors).toEqual([]);
    await q.context.close();
  }, 60_000);
});
