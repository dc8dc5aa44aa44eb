import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_INCIDENT_SETTINGS } from '../../src/core/incidents/incidents.js';
import { categoryId } from '../../src/db/reference-data.js';
import { customerNumbers, incidentCandidates, incidents, tickets } from '../../src/db/schema.js';
import { detectIncidentCandidates } from '../../src/usecases/incidents/candidates.js';
import { sendIncidentNotices } from '../../src/usecases/incidents/send-notices.js';
import { testClock } from '../helpers/harness.js';
import { open, screenshotsOut, shotIfAsked, signIn, startDesk, type Desk, navTo } from './browser.js';

// A network incident from burst to review in the desk: the detection job proposes a candidate, a
// supervisor confirms it on the board, an agent taking a call from the area sees the banner, the
// customers of the area are notified, a remedy is granted to the linked customers, the incident is
// resolved and its linked tickets follow, and the review is written. With
// SCREENSHOTS_OUT=docs/screenshots it saves the incident list and page in both languages.

describe('network incidents in a browser', () => {
  let desk: Desk;
  const clock = testClock(new Date());

  beforeAll(async () => {
    desk = await startDesk({ clock });
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('takes an outage from candidate to review: banner for the caller, notices, remedy, resolution of the linked tickets', async () => {
    const { h } = desk;
    const frontline = await h.buildTeam({ code: 'frontline', kind: 'frontline', name: '一线客服组' });
    await h.buildTeam({ code: 'network-ops', name: '网络运维部', kind: 'department' });
    const agent = await h.buildStaff('agent', frontline);
    const supervisor = await h.buildStaff('supervisor', frontline);
    const area = '天河区';
    const callers: string[] = [];
    for (const name of ['王芳', '李强', '陈静']) {
      const customerId = await h.buildCustomer({ region: area, name });
      callers.push(customerId);
      await h.buildTicket(agent, {
        categoryId: categoryId('fault-network-no-signal'),
        customerId,
        subject: '手机没有信号',
        description: '从上午开始手机一直没有信号',
      });
    }
    for (const name of ['赵磊', '孙丽']) await h.buildCustomer({ region: area, name }); // not called yet
    const detection = {
      ...h.deps,
      incidents: { ...DEFAULT_INCIDENT_SETTINGS, detection: { threshold: 3, windowMinutes: 30 } },
    };
    expect((await detectIncidentCandidates(detection)).proposed).toBe(1);
    const [candidate] = await h.database.db
      .select()
      .from(incidentCandidates)
      .where(eq(incidentCandidates.region, area));

    // The supervisor confirms the candidate on the board and lands on the new incident.
    const sup = await open(desk, 'zh', '/');
    await signIn(sup.page, supervisor.username);
    await navTo(sup.page, 'a[href="/board"]');
    await sup.page.waitForSelector(`[data-candidate="${candidate!.id}"]`);
    await sup.page.selectOption('.incident-candidates select', 'II');
    await sup.page.click(`[data-candidate="${candidate!.id}"] button.primary`);
    await sup.page.waitForSelector('.incident-view h1:has-text("天河区")');
    const [decided] = await h.database.db
      .select()
      .from(incidentCandidates)
      .where(eq(incidentCandidates.id, candidate!.id));
    const [incident] = await h.database.db.select().from(incidents).where(eq(incidents.id, decided!.incidentId!));
    expect(incident).toMatchObject({ level: 'II', status: 'investigating' });
    // What agents say and the notices: edited through the API (the edit form is not part of this flow).
    const supApi = await h.signIn('supervisor', frontline);
    const edited = await h.request(supApi, {
      method: 'PATCH',
      url: `/api/v1/incidents/${incident!.id}`,
      payload: {
        publicMessage: '天河区部分基站故障，正在抢修。',
        agentScript: '您好，您所在的天河区基站故障，工程师正在抢修，预计今天 18:00 前恢复。',
        expectedRepairAt: new Date(clock.now().getTime() + 6 * 3_600_000).toISOString(),
        notifyCustomers: true,
      },
    });
    expect(edited.statusCode, edited.body).toBe(200);

    // An agent takes a call from the area: the banner shows before the ticket exists.
    const ag = await open(desk, 'zh', '/');
    await signIn(ag.page, agent.username);
    const [number] = await h.database.db
      .select()
      .from(customerNumbers)
      .where(eq(customerNumbers.customerId, callers[0]!));
    await navTo(ag.page, 'a[href="/new"]');
    await ag.page.fill('input[name=phone]', number!.msisdn);
    await ag.page.click('.caller button[type=submit]');
    await ag.page.click('.matches button');
    await ag.page.waitForSelector(`.incident-banner [data-incident="${incident!.id}"]`);
    await ag.page.waitForSelector('text=工程师正在抢修');
    expect(ag.errors).toEqual([]);
    await ag.context.close();

    // The notice job tells the five customers of the area; the page shows it.
    expect((await sendIncidentNotices(h.deps)).queued).toBe(5);
    await sup.page.reload();
    await sup.page.waitForSelector('text=已通知 5');

    // A data pack for every linked customer.
    await sup.page.selectOption('.incident-remedy-form select >> nth=1', 'data_pack');
    await sup.page.fill('.incident-remedy-form input[type=number]', '2048');
    await sup.page.fill('.incident-remedy-form input:not([type])', '基站故障补偿');
    await sup.page.click('.incident-remedy-form button[type=submit]');
    await sup.page.waitForSelector('text=已为 3 位客户发放，0 笔待审批');
    await sup.page.waitForSelector('table.incident-remedies tbody tr >> nth=2');

    // The customer's panel on their ticket lists the remedy, with its status and incident.
    const [callersTicket] = await h.database.db.select().from(tickets).where(eq(tickets.customerId, callers[0]!));
    await sup.page.goto(`${desk.base}/tickets/${callersTicket!.id}`);
    const remedy = sup.page.locator('.customer-remedies li');
    await remedy.waitFor();
    expect(await remedy.innerText()).toMatch(new RegExp(`流量包\\s*2048 MB\\s*已批准\\s*因故障 ${incident!.number}`));
    await shotIfAsked(sup.page, 'customer-remedies-zh');
    if (screenshotsOut) {
      const en = await open(desk, 'en', '/');
      await signIn(en.page, supervisor.username);
      await en.page.goto(`${desk.base}/tickets/${callersTicket!.id}`);
      await en.page.waitForSelector('.customer-remedies li:has-text("Data pack")');
      await shotIfAsked(en.page, 'customer-remedies-en');
      await en.context.close();
    }
    await sup.page.goto(`${desk.base}/incidents/${incident!.id}`);
    await sup.page.waitForSelector('table.incident-remedies tbody tr >> nth=2');

    if (screenshotsOut) {
      await shotIfAsked(sup.page, 'incident-zh');
      await sup.page.click('a:has-text("返回故障列表")');
      await sup.page.waitForSelector(`text=${incident!.number}`);
      await shotIfAsked(sup.page, 'incidents-list-zh');
      const en = await open(desk, 'en', '/incidents');
      await signIn(en.page, supervisor.username);
      await en.page.goto(`${desk.base}/incidents`);
      await en.page.waitForSelector(`text=${incident!.number}`);
      await shotIfAsked(en.page, 'incidents-list-en');
      await en.page.goto(`${desk.base}/incidents/${incident!.id}`);
      await en.page.waitForSelector('table.incident-remedies');
      await shotIfAsked(en.page, 'incident-en');
      expect(en.errors).toEqual([]);
      await en.context.close();
      await sup.page.goto(`${desk.base}/incidents/${incident!.id}`);
    }

    // Resolution: every linked ticket is resolved with the note, and the review is written.
    await sup.page.selectOption('.incident-move select', 'resolved');
    await sup.page.fill('.incident-move textarea', '基站电源已更换，信号恢复正常。');
    await sup.page.click('.incident-move button[type=submit]');
    await sup.page.waitForSelector('text=已解决 3 张工单，通知 3 位客户');
    await sup.page.waitForSelector('.incident-tickets tr:has-text("已解决") >> nth=2');
    await sup.page.fill('.incident-review-form textarea', '根因：基站电源老化。改进：电源巡检周期缩短为一个月。');
    await sup.page.click('.incident-review-form button[type=submit]');
    await sup.page.waitForSelector('.incident-lessons:has-text("电源巡检")');
    await sup.page.waitForSelector('.incident-status:has-text("已复盘")');
    await shotIfAsked(sup.page, 'incident-reviewed-zh');
    expect(sup.errors).toEqual([]);
    await sup.context.close();

    const linked = await h.database.db.select().from(tickets).where(eq(tickets.incidentId, incident!.id));
    expect(linked.map((t) => t.status)).toEqual(['resolved', 'resolved', 'resolved']);
  }, 120_000);
});
