import { describe, expect, it } from 'vitest';
import { calendarMath } from '../core/sla/business-calendar.js';
import { shippedChinaCalendar } from './reference-data.js';

const HOUR = 3_600_000;
/** Beijing wall-clock time. */
const bj = (iso: string) => new Date(`${iso}+08:00`);

describe('the shipped China business calendar', () => {
  const cn = calendarMath(shippedChinaCalendar());

  it('holds the State Council’s 2026 schedule: the Spring Festival week off, its make-up Saturdays on', () => {
    // Friday 13 February 17:00 + 2 business hours: Saturday 14 February is a make-up working day.
    expect(cn.add(bj('2026-02-13T17:00'), 2 * HOUR)).toEqual(bj('2026-02-14T10:00'));
    // Saturday 14 February 17:00 + 2 h: 15–23 February are off, work resumes Tuesday the 24th.
    expect(cn.add(bj('2026-02-14T17:00'), 2 * HOUR)).toEqual(bj('2026-02-24T10:00'));
  });

  it('still holds 2025: National Day, 1–8 October, with Saturday 11 October worked', () => {
    expect(cn.add(bj('2025-09-30T17:00'), 2 * HOUR)).toEqual(bj('2025-10-09T10:00'));
    expect(cn.phaseAt(bj('2025-10-11T10:00')).open).toBe(true);
  });
});
