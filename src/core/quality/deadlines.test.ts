import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALWAYS_OPEN, type BusinessCalendar } from '../sla/business-calendar.js';
import { coachingDeadline, workingDaysDeadline } from './deadlines.js';

// The State Council's 2026 schedule (holidays and make-up working days), Mon–Fri 09:00–12:00 and 13:30–18:00.
const cn2026 = JSON.parse(
  readFileSync(new URL('../../../calendars/cn-2026.json', import.meta.url), 'utf8'),
) as BusinessCalendar;

describe('QA clocks on the business calendar', () => {
  it('gives the agent until the close of the third working day after a Friday review', () => {
    // Fri 2026-11-20 10:00 Beijing → Mon, Tue, Wed → Wed 25 Nov 18:00 Beijing.
    expect(workingDaysDeadline(new Date('2026-11-20T02:00:00Z'), 3, cn2026).toISOString()).toBe(
      '2026-11-25T10:00:00.000Z',
    );
  });

  it('skips the National Day holiday and counts the make-up Saturday as a working day', () => {
    // Wed 30 Sep → (1–7 Oct off) Thu 8, Fri 9, Sat 10 Oct (调休 working day) 18:00.
    expect(workingDaysDeadline(new Date('2026-09-30T02:00:00Z'), 3, cn2026).toISOString()).toBe(
      '2026-10-10T10:00:00.000Z',
    );
  });

  it('counts 3 × 24 hours on a 24×7 calendar', () => {
    expect(workingDaysDeadline(new Date('2026-11-20T02:00:00Z'), 3, ALWAYS_OPEN).toISOString()).toBe(
      '2026-11-23T02:00:00.000Z',
    );
  });

  it('makes coaching due after 24 hours of open business time (7.5 open hours a day)', () => {
    // Fri 20 Nov 10:00: 6.5 h left that day, then Mon 7.5, Tue 7.5 (21.5 h), Wed 2.5 h → Wed 11:30.
    expect(coachingDeadline(new Date('2026-11-20T02:00:00Z'), cn2026).toISOString()).toBe('2026-11-25T03:30:00.000Z');
  });
});
