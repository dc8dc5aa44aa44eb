import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endIdleChats } from '../../src/usecases/chat/idle-chats.js';
import { testClock } from '../helpers/harness.js';
import { open, shotIfAsked, startDesk, type Desk } from './browser.js';

// A customer asks for a person in the portal and closes the page. After the customer-inactivity
// limit (10 minutes) the system ends the chat; when the customer comes back, the portal says why
// the chat was closed and offers a new one.

const PHONE_375 = { width: 375, height: 740 };

describe('an abandoned live chat in a browser', () => {
  let desk: Desk;
  const clock = testClock(new Date('2026-11-24T02:00:00Z'));

  beforeAll(async () => {
    desk = await startDesk({ clock });
    await desk.h.buildTeam({ code: 'frontline', kind: 'frontline', name: '一线客服组' });
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  for (const lang of ['zh', 'en'] as const) {
    it(`tells a customer who comes back after closing the page that the chat ended, and offers a new one (${lang})`, async () => {
      const c = await open(desk, lang, '/portal/', { viewport: PHONE_375 });
      await c.page.click('[data-action=open-chat]');
      await c.page.click('.chat-intro button.primary');
      await c.page.waitForSelector('.chat-msg.from-bot');
      await c.page.fill('textarea[name=chat-body]', lang === 'en' ? 'I want a real person' : '转人工');
      await c.page.press('textarea[name=chat-body]', 'Enter');
      await c.page.waitForSelector('.chat-banner.queue');
      await c.page.close(); // the customer closes the browser tab
      await new Promise((r) => setTimeout(r, 500));

      clock.advance(11 * 60_000);
      expect((await endIdleChats(desk.h.deps)).ended).toBe(1);

      const page = await c.context.newPage();
      await page.goto(`${desk.base}/portal/`);
      // The portal reopens a chat it holds by itself.
      await page.waitForSelector('[data-action=open-chat], section.chat');
      if (await page.locator('[data-action=open-chat]').isVisible()) await page.click('[data-action=open-chat]');
      await page.waitForSelector('.chat-ended[data-ended=idle]');
      await page.waitForSelector('.chat-msg.from-system');
      await shotIfAsked(page, `chatidle-portal-${lang}`);
      await page.click('[data-action=new-chat]');
      await page.waitForSelector('.chat-intro button.primary');
      expect(c.errors).toEqual([]);
      await c.context.close();
    }, 90_000);
  }
});
