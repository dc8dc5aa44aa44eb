// Screenshots of each main screen of the desk in Chinese and English at 1366×768, against a
// running demo server (its demo data: supervisor / loopdesk-demo). Creates one ticket per language.
//   BASE=http://localhost:3000 OUT=docs/screenshots npx tsx test/e2e/take-screenshots.ts
import { chromium, type Page } from 'playwright-core';
import { navTo } from './browser.js';

const base = process.env.BASE ?? 'http://localhost:3000';
const out = process.env.OUT ?? 'docs/screenshots';
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
const shot = (page: Page, name: string, fullPage = false) => page.screenshot({ path: `${out}/${name}.png`, fullPage });

/**
 * The new-ticket form for a caller nobody knows (registration in place, shop channel, fault
 * fields), then that ticket's page in edit mode. Numbers differ per run so the caller is unknown.
 */
async function ticketFormShots(page: Page, lang: string) {
  const en = lang === 'en';
  const unknown = `139${String(Date.now()).slice(-8)}`;
  await navTo(page, 'a[href="/new"]');
  await page.selectOption('select[name=channel]', 'shop');
  await page.fill('input[name=phone]', unknown);
  await page.click('.caller button[type=submit]');
  await page.click('[data-action=register]');
  await page.fill('input[name=register-name]', en ? 'Li Na' : '李娜');
  await page.selectOption('select[name=register-tier]', 'gold');
  await page.check('input[name=type][value=fault]');
  await page.fill('input[name=subject]', en ? 'No broadband since this morning' : '今早起宽带无法上网');
  await page.fill(
    'textarea[name=description]',
    en ? 'The optical modem shows a red LOS light; neighbours have the same.' : '光猫LOS灯红，邻居家也一样。',
  );
  await page.fill('input[name=fault-location]', en ? 'Tianhe, Zhongshan Ave 100, block 3' : '天河区中山大道100号3栋');
  await page.fill('input[name=fault-symptom]', en ? 'LOS light red, no sync' : 'LOS灯红，无法同步');
  await page.selectOption('select[name=fault-scope]', 'building');
  await page.fill('input[name=fault-onset]', '2026-11-28T07:30');
  await page.fill('input[name=contactNumber]', unknown);
  await page.waitForTimeout(300);
  await shot(page, `new-fault-register-${lang}`, true);

  await page.click('.register-form button[type=submit]');
  await page.waitForSelector('.chosen');
  await page.selectOption('select[name=category]', { label: en ? '　Broadband down' : '　宽带断网' });
  await page.click('.details button[type=submit]');
  await page.waitForSelector('.routed');
  await page.click('[data-action=edit]');
  await page.selectOption('form.edit-ticket select[name=grade]', 'major');
  await page.fill('form.edit-ticket input[name=tags]', en ? 'broadband, building' : '宽带，整栋');
  await page.waitForTimeout(300);
  await shot(page, `ticket-edit-${lang}`, true);
  await page.click('form.edit-ticket button[type=submit]');
  await page.waitForSelector('.timeline .event-updated');
  await page.waitForTimeout(300);
  await shot(page, `ticket-edited-${lang}`, true);
}

for (const lang of ['zh', 'en']) {
  const ctx = await browser.newContext({
    viewport: { width: 1366, height: 768 },
    locale: lang === 'en' ? 'en-GB' : 'zh-CN',
  });
  await ctx.addInitScript(`localStorage.setItem('loopdesk.lang', '${lang}')`);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.log(lang, 'pageerror', e.message));
  await page.goto(`${base}/`);
  await page.waitForSelector('input[name=username]');
  await shot(page, `login-${lang}`);
  await page.fill('input[name=username]', 'supervisor');
  await page.fill('input[name=password]', 'loopdesk-demo');
  await page.click('button[type=submit]');
  await page.waitForSelector('.views button');
  await ticketFormShots(page, lang);
  await navTo(page, 'a[href="/"]');
  await page.waitForSelector('.views button');

  // Queue: the "due soon"/"breached" views are the busiest; show all open work sorted by due time.
  await page.click('.views button:nth-child(6)');
  await page.waitForSelector('.views button:nth-child(6).active');
  // The view switch re-renders the filters; tick the box once they have settled.
  const openOnly = page.locator('.filters input[type=checkbox]');
  for (let i = 0; i < 5 && !(await openOnly.isChecked()); i++) {
    await openOnly.click();
    await page.waitForTimeout(200);
  }
  await page.waitForSelector('table.tickets tbody tr');
  // Kept as a view of the supervisor's own, shown in the sidebar, then removed for the next run.
  const viewName = lang === 'en' ? 'Open work by due time' : '未结工单按截止排序';
  await page.click('.add-view');
  await page.fill('.save-view input', viewName);
  await page.click('.save-view button[type=submit]');
  await page.waitForSelector('.saved-view button.active');
  await page.waitForTimeout(600);
  await shot(page, `queue-${lang}`);
  await page.click('.saved-view .remove');
  await page.waitForSelector('.saved-view', { state: 'detached' });

  // New ticket for a caller found by the last four digits of a demo customer's number.
  const number = await page.evaluate(async () => {
    const res = await fetch('/api/v1/customers?tier=gold&limit=1');
    return ((await res.json()) as { items: { numbers: string[] }[] }).items[0]!.numbers[0]!;
  });
  await navTo(page, 'a[href="/new"]');
  await page.fill('input[name=phone]', number.slice(-4));
  await page.click('.caller button[type=submit]');
  await page.click('.matches button >> nth=0');
  await page.check('input[name=type][value=complaint]');
  await page.fill('input[name=subject]', lang === 'en' ? 'Unexpected data charges' : '流量扣费异常');
  await page.fill(
    'textarea[name=description]',
    lang === 'en'
      ? 'Charged for 20 GB of data last month while abroad; the customer had a roaming pack.'
      : '上月出国期间被扣20GB流量费，客户已订购国际漫游包。',
  );
  await page.fill('.details input[type=search]', lang === 'en' ? 'billing' : '计费');
  await page.selectOption('select[name=category]', { index: 2 }); // after "choose" and "leave open"
  await page.selectOption('select[name=grade]', 'major');
  await shot(page, `new-${lang}`);

  // Save: the ticket opens with the routing result; reply once so the timeline shows a message.
  await page.click('.details button[type=submit]');
  await page.waitForSelector('.routed');
  await page.keyboard.press('r');
  // A managed reply, found from the composer by keyboard (Ctrl+K, words, Enter).
  await page.keyboard.press('Control+k');
  await page.keyboard.type(lang === 'en' ? 'ackn' : '受理');
  await page.waitForSelector('.reply-results [role=option]');
  await page.keyboard.press('Enter');
  await page.click('.composer button[type=submit]');
  await page.waitForSelector('.timeline .message.public');
  await page.click('[data-action=reveal]');
  await page.waitForTimeout(600);
  await shot(page, `ticket-${lang}`);

  // The composer's reply search, open on a few words, with a macro among the results.
  await page.click('.composer textarea');
  await page.keyboard.press('Control+k');
  await page.keyboard.type(lang === 'en' ? 'dear' : '上门');
  await page.waitForSelector('.reply-results [role=option]');
  await page.keyboard.press('ArrowDown');
  await page.locator('.composer').scrollIntoViewIfNeeded();
  await page.waitForTimeout(300);
  await shot(page, `composer-replies-${lang}`);
  await page.keyboard.press('Escape');

  // Replies and macros: the list, with the demo macro open for editing.
  await navTo(page, 'a[href="/replies"]');
  await page.waitForSelector('.replies-page tbody tr');
  await page.click('tr[data-reply="预约上门检修"] button');
  await page.waitForSelector('.reply-form');
  await page.waitForTimeout(300);
  await shot(page, `replies-${lang}`);
  await page.click(`.reply-form button:has-text("${lang === 'en' ? 'Cancel' : '取消'}")`);

  // The inbox: the supervisor's SLA breaches and warnings, with the unread count in the top bar.
  await page.click('.topbar .inbox-link');
  await page.waitForSelector('.inbox tbody tr');
  await page.waitForTimeout(300);
  await shot(page, `inbox-${lang}`);

  // Deliveries: the dead-letter list with a retry waiting for confirmation.
  await navTo(page, 'a[href="/deliveries"]');
  await page.waitForSelector('.deliveries tbody tr');
  await page.click('.deliveries tbody tr button');
  await page.waitForTimeout(300);
  await shot(page, `deliveries-${lang}`);
  await page.click('.deliveries .confirm button:not(.primary)');

  await navTo(page, 'a[href="/board"]');
  await page.waitForSelector('.board .agents li');
  await page.waitForTimeout(800);
  await shot(page, `board-${lang}`);
  await ctx.close();
}
// The admin console's routing rules (with a dry run), SLA policies (one open for editing) and
// business calendars (a day chosen, a holiday import previewed), signed in as the demo admin.
for (const lang of ['zh', 'en']) {
  const ctx = await browser.newContext({
    viewport: { width: 1366, height: 768 },
    locale: lang === 'en' ? 'en-GB' : 'zh-CN',
  });
  await ctx.addInitScript(`localStorage.setItem('loopdesk.lang', '${lang}')`);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.log(lang, 'pageerror', e.message));
  await page.goto(`${base}/admin/routing`);
  await page.fill('input[name=username]', 'admin');
  await page.fill('input[name=password]', 'loopdesk-demo');
  await page.click('button[type=submit]');
  await page.waitForSelector('table.rules tbody tr');
  await page.selectOption('select[name=dryTier]', 'vip');
  await page.fill('textarea[name=dryText]', '网速太慢了，再不解决我就去工信部投诉');
  await page.click('.dry-run button[type=submit]');
  await page.waitForSelector('.dry-run-result');
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}/admin-routing-${lang}.png`, fullPage: true });

  await page.click('.admin-nav a[href="/admin/sla"]');
  await page.waitForSelector('table.policies tbody tr');
  await page.click('tr[data-policy=complaint] button.edit');
  await page.waitForSelector('form.policy-editor');
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}/admin-sla-${lang}.png`, fullPage: true });

  await page.click('.admin-nav a[href="/admin/calendars"]');
  await page.waitForSelector('.month button.day');
  // The shipped year's National Day week: holidays and the make-up working day after them.
  for (let i = 0; i < 60 && !(await page.$('.month-title[data-month="2025-10"]')); i++) {
    await page.click('.prev-month');
  }
  await page.click('button.day[data-date="2025-10-11"]');
  await page.fill('textarea[name=importContent]', JSON.stringify({ holidays: ['2027-01-01'], workdays: [] }));
  await page.click('.import button.preview');
  await page.waitForSelector('.import-preview');
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}/admin-calendars-${lang}.png`, fullPage: true });
  await ctx.close();
}
// The admin console's directory sections: staff (an agent open with skills and capacity), teams
// and queues (the VIP desk open), categories with grades and priority weights, and channels.
for (const lang of ['zh', 'en']) {
  const ctx = await browser.newContext({
    viewport: { width: 1366, height: 768 },
    locale: lang === 'en' ? 'en-GB' : 'zh-CN',
  });
  await ctx.addInitScript(`localStorage.setItem('loopdesk.lang', '${lang}')`);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.log(lang, 'pageerror', e.message));
  await page.goto(`${base}/admin/staff`);
  await page.fill('input[name=username]', 'admin');
  await page.fill('input[name=password]', 'loopdesk-demo');
  await page.click('button[type=submit]');
  await page.waitForSelector('tr[data-username=agent] button');
  await page.click('tr[data-username=agent] button');
  await page.waitForSelector('.staff-detail .agent-profile');
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}/admin-staff-${lang}.png`, fullPage: true });

  await page.click('.admin-nav a[href="/admin/teams"]');
  await page.waitForSelector('tr[data-team=vip-desk] button');
  await page.click('tr[data-team=vip-desk] button');
  await page.waitForSelector('.team-detail');
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}/admin-teams-${lang}.png`, fullPage: true });

  await page.click('.admin-nav a[href="/admin/categories"]');
  await page.waitForSelector('.dir-tree tbody tr');
  await page.waitForSelector('form.weights');
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}/admin-categories-${lang}.png`, fullPage: true });

  await page.click('.admin-nav a[href="/admin/channels"]');
  await page.waitForSelector('.intake tbody tr');
  await page.waitForSelector('.environment');
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}/admin-channels-${lang}.png`, fullPage: true });
  await ctx.close();
}
await browser.close();
