import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../helpers/harness.js';
import { navTo, open, shotIfAsked, signIn, startDesk, type Desk } from './browser.js';

// Online service (issue 20) in headless Chromium: a customer chats with the bot in the portal on a
// phone-sized screen, asks for a person, an agent accepts and answers in the desk, the customer
// sees it (again after a reload, each message once), and the agent turns the chat into a ticket.
// With SCREENSHOTS_OUT=docs/screenshots it saves the chat screens in both languages.

const PHONE_375 = { width: 375, height: 740 };

describe('live chat in a browser', () => {
  let desk: Desk;
  let frontline: string;

  beforeAll(async () => {
    desk = await startDesk();
    const { h } = desk;
    frontline = await h.buildTeam({ code: 'frontline', kind: 'frontline', name: '一线客服组' });
    // Published public articles the bot answers from, one per language.
    const author = await h.login(await h.buildStaff('agent', frontline));
    const editor = await h.login(await h.buildStaff('expert', frontline));
    for (const content of [
      {
        title: '宽带新装办理流程',
        body: '<p>宽带新装：带上身份证到营业厅办理，或在掌上营业厅预约上门安装，工程师 48 小时内上门。</p>',
        category: '宽带',
        tags: ['宽带', '新装'],
      },
      {
        title: 'New broadband installation',
        body: '<p>New broadband: bring your ID card to a shop, or book an installation visit in the app; an engineer comes within 48 hours.</p>',
        category: 'Broadband',
        tags: ['broadband', 'installation'],
      },
    ]) {
      const created = await h.request(author, {
        method: 'POST',
        url: '/api/v1/knowledge/articles',
        payload: { content: { ...content, audience: 'public' } },
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json<{ id: string }>().id;
      for (const [who, action] of [
        [author, 'submit'],
        [editor, 'approve'],
        [editor, 'publish'],
      ] as [Session, string][]) {
        const res = await h.request(who, {
          method: 'POST',
          url: `/api/v1/knowledge/articles/${id}/transitions`,
          payload: { action, baseVersion: 1 },
        });
        expect(res.statusCode, res.body).toBe(200);
      }
    }
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  for (const lang of ['zh', 'en'] as const) {
    it(`takes a customer from the bot to an agent and into a ticket (${lang})`, async () => {
      const { h } = desk;
      const en = lang === 'en';
      const agent = await h.buildStaff('agent', frontline);

      // The customer, not signed in, opens the chat and asks the bot.
      const c = await open(desk, lang, '/portal/', { viewport: PHONE_375 });
      await c.page.click('[data-action=open-chat]');
      await c.page.click('.chat-intro button.primary');
      await c.page.waitForSelector('.chat-msg.from-bot');
      await c.page.fill('textarea[name=chat-body]', en ? 'How do I get new broadband installed?' : '宽带新装怎么办理');
      await c.page.press('textarea[name=chat-body]', 'Enter');
      await c.page.waitForSelector('.chat-msg.from-bot .chat-articles');
      await c.page.waitForSelector('[data-pending]', { state: 'detached' });
      await shotIfAsked(c.page, `chat-portal-bot-${lang}`);

      // … asks for a person and waits in the queue.
      await c.page.click('[data-action=ask-human]');
      await c.page.waitForSelector('.chat-banner.queue');
      await shotIfAsked(c.page, `chat-portal-queued-${lang}`);

      // The agent accepts it in the desk and answers.
      const a = await open(desk, lang, '/');
      await signIn(a.page, agent.username);
      await navTo(a.page, 'a[href="/chat"]');
      await a.page.waitForSelector('[data-queued] [data-action=accept]');
      // Agents start offline: the chat screen says they cannot accept and offers to go online.
      const offline = a.page.locator('.chat-offline');
      await offline.waitFor();
      expect(await offline.textContent()).toContain(
        en ? 'You are offline: go online to accept chats.' : '您当前“离线”，上线后才能接入会话。',
      );
      expect(await a.page.locator('[data-queued] [data-action=accept]').isDisabled()).toBe(true);
      await shotIfAsked(a.page, `chat-desk-offline-${lang}`);
      await offline.locator('[data-action=go-online]').click();
      await offline.waitFor({ state: 'detached' });
      expect(await a.page.locator('.topbar select.presence').inputValue()).toBe('online');
      await a.page.click('[data-queued] [data-action=accept]');
      await a.page.waitForSelector('.chat-conversation[data-state=assigned]');
      await a.page.waitForSelector('.chat-why');
      await a.page.waitForSelector('[data-clock=running], [data-clock=warning]');
      const reply = en ? 'Hello, I will book the installation for you.' : '您好，我来帮您预约宽带上门安装。';
      await a.page.fill('textarea[name=chat-reply]', reply);
      await a.page.press('textarea[name=chat-reply]', 'Enter');
      await a.page.waitForSelector(`.chat-transcript .chat-line.from-agent:has-text("${reply}")`);
      await a.page.waitForSelector('[data-clock=done]');
      await shotIfAsked(a.page, `chat-desk-${lang}`);

      // The customer sees the agent's name and answer.
      await c.page.waitForSelector(`.chat-msg.from-agent:has-text("${reply}")`);
      await c.page.waitForSelector('.chat-banner.assigned');
      await shotIfAsked(c.page, `chat-portal-agent-${lang}`);

      // A reload resumes the conversation: every message once, and one sent meanwhile arrives.
      const before = await c.page.locator('.chat-log > li').count();
      await c.page.reload();
      await c.page.waitForSelector(`.chat-msg.from-agent:has-text("${reply}")`);
      expect(await c.page.locator('.chat-log > li').count()).toBe(before);
      const more = en ? 'The engineer can come tomorrow morning.' : '工程师明天上午可以上门。';
      await a.page.fill('textarea[name=chat-reply]', more);
      await a.page.press('textarea[name=chat-reply]', 'Enter');
      await c.page.waitForSelector(`.chat-msg.from-agent:has-text("${more}")`);
      expect(await c.page.locator('.chat-log > li').count()).toBe(before + 1);
      const seqs = await c.page
        .locator('.chat-log > li[data-seq]')
        .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-seq'))));
      expect(new Set(seqs).size).toBe(seqs.length);

      // The agent turns the chat into a ticket: the chat ends with a link to it.
      await a.page.click('[data-action=to-ticket]');
      await a.page.fill('input[name=ticket-subject]', en ? 'Broadband installation to book' : '宽带新装预约上门');
      await a.page.fill('input[name=ticket-phone]', en ? '13800001111' : '13800002222');
      await a.page.click('[data-action=create-ticket]');
      const link = await a.page.waitForSelector('[data-ticket-link]');
      expect(await link.textContent()).toMatch(/TS\d+/);
      await shotIfAsked(a.page, `chat-desk-ticket-${lang}`);
      await c.page.waitForSelector('.chat-ended');
      await link.click();
      await a.page.waitForSelector('.ticket-header');

      expect(c.errors).toEqual([]);
      expect(a.errors).toEqual([]);
      await c.context.close();
      await a.context.close();
    }, 90_000);
  }
});
