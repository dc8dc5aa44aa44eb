import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { startHarness, testClock, type Harness, type Session } from '../helpers/harness.js';

// Business calendars in the admin console: impossible dates are refused, one day is set at a
// time, an import is previewed before it is saved, open tickets' due times follow every change,
// and the console says when the coming weeks fall outside every loaded year.

describe.each(ENGINES)('business calendars on %s', (engine) => {
  let h: Harness;
  let admin: Session;
  let agent: Session;
  // Friday 27 November 2026, 17:30 in Shanghai: half an hour of the working day is left.
  const clock = testClock(new Date('2026-11-27T09:30:00Z'));

  beforeAll(async () => {
    h = await startHarness(engine, { clock });
    admin = await h.signIn('admin', null);
    agent = await h.signIn('agent');
  });
  afterAll(() => h?.close());

  const call = (s: Session, method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
    h.request(s, { method, url, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  const calendar = async (id = 'cn-business') =>
    ((await call(admin, 'GET', '/api/v1/sla/calendars')).json().items as { id: string; holidays: string[] }[]).find(
      (c) => c.id === id,
    )!;

  describe('impossible dates', () => {
    it('refuses a calendar holding 2025-13-45 with 400 calendar.invalid_date, naming every such date', async () => {
      const current = await calendar();
      const res = await call(admin, 'PUT', '/api/v1/sla/calendars/cn-business', {
        ...current,
        holidays: [...current.holidays, '2025-13-45', '2026-02-30'],
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({
        code: 'calendar.invalid_date',
        details: { dates: ['2025-13-45', '2026-02-30'] },
      });
      expect((await calendar()).holidays).not.toContain('2025-13-45');
    });

    it('refuses impossible dates in a JSON holiday import and a day set by hand', async () => {
      const imported = await call(admin, 'POST', '/api/v1/sla/calendars/cn-business/holidays', {
        format: 'json',
        holidays: ['2026-10-01'],
        workdays: [{ date: '2026-09-31' }],
      });
      expect(imported.statusCode).toBe(400);
      expect(imported.json().error).toMatchObject({
        code: 'calendar.invalid_date',
        details: { dates: ['2026-09-31'] },
      });
      const day = await call(admin, 'PUT', '/api/v1/sla/calendars/cn-business/days/2025-13-45', { kind: 'holiday' });
      expect(day.statusCode).toBe(400);
      expect(day.json().error.code).toBe('calendar.invalid_date');
    });

    it('refuses working hours past 24:00', async () => {
      const current = await calendar();
      const res = await call(admin, 'PUT', '/api/v1/sla/calendars/cn-business', {
        ...current,
        weekly: { '1': [{ start: '09:00', end: '24:30' }] },
      });
      expect(res.statusCode).toBe(400);
    });
  });

  describe('days set by hand', () => {
    const dueOf = async (ticketId: string) => {
      const res = await call(admin, 'GET', `/api/v1/tickets/${ticketId}/sla`);
      expect(res.statusCode, res.body).toBe(200);
      return Object.fromEntries(
        (res.json().items as { metric: string; dueAt: string }[]).map((i) => [i.metric, i.dueAt]),
      );
    };

    it('moves an open ticket’s due time when its due day becomes a holiday, and again for a make-up working day', async () => {
      // An inquiry at 17:30 on Friday: its 1-hour handling plan has 30 minutes on Friday and 30 on Monday.
      const ticketId = await h.buildTicket(agent.actor, { type: 'inquiry', subject: '套餐咨询' });
      expect((await dueOf(ticketId)).handling_plan).toBe('2026-11-30T01:30:00.000Z');

      const holiday = await call(admin, 'PUT', '/api/v1/sla/calendars/cn-business/days/2026-11-30', {
        kind: 'holiday',
      });
      expect(holiday.statusCode, holiday.body).toBe(200);
      expect(holiday.json().calendar.holidays).toContain('2026-11-30');
      expect(holiday.json().recomputedTickets).toBeGreaterThanOrEqual(1);
      expect((await dueOf(ticketId)).handling_plan).toBe('2026-12-01T01:30:00.000Z');

      // Saturday becomes a make-up working day (调休上班): the plan is due Saturday morning.
      const workday = await call(admin, 'PUT', '/api/v1/sla/calendars/cn-business/days/2026-11-28', {
        kind: 'workday',
      });
      expect(workday.statusCode, workday.body).toBe(200);
      expect(workday.json().calendar.workdays).toContainEqual({ date: '2026-11-28' });
      expect((await dueOf(ticketId)).handling_plan).toBe('2026-11-28T01:30:00.000Z');
      const ticket = (await call(admin, 'GET', `/api/v1/tickets/${ticketId}`)).json();
      expect(ticket.slaDueAt).toBe('2026-11-28T01:30:00.000Z');

      // Back to ordinary days: back to Monday.
      for (const date of ['2026-11-28', '2026-11-30'])
        await call(admin, 'PUT', `/api/v1/sla/calendars/cn-business/days/${date}`, { kind: 'normal' });
      expect((await dueOf(ticketId)).handling_plan).toBe('2026-11-30T01:30:00.000Z');
    });

    it('lets only admins set a day, and answers 404 for an unknown calendar', async () => {
      expect(
        (await call(agent, 'PUT', '/api/v1/sla/calendars/cn-business/days/2026-12-01', { kind: 'holiday' })).statusCode,
      ).toBe(403);
      const missing = await call(admin, 'PUT', '/api/v1/sla/calendars/nowhere/days/2026-12-01', { kind: 'holiday' });
      expect(missing.statusCode).toBe(404);
    });
  });

  describe('importing a year', () => {
    const ics = [
      'BEGIN:VCALENDAR',
      'BEGIN:VEVENT',
      'DTSTART;VALUE=DATE:20281001',
      'DTEND;VALUE=DATE:20281004',
      'SUMMARY:国庆节',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'DTSTART;VALUE=DATE:20280920',
      'SUMMARY:国庆节补班',
      'CATEGORIES:WORKDAY',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');

    it('previews what an .ics file adds without saving it, then saves it', async () => {
      const preview = await call(admin, 'POST', '/api/v1/sla/calendars/cn-business/holidays/preview', {
        format: 'ics',
        content: ics,
      });
      expect(preview.statusCode, preview.body).toBe(200);
      expect(preview.json()).toMatchObject({
        addedHolidays: ['2028-10-01', '2028-10-02', '2028-10-03'],
        addedWorkdays: ['2028-09-20'],
        years: [2028],
      });
      expect((await calendar()).holidays).not.toContain('2028-10-01');
      const saved = await call(admin, 'POST', '/api/v1/sla/calendars/cn-business/holidays', {
        format: 'ics',
        content: ics,
      });
      expect(saved.statusCode, saved.body).toBe(200);
      expect((await calendar()).holidays).toEqual(expect.arrayContaining(['2028-10-01', '2028-10-02', '2028-10-03']));
      const again = await call(admin, 'POST', '/api/v1/sla/calendars/cn-business/holidays/preview', {
        format: 'ics',
        content: ics,
      });
      expect(again.json()).toMatchObject({ addedHolidays: [], addedWorkdays: [] });
      expect(
        (
          await call(agent, 'POST', '/api/v1/sla/calendars/cn-business/holidays/preview', {
            format: 'ics',
            content: ics,
          })
        ).statusCode,
      ).toBe(403);
    });
  });

  describe('coverage of the coming weeks', () => {
    it('names the calendar and the years it lacks when the next 60 days fall outside every loaded year', async () => {
      // 27 November 2026: the next 60 days reach into 2027, and the shipped calendar holds 2025 and
      // 2026 (plus the 2028 days the test above imported).
      const res = await call(agent, 'GET', '/api/v1/sla/calendar-coverage');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        horizonDays: 60,
        gaps: [{ calendarId: 'cn-business', missingYears: [2027], from: '2027-01-01' }],
      });
      const next = { holidays: ['2027-01-01'], workdays: [] };
      await call(admin, 'POST', '/api/v1/sla/calendars/cn-business/holidays', { format: 'json', ...next });
      expect((await call(agent, 'GET', '/api/v1/sla/calendar-coverage')).json().gaps).toEqual([]);
    });
  });
});
