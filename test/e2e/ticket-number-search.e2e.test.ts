import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tickets } from '../../src/db/schema.js';
import { open, shotIfAsked, signIn, startDesk, type Desk } from './browser.js';

// A caller reads out a ticket number: whatever view the desk is on, the exact number finds it.

describe('searching an exact ticket number from the queue', () => {
  let desk: Desk;

  beforeAll(async () => {
    desk = await startDesk();
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  const numberOf = async (ticketId: string) =>
    (await desk.h.database.db.select({ n: tickets.number }).from(tickets).where(eq(tickets.id, ticketId)))[0]!.n;

  for (const lang of ['zh', 'en'] as const)
    it(`opens the ticket from the default Mine view, where it is not listed (${lang})`, async () => {
      const { h } = desk;
      const team = await h.buildTeam({ name: '一线客服组' });
      const agent = await h.buildStaff('agent', team);
      const supervisor = await h.buildStaff('supervisor', team);
      const ticketId = await h.buildTicket(agent, { assignToMe: true, subject: '光猫指示灯闪红' });
      const number = await numberOf(ticketId);

      const a = await open(desk, lang);
      await signIn(a.page, supervisor.username);
      // A fresh profile lands on Mine, which holds none of the supervisor's tickets.
      await a.page.waitForSelector('.queue .views button.active');
      expect(await a.page.textContent('.queue .views button.active span')).toBe(lang === 'zh' ? '我的工单' : 'Mine');

      await a.page.fill('.filters input[type=search]', ` ${number.toLowerCase()} `);
      await a.page.press('.filters input[type=search]', 'Enter');
      await a.page.waitForURL(`**/tickets/${ticketId}`);
      expect(await a.page.textContent('.ticket-header .number')).toBe(number);
      await shotIfAsked(a.page, `ticket-number-opened-${lang}`);

      // Back returns to the queue as it was.
      await a.page.goBack();
      await a.page.waitForSelector('.queue .views button.active');
      expect(a.errors).toEqual([]);
      await a.context.close();
    }, 60_000);

  it('lists an exact number whatever the view when it comes in the address, and finds nothing the person may not read', async () => {
    const { h } = desk;
    const team = await h.buildTeam();
    const closedTeam = await h.buildTeam({ restricted: true, supervisorsSeeRestricted: false, name: '投诉专席' });
    const agent = await h.buildStaff('agent', team);
    const outsider = await h.buildStaff('agent', team);
    const specialist = await h.buildStaff('agent', closedTeam);
    const visible = await numberOf(await h.buildTicket(agent, { assignToMe: true }));
    const hidden = await numberOf(await h.buildTicket(specialist, { assignToMe: true }));

    const a = await open(desk, 'en', `/?view=mine&q=${visible}`);
    await signIn(a.page, outsider.username);
    await a.page.waitForSelector(`.tickets td a:text-is("${visible}")`);

    // The restricted queue's ticket: the same read policy as everywhere, so the desk stays on the queue.
    await a.page.fill('.filters input[type=search]', hidden);
    await a.page.press('.filters input[type=search]', 'Enter');
    await a.page.waitForURL(`**/?*q=${hidden}*`);
    await a.page.waitForSelector(`.list >> text=No ticket ${hidden} that you may read`);
    expect(await a.page.locator('.tickets tbody tr').count()).toBe(0);
    await shotIfAsked(a.page, 'ticket-number-not-found-en');
    expect(a.errors).toEqual([]);
    await a.context.close();
  }, 60_000);
});
