import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications, replyChecks, riskHits, tickets } from '../../src/db/schema.js';
import { receiveChannelMessage } from '../../src/usecases/channels/receive-channel-message.js';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

const MIN = 60_000;

describe.each(ENGINES)('risk words and script checks on %s', (engine) => {
  let h: Harness;
  const clock = testClock(new Date('2026-11-20T02:00:00Z'));
  let team: string;
  let agent: Session;
  let supervisor: Session;
  let admin: Session;
  let smsId = 0;

  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    team = await h.buildTeam();
    agent = await h.signIn('agent', team);
    supervisor = await h.signIn('supervisor', null);
    admin = await h.signIn('admin', null);
  });
  afterAll(() => h?.close());

  const sms = (msisdn: string, text: string) =>
    receiveChannelMessage(h.deps, 'sms', { messageId: `risk-sms-${engine}-${smsId++}`, from: { msisdn }, text });
  let phone = 13_700_000_000 + Math.floor(Math.random() * 9_000_000);
  const get = (s: Session, url: string) => h.request(s, { method: 'GET', url });
  const post = (s: Session, url: string, payload: Record<string, unknown>) =>
    h.request(s, { method: 'POST', url, payload });
  const ticketRow = async (id: string) => (await h.database.db.select().from(tickets).where(eq(tickets.id, id)))[0]!;
  const alertsFor = async (ticketId: string) =>
    h.database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.ticketId, ticketId), eq(notifications.kind, 'risk.alert')));

  it('raises a live alert, tags the ticket and raises its grade when a follow-up SMS threatens to go to 工信部', async () => {
    const msisdn = String(phone++);
    const first = await sms(msisdn, '家里宽带断网了，麻烦尽快派人来修');
    expect(first.created).toBe(true);
    const before = await ticketRow(first.ticketId!);
    expect(before.tags).not.toContain('high-risk');
    expect(await alertsFor(first.ticketId!)).toHaveLength(0);

    clock.advance(30 * MIN);
    const follow = await sms(msisdn, '都两天了还没人来，再不修好我就去工信部投诉你们！');
    expect(follow).toMatchObject({ ticketId: first.ticketId, created: false });

    const after = await ticketRow(first.ticketId!);
    expect(after.tags).toContain('high-risk');
    expect(after.grade).toBe('urgent');
    expect(after.priority).toBeLessThan(before.priority);
    const hits = await h.database.db.select().from(riskHits).where(eq(riskHits.ticketId, first.ticketId!));
    expect(hits).toMatchObject([
      {
        messageId: follow.messageId,
        channel: 'sms',
        words: ['工信部', '投诉'],
        gradeFrom: 'general',
        gradeTo: 'urgent',
      },
    ]);
    // The supervisor's notification, in their inbox …
    const alerts = await alertsFor(first.ticketId!);
    expect(alerts.map((a) => a.recipientId)).toContain(supervisor.actor.id);
    expect(alerts[0]!.payload).toEqual({
      number: after.number,
      words: ['工信部', '投诉'],
      channel: 'sms',
      grade: 'urgent',
      raised: true,
    });
    const inbox = (await get(supervisor, '/api/v1/notifications')).json();
    expect(inbox.items.some((n: { kind: string }) => n.kind === 'risk.alert')).toBe(true);
    // … the board's alert panel …
    const board = (await get(supervisor, '/api/v1/quality/risk-alerts')).json();
    expect(board.items[0]).toMatchObject({ ticketId: first.ticketId, words: ['工信部', '投诉'], gradeTo: 'urgent' });
    // … and the timeline, with the listed words only (never the customer's sentence).
    const timeline = (await get(supervisor, `/api/v1/tickets/${first.ticketId}/timeline`)).json();
    const entry = timeline.items.find((e: { kind: string }) => e.kind === 'risk_detected');
    expect(entry.data).toEqual({
      messageId: follow.messageId,
      channel: 'sms',
      words: ['工信部', '投诉'],
      gradeFrom: 'general',
      gradeTo: 'urgent',
    });
  });

  it('finds no risk word inside a longer word: 多媒体 is not 媒体', async () => {
    const msisdn = String(phone++);
    const first = await sms(msisdn, '我想开通多媒体短信功能');
    await sms(msisdn, '请问多媒体短信怎么收费？');
    expect(await alertsFor(first.ticketId!)).toHaveLength(0);
    expect((await ticketRow(first.ticketId!)).tags).not.toContain('high-risk');
  });

  it('screens the text a ticket is opened with, whoever opens it', async () => {
    const ticketId = await h.buildTicket(agent.actor, {
      type: 'complaint',
      subject: '扣费争议',
      description: '客户称已找律师，要求退费。',
    });
    const hits = await h.database.db.select().from(riskHits).where(eq(riskHits.ticketId, ticketId));
    expect(hits).toMatchObject([{ messageId: null, channel: 'hotline', words: ['律师', '退费'] }]);
    expect((await ticketRow(ticketId)).tags).toContain('high-risk');
  });

  it('stores the script check of every public reply and notes a failed one on the timeline', async () => {
    const ticketId = await h.buildTicket(agent.actor, { assignToMe: true });
    const good = await post(agent, `/api/v1/tickets/${ticketId}/messages`, {
      visibility: 'public',
      body: '您好，已为您重置宽带端口，感谢您的来电。',
    });
    expect(good.statusCode).toBe(201);
    const bad = await post(agent, `/api/v1/tickets/${ticketId}/messages`, {
      visibility: 'public',
      body: '这不归我管，你自己看着办。',
    });
    const note = await post(agent, `/api/v1/tickets/${ticketId}/messages`, {
      visibility: 'internal',
      body: '不归我管',
    });
    expect(note.statusCode).toBe(201);
    const checks = await h.database.db.select().from(replyChecks).where(eq(replyChecks.ticketId, ticketId));
    expect(checks).toHaveLength(2);
    expect(checks.find((c) => c.messageId === good.json().id)).toMatchObject({
      staffId: agent.actor.id,
      compliant: true,
      missing: [],
      forbidden: [],
    });
    expect(checks.find((c) => c.messageId === bad.json().id)).toMatchObject({
      compliant: false,
      missing: ['greeting', 'closing'],
      forbidden: ['不归我管', '自己看着办'],
    });
    const timeline = (await get(agent, `/api/v1/tickets/${ticketId}/timeline`)).json();
    const failed = timeline.items.filter((e: { kind: string }) => e.kind === 'script_check_failed');
    expect(failed.map((e: { data: unknown }) => e.data)).toEqual([
      { messageId: bad.json().id, missing: ['greeting', 'closing'], forbidden: ['不归我管', '自己看着办'] },
    ]);

    const month = (await get(supervisor, '/api/v1/quality/script-compliance?month=2026-11')).json();
    expect(month.target).toBe(0.98);
    expect(month.agents.find((a: { staffId: string }) => a.staffId === agent.actor.id)).toMatchObject({
      replies: 2,
      compliant: 1,
      share: 0.5,
      meetsTarget: false,
      missingGreeting: 1,
      missingClosing: 1,
      forbidden: 1,
    });
    expect((await get(agent, '/api/v1/quality/script-compliance')).statusCode).toBe(403);
  });

  it('matches a phrase an administrator adds from the next message on, and refuses duplicates and bad entries', async () => {
    const msisdn = String(phone++);
    const first = await sms(msisdn, '我的号码被停机了');
    const added = await post(admin, '/api/v1/phrases', {
      list: 'risk',
      phrase: '黑猫投诉',
      synonyms: ['黑猫'],
      raiseGrade: 'major',
    });
    expect(added.statusCode).toBe(201);
    await sms(msisdn, '不处理我就发到黑猫上');
    expect((await alertsFor(first.ticketId!)).map((a) => (a.payload as { words: string[] }).words)).toEqual([
      ['黑猫投诉'],
    ]);
    expect((await ticketRow(first.ticketId!)).grade).toBe('major');

    const again = await post(admin, '/api/v1/phrases', { list: 'risk', phrase: '黑猫投诉' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('phrase.duplicate');
    const noSlot = await post(admin, '/api/v1/phrases', { list: 'required', phrase: '您好呀呀' });
    expect(noSlot.statusCode).toBe(400);
    expect(noSlot.json().error.code).toBe('request.invalid');
    const badGrade = await post(admin, '/api/v1/phrases', { list: 'risk', phrase: '举报', raiseGrade: 'nope' });
    expect(badGrade.json().error.code).toBe('directory.unknown_reference');
    expect((await post(supervisor, '/api/v1/phrases', { list: 'risk', phrase: '举报' })).statusCode).toBe(403);

    // Disabled: no longer matched.
    const id = added.json().id;
    const off = await h.request(admin, {
      method: 'PUT',
      url: `/api/v1/phrases/${id}`,
      payload: { list: 'risk', phrase: '黑猫投诉', synonyms: ['黑猫'], raiseGrade: 'major', enabled: false },
    });
    expect(off.statusCode).toBe(200);
    await sms(msisdn, '我还是要发黑猫');
    expect(await alertsFor(first.ticketId!)).toHaveLength(1);

    const list = (await get(supervisor, '/api/v1/phrases?list=risk&limit=200')).json();
    expect(list.items.map((p: { phrase: string }) => p.phrase)).toEqual(expect.arrayContaining(['工信部', '黑猫投诉']));
    const tried = (await post(supervisor, '/api/v1/phrases/test', { text: '我要去通管局投诉' })).json();
    expect(tried).toMatchObject({ words: ['我', '要', '去', '通管局', '投诉'], risk: ['通管局', '投诉'] });
  });
});
