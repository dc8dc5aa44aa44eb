import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kbArticles, kbFeedback, kbUsages } from '../../src/db/schema.js';
import { open, PHONE, screenshotsOut, shotIfAsked, signIn, startDesk, type Desk, navTo } from './browser.js';

// An author writes an article, a reviewer approves and publishes it, an agent inserts it into a
// reply from the ticket's suggestions; a customer finds it in the portal's FAQ. With
// SCREENSHOTS_OUT=docs/screenshots it saves the knowledge screens in both languages.

describe('knowledge base in a browser', () => {
  let desk: Desk;
  let team: string;

  beforeAll(async () => {
    desk = await startDesk();
    team = await desk.h.buildTeam({ code: 'frontline', kind: 'frontline', name: '一线客服组' });
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('goes from an author’s draft through review to an agent’s reply and the customer’s FAQ', async () => {
    const { h } = desk;
    const author = await h.buildStaff('agent', team);
    const reviewer = await h.buildStaff('expert', team);
    const agent = await h.buildStaff('agent', team);

    // The author writes and submits.
    const a = await open(desk, 'zh', '/');
    await signIn(a.page, author.username);
    await navTo(a.page, 'a:has-text("知识库")');
    await a.page.click('a:has-text("写新文章")');
    await a.page.fill('input[name=title]', '流量不够用：加餐流量包推荐');
    await a.page.fill(
      'textarea[name=body]',
      '<p>月中流量用完可订购 10 元 1GB 日包或 30 元 5GB 月包，次月自动失效。</p><ul><li>发送 LLB 到 10086 办理</li></ul>',
    );
    await a.page.fill('input[name=category]', '流量');
    await a.page.fill('input[name=tags]', '流量包, 加餐');
    await a.page.selectOption('select[name=audience]', 'public');
    await a.page.click('button:has-text("创建草稿")');
    await a.page.waitForSelector('.article-head [data-status=draft]');
    const id = a.page.url().split('/').at(-1)!;
    await a.page.click('button:has-text("提交审核")');
    await a.page.waitForSelector('.article-head [data-status=in_review]');
    // The author is offered no approval.
    expect(await a.page.locator('button:has-text("批准")').count()).toBe(0);
    expect(a.errors).toEqual([]);
    await a.context.close();

    // The reviewer finds it in the review queue, approves and publishes.
    const r = await open(desk, 'zh', '/knowledge');
    await signIn(r.page, reviewer.username);
    await r.page.click('button:has-text("待审核")');
    await r.page.click(`[data-article="${id}"] a.knowledge-title`);
    await r.page.click('button:has-text("批准")');
    await r.page.waitForSelector('.article-head [data-status=approved]');
    await r.page.click('button:has-text("发布")');
    await r.page.waitForSelector('.article-head [data-status=published]');
    await r.page.waitForSelector('.knowledge-preview li:has-text("LLB")');
    // An edit is a new draft while version 1 stays live; the history compares them.
    await r.page.fill('textarea[name=body]', '<p>月中流量用完可订购 10 元 1GB 日包或 50 元 10GB 月包。</p>');
    await r.page.click('button:has-text("保存为新版本")');
    await r.page.waitForSelector('[data-version="2"]');
    await r.page.click('[data-version="2"] button:has-text("与上一版比较")');
    await r.page.waitForSelector('[data-testid=version-diff] ins:has-text("50")');
    await shotIfAsked(r.page, 'knowledge-editor-zh');
    expect(r.errors).toEqual([]);
    await r.context.close();

    // The agent's ticket gets the article suggested and inserts it into the reply.
    const ticketId = await h.buildTicket(agent, {
      type: 'inquiry',
      channel: 'web',
      subject: '流量不够用',
      description: '这个月流量不够用了，有没有便宜的流量包？',
      assignToMe: true,
    });
    const g = await open(desk, 'zh', `/tickets/${ticketId}`);
    await signIn(g.page, agent.username);
    await g.page.waitForSelector(`.suggestions-panel [data-suggestion="${id}"]`);
    expect(await g.page.locator(`[data-suggestion="${id}"] mark`).first().textContent()).toContain('流量');
    await g.page.click(`[data-suggestion="${id}"] button:has-text("插入回复")`);
    expect(await g.page.inputValue('.composer textarea')).toContain('30 元 5GB 月包');
    await g.page.waitForSelector('.suggestions-panel .used');
    await shotIfAsked(g.page, 'knowledge-suggestions-zh');
    await g.page.click('.composer button[type=submit]');
    await g.page.waitForSelector('text=在回复中引用了文章「流量不够用：加餐流量包推荐」');
    expect(g.errors).toEqual([]);
    await g.context.close();
    expect(await h.database.db.select().from(kbUsages).where(eq(kbUsages.ticketId, ticketId))).toMatchObject([
      { articleId: id, staffId: agent.id },
    ]);

    // A customer, not signed in, finds it in the FAQ and says it helped.
    const c = await open(desk, 'zh', '/portal/', { viewport: PHONE });
    await c.page.fill('.faq input[type=search]', '流量不够');
    await c.page.click('.faq-search button[type=submit]');
    await c.page.waitForSelector(`[data-faq="${id}"] mark`);
    await shotIfAsked(c.page, 'knowledge-faq-zh');
    await c.page.click(`[data-faq="${id}"] button`);
    await c.page.waitForSelector('.faq-article li:has-text("LLB")');
    await c.page.click('button:has-text("有帮助")');
    await c.page.waitForSelector('text=感谢您的反馈');
    expect(c.errors).toEqual([]);
    await c.context.close();
    expect(await h.database.db.select().from(kbFeedback).where(eq(kbFeedback.articleId, id))).toMatchObject([
      { helpful: true },
    ]);

    if (screenshotsOut) {
      const en = await open(desk, 'en', '/knowledge?q=%E6%B5%81%E9%87%8F');
      await signIn(en.page, reviewer.username);
      await en.page.waitForSelector(`[data-article="${id}"] mark`);
      await shotIfAsked(en.page, 'knowledge-search-en');
      await en.page.click(`[data-article="${id}"] a.knowledge-title`);
      await en.page.click('[data-version="2"] button:has-text("Compare with previous")');
      await en.page.waitForSelector('[data-testid=version-diff]');
      await shotIfAsked(en.page, 'knowledge-editor-en');
      await en.page.goto(`${desk.base}/tickets/${ticketId}`);
      await en.page.waitForSelector(`.suggestions-panel [data-suggestion="${id}"]`);
      await shotIfAsked(en.page, 'knowledge-suggestions-en');
      await en.context.close();
      const zh = await open(desk, 'zh', '/knowledge?q=%E6%B5%81%E9%87%8F');
      await signIn(zh.page, reviewer.username);
      await zh.page.waitForSelector(`[data-article="${id}"] mark`);
      await shotIfAsked(zh.page, 'knowledge-search-zh');
      await zh.context.close();
      const ce = await open(desk, 'en', '/portal/', { viewport: PHONE });
      await ce.page.fill('.faq input[type=search]', '流量');
      await ce.page.click('.faq-search button[type=submit]');
      await ce.page.waitForSelector(`[data-faq="${id}"] mark`);
      await shotIfAsked(ce.page, 'knowledge-faq-en');
      await ce.context.close();
    }
    const [article] = await h.database.db.select().from(kbArticles).where(eq(kbArticles.id, id));
    expect(article).toMatchObject({ status: 'draft', audience: 'public' });
  }, 150_000);
});
