import { describe, expect, it } from 'vitest';
import { parseIcsHolidays } from './ics-holidays.js';

const ics = `BEGIN:VCALENDAR
VERSION:2.0
BEGIN:VEVENT
DTSTART;VALUE=DATE:20250128
DTEND;VALUE=DATE:20250205
SUMMARY:春节
END:VEVENT
BEGIN:VEVENT
DTSTART;VALUE=DATE:20250126
SUMMARY:春节补班
END:VEVENT
BEGIN:VEVENT
DTSTART;VALUE=DATE:20250208
CATEGORIES:HOLIDAY,WORKDAY
SUMMARY:Make-up
  working day
END:VEVENT
END:VCALENDAR`;

describe('iCalendar holiday import', () => {
  it('expands a multi-day holiday with an exclusive DTEND and recognises make-up working days', () => {
    const r = parseIcsHolidays(ics);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.holidays).toEqual([
      '2025-01-28',
      '2025-01-29',
      '2025-01-30',
      '2025-01-31',
      '2025-02-01',
      '2025-02-02',
      '2025-02-03',
      '2025-02-04',
    ]);
    expect(r.value.workdays).toEqual([{ date: '2025-01-26' }, { date: '2025-02-08' }]);
  });
  it('reports events without a date and files without events instead of throwing', () => {
    const bad = parseIcsHolidays('BEGIN:VEVENT\nSUMMARY:x\nEND:VEVENT');
    expect(bad).toEqual({ ok: false, errors: [expect.stringContaining('DTSTART')] });
    expect(parseIcsHolidays('hello')).toEqual({ ok: false, errors: ['no VEVENT found'] });
  });
  it('refuses timed events and implausibly long ones rather than guessing', () => {
    const timed = parseIcsHolidays('BEGIN:VEVENT\nDTSTART:20250101T090000Z\nEND:VEVENT');
    expect(timed).toEqual({ ok: false, errors: [expect.stringContaining('all-day dates')] });
    const long = parseIcsHolidays('BEGIN:VEVENT\nDTSTART;VALUE=DATE:20250101\nDTEND;VALUE=DATE:20250401\nEND:VEVENT');
    expect(long).toEqual({ ok: false, errors: [expect.stringContaining('at most 31 days')] });
  });
});

describe.each(['2025', '2026'])('the shipped %s China schedule', (year) => {
  it('says the same in iCalendar as in JSON', async () => {
    const { readFileSync } = await import('node:fs');
    const json = JSON.parse(readFileSync(`calendars/cn-${year}.json`, 'utf8')) as {
      holidays: string[];
      workdays: { date: string }[];
    };
    const parsed = parseIcsHolidays(readFileSync(`calendars/cn-${year}.ics`, 'utf8'));
    expect(parsed.ok && parsed.value).toEqual({
      holidays: [...json.holidays].sort(),
      workdays: json.workdays.map((w) => ({ date: w.date })),
    });
  });
});
