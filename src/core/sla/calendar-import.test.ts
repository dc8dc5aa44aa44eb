import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addBusinessTime, businessTimeBetween } from './calendar.js';
import {
  calendarFromIcs,
  calendarFromJson,
  parseIcsSchedule,
  validateCalendar,
  type IcsCalendarBase,
  type ImportResult,
} from './calendar-import.js';

const HOUR = 3_600_000;
const bj = (local: string) => new Date(`${local}:00+08:00`);
const officeHours = [
  { start: '09:00', end: '12:00' },
  { start: '13:30', end: '18:00' },
];
const cnBase: IcsCalendarBase = {
  id: 'cn-business',
  alwaysOpen: false,
  weekly: { '1': officeHours, '2': officeHours, '3': officeHours, '4': officeHours, '5': officeHours },
};

const ics = (...body: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...body, 'END:VCALENDAR'].join('\r\n');
const event = (...props: string[]) => ['BEGIN:VEVENT', ...props, 'END:VEVENT'].join('\r\n');
const errorsOf = (r: ImportResult<unknown>): string[] => (r.ok ? [] : r.errors);

describe('the shipped 2025 China calendar files', () => {
  const fromJson = calendarFromJson(readFileSync('calendars/cn-2025.json', 'utf8'));
  const fromIcs = calendarFromIcs(readFileSync('calendars/cn-2025.ics', 'utf8'), cnBase);

  it('load from JSON and from iCalendar into the same calendar', () => {
    expect(errorsOf(fromJson)).toEqual([]);
    expect(errorsOf(fromIcs)).toEqual([]);
    expect(fromIcs.ok && fromIcs.value).toEqual(fromJson.ok && fromJson.value);
  });

  it('hold the State Council schedule: 28 closed days and 5 make-up working days', () => {
    if (!fromIcs.ok) throw new Error(fromIcs.errors.join('\n'));
    const cal = fromIcs.value;
    expect(cal.holidays).toHaveLength(28);
    expect(cal.workdays.map((w) => w.date)).toEqual([
      '2025-01-26',
      '2025-02-08',
      '2025-04-27',
      '2025-09-28',
      '2025-10-11',
    ]);
    expect(cal.timeZone).toBe('Asia/Shanghai');
    expect(addBusinessTime(bj('2025-04-30T17:00'), 2 * HOUR, cal)).toEqual(bj('2025-05-06T10:00'));
    expect(businessTimeBetween(bj('2025-04-27T00:00'), bj('2025-04-28T00:00'), cal)).toBe(7.5 * HOUR);
  });
});

describe('calendarFromJson', () => {
  it('reports invalid JSON instead of throwing', () => {
    const r = calendarFromJson('{"id": ');
    expect(r.ok).toBe(false);
    expect(errorsOf(r)[0]).toMatch(/^not valid JSON/);
  });

  it('reports every schema problem with its path', () => {
    const r = validateCalendar({
      id: 'Bad Id',
      timeZone: 'Nowhere/Land',
      weekly: { '1': [{ start: '9:00', end: '18:00' }] },
      holidays: ['2025-13-01'],
    });
    expect(errorsOf(r)).toEqual([
      'id: lower-case letters, digits, - and _',
      'timeZone: unknown IANA time zone',
      'weekly.1.0.start: expected HH:MM (00:00 to 24:00)',
      'holidays.0: not a calendar date',
    ]);
  });
});

describe('parseIcsSchedule', () => {
  it('expands multi-day all-day events with an exclusive DTEND, a DURATION, or no end', () => {
    const r = parseIcsSchedule(
      ics(
        event('DTSTART;VALUE=DATE:20250128', 'DTEND;VALUE=DATE:20250131', 'SUMMARY:春节'),
        event('DTSTART;VALUE=DATE:20250404', 'DURATION:P2D', 'SUMMARY:清明节'),
        event('DTSTART:20250101', 'SUMMARY:元旦'),
      ),
    );
    expect(r).toEqual({
      ok: true,
      value: {
        holidays: ['2025-01-01', '2025-01-28', '2025-01-29', '2025-01-30', '2025-04-04', '2025-04-05'],
        workdays: [],
      },
    });
  });

  it('recognises make-up working days by CATEGORIES:WORKDAY or a 补班/上班/班 summary', () => {
    const r = parseIcsSchedule(
      ics(
        event('DTSTART;VALUE=DATE:20250126', 'CATEGORIES:HOLIDAY,WORKDAY'),
        event('DTSTART;VALUE=DATE:20250208', 'SUMMARY:春节补班'),
        event('DTSTART;VALUE=DATE:20250427', 'SUMMARY:劳动节调休上班'),
        event('DTSTART;VALUE=DATE:20250928', 'SUMMARY:国庆节（班）'),
        event('DTSTART;VALUE=DATE:20251011', 'SUMMARY:班'),
        event('DTSTART;VALUE=DATE:20251001', 'SUMMARY:国庆节（休）'),
      ),
    );
    expect(r).toEqual({
      ok: true,
      value: {
        holidays: ['2025-10-01'],
        workdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'].map((date) => ({ date })),
      },
    });
  });

  it('unfolds continuation lines, unescapes text and reads the calendar name and zone', () => {
    const text = [
      'BEGIN:VCALENDAR',
      'X-WR-CALNAME:Holidays\\, Berl',
      ' in',
      'X-WR-TIMEZONE:Europe/Berlin',
      event('DTSTART;VALUE=DATE:20251003', 'SUMMARY:Tag der Deutschen', '\tEinheit'),
      'END:VCALENDAR',
    ].join('\n');
    expect(parseIcsSchedule(text)).toEqual({
      ok: true,
      value: { name: 'Holidays, Berlin', timeZone: 'Europe/Berlin', holidays: ['2025-10-03'], workdays: [] },
    });
  });

  it('skips cancelled events and ignores alarms nested in an event', () => {
    const r = parseIcsSchedule(
      ics(
        event('DTSTART;VALUE=DATE:20250101', 'STATUS:CANCELLED'),
        event('DTSTART;VALUE=DATE:20250102', 'BEGIN:VALARM', 'TRIGGER:-PT15M', 'DTSTART:20250101T000000', 'END:VALARM'),
      ),
    );
    expect(r).toEqual({ ok: true, value: { holidays: ['2025-01-02'], workdays: [] } });
  });

  it('reports every bad event with its line instead of throwing', () => {
    const r = parseIcsSchedule(
      ics(
        event('DTSTART:20250101T090000', 'SUMMARY:会议'), // lines 4–7
        event('DTSTART;VALUE=DATE:20250105', 'DTEND;VALUE=DATE:20250105'), // lines 8–11
        event('SUMMARY:无日期'), // lines 12–14
        event('DTSTART;VALUE=DATE:20250230'), // lines 15–17
        event('DTSTART;VALUE=DATE:20250301', 'RRULE:FREQ=YEARLY'), // lines 18–21
        event('DTSTART;VALUE=DATE:20250401', 'DTEND;VALUE=DATE:20250403'), // lines 22–25
        event('DTSTART;VALUE=DATE:20250402', 'CATEGORIES:WORKDAY'), // lines 26–29
      ),
    );
    expect(errorsOf(r)).toEqual([
      'line 4 (会议): DTSTART 20250101T090000 is a date-time; holidays must be all-day events (DTSTART;VALUE=DATE:YYYYMMDD)',
      'line 8: DTEND 20250105 must be after DTSTART 20250105 (DTEND is exclusive)',
      'line 12 (无日期): DTSTART is missing',
      'line 15: DTSTART 20250230 is not a date (YYYYMMDD)',
      'line 18: RRULE is not supported; list each holiday as its own event',
      'line 26: 2025-04-02 is both a holiday and a make-up working day (see line 22)',
    ]);
  });

  it('refuses text that is not an iCalendar file or is cut short', () => {
    expect(errorsOf(parseIcsSchedule(''))).toEqual(['not an iCalendar file: it must start with BEGIN:VCALENDAR']);
    expect(errorsOf(parseIcsSchedule('hello world'))).toEqual([
      'line 1: not a "NAME:value" line: hello world',
      'not an iCalendar file: it must start with BEGIN:VCALENDAR',
    ]);
    expect(errorsOf(parseIcsSchedule('BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20250101'))).toEqual([
      'BEGIN:VEVENT is never closed',
    ]);
    expect(errorsOf(parseIcsSchedule(ics()))).toEqual(['no VEVENT found']);
  });
});

describe('calendarFromIcs', () => {
  it('takes the id and hours from the base and validates the result', () => {
    const r = calendarFromIcs(ics(event('DTSTART;VALUE=DATE:20250101')), {
      id: 'x',
      timeZone: 'Mars/Olympus',
      weekly: {},
    });
    expect(errorsOf(r)).toEqual([
      'timeZone: unknown IANA time zone',
      'weekly: a calendar that is not alwaysOpen needs opening hours on at least one weekday',
    ]);
  });
});
