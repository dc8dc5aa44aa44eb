import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { eq } from 'drizzle-orm';
import type { Clock } from '../../src/core/clock.js';
import { outbox } from '../../src/db/schema.js';
import { dispatchSurveys } from '../../src/usecases/surveys/surveys.js';
import { startHarness, TEST_PASSWORD, type Harness } from '../helpers/harness.js';

// Shared set-up of the browser tests: a real server (embedded PostgreSQL) serving web/dist, and
// headless Debian Chromium at the size of a call-centre screen.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const root = fileURLToPath(new URL('../../', import.meta.url));

/** `npm test` builds web/dist first; run alone, the tests build it when it is missing. */
export function ensureWebBuild(): void {
  if (existsSync(`${root}web/dist/index.html`)) return;
  execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
}

export type Desk = { h: Harness; browser: Browser; base: string; close(): Promise<void> };

export async function startDesk(opts: { clock?: Clock } = {}): Promise<Desk> {
  ensureWebBuild();
  const h = await startHarness('pglite', opts);
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  return {
    h,
    browser,
    base,
    async close() {
      await browser.close();
      await h.close();
    },
  };
}

export type Tab = { context: BrowserContext; page: Page; errors: string[] };

/** A phone-sized screen (the portal and survey pages are mobile first). */
export const PHONE = { width: 390, height: 844 };

/** A fresh browser profile in the given language (and time zone), opened at a path. Page errors are collected. */
export async function open(
  desk: Desk,
  lang: 'zh' | 'en',
  path = '/',
  opts: { viewport?: { width: number; height: number }; timezoneId?: string } = {},
): Promise<Tab> {
  const context = await desk.browser.newContext({
    viewport: opts.viewport ?? { width: 1366, height: 768 },
    ...(opts.timezoneId ? { timezoneId: opts.timezoneId } : {}),
    acceptDownloads: true,
    ...(opts.viewport && opts.viewport.width < 600 ? { isMobile: true, hasTouch: true } : {}),
  });
  await context.addInitScript(
    `if (!localStorage.getItem('loopdesk.lang')) localStorage.setItem('loopdesk.lang', '${lang}')`,
  );
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(desk.base + path);
  return { context, page, errors };
}

export async function signIn(page: Page, username: string): Promise<void> {
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', TEST_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('.topbar nav');
}

/** Where screenshots go when a run is asked for them (`SCREENSHOTS_OUT=docs/screenshots`). */
/**
 * Clicks a link of the top navigation (`link` inside `.topbar nav`), opening the menu it is in
 * first when it is not among the always-visible links.
 */
export async function navTo(page: Page, link: string): Promise<void> {
  const a = page.locator(`.topbar nav ${link}`).first();
  await page.waitForSelector('.topbar nav');
  // (`has` is matched inside each menu, so it takes the link's own selector.)
  if (!(await a.isVisible()))
    await page
      .locator('.topbar nav details', { has: page.locator(link) })
      .locator('summary')
      .click();
  await a.click();
}

export const screenshotsOut = process.env.SCREENSHOTS_OUT;

/** A screenshot into `SCREENSHOTS_OUT` when it is set; nothing otherwise. */
export async function shotIfAsked(page: Page, name: string): Promise<void> {
  if (screenshotsOut) await page.screenshot({ path: `${screenshotsOut}/${name}.png`, fullPage: true });
}

/**
 * A web ticket the agent answered and resolved, moved past the survey delay on `clock` and
 * dispatched: its id and the one-time survey link token the customer got.
 */
export async function resolvedWithSurveyLink(
  desk: Desk,
  clock: { advance(ms: number): void },
  agent: Awaited<ReturnType<Harness['buildStaff']>>,
): Promise<{ ticketId: string; token: string }> {
  const { h } = desk;
  const session = await h.login(agent);
  const ticketId = await h.buildTicket(agent, { channel: 'web', assignToMe: true });
  for (const step of [
    { url: `/api/v1/tickets/${ticketId}/transitions`, payload: { action: 'start' } },
    { url: `/api/v1/tickets/${ticketId}/messages`, payload: { visibility: 'public', body: '已为您更换光猫。' } },
    { url: `/api/v1/tickets/${ticketId}/transitions`, payload: { action: 'resolve' } },
  ]) {
    const res = await h.request(session, { method: 'POST', ...step });
    if (res.statusCode >= 300) throw new Error(`${step.url}: ${res.statusCode} ${res.body}`);
  }
  clock.advance(121 * 60_000);
  await dispatchSurveys(h.deps, { publicUrl: desk.base });
  const items = await h.database.db.select().from(outbox).where(eq(outbox.ticketId, ticketId));
  const survey = items.find((i) => i.payload.kind === 'survey');
  return { ticketId, token: (survey!.payload as { surveyLink: string }).surveyLink };
}
