import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_KNOWLEDGE_REVIEW } from '../../src/core/knowledge/review.js';
import { kbUsages, notifications } from '../../src/db/schema.js';
import { receiveChannelMessage } from '../../src/usecases/channels/receive-channel-message.js';
import { remindStaleArticles } from '../../src/usecases/knowledge/review-due.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

const DAY = 86_400_000;

describe.each(ENGINES)('knowledge base on %s', (engine) => {
  let h: Harness;
  const clock = testClock(new Date('2026-11-20T02:00:00Z'));
  let author: Session;
  let editor: Session;
  let agent: Session;
  let qa: Session;
  let admin: Session;

  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    author = await h.signIn('agent');
    editor = await h.signIn('expert');
    agent = await h.signIn('agent');
    qa = await h.signIn('qa');
    admin = await h.signIn('admin');
  });
  afterAll(() => h?.close());

  const call = (s: Session | null, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    h.request(s, { method, url, ...(payload ? { payload } : {}) });
  const content = (title: string, body: string, extra: Record<string, unknown> = {}) => ({
    title,
    body,
    category: '资费套餐',
    tags: [],
    audience: 'internal',
    ...extra,
  });

  async function write(s: Session, title: string, body: string, extra: Record<string, unknown> = {}) {
    const res = await call(s, 'POST', '/api/v1/knowledge/articles', { content: content(title, body, extra) });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string; working: { number: number } }>();
  }
  const move = (s: Session, id: string, action: string, baseVersion: number) =>
    call(s, 'POST', `/api/v1/knowledge/articles/${id}/transitions`, { action, baseVersion });
  async function publish(id: string, baseVersion = 1, by = author) {
    expect((await move(by, id, 'submit', baseVersion)).statusCode).toBe(200);
    expect((await move(editor, id, 'approve', baseVersion)).statusCode).toBe(200);
    const res = await move(editor, id, 'publish', baseVersion);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }
  const search = async (s: Session, q: string, extra = '') =>
    (await call(s, 'GET', `/api/v1/knowledge/search?q=${encodeURIComponent(q)}${extra}`)).json();

  it('takes an article from draft through review to published, the reviewer not being its author', async () => {
    const a = await write(
      author,
      '5G畅享套餐资费说明',
      '<p>月租 <b>128 元</b>，含 30GB 流量。</p><script>alert(1)</script>',
    );
    expect((await move(author, a.id, 'submit', 1)).json()).toMatchObject({ status: 'in_review', live: false });
    // The author may not approve, nor may an agent publish.
    const own = await move(author, a.id, 'approve', 1);
    expect(own.statusCode).toBe(403);
    expect(own.json().error.code).toBe('auth.forbidden');
    const approved = await move(editor, a.id, 'approve', 1);
    expect(approved.json()).toMatchObject({ status: 'approved' });
    expect((await move(author, a.id, 'publish', 1)).statusCode).toBe(403);
    const published = (await move(editor, a.id, 'publish', 1)).json();
    expect(published).toMatchObject({ status: 'published', live: true, published: { number: 1 } });
    expect(published.published.content.body).not.toContain('<script');
    expect(published.abilities).toEqual(expect.arrayContaining(['archive', 'edit', 'verify']));
    // Publishing twice is no move of the workflow.
    const again = await move(editor, a.id, 'publish', 1);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('knowledge.invalid_transition');
  });

  it('refuses approval by the author of the version, even an expert who wrote it', async () => {
    const a = await write(editor, '国际漫游开通流程', '<p>出境前开通国际漫游。</p>');
    await move(editor, a.id, 'submit', 1);
    const res = await move(editor, a.id, 'approve', 1);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('knowledge.reviewer_is_author');
    expect((await call(editor, 'GET', `/api/v1/knowledge/articles/${a.id}`)).json().abilities).not.toContain('approve');
  });

  it('keeps the published version live while an edit is a new draft, then publishes the edit', async () => {
    const a = await write(author, '副卡办理条件', '<p>每个主卡最多办理 4 张副卡。</p>');
    await publish(a.id);
    const edited = await call(author, 'PUT', `/api/v1/knowledge/articles/${a.id}`, {
      content: content('副卡办理条件（新）', '<p>每个主卡最多办理 5 张副卡。</p>'),
      baseVersion: 1,
    });
    expect(edited.json()).toMatchObject({
      status: 'draft',
      live: true,
      working: { number: 2, content: { title: '副卡办理条件（新）' } },
      published: { number: 1, content: { title: '副卡办理条件' } },
    });
    // Agents still find the live text.
    const found = await search(agent, '副卡');
    const hit = found.items.find((i: { id: string }) => i.id === a.id);
    expect(hit.title.map((p: { text: string }) => p.text).join('')).toBe('副卡办理条件');
    // A save from a stale copy is refused.
    const stale = await call(author, 'PUT', `/api/v1/knowledge/articles/${a.id}`, {
      content: content('x', ''),
      baseVersion: 1,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('knowledge.version_conflict');
    await publish(a.id, 2);
    const after = await search(agent, '副卡');
    expect(
      after.items
        .find((i: { id: string }) => i.id === a.id)
        .title.map((p: { text: string }) => p.text)
        .join(''),
    ).toBe('副卡办理条件（新）');
  });

  it('keeps every version, shows the difference and restores an old one as a new draft', async () => {
    const a = await write(author, '停机保号办理', '<p>停机保号每月 5 元。</p>');
    await call(author, 'PUT', `/api/v1/knowledge/articles/${a.id}`, {
      content: content('停机保号办理', '<p>停机保号每月 8 元。</p>', { tags: ['保号'] }),
      baseVersion: 1,
    });
    const diff = (await call(author, 'GET', `/api/v1/knowledge/articles/${a.id}/diff?from=1&to=2`)).json();
    expect(diff.body).toEqual(
      expect.arrayContaining([
        { op: 'removed', text: '5' },
        { op: 'added', text: '8' },
      ]),
    );
    expect(diff.fields).toEqual([{ field: 'tags', before: [], after: ['保号'] }]);
    const restored = await call(author, 'POST', `/api/v1/knowledge/articles/${a.id}/versions/1/restore`, {
      baseVersion: 2,
    });
    expect(restored.statusCode, restored.body).toBe(200);
    expect(restored.json()).toMatchObject({
      status: 'draft',
      working: { number: 3, content: { body: '<p>停机保号每月 5 元。</p>', tags: [] } },
    });
    const versions = (await call(author, 'GET', `/api/v1/knowledge/articles/${a.id}/versions`)).json().items;
    expect(versions.map((v: { number: number; restoredFrom: number | null }) => [v.number, v.restoredFrom])).toEqual([
      [1, null],
      [2, null],
      [3, 1],
    ]);
    expect(versions.at(-1).working).toBe(true);
  });

  it('hides drafts from QA, who read published knowledge only, and refuses their writes', async () => {
    const a = await write(author, '草稿：宽带提速', '<p>草稿</p>');
    expect((await call(qa, 'GET', `/api/v1/knowledge/articles/${a.id}`)).statusCode).toBe(404);
    expect((await call(qa, 'GET', '/api/v1/knowledge/search?status=draft')).statusCode).toBe(403);
    const res = await call(qa, 'POST', '/api/v1/knowledge/articles', { content: content('x', '') });
    expect(res.statusCode).toBe(403);
  });

  it('answers 400 listing the problems of a bad article, and 400 for an end before the start', async () => {
    const bad = await call(author, 'POST', '/api/v1/knowledge/articles', {
      content: { title: '', audience: 'everyone' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('request.invalid');
    const period = await call(author, 'POST', '/api/v1/knowledge/articles', {
      content: content('x', '', { effectiveFrom: '2026-12-01T00:00:00Z', effectiveUntil: '2026-11-01T00:00:00Z' }),
    });
    expect(period.statusCode).toBe(400);
    expect(period.json().error.code).toBe('knowledge.invalid_period');
  });

  it('suggests articles for everywhere and for the customer’s own region, never another region’s', async () => {
    const local = await write(author, '广州地区光猫更换流程', '<p>光猫损坏可在广州各营业厅免费更换。</p>', {
      region: '广州',
    });
    await publish(local.id);
    const elsewhere = await write(author, '深圳地区光猫更换流程', '<p>光猫损坏可在深圳各营业厅免费更换。</p>', {
      region: '深圳',
    });
    await publish(elsewhere.id);
    const everywhere = await write(author, '光猫更换须知', '<p>光猫损坏可申请更换。</p>');
    await publish(everywhere.id);
    const suggested = async (region: string | undefined) => {
      const customerId = await h.buildCustomer(region ? { region } : {});
      const ticketId = await h.buildTicket(agent.actor, {
        customerId,
        subject: '光猫坏了想更换',
        description: '光猫损坏',
      });
      const res = await call(agent, 'GET', `/api/v1/tickets/${ticketId}/knowledge-suggestions`);
      return (res.json().articles as { id: string }[]).map((a) => a.id);
    };
    const guangzhou = await suggested('广州');
    expect(guangzhou).toEqual(expect.arrayContaining([local.id, everywhere.id]));
    expect(guangzhou).not.toContain(elsewhere.id);
    const unknown = await suggested(undefined);
    expect(unknown).toContain(everywhere.id);
    expect(unknown).not.toContain(local.id);
  });

  it('suggests articles and cases for the customer’s words, changes them when the customer writes again, and records the one inserted', async () => {
    const broadband = await write(author, '宽带断网自助排查', '<p>请先重启光猫，检查光信号灯是否红色闪烁。</p>', {
      category: '宽带',
    });
    await publish(broadband.id);
    const port = await write(author, '携号转网办理条件', '<p>在网满 120 天、无欠费、无合约可申请携号转网。</p>', {
      category: '携号转网',
    });
    await publish(port.id);
    const expired = await write(author, '旧版宽带套餐停售说明', '<p>宽带断网补偿规则（旧）。</p>', {
      effectiveUntil: '2026-01-01T00:00:00Z',
    });
    await publish(expired.id);

    const msisdn = `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const first = await receiveChannelMessage(h.deps, 'sms', {
      messageId: `kb-${msisdn}-1`,
      from: { msisdn },
      text: '家里宽带断网了，光猫亮红灯',
    });
    const ticketId = first.ticketId!;
    const url = `/api/v1/tickets/${ticketId}/knowledge-suggestions`;
    const before = (await call(agent, 'GET', url)).json();
    const ids = (s: { articles: { id: string }[] }) => s.articles.map((a) => a.id);
    expect(ids(before)[0]).toBe(broadband.id);
    expect(ids(before)).not.toContain(expired.id);
    expect(before.articles[0].snippet.some((p: { hit: boolean; text: string }) => p.hit && p.text === '光猫')).toBe(
      true,
    );

    clock.advance(60_000);
    await receiveChannelMessage(h.deps, 'sms', {
      messageId: `kb-${msisdn}-2`,
      from: { msisdn },
      text: '另外想问转网要什么条件',
    });
    const after = (await call(agent, 'GET', url)).json();
    expect(after.basedOn.messageId).not.toBe(before.basedOn.messageId);
    expect(ids(after)[0]).toBe(port.id);

    const used = await call(agent, 'POST', `/api/v1/tickets/${ticketId}/knowledge-usages`, { articleId: port.id });
    expect(used.statusCode, used.body).toBe(204);
    const rows = await h.database.db.select().from(kbUsages).where(eq(kbUsages.ticketId, ticketId));
    expect(rows).toMatchObject([{ articleId: port.id, staffId: agent.actor.id }]);
    const timeline = (await call(agent, 'GET', `/api/v1/tickets/${ticketId}/timeline`)).json();
    expect(timeline.items.find((e: { kind: string }) => e.kind === 'knowledge_used').data).toEqual({
      articleId: port.id,
      kind: 'article',
      title: '携号转网办理条件',
      version: 1,
    });
    expect((await call(agent, 'GET', url)).json().used).toMatchObject([
      { articleId: port.id, title: '携号转网办理条件' },
    ]);
    // An expired article is not inserted either.
    const refused = await call(agent, 'POST', `/api/v1/tickets/${ticketId}/knowledge-usages`, {
      articleId: expired.id,
    });
    expect(refused.statusCode).toBe(409);
  });

  it('drafts a case from a resolved ticket without the customer’s personal data', async () => {
    const customerId = await h.buildCustomer({
      name: '欧阳明月',
      numbers: ['13955556666'],
      idNumber: '330106198805051234',
      address: '浙江省杭州市西湖区文三路478号',
    });
    const ticketId = await h.buildTicket(author.actor, {
      customerId,
      assignToMe: true,
      subject: '欧阳明月来电：宽带每晚掉线',
      description:
        '客户欧阳明月（13955556666，备用 138-0013-8000）反映文三路478号家中宽带每晚掉线，身份证 330106198805051234，邮箱 oymy@example.cn。',
    });
    const unresolved = await call(author, 'POST', `/api/v1/tickets/${ticketId}/case-proposal`);
    expect(unresolved.statusCode).toBe(409);
    expect(unresolved.json().error.code).toBe('knowledge.ticket_not_resolved');
    await call(author, 'POST', `/api/v1/tickets/${ticketId}/transitions`, { action: 'start' });
    await call(author, 'POST', `/api/v1/tickets/${ticketId}/messages`, {
      visibility: 'public',
      body: '欧阳女士您好，已为您更换光猫并重新配置 PPPoE，如仍有问题请致电 0571-87654321。',
    });
    await call(author, 'POST', `/api/v1/tickets/${ticketId}/transitions`, { action: 'resolve' });
    const res = await call(author, 'POST', `/api/v1/tickets/${ticketId}/case-proposal`);
    expect(res.statusCode, res.body).toBe(201);
    const draft = res.json();
    expect(draft).toMatchObject({ kind: 'case', status: 'draft', sourceTicket: { id: ticketId } });
    const text = JSON.stringify(draft.working.content);
    for (const planted of [
      '欧阳明月',
      '欧阳女士',
      '13955556666',
      '138-0013-8000',
      '330106198805051234',
      'oymy@example.cn',
      '文三路478号',
      '87654321',
    ])
      expect(text).not.toContain(planted);
    expect(draft.working.content.symptom).toContain('宽带每晚掉线');
    expect(draft.working.content.resolution).toContain('更换光猫');
    const twice = await call(author, 'POST', `/api/v1/tickets/${ticketId}/case-proposal`);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error).toMatchObject({ code: 'knowledge.case_exists', details: { articleId: draft.id } });
  });

  it('serves the portal FAQ without sign-in: public, published, in force; three "no" give the owner a review task', async () => {
    const pub = await write(author, '如何查询话费余额', '<p>发送短信 CXHF 到 10086 查询话费余额。</p>', {
      audience: 'public',
      category: '话费查询',
    });
    await publish(pub.id);
    const internal = await write(author, '话费余额内部口径', '<p>内部：话费余额查询口径。</p>');
    await publish(internal.id);
    const list = (await call(null, 'GET', `/api/portal/v1/faq?q=${encodeURIComponent('话费余额')}`)).json();
    expect(list.items.map((i: { id: string }) => i.id)).toEqual([pub.id]);
    expect(list.categories).toEqual(expect.arrayContaining([{ category: '话费查询', count: 1 }]));
    expect((await call(null, 'GET', `/api/portal/v1/faq/${internal.id}`)).statusCode).toBe(404);
    expect((await call(null, 'GET', `/api/portal/v1/faq/${pub.id}`)).json()).toMatchObject({
      title: '如何查询话费余额',
    });

    const vote = (helpful: boolean) => {
      clock.advance(60_000);
      return call(null, 'POST', `/api/portal/v1/faq/${pub.id}/feedback`, { helpful });
    };
    expect((await vote(false)).statusCode).toBe(204);
    await vote(true);
    await vote(false);
    const tasks = () =>
      h.database.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.recipientId, author.actor.id), eq(notifications.kind, 'knowledge.review_due')));
    expect(await tasks()).toHaveLength(0);
    await vote(false);
    expect((await tasks()).map((t) => t.payload)).toEqual([
      { articleId: pub.id, title: '如何查询话费余额', reason: 'unhelpful', count: 3 },
    ]);
    // The next "no" starts a new count rather than another task.
    await vote(false);
    expect(await tasks()).toHaveLength(1);
    expect((await call(null, 'POST', `/api/portal/v1/faq/${pub.id}/deflection`)).statusCode).toBe(204);
  });

  it('gives the owner one review task for an article not verified for 180 days, again after the next verification ages', async () => {
    const owner = await h.signIn('agent');
    const a = await write(owner, '积分兑换规则', '<p>积分可兑换话费。</p>');
    await publish(a.id, 1, owner);
    const mine = () =>
      h.database.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.recipientId, owner.actor.id), eq(notifications.kind, 'knowledge.review_due')));
    clock.advance(179 * DAY);
    await remindStaleArticles(h.deps, DEFAULT_KNOWLEDGE_REVIEW);
    expect(await mine()).toHaveLength(0);
    clock.advance(2 * DAY);
    await Promise.all([
      remindStaleArticles(h.deps, DEFAULT_KNOWLEDGE_REVIEW),
      remindStaleArticles(h.deps, DEFAULT_KNOWLEDGE_REVIEW),
    ]);
    await remindStaleArticles(h.deps, DEFAULT_KNOWLEDGE_REVIEW);
    expect((await mine()).map((n) => n.payload)).toMatchObject([{ articleId: a.id, reason: 'stale' }]);
    // (Sessions do not last 180 days: a fresh one.)
    const verifier = await h.signIn('expert');
    expect((await call(verifier, 'POST', `/api/v1/knowledge/articles/${a.id}/verify`)).statusCode).toBe(200);
    await remindStaleArticles(h.deps, DEFAULT_KNOWLEDGE_REVIEW);
    expect(await mine()).toHaveLength(1);
    clock.advance(181 * DAY);
    await remindStaleArticles(h.deps, DEFAULT_KNOWLEDGE_REVIEW);
    expect(await mine()).toHaveLength(2);
  });

  it('lets administrators keep the synonym list, and searches expand with it', async () => {
    admin = await h.signIn('admin');
    agent = await h.signIn('agent');
    author = await h.signIn('agent');
    editor = await h.signIn('expert');
    const list = (await call(admin, 'GET', '/api/v1/knowledge/synonyms')).json();
    expect(list.items.map((g: { terms: string[] }) => g.terms)).toEqual(
      expect.arrayContaining([
        ['宽带', '网络'],
        ['流量', '数据'],
        ['携号转网', '转网'],
      ]),
    );
    expect((await call(agent, 'GET', '/api/v1/knowledge/synonyms')).statusCode).toBe(403);
    const a = await write(author, '光猫更换流程', '<p>光猫损坏可到营业厅免费更换。</p>');
    await publish(a.id);
    expect((await search(agent, '猫咪设备')).items.map((i: { id: string }) => i.id)).not.toContain(a.id);
    const created = await call(admin, 'POST', '/api/v1/knowledge/synonyms', { terms: ['光猫', '猫咪设备', '光猫'] });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().terms).toEqual(['光猫', '猫咪设备']);
    expect((await search(agent, '猫咪设备')).items.map((i: { id: string }) => i.id)).toContain(a.id);
    expect((await call(admin, 'DELETE', `/api/v1/knowledge/synonyms/${created.json().id}`)).statusCode).toBe(204);
    const one = await call(admin, 'POST', '/api/v1/knowledge/synonyms', { terms: ['光猫', '光猫'] });
    expect(one.statusCode).toBe(400);
  });
});
