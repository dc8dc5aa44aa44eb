import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALWAYS_OPEN, type BusinessCalendar } from '../sla/business-calendar.js';
import {
  consentsInForce,
  decidePrivacyAction,
  isWorkingDay,
  legalHold,
  privacyActionsFor,
  privacyDueAt,
  type PrivacyRequestFacts,
} from './requests.js';

const nineToFive = [{ start: '09:00', end: '17:00' }];
/** Monday to Friday, with the 2026 National Day holiday (Oct 1–7) and its make-up Sundays/Saturdays (Sep 28, Oct 10). */
const CN: BusinessCalendar = {
  id: 'cn-test',
  name: 'test',
  timeZone: 'Asia/Shanghai',
  alwaysOpen: false,
  weekly: { '1': nineToFive, '2': nineToFive, '3': nineToFive, '4': nineToFive, '5': nineToFive },
  holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'],
  workdays: [{ date: '2026-09-27' }, { date: '2026-10-10' }],
};

describe('the statutory clock of a personal-data request', () => {
  it('counts 15 working days from the day after it arrived, skipping weekends: due at the end of the 15th', () => {
    // Received Friday 2026-11-20 10:00 Beijing; working days from Monday 23rd: the 15th is Friday 2026-12-11.
    const due = privacyDueAt(new Date('2026-11-20T02:00:00Z'), 15, CN);
    expect(due.toISOString()).toBe('2026-12-11T16:00:00.000Z'); // 2026-12-12 00:00 Beijing
  });

  it('skips public holidays and counts make-up working days (调休)', () => {
    // Received Wed 2026-09-30: Oct 1, 2, 5, 6, 7 holidays; Oct 3–4 weekend; Oct 8 (Thu) is the 1st,
    // Oct 9 the 2nd, Saturday Oct 10 (make-up day) the 3rd.
    expect(privacyDueAt(new Date('2026-09-30T03:00:00Z'), 3, CN).toISOString()).toBe('2026-10-10T16:00:00.000Z');
  });

  it('reads the day received in the calendar’s zone: 23:30 Beijing on a Monday is still Monday', () => {
    // 2026-11-23 23:30 +08:00 is 15:30Z; one working day later is Tuesday the 24th.
    expect(privacyDueAt(new Date('2026-11-23T15:30:00Z'), 1, CN).toISOString()).toBe('2026-11-24T16:00:00.000Z');
  });

  it('counts every day on a 24×7 calendar', () => {
    expect(privacyDueAt(new Date('2026-11-20T02:00:00Z'), 15, ALWAYS_OPEN).toISOString()).toBe(
      '2026-12-05T16:00:00.000Z',
    );
  });

  it('is always later than the request and has exactly the asked number of working days in between', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2026-01-01'), max: new Date('2026-12-01'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 40 }),
        (received, days) => {
          const due = privacyDueAt(received, days, CN);
          expect(due.getTime()).toBeGreaterThan(received.getTime());
          let count = 0;
          const start = new Date(received.getTime() + 8 * 3_600_000);
          for (let t = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate() + 1); ;) {
            const date = new Date(t).toISOString().slice(0, 10);
            if (new Date(`${date}T00:00:00+08:00`).getTime() >= due.getTime()) break;
            if (isWorkingDay(CN, date)) count++;
            t += 86_400_000;
          }
          expect(count).toBe(days);
        },
      ),
    );
  });
});

const deletion = (over: Partial<PrivacyRequestFacts> = {}): PrivacyRequestFacts => ({
  kind: 'deletion',
  status: 'open',
  previewedById: null,
  exportState: null,
  ...over,
});

describe('the life of a personal-data request', () => {
  it('sends a previewed deletion for approval, held data or not, and holds an approved one a law partly keeps', () => {
    expect(decidePrivacyAction(deletion(), 'preview', 'a')).toEqual({ ok: true, status: 'awaiting_approval' });
    expect(decidePrivacyAction(deletion(), 'preview', 'a', ['billing_dispute'])).toEqual({
      ok: true,
      status: 'awaiting_approval',
    });
    expect(
      decidePrivacyAction(deletion({ status: 'awaiting_approval', previewedById: 'a' }), 'approve', 'b', [
        'regulator_case',
      ]),
    ).toEqual({ ok: true, status: 'on_hold' });
    expect(decidePrivacyAction(deletion({ status: 'on_hold' }), 'preview', 'a')).toEqual({
      ok: true,
      status: 'awaiting_approval',
    });
  });

  it('refuses approval by the person who previewed the deletion (four eyes), and accepts another', () => {
    const waiting = deletion({ status: 'awaiting_approval', previewedById: 'a' });
    expect(decidePrivacyAction(waiting, 'approve', 'a')).toMatchObject({ ok: false, code: 'privacy.same_approver' });
    expect(decidePrivacyAction(waiting, 'approve', 'b')).toEqual({ ok: true, status: 'completed' });
    expect(privacyActionsFor(waiting, 'a')).not.toContain('approve');
    expect(privacyActionsFor(waiting, 'b')).toContain('approve');
  });

  it('does not approve a deletion that was never previewed, nor a finished one', () => {
    expect(decidePrivacyAction(deletion(), 'approve', 'b')).toMatchObject({ ok: false });
    expect(decidePrivacyAction(deletion({ status: 'completed' }), 'refuse', 'b')).toMatchObject({
      ok: false,
      code: 'privacy.invalid_transition',
    });
  });

  it('completes a copy request only once its copy is ready', () => {
    const access = deletion({ kind: 'access' });
    expect(decidePrivacyAction(access, 'complete', 'a')).toMatchObject({ ok: false, code: 'privacy.export_not_ready' });
    expect(decidePrivacyAction({ ...access, exportState: 'ready' }, 'complete', 'a')).toEqual({
      ok: true,
      status: 'completed',
    });
    expect(decidePrivacyAction(access, 'preview', 'a')).toMatchObject({ ok: false });
  });

  it('lets any open request be refused', () => {
    for (const status of ['open', 'awaiting_approval', 'on_hold'] as const)
      expect(decidePrivacyAction(deletion({ status }), 'refuse', 'a')).toEqual({ ok: true, status: 'refused' });
  });
});

describe('legal holds on a deletion', () => {
  const now = new Date('2026-11-20T02:00:00Z');
  it('holds nothing without open disputes or regulator cases', () => {
    expect(legalHold([], now, 30)).toBeNull();
  });
  it('names every reason and dates the hold at the latest deadline of the holding cases', () => {
    const hold = legalHold(
      [
        { reason: 'regulator_case', dueAt: new Date('2026-12-01T00:00:00Z') },
        { reason: 'billing_dispute', dueAt: new Date('2026-11-25T00:00:00Z') },
      ],
      now,
      30,
    );
    expect(hold).toEqual({ reasons: ['billing_dispute', 'regulator_case'], until: new Date('2026-12-01T00:00:00Z') });
  });
  it('gives a case without a deadline, or one already past, the configured number of days or now', () => {
    expect(legalHold([{ reason: 'billing_dispute', dueAt: null }], now, 30)!.until).toEqual(
      new Date('2026-12-20T02:00:00Z'),
    );
    expect(legalHold([{ reason: 'billing_dispute', dueAt: new Date('2026-11-01T00:00:00Z') }], now, 30)!.until).toEqual(
      now,
    );
  });
});

describe('consents', () => {
  it('sends service messages until withdrawn and marketing only with consent; the latest record wins', () => {
    expect(consentsInForce([])).toEqual({ surveys: true, notices: true, marketing: false });
    expect(
      consentsInForce([
        { purpose: 'surveys', granted: false, at: new Date('2026-11-01') },
        { purpose: 'surveys', granted: true, at: new Date('2026-10-01') },
        { purpose: 'marketing', granted: true, at: new Date('2026-11-02') },
      ]),
    ).toEqual({ surveys: false, notices: true, marketing: true });
  });
});
