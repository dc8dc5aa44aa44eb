import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categories, tickets, ticketEvents } from '../../src/db/schema.js';
import { categoryId, ensureReferenceData } from '../../src/db/reference-data.js';
import { receiveChannelMessage } from '../../src/usecases/channels/receive-channel-message.js';
import { transitionTicket } from '../../src/usecases/tickets/transition-ticket.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, type Harness, type Session } from '../helpers/harness.js';

describe.each(ENGINES)('classification suggestions on %s', (engine) => {
  let h: Harness;
  let agent: Session;
  let sms = 0;
  const message = (text: string, applyAt?: number) =>
    receiveChannelMessage(applyAt === undefined ? h.deps : { ...h.deps, classifyApplyAt: applyAt }, 'sms', {
      messageId: `classify-${engine}-${sms++}`,
      from: { msisdn: `1390000${String(sms).padStart(4, '0')}` },
      text,
    });
  const suggest = (body: unknown, session: Session | null = agent) =>
    h.request(session, { method: 'POST', url: '/api/v1/tickets/classification-suggestions', payload: body as object });
  const eventsOf = (ticketId: string) =>
    h.database.db
      .select({ kind: ticketEvents.kind, data: ticketEvents.data })
      .from(ticketEvents)
      .where(eq(ticketEvents.ticketId, ticketId));

  beforeAll(async () => {
    h = await startHarness(engine);
    agent = await h.signIn('agent', await h.buildTeam());
  });
  afterAll(() => h?.close());

  it('suggests a complaint about charges with its category, grade and the words it found', async () => {
    const res = await suggest({ subject: '乱扣费', description: '没订的业务每月扣费，投诉三次没人管，要求退费' });
    expect(res.statusCode).toBe(200);
    const { suggestion, applyAt } = res.json();
    expect(applyAt).toBe(0.5);
    expect(suggestion.type).toMatchObject({ value: 'complaint' });
    expect(suggestion.type.cues).toContain('投诉');
    expect(suggestion.categories[0]).toMatchObject({ id: categoryId('complaint-billing'), code: 'complaint-billing' });
    expect(suggestion.categories[0].keywords).toEqual(expect.arrayContaining(['乱扣费', '退费']));
    expect(suggestion.grade.value).toBe('major');
  });

  it('answers null for words that say nothing, and refuses what is not a text with a code', async () => {
    expect((await suggest({ subject: '你好', description: '' })).json().suggestion).toBeNull();
    const bad = await suggest({ subject: 42 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('request.invalid');
    expect((await suggest({ subject: '宽带断网' }, null)).statusCode).toBe(401);
  });

  it('classifies a channel message by its words and says so on the timeline', async () => {
    const res = await message('家里宽带断网了，光猫红灯一直闪，上不了网');
    const [t] = await h.database.db.select().from(tickets).where(eq(tickets.id, res.ticketId!));
    expect(t).toMatchObject({ type: 'fault', categoryId: categoryId('fault-broadband-down'), grade: 'general' });
    const suggested = (await eventsOf(t!.id)).find((e) => e.kind === 'classification_suggested');
    expect(suggested?.data).toMatchObject({ type: 'fault', categoryId: categoryId('fault-broadband-down') });
    expect((suggested?.data as { cues: string[] }).cues).toEqual(expect.arrayContaining(['宽带', '断网', '光猫']));
  });

  it('leaves a vague message an unclassified inquiry, and takes nothing when the threshold is 1', async () => {
    const vague = await message('你好，在吗');
    const [v] = await h.database.db.select().from(tickets).where(eq(tickets.id, vague.ticketId!));
    expect(v).toMatchObject({ type: 'inquiry', categoryId: null, grade: 'general' });
    expect((await eventsOf(v!.id)).some((e) => e.kind === 'classification_suggested')).toBe(false);

    const never = await message('我要投诉，你们乱扣费，要求退费', 1);
    const [n] = await h.database.db.select().from(tickets).where(eq(tickets.id, never.ticketId!));
    expect(n).toMatchObject({ type: 'inquiry', categoryId: null });
    // The agent still sees the suggestion on the ticket.
    const onTicket = await h.request(agent, {
      method: 'GET',
      url: `/api/v1/tickets/${n!.id}/classification-suggestion`,
    });
    expect(onTicket.statusCode).toBe(200);
    expect(onTicket.json().suggestion.type.value).toBe('complaint');
  });

  it('learns a category from similar resolved tickets where its keywords say nothing', async () => {
    // A category an administrator added without keywords, and three resolved tickets filed under it.
    const id = '0196a000-0000-7000-8000-0000000000c1';
    await h.database.db
      .insert(categories)
      .values({ id, code: `iot-${engine}`, nameZh: '物联网卡', nameEn: 'IoT cards', ticketType: 'fault', keywords: [] })
      .onConflictDoNothing();
    for (const text of ['共享单车物联卡离线', '物联卡批量离线', '车联网物联卡离线告警']) {
      const ticketId = await h.buildTicket(agent.actor, {
        type: 'fault',
        categoryId: id,
        subject: text,
        description: text,
        assignToMe: true,
      });
      for (const action of ['start', 'resolve'] as const) {
        if (action === 'resolve')
          await h.request(agent, {
            method: 'POST',
            url: `/api/v1/tickets/${ticketId}/messages`,
            payload: { body: '已恢复', visibility: 'public' },
          });
        await transitionTicket(h.deps, agent.actor, ticketId, { action });
      }
    }
    const { suggestion } = (await suggest({ subject: '物联卡离线', description: '' })).json();
    expect(suggestion.categories[0]).toMatchObject({ id, keywords: [] });
    expect(suggestion.categories[0].similar).toBeGreaterThanOrEqual(3);
  });

  it('follows the keywords an administrator gives a category, from the next suggestion on', async () => {
    const admin = await h.signIn('admin');
    const text = { subject: '校园卡领取', description: '新生校园卡在哪里领' };
    const before = (await suggest(text)).json().suggestion;
    expect(before?.categories[0]?.code).not.toBe('request-install');
    const saved = await h.request(admin, {
      method: 'PATCH',
      url: `/api/v1/categories/${categoryId('request-install')}`,
      payload: { keywords: ['新装', '安装', '开通', '校园卡'] },
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().keywords).toEqual(['新装', '安装', '开通', '校园卡']);
    const after = (await suggest(text)).json().suggestion;
    expect(after.categories[0]).toMatchObject({ code: 'request-install', keywords: ['校园卡'] });
    const tooLong = await h.request(admin, {
      method: 'PATCH',
      url: `/api/v1/categories/${categoryId('request-install')}`,
      payload: { keywords: ['x'.repeat(21)] },
    });
    expect(tooLong.statusCode).toBe(400);
  });

  it('gives the shipped categories their keywords once on an older database, and keeps an emptied list empty', async () => {
    const tariff = categoryId('inquiry-tariff');
    const bill = categoryId('inquiry-bill');
    await h.database.db.update(categories).set({ keywords: null }).where(eq(categories.id, tariff));
    await h.database.db.update(categories).set({ keywords: [] }).where(eq(categories.id, bill));
    await ensureReferenceData(h.database.db);
    const rows = await h.database.db
      .select({ id: categories.id, keywords: categories.keywords })
      .from(categories)
      .where(sql`${categories.id} in (${tariff}, ${bill})`);
    expect(rows.find((r) => r.id === tariff)!.keywords).toContain('资费');
    expect(rows.find((r) => r.id === bill)!.keywords).toEqual([]);
    await h.database.db
      .update(categories)
      .set({ keywords: ['账单', '余额'] })
      .where(and(eq(categories.id, bill)));
  });
});
