import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { receiveChannelMessage } from '../../src/usecases/channels/receive-channel-message.js';
import { updateTicket } from '../../src/usecases/tickets/update-ticket.js';
import { addMessage } from '../../src/usecases/tickets/add-message.js';
import { receiveEmail } from '../../src/usecases/channels/receive-email.js';
import { parseMail } from '../../src/channels/email/parse-mail.js';
import { mailDeps, mailFixture } from '../helpers/mail-fixtures.js';
import { sign } from '../../src/core/channels/webhook-signature.js';
import { TEST_WEBHOOK_SECRETS } from '../helpers/harness.js';
import { open, signIn, startDesk, type Desk } from './browser.js';

// Correcting and creating tickets in headless Chromium: a channel ticket made what it is, a caller
// nobody knows registered on the spot, and duplicates merged from the ticket page.

describe('editing and creating tickets in a browser', () => {
  let desk: Desk;
  let frontline: string;

  beforeAll(async () => {
    desk = await startDesk();
    frontline = await desk.h.buildTeam({ code: 'frontline', kind: 'frontline', name: '一线客服组' });
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('lets an agent reclassify a ticket that came by SMS and fill in its fault details; the timeline says what changed, in Chinese', async () => {
    const { h } = desk;
    const agent = await h.buildStaff('agent', frontline);
    // Where suggestions are never applied (LOOPDESK_CLASSIFY_APPLY_AT=1) the SMS stays an
    // unclassified inquiry, and its page shows the suggestion for the agent to take or not.
    const { ticketId } = await receiveChannelMessage({ ...h.deps, classifyApplyAt: 1 }, 'sms', {
      messageId: `e2e-edit-${Date.now()}`,
      from: { msisdn: '13766660001' },
      text: '家里宽带断网两天了，光猫红灯',
    });

    const a = await open(desk, 'zh', `/tickets/${ticketId}`);
    await signIn(a.page, agent.username);
    await a.page.waitForSelector('.ticket-header');
    expect(await a.page.textContent('.facts .type')).toBe('咨询');
    expect(await a.page.textContent('.classification-hint')).toContain('故障 · 宽带断网');
    expect(await a.page.textContent('.ticket-facts .channel')).toBe('短信');
    // The customer's SMS reads as the customer's, not as a reply to them.
    expect(await a.page.textContent('.timeline .message.inbound .kind')).toBe('客户来信 · 经短信');

    await a.page.click('[data-action=edit]');
    await a.page.check('form.edit-ticket input[name=type][value=fault]');
    // Only categories that fit a fault are offered, and "leave open".
    const offered = await a.page.$$eval('form.edit-ticket select[name=category] option', (os) =>
      os.map((o) => o.textContent?.trim()),
    );
    expect(offered).toContain('宽带断网');
    expect(offered).not.toContain('资费咨询');
    await a.page.selectOption('form.edit-ticket select[name=category]', { label: '　宽带断网' });
    await a.page.selectOption('form.edit-ticket select[name=grade]', 'major');
    await a.page.fill('form.edit-ticket input[name=tags]', '宽带，断网');
    // A malformed number is refused in Chinese, next to the field, before anything is sent.
    await a.page.fill('form.edit-ticket input[name=contactNumber]', '12345');
    await a.page.click('form.edit-ticket button[type=submit]');
    expect(await a.page.textContent('form.edit-ticket .error')).toBe('请填写11位手机号或带区号的固话号码');
    await a.page.fill('form.edit-ticket input[name=contactNumber]', '13766660002');
    await a.page.fill('input[name=fault-location]', '天河区中山大道100号3栋');
    await a.page.fill('input[name=fault-symptom]', '光猫LOS灯红');
    await a.page.selectOption('select[name=fault-scope]', 'building');
    await a.page.fill('input[name=fault-onset]', '2026-11-26T08:00');
    await a.page.click('form.edit-ticket button[type=submit]');

    await a.page.waitForSelector('form.edit-ticket', { state: 'detached' });
    // Classified now: the suggestion has done its work and goes.
    await a.page.waitForSelector('.classification-hint', { state: 'detached' });
    expect(await a.page.textContent('.facts .type')).toBe('故障');
    expect(await a.page.textContent('.facts')).toContain('宽带断网');
    expect(await a.page.textContent('.facts')).toContain('#断网');
    expect(await a.page.textContent('.ticket-facts .contact-number')).toBe('137****0002');
    expect(await a.page.textContent('.ticket-facts .fault-scope')).toBe('整栋楼宇');
    expect(await a.page.textContent('.ticket-facts .fault-location')).toBe('天河区中山大道100号3栋');
    const edit = await a.page.waitForSelector('.timeline .event-updated');
    const sentence = (await edit.textContent()) ?? '';
    expect(sentence).toContain('类型 咨询 → 故障');
    expect(sentence).toContain('分类 无 → 宽带断网');
    expect(sentence).toContain('优先级 P4 → P2');
    expect(sentence).toContain('故障信息、联系号码已修改');
    // No English inside the Chinese timeline.
    expect(await a.page.textContent('.timeline')).not.toMatch(/\b(changed|created|System|the ticket)\b/);

    const [row] = await queryRows<{ type: string; contact_number: string; details: { scope: string } }>(
      h.database.db,
      sql`SELECT type, contact_number, details FROM tickets WHERE id = ${ticketId}`,
    );
    expect(row).toMatchObject({ type: 'fault', contact_number: '13766660002', details: { scope: 'building' } });
    expect(a.errors).toEqual([]);
    await a.context.close();
  }, 90_000);

  it('lets an agent register an unknown caller while creating a ticket, with the channel, fault details and a category chosen or left open on purpose', async () => {
    const { h } = desk;
    const agent = await h.buildStaff('agent', frontline);
    const a = await open(desk, 'en', '/new');
    await signIn(a.page, agent.username);

    await a.page.selectOption('select[name=channel]', 'shop');
    await a.page.fill('input[name=phone]', '13877770001');
    await a.page.click('.caller button:has-text("Find")');
    await a.page.click('[data-action=register]');
    // The number searched for is already in the form; name and tier are the agent's to give.
    expect(await a.page.inputValue('input[name=register-number]')).toBe('13877770001');
    await a.page.click('.register-form button[type=submit]');
    expect(await a.page.textContent('.register-form .error')).toBe("Enter the customer's name");
    await a.page.fill('input[name=register-name]', '赵六');
    await a.page.selectOption('select[name=register-tier]', 'gold');
    await a.page.click('.register-form button[type=submit]');
    await a.page.waitForSelector('.chosen:has-text("赵六")');

    // Fault fields appear for a fault.
    await a.page.check('input[name=type][value=fault]');
    await a.page.waitForSelector('input[name=fault-location]');
    await a.page.fill('input[name=subject]', 'No signal at home');
    await a.page.fill('textarea[name=description]', 'No mobile signal at home since yesterday evening.');
    await a.page.fill('input[name=fault-location]', 'Tianhe, block 3');
    await a.page.selectOption('select[name=fault-scope]', 'single_user');
    await a.page.fill('input[name=contactNumber]', '13877770002');
    // Nothing is taken as the category unless the agent chooses one, or chooses to leave it open.
    await a.page.click('button:has-text("Save ticket")');
    expect(await a.page.textContent('.details .error')).toBe('Choose a category, or choose “leave open” explicitly');
    expect(a.page.url()).toMatch(/\/new$/);
    await a.page.selectOption('select[name=category]', { label: 'Leave open (the handler decides)' });
    await a.page.click('button:has-text("Save ticket")');

    await a.page.waitForSelector('.routed');
    expect(await a.page.textContent('.ticket-facts .channel')).toBe('Shop walk-in');
    expect(await a.page.textContent('.ticket-facts .contact-number')).toBe('138****0002');
    expect(await a.page.textContent('.ticket-facts .fault-scope')).toBe('One user');
    const id = new URL(a.page.url()).pathname.split('/').at(-1)!;
    const [row] = await queryRows<{ channel: string; category_id: string | null; tier: string; name: string }>(
      h.database.db,
      sql`SELECT t.channel, t.category_id, c.tier, c.name FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE t.id = ${id}`,
    );
    expect(row).toEqual({ channel: 'shop', category_id: null, tier: 'gold', name: '赵六' });
    expect(a.errors).toEqual([]);
    await a.context.close();
  }, 90_000);

  it('saves the category the agent chose on the new-ticket form', async () => {
    const { h } = desk;
    const agent = await h.buildStaff('agent', frontline);
    const customerId = await h.buildCustomer({ name: '钱七', numbers: ['13877770003'] });
    const a = await open(desk, 'zh', `/new?customer=${customerId}`);
    await signIn(a.page, agent.username);
    await a.page.waitForSelector('.chosen:has-text("钱七")');
    await a.page.check('input[name=type][value=inquiry]');
    await a.page.fill('.details input[type=search]', '账单');
    await a.page.selectOption('select[name=category]', { label: '账单查询' });
    await a.page.fill('input[name=subject]', '账单查询');
    await a.page.fill('textarea[name=description]', '想了解本月账单明细。');
    await a.page.click('button:has-text("保存工单")');
    await a.page.waitForSelector('.routed');
    expect(await a.page.textContent('.facts')).toContain('账单查询');
    expect(a.errors).toEqual([]);
    await a.context.close();
  }, 60_000);
  it("merges a duplicate from the ticket page, naming each ticket on the other's timeline, and never offers a ticket the agent may not read", async () => {
    const { h } = desk;
    const agent = await h.buildStaff('agent', frontline);
    const customerId = await h.buildCustomer({ name: '孙八', numbers: ['13877770004'] });
    const duplicate = await h.buildTicket(agent, { customerId, subject: '宽带又断了' });
    const original = await h.buildTicket(agent, { customerId, subject: '宽带断网' });
    // A VIP-desk ticket of the same customer that this agent may not read.
    const vipTeam = await h.buildTeam({ kind: 'vip', restricted: true, name: 'VIP专席' });
    const vipAgent = await h.buildStaff('agent', vipTeam);
    const hidden = await h.buildTicket(vipAgent, { customerId, subject: '董事长专线投诉' });
    const [{ number: hiddenNumber }] = await queryRows<{ number: string }>(
      h.database.db,
      sql`SELECT number FROM tickets WHERE id = ${hidden}`,
    ).then((rows) => rows as [{ number: string }]);
    const numberOf = async (id: string) =>
      (await queryRows<{ number: string }>(h.database.db, sql`SELECT number FROM tickets WHERE id = ${id}`))[0]!.number;

    const a = await open(desk, 'zh', `/tickets/${duplicate}`);
    await signIn(a.page, agent.username);
    await a.page.click('[data-action=merge]');
    await a.page.waitForSelector(`select[name=other-ticket] option[value="${original}"]`, { state: 'attached' });
    const offered = await a.page.textContent('select[name=other-ticket]');
    expect(offered).not.toContain(hiddenNumber);
    expect(offered).not.toContain('董事长专线投诉');
    // Looking the hidden ticket up by its number finds nothing either.
    await a.page.fill('input[name=other-number]', hiddenNumber);
    await a.page.click('.merge-link button:has-text("查找")');
    await a.page.waitForSelector('.merge-link p.error:has-text("没有找到这个工单号")');

    await a.page.selectOption('select[name=other-ticket]', original);
    await a.page.click('[data-action=merge-into]');
    await a.page.waitForSelector('.facts .status-closed');
    const originalNumber = await numberOf(original);
    const duplicateNumber = await numberOf(duplicate);
    expect(await a.page.textContent('.timeline .event-merged')).toContain(`将本工单合并至 ${originalNumber}`);
    expect(await a.page.textContent('.links-panel')).toContain(originalNumber);

    // The other ticket names this one, and the link opens it.
    await a.page.click('.timeline .event-merged a.other-ticket');
    await a.page.waitForSelector(`.ticket-header .number:has-text("${originalNumber}")`);
    expect(await a.page.textContent('.timeline .event-merged')).toContain(`将工单 ${duplicateNumber} 合并到本工单`);
    expect(a.errors).toEqual([]);
    await a.context.close();
  }, 60_000);
  it('refuses an edit made on a ticket someone else changed since the form opened, instead of overwriting it', async () => {
    const { h } = desk;
    const agent = await h.buildStaff('agent', frontline);
    const ticketId = await h.buildTicket(agent, { type: 'inquiry', subject: '话费咨询' });
    const a = await open(desk, 'zh', `/tickets/${ticketId}`);
    await signIn(a.page, agent.username);
    await a.page.click('[data-action=edit]');
    await a.page.fill('form.edit-ticket input[name=subject]', '话费咨询（已核实）');
    // Meanwhile a colleague changes the grade; the page behind the form follows live.
    const [{ version }] = (await queryRows<{ version: number }>(
      h.database.db,
      sql`SELECT version FROM tickets WHERE id = ${ticketId}`,
    )) as [{ version: number }];
    await updateTicket(h.deps, agent, ticketId, { grade: 'major', version });
    await a.page.waitForSelector('.facts .grade-major');
    await a.page.click('form.edit-ticket button[type=submit]');
    await a.page.waitForSelector('form.edit-ticket p.error[data-code="ticket.version_conflict"]');
    expect(await a.page.textContent('form.edit-ticket p.error')).toBe('工单已被他人修改，请刷新后重试');
    const [row] = await queryRows<{ subject: string; grade: string }>(
      h.database.db,
      sql`SELECT subject, grade FROM tickets WHERE id = ${ticketId}`,
    );
    expect(row).toEqual({ subject: '话费咨询', grade: 'major' });
    await a.context.close();
  }, 60_000);
  it("labels a customer email as the customer's, an internal note without a channel, and shows the sender's address masked on the customer panel until revealed", async () => {
    const { h } = desk;
    const agent = await h.buildStaff('agent', frontline);
    const raw = mailFixture('utf8.eml');
    const outcome = await receiveEmail(mailDeps(h), {
      mail: await parseMail(raw),
      raw,
      envelope: { from: 'zhang.san@example.cn', to: ['kf@loopdesk.example'] },
    });
    if (outcome.outcome !== 'accepted') throw new Error(`mail not accepted: ${outcome.outcome}`);
    await addMessage(h.deps, agent, outcome.ticketId, {
      visibility: 'internal',
      body: '已联系网络部核查基站',
      format: 'text',
    });

    const a = await open(desk, 'en', `/tickets/${outcome.ticketId}`);
    await signIn(a.page, agent.username);
    await a.page.waitForSelector('.timeline .message.internal');
    expect(await a.page.textContent('.timeline .message.inbound .kind')).toBe('From the customer · via Email');
    expect(await a.page.textContent('.timeline .message.internal .kind')).toBe('Internal note');
    expect(await a.page.textContent('.customer .emails')).toBe('zh****@example.cn');
    await a.page.click('[data-action=reveal]');
    await a.page.selectOption('form.reveal select[name=field]', 'email');
    await a.page.fill('input[name=reason]', 'Confirm the address before replying');
    await a.page.click('form.reveal button[type=submit]');
    await a.page.waitForSelector('.customer .emails.revealed:has-text("zhang.san@example.cn")');
    expect(a.errors).toEqual([]);
    await a.context.close();
  }, 60_000);
  it('pops the hotline caller by name with a masked number, and the call on the ticket links its recording', async () => {
    const { h } = desk;
    const agent = await h.buildStaff('agent', frontline);
    const customerId = await h.buildCustomer({ name: '周九', numbers: ['13612340009'], tier: 'vip' });
    const ticketId = await h.buildTicket(agent, { customerId, subject: '上次的宽带问题' });
    const [{ number }] = (await queryRows<{ number: string }>(
      h.database.db,
      sql`SELECT number FROM tickets WHERE id = ${ticketId}`,
    )) as [{ number: string }];
    const call = (event: string, extra: object = {}) => {
      const payload = JSON.stringify({
        callId: `e2e-call-${ticketId}`,
        event,
        at: new Date().toISOString(),
        caller: '13612340009',
        ...extra,
      });
      return h.request(null, {
        method: 'POST',
        url: '/api/v1/channels/hotline/calls',
        payload,
        headers: {
          'content-type': 'application/json',
          'x-loopdesk-signature': sign(TEST_WEBHOOK_SECRETS.hotline, Math.floor(Date.now() / 1000), payload),
        },
      });
    };

    const a = await open(desk, 'zh', '/');
    await signIn(a.page, agent.username);
    await a.page.waitForTimeout(500); // the event stream is open
    await call('answered', { agent: agent.username });
    const pop = await a.page.waitForSelector('.screen-pop', { timeout: 10_000 });
    expect(await pop.textContent()).toContain('来电：周九');
    expect(await a.page.textContent('.screen-pop .caller-number')).toBe('136****0009');
    expect(await pop.textContent()).not.toContain('13612340009');

    await call('ended', { recordingUrl: 'https://cti.example/rec/e2e.mp3', ticketNumber: number });
    await a.page.click('.screen-pop a[href^="/tickets/"]');
    const recording = await a.page.waitForSelector('.timeline .event-call_linked a.recording');
    expect(await recording.getAttribute('href')).toBe('https://cti.example/rec/e2e.mp3');
    expect(await recording.textContent()).toContain('收听录音');
    expect(a.errors).toEqual([]);
    await a.context.close();
  }, 60_000);
});
