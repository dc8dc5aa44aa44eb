import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClock } from '../helpers/harness.js';
import { open, signIn, startDesk, type Desk } from './browser.js';

// Countdowns show remaining business time: on a Saturday a business-hours limit holds still.

describe('SLA countdowns in the desk', () => {
  let desk: Desk;
  beforeAll(async () => {
    // Saturday 28 November 2026, 11:00 in Beijing; the server's clock, not the browser's.
    desk = await startDesk({ clock: testClock(new Date('2026-11-28T11:00:00+08:00')) });
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('holds a business-hours limit over the weekend at the business time left, while a 7×24 limit runs on', async () => {
    const { h } = desk;
    const agent = await h.buildStaff('agent', await h.buildTeam());
    const ticketId = await h.buildTicket(agent, { type: 'fault' });

    const { page, errors } = await open(desk, 'en', `/tickets/${ticketId}`);
    await signIn(page, agent.username);
    const diagnosis = page.locator('.sla-row[data-metric=diagnosis] .countdown');
    await diagnosis.waitFor();
    // One business hour, not the 46 wall-clock hours to Monday 09:00 + 1 h.
    expect(await diagnosis.textContent()).toBe('1 h 00 min left · outside business hours');
    const resolution = page.locator('.sla-row[data-metric=resolution] .countdown');
    expect(await resolution.textContent()).toMatch(/^2[34] h \d\d min left$/);
    await page.waitForTimeout(2_000);
    expect(await diagnosis.textContent()).toBe('1 h 00 min left · outside business hours');
    // The header shows the limit with the least time left.
    expect(await page.textContent('[data-testid=sla-header]')).toBe(
      'Diagnosis · 1 h 00 min left · outside business hours',
    );
    expect(errors).toEqual([]);
  });
});
