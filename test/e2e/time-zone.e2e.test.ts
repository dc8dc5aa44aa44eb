import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClock } from '../helpers/harness.js';
import { open, shotIfAsked, signIn, startDesk, type Desk } from './browser.js';

// The desk writes every date and time in the installation's time zone (Asia/Shanghai here), the
// one the API works in, whatever zone the browser is in, and in one format per language: a ticket
// created at 10:00 Beijing time reads 10:00 in a browser set to New York, and the next send of a
// daily 08:00 report reads 08:00, written as the timeline writes it.

describe('dates and times on the desk', () => {
  let desk: Desk;
  let team: string;
  // 10:00 Beijing on Friday 20 November 2026 (21:00 on the 19th in New York).
  const clock = testClock(new Date('2026-11-20T02:00:00Z'));

  beforeAll(async () => {
    desk = await startDesk({ clock });
    team = await desk.h.buildTeam({ name: '一线客服组' });
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('shows times in the installation’s zone, in one format per language, in a browser elsewhere', async () => {
    const { h } = desk;
    const supervisor = await h.buildStaff('supervisor', team);
    const ticketId = await h.buildTicket(supervisor, { subject: '宽带频繁掉线' });
    const made = await h.request(await h.login(supervisor), {
      method: 'POST',
      url: '/api/v1/kpi/report-schedules',
      payload: {
        name: '日报',
        what: { kind: 'dashboard', granularity: 'day' },
        format: 'csv',
        frequency: 'daily',
        sendTime: '08:00',
        recipients: ['li.lei@example.cn'],
      },
    });
    expect(made.statusCode, made.body).toBe(201);
    const expected = {
      zh: { created: '2026/11/20 10:00:00', nextSend: '11/21 08:00' },
      en: { created: '20/11/2026, 10:00:00', nextSend: '21/11, 08:00' },
    };
    for (const lang of ['zh', 'en'] as const) {
      const d = await open(desk, lang, '/', { timezoneId: 'America/New_York' });
      await signIn(d.page, supervisor.username);
      await d.page.goto(`${desk.base}/tickets/${ticketId}`);
      await d.page.locator('.timeline li').first().waitFor();
      expect(await d.page.locator('.timeline').textContent()).toContain(expected[lang].created);
      await shotIfAsked(d.page, `time-zone-ticket-${lang}`);

      await d.page.goto(`${desk.base}/kpi`);
      const row = d.page.locator('.report-schedules tr[data-schedule]');
      await row.waitFor();
      expect(await row.locator('td').nth(5).textContent()).toBe(expected[lang].nextSend);
      expect(d.errors).toEqual([]);
      await d.context.close();
    }
  }, 120_000);

  it('reads a time typed on the desk as the installation’s wall-clock time, in a browser elsewhere', async () => {
    const { h } = desk;
    const supervisor = await h.buildStaff('supervisor', team);
    const d = await open(desk, 'en', '/', { timezoneId: 'America/New_York' });
    await signIn(d.page, supervisor.username);
    await d.page.goto(`${desk.base}/incidents/new`);
    await d.page.getByLabel('Incident').fill('基站故障');
    await d.page.getByLabel('Affected areas').fill('天河区');
    // 18:00 on 20 November in Beijing is 10:00 UTC (05:00 in New York).
    await d.page.getByLabel('Expected repair').fill('2026-11-20T18:00');
    await d.page.getByLabel('Public message').fill('基站故障，正在抢修');
    await d.page.getByLabel('What agents say').fill('您好，您所在区域基站故障，正在抢修。');
    await d.page.getByRole('button', { name: 'Create' }).click();
    await d.page.waitForURL(/\/incidents\/[0-9a-f-]{36}$/);
    const id = d.page.url().split('/').pop()!;
    const stored = await h.request(await h.login(supervisor), { method: 'GET', url: `/api/v1/incidents/${id}` });
    expect(stored.json().expectedRepairAt).toBe('2026-11-20T10:00:00.000Z');
    expect(d.errors).toEqual([]);
    await d.context.close();
  }, 120_000);
});
