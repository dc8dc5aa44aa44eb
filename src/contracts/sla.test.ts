import { describe, expect, it } from 'vitest';
import { defaultSlaPolicies } from '../core/sla/sla-policy.js';
import { BusinessCalendarSchema, SlaPolicySchema } from './sla.js';

describe('SLA configuration contracts', () => {
  it('refuses a calendar with an unknown zone or a backwards interval', () => {
    expect(BusinessCalendarSchema.safeParse({ id: 'x', name: 'x', timeZone: 'Mars/Base' }).success).toBe(false);
    expect(
      BusinessCalendarSchema.safeParse({ id: 'x', name: 'x', weekly: { '1': [{ start: '18:00', end: '09:00' }] } })
        .success,
    ).toBe(false);
  });

  it('accepts any IANA zone, with Beijing time when none is given', () => {
    expect(BusinessCalendarSchema.parse({ id: 'x', name: 'x', timeZone: 'Europe/Berlin' }).timeZone).toBe(
      'Europe/Berlin',
    );
    expect(BusinessCalendarSchema.parse({ id: 'x', name: 'x' }).timeZone).toBe('Asia/Shanghai');
  });

  it('refuses two targets for one metric', () => {
    const bad = {
      id: 'x',
      name: 'x',
      position: 1,
      targets: [
        { metric: 'resolution', limitMinutes: 1, calendarId: 'always' },
        { metric: 'resolution', limitMinutes: 2, calendarId: 'always' },
      ],
    };
    expect(SlaPolicySchema.safeParse(bad).success).toBe(false);
  });

  it('fills in what a policy leaves out with the core defaults', () => {
    for (const p of defaultSlaPolicies()) {
      expect(
        SlaPolicySchema.parse({
          id: p.id,
          name: p.name,
          position: p.position,
          conditions: p.conditions,
          targets: p.targets,
        }),
      ).toEqual(p);
    }
  });
});
